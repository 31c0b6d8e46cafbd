// A V8 CPU profile of the Worker inside workerd while it serves N sequential updates: which
// functions the isolate spends its time in (wasm functions by name when the build keeps its
// names section: `scripts/build-worker.sh --names`).
//
//   node bench/profile-worker.mjs [--build DIR] [--command TEXT] [--out FILE] [--top K] [--cold] [N]
//
// Starts the Worker with the e2e harness (production build by default, the username set so no
// getMe, migrations applied) and Miniflare's inspector on a free 127.0.0.1 port, sends 20
// warm-up updates, then samples (Profiler, 100 us interval) over N deliveries of TEXT (default
// "/ping"). Prints self time per function, top K, and writes the whole profile as a
// .cpuprofile (Chrome DevTools, speedscope) to FILE (default /tmp/worker.cpuprofile).
// --cold: the first update on the fresh isolate instead (bot start-up included), sampled every
// 25 us; N is then ignored.
import fs from "node:fs";
import net from "node:net";
import WebSocket from "ws";
import { PRODUCTION_BUILD, SECRET, applyMigrationFiles, startWorker, textUpdate } from "../crates/worker/e2e/harness.mjs";
import { BOT_USERNAME } from "../crates/worker/e2e/fake-telegram.mjs";
import { takeFlag } from "./argv-flags.mjs";

const argv = process.argv.slice(2);
const flag = (name, dflt) => takeFlag(argv, name, dflt);
const BUILD = flag("--build", PRODUCTION_BUILD);
const COMMAND = flag("--command", "/ping");
const OUT = flag("--out", "/tmp/worker.cpuprofile");
const TOP = Number(flag("--top", 40));
const COLD = argv.includes("--cold");
if (COLD) argv.splice(argv.indexOf("--cold"), 1);
const N = COLD ? 1 : Number(argv[0] ?? 2000);
if (!(Number.isInteger(N) && N > 0 && N <= 100_000)) throw new Error(`N must be 1..100000, got ${argv[0]}`);

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });

const port = await freePort();
const w = await startWorker({
  build: BUILD,
  testRoutes: false,
  quiet: true,
  extraBindings: { TELEGRAM_BOT_USERNAME: BOT_USERNAME },
  miniflare: { inspectorPort: port },
});
const post = async (update) => {
  const res = await w.mf.dispatchFetch("http://localhost/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
    body: JSON.stringify(update),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
};
try {
  if (!COLD) {
    await post(textUpdate("/ping", { userId: 1 }));
    await applyMigrationFiles(w.db);
    await post(textUpdate("/trade_topup 100000000000", { userId: 2 }));
    for (let i = 0; i < 20; i++) await post(textUpdate(COMMAND, { userId: 2 }));
  }

  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0];
  const ws = new WebSocket(target.webSocketDebuggerUrl ?? `ws://127.0.0.1:${port}/${target.id}`);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  let id = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  });
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const n = ++id;
      pending.set(n, (msg) => (msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result)));
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: COLD ? 25 : 100 });
  await call("Profiler.start");
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await post(textUpdate(COMMAND, { userId: 2 }));
  const wall = performance.now() - t0;
  const { profile } = await call("Profiler.stop");
  ws.close();
  fs.writeFileSync(OUT, JSON.stringify(profile));

  // Self time per function: samples whose leaf is the node, over all samples.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (const s of profile.samples) {
    const f = byId.get(s).callFrame;
    const name = `${f.functionName || "(anonymous)"} ${f.url ? f.url.split("/").pop() : ""}`.trim();
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const idle = self.get("(idle)") ?? 0;
  const busy = total - idle;
  const span = (profile.endTime - profile.startTime) / 1000;
  console.log(`${N} x ${COMMAND} in ${wall.toFixed(0)} ms; ${total} samples over ${span.toFixed(0)} ms, isolate busy ${((busy / total) * span / N * 1000).toFixed(0)} us per update (${((busy / total) * 100).toFixed(1)}%)`);
  console.log(`self time, % of busy samples (top ${TOP}):`);
  for (const [name, n] of [...self].filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${((n / busy) * 100).toFixed(1).padStart(5)}%  ${name.slice(0, 150)}`);
  }
  console.log(`profile: ${OUT}`);
} finally {
  await w.stop();
}
