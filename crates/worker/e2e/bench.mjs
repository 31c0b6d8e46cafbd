// Per-update time of the production Worker (crates/worker/build) in workerd: N sequential
// updates through /webhook for /ping (KV write + reply) and for /trade_buy (D1 insert + KV
// write + reply), measured from node around each request (Miniflare's loopback hop and the
// fake Telegram reply included).
//
//   node crates/worker/e2e/bench.mjs [N]        (scripts/bench-worker.sh builds first)
import { performance } from "node:perf_hooks";
import { PRODUCTION_BUILD, applyMigrationFiles, startWorker, textUpdate } from "./harness.mjs";

const N = Number(process.argv[2] ?? 500);
const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, median: at(0.5), p90: at(0.9), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const fmt = (name, s) =>
  `${name}: n=${s.n} median ${s.median.toFixed(2)} ms, p90 ${s.p90.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, mean ${s.mean.toFixed(2)} ms`;

const w = await startWorker({ build: PRODUCTION_BUILD, testRoutes: false, quiet: true });
try {
  // The production build has no /__test/migrate: the files go to D1 directly.
  await applyMigrationFiles(w.db);
  const run = async (text, userId) => {
    const times = [];
    for (let i = 0; i < N; i++) {
      const body = JSON.stringify(textUpdate(text, { userId }));
      const t0 = performance.now();
      const res = await w.webhook(body);
      await res.arrayBuffer();
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${text}: HTTP ${res.status}`);
    }
    return stats(times);
  };
  const cold0 = performance.now();
  await w.webhook(textUpdate("/ping", { userId: 1 })); // first update: bot start-up (registry, inits, getMe, ledger table)
  const cold = performance.now() - cold0;
  for (let i = 0; i < 20; i++) await w.webhook(textUpdate("/ping", { userId: 1 })); // warm-up
  const ping = await run("/ping", 2);
  await w.webhook(textUpdate("/trade_topup 100000000000", { userId: 3 }));
  const buy = await run("/trade_buy 1 VNM", 3);
  const rows = await w.db.prepare("SELECT count(*) AS n FROM trading_trades WHERE user_id = 3").first();
  if (rows.n !== N) throw new Error(`expected ${N} trade rows, found ${rows.n}`);
  const replies = w.telegram.sent().length;
  console.log(`first update (isolate start-up): ${cold.toFixed(2)} ms`);
  console.log(fmt("/ping (KV write)", ping));
  console.log(fmt("/trade_buy (one D1 batch with the claim)", buy));
  console.log(`replies received by the fake Telegram: ${replies}`);
} finally {
  await w.stop();
}
