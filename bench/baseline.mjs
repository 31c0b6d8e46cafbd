// miti99bot's Worker against a grammY Worker doing the same work, in the same workerd
// (Miniflare, local D1 + KV), same load, same fake Telegram. Run by scripts/bench-baseline.sh.
//
//   node bench/baseline.mjs [N] [--rounds R] [--json FILE] [--compare LABEL=DIR]...
//
// Targets (alternated every round, the order reversed every other round, so machine noise
// hits all of them):
//   ours           crates/worker/build (index.js + index_bg.wasm: the production build, as
//                  deployed), through the e2e harness
//   grammy         bench/grammy-baseline/dist/index.min.js: grammY as the original was built
//   grammy+ledger  the same bundle with UPDATE_LEDGER=1: plus the D1 update-id claim that
//                  miti99bot's Worker does per update (same storage work as ours)
//   LABEL          with --compare LABEL=DIR: another build of ours (entry.mjs, index.js and
//                  index_bg.wasm in DIR, e.g. a worktree's crates/worker/build), for a before /
//                  after of a change in the same run; its table compares it with `ours`
//
// Per run: start-up (new Miniflare → ready: workerd process, script load, wasm compile and
// instantiation), first update (/ping on the fresh isolate: bot start-up), 20 warm-up /ping,
// then N sequential /ping (KV put + reply) and N sequential /trade_buy 1 VNM (KV get + D1
// INSERT + KV put + reply), each timed from node around dispatchFetch (Miniflare's loopback hop
// and the fake Telegram's sendMessage included). Reported: per target, the median over rounds
// of each run's median/p90/p99/mean, start-up and first update. Also N GET / per run: the
// floor (Miniflare's hop, routing, a text answer) that every update pays as well.
// CPU per update: the workerd process's user+system time (/proc/PID/stat, 10 ms ticks) over
// each loop of N, divided by N: what the isolate, workerd's D1/KV simulators and its HTTP
// stack spent, independent of how long a busy machine made each request wait.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { PRODUCTION_BUILD as BUILD, SECRET, TOKEN, applyMigrationFiles, startWorker, textUpdate } from "../crates/worker/e2e/harness.mjs";
import { BOT_USERNAME, startFakeTelegram } from "../crates/worker/e2e/fake-telegram.mjs";
import { takeFlag } from "./argv-flags.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const GRAMMY_DIR = path.join(here, "grammy-baseline");
const GRAMMY_BUNDLE = path.join(GRAMMY_DIR, "dist", "index.min.js");
const GRAMMY_BUNDLE_UNMIN = path.join(GRAMMY_DIR, "dist", "index.js");
const PRICES = "VNM=65000,FPT=120000"; // the harness's TRADING_PRICES
const WARMUP = 20;

const argv = process.argv.slice(2);
const flag = (name, dflt) => takeFlag(argv, name, dflt);
const ROUNDS = Number(flag("--rounds", 3));
const JSON_OUT = flag("--json", null);
const COMPARE = [];
for (let c = flag("--compare", null); c !== null; c = flag("--compare", null)) {
  const [label, dir] = c.split("=");
  if (!label || !dir || !fs.existsSync(path.join(dir, "index_bg.wasm"))) throw new Error(`--compare LABEL=DIR: no index_bg.wasm in ${dir}`);
  COMPARE.push({ label, dir: path.resolve(dir) });
}
const N = Number(argv[0] ?? 500);
if (!(Number.isInteger(N) && N > 0 && N <= 100_000)) throw new Error(`N must be 1..100000, got ${argv[0]}`);
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0 && ROUNDS <= 20)) throw new Error(`--rounds must be 1..20`);

const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, median: at(0.5), p90: at(0.9), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** grammY's bundle in workerd with the same Miniflare options as the e2e harness. */
async function startGrammy({ ledger }) {
  const telegram = await startFakeTelegram();
  const logs = [];
  const mf = new Miniflare({
    modules: true,
    scriptPath: GRAMMY_BUNDLE,
    modulesRoot: path.dirname(GRAMMY_BUNDLE),
    compatibilityDate: "2026-04-20",
    kvNamespaces: ["KV"],
    d1Databases: { DB: "DB" },
    bindings: {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_BASE: telegram.url,
      TELEGRAM_BOT_USERNAME: BOT_USERNAME,
      TRADING_PRICES: PRICES,
      ...(ledger ? { UPDATE_LEDGER: "1" } : {}),
    },
    handleRuntimeStdio: (stdout, stderr) => {
      for (const stream of [stdout, stderr]) stream.on("data", (chunk) => logs.push(String(chunk)));
    },
  });
  await mf.ready;
  const db = await mf.getD1Database("DB");
  const kv = await mf.getKVNamespace("KV");
  return {
    mf,
    telegram,
    logs,
    db,
    kv,
    // The same migration files, applied the same way as for ours.
    migrate: () => applyMigrationFiles(db),
    async stop() {
      await mf.dispose();
      await telegram.close();
    },
  };
}

async function startOurs(build = BUILD) {
  // The e2e harness on the production build, plus the username so that start-up skips getMe
  // (grammY gets botInfo). The production build has no /__test/migrate: the harness applies
  // the migration files to D1 itself, as for grammY.
  const w = await startWorker({ build, testRoutes: false, quiet: true, extraBindings: { TELEGRAM_BOT_USERNAME: BOT_USERNAME, TRADING_PRICES: PRICES } });
  w.migrate = () => applyMigrationFiles(w.db);
  return w;
}

const TARGETS = {
  ours: startOurs,
  grammy: () => startGrammy({ ledger: false }),
  "grammy+ledger": () => startGrammy({ ledger: true }),
};
for (const { label, dir } of COMPARE) TARGETS[label] = () => startOurs(dir);

/** User+system CPU ms of the workerd processes that are children of this node process. */
function workerdCpuMs() {
  let ticks = 0;
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    if (comm !== "workerd" || Number(fields[1]) !== process.pid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10; // CLK_TCK is 100 on Linux
}

async function post(w, update) {
  const body = JSON.stringify(update);
  const t0 = performance.now();
  const res = await w.mf.dispatchFetch("http://localhost/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
    body,
  });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${update.message.text}: HTTP ${res.status}`);
  return ms;
}

async function runOnce(name) {
  const t0 = performance.now();
  const w = await TARGETS[name]();
  const startup = performance.now() - t0;
  try {
    const cold = await post(w, textUpdate("/ping", { userId: 1 }));
    await w.migrate(); // after the first update, so that it is not part of the measured start
    for (let i = 0; i < WARMUP; i++) await post(w, textUpdate("/ping", { userId: 1 }));
    const ping = [];
    let cpu0 = workerdCpuMs();
    for (let i = 0; i < N; i++) ping.push(await post(w, textUpdate("/ping", { userId: 2 })));
    const pingCpu = (workerdCpuMs() - cpu0) / N;
    // The floor: GET / (routing and a text answer, no bot, no storage) through the same hop.
    const health = [];
    cpu0 = workerdCpuMs();
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const res = await w.mf.dispatchFetch("http://localhost/");
      await res.arrayBuffer();
      health.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`${name}: GET / HTTP ${res.status}`);
    }
    const healthCpu = (workerdCpuMs() - cpu0) / N;
    await post(w, textUpdate("/trade_topup 100000000000", { userId: 3 }));
    const buy = [];
    cpu0 = workerdCpuMs();
    for (let i = 0; i < N; i++) buy.push(await post(w, textUpdate("/trade_buy 1 VNM", { userId: 3 })));
    const buyCpu = (workerdCpuMs() - cpu0) / N;

    // The work was done, and done the same way: rows, KV, replies.
    const rows = await w.db.prepare("SELECT count(*) AS n FROM trading_trades WHERE user_id = 3").first();
    if (rows.n !== N) throw new Error(`${name}: expected ${N} trade rows, found ${rows.n}`);
    const lastPing = JSON.parse((await w.kv.get("misc:last_ping")) ?? "null");
    if (typeof lastPing?.at !== "number") throw new Error(`${name}: misc:last_ping not written`);
    // The baselines keep the portfolio in KV as the original did; ours keeps it in D1 (issue 11).
    const portfolio = JSON.parse((await w.kv.get("trading:user:3")) ?? "null");
    const held = portfolio
      ? portfolio.assets?.VNM
      : (await w.db.prepare("SELECT qty FROM trading_holdings WHERE user_id = 3 AND symbol = 'VNM'").first())?.qty;
    if (held !== N) throw new Error(`${name}: portfolio holds ${held} VNM, expected ${N}`);
    const sent = w.telegram.sent();
    const expected = 1 + WARMUP + N + 1 + N;
    if (sent.length !== expected) throw new Error(`${name}: ${sent.length} replies, expected ${expected}`);
    const getMe = w.telegram.calls.filter((c) => c.method === "getMe").length;
    if (getMe !== 0) throw new Error(`${name}: ${getMe} getMe calls (botInfo / TELEGRAM_BOT_USERNAME should avoid them)`);
    const replies = { ping: sent[1 + WARMUP].payload.text, buy: sent.at(-1).payload.text };
    return { name, startup, cold, health: stats(health), ping: stats(ping), buy: stats(buy), replies, cpu: { ping: pingCpu, health: healthCpu, buy: buyCpu } };
  } finally {
    await w.stop();
  }
}

function sizes() {
  const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const raw = (file) => fs.statSync(file).size;
  const oursFiles = [path.join(BUILD, "index.js"), path.join(BUILD, "index_bg.wasm")];
  return {
    ours: {
      files: "index.js + index_bg.wasm",
      raw: oursFiles.reduce((a, f) => a + raw(f), 0),
      gzip: oursFiles.reduce((a, f) => a + gz(f), 0),
      parts: Object.fromEntries(oursFiles.map((f) => [path.basename(f), { raw: raw(f), gzip: gz(f) }])),
    },
    grammy: { files: "dist/index.min.js (esbuild --minify)", raw: raw(GRAMMY_BUNDLE), gzip: gz(GRAMMY_BUNDLE) },
    grammyUnminified: { files: "dist/index.js (wrangler's default, no --minify)", raw: raw(GRAMMY_BUNDLE_UNMIN), gzip: gz(GRAMMY_BUNDLE_UNMIN) },
  };
}

const names = Object.keys(TARGETS);
const runs = Object.fromEntries(names.map((n) => [n, []]));
console.log(`N=${N} per command, ${ROUNDS} rounds, node ${process.version}`);
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? names : [...names].reverse();
  for (const name of order) {
    const res = await runOnce(name);
    runs[name].push(res);
    console.log(
      `round ${r + 1} ${name.padEnd(13)} start-up ${res.startup.toFixed(1)} ms, first update ${res.cold.toFixed(2)} ms, ` +
        `GET / ${res.health.median.toFixed(2)}, /ping median ${res.ping.median.toFixed(2)} p90 ${res.ping.p90.toFixed(2)}, ` +
        `/trade_buy median ${res.buy.median.toFixed(2)} p90 ${res.buy.p90.toFixed(2)} ms; ` +
        `workerd CPU per request: /ping ${res.cpu.ping.toFixed(3)}, GET / ${res.cpu.health.toFixed(3)}, /trade_buy ${res.cpu.buy.toFixed(3)} ms`,
    );
  }
}

// Same replies from every target (the paths are equivalent as far as the user can see).
for (const name of names) {
  const { replies } = runs[name][0];
  const ref = runs.ours[0].replies;
  if (replies.ping !== ref.ping || replies.buy !== ref.buy) {
    throw new Error(`${name} replied ${JSON.stringify(replies)}, ours ${JSON.stringify(ref)}`);
  }
}

const summary = Object.fromEntries(
  names.map((n) => {
    const rs = runs[n];
    const m = (f) => median(rs.map(f));
    return [
      n,
      {
        startup: m((x) => x.startup),
        healthMedian: m((x) => x.health.median),
        cold: m((x) => x.cold),
        pingMedian: m((x) => x.ping.median),
        pingP90: m((x) => x.ping.p90),
        pingP99: m((x) => x.ping.p99),
        buyMedian: m((x) => x.buy.median),
        buyP90: m((x) => x.buy.p90),
        buyP99: m((x) => x.buy.p99),
        pingCpu: m((x) => x.cpu.ping),
        healthCpu: m((x) => x.cpu.health),
        buyCpu: m((x) => x.cpu.buy),
        pingCpuNet: m((x) => x.cpu.ping - x.cpu.health),
        buyCpuNet: m((x) => x.cpu.buy - x.cpu.health),
      },
    ];
  }),
);
const size = sizes();

const rows = [
  ["/ping median (ms)", "pingMedian"],
  ["/ping p90 (ms)", "pingP90"],
  ["/trade_buy median (ms)", "buyMedian"],
  ["/trade_buy p90 (ms)", "buyP90"],
  ["GET / median, the floor (ms)", "healthMedian"],
  ["workerd CPU per /ping (ms)", "pingCpu"],
  ["workerd CPU per /trade_buy (ms)", "buyCpu"],
  ["workerd CPU per GET /, the floor (ms)", "healthCpu"],
  ["workerd CPU per /ping minus the floor (ms)", "pingCpuNet"],
  ["workerd CPU per /trade_buy minus the floor (ms)", "buyCpuNet"],
  ["first update (ms)", "cold"],
  ["start-up: new Miniflare → ready (ms)", "startup"],
];
const f2 = (x) => x.toFixed(2);
const ratio = (a, b) => (a / b).toFixed(2);
const o = summary.ours, g = summary.grammy, gl = summary["grammy+ledger"];
console.log(`\nMedians of ${ROUNDS} rounds, N=${N} per command (replies identical: ${JSON.stringify(runs.ours[0].replies.buy)})\n`);
console.log("| metric | ours | grammY | ours/grammY | grammY+ledger | ours/(grammY+ledger) |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const [label, k] of rows) {
  console.log(`| ${label} | ${f2(o[k])} | ${f2(g[k])} | ${ratio(o[k], g[k])} | ${f2(gl[k])} | ${ratio(o[k], gl[k])} |`);
}
for (const { label, dir } of COMPARE) {
  const c = summary[label];
  const gzc = zlib.gzipSync(fs.readFileSync(path.join(dir, "index_bg.wasm")), { level: 9 }).length;
  const gzo = size.ours.parts["index_bg.wasm"].gzip;
  console.log(`\n| metric | ours | ${label} (${dir}) | ours/${label} |`);
  console.log("|---|---:|---:|---:|");
  for (const [l, k] of rows) console.log(`| ${l} | ${f2(o[k])} | ${f2(c[k])} | ${ratio(o[k], c[k])} |`);
  console.log(`| index_bg.wasm gzip -9 (B) | ${gzo} | ${gzc} | ${ratio(gzo, gzc)} |`);
}
const kb = (b) => (b / 1024).toFixed(1);
console.log(`| bundle raw (KiB) | ${kb(size.ours.raw)} | ${kb(size.grammy.raw)} | ${ratio(size.ours.raw, size.grammy.raw)} | same bundle | |`);
console.log(`| bundle gzip -9 (KiB) | ${kb(size.ours.gzip)} | ${kb(size.grammy.gzip)} | ${ratio(size.ours.gzip, size.grammy.gzip)} | same bundle | |`);
console.log(
  `\nours: index.js ${kb(size.ours.parts["index.js"].raw)} KiB (gzip ${kb(size.ours.parts["index.js"].gzip)}), ` +
    `index_bg.wasm ${kb(size.ours.parts["index_bg.wasm"].raw)} KiB (gzip ${kb(size.ours.parts["index_bg.wasm"].gzip)}); ` +
    `grammY unminified ${kb(size.grammyUnminified.raw)} KiB (gzip ${kb(size.grammyUnminified.gzip)})`,
);
if (JSON_OUT) {
  fs.writeFileSync(JSON_OUT, JSON.stringify({ N, rounds: ROUNDS, node: process.version, summary, size, runs }, null, 2));
  console.log(`raw results: ${JSON_OUT}`);
}
