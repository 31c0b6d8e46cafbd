// D1 migrations the deploy way: `miti99bot migrate --d1 DB --local` (the native CLI, through
// wrangler) fills a local D1 state; the Worker then runs on that very state and agrees that
// nothing is pending. MITI99BOT_BIN names the native binary (scripts/test-worker.sh builds it).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { MODULES, startWorker, textUpdate } from "./harness.mjs";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "../../..");
const BIN = process.env.MITI99BOT_BIN ?? path.join(ROOT, "target/debug/miti99bot");
const WRANGLER = path.join(ROOT, "node_modules/.bin/wrangler");
const CONFIG = path.join(ROOT, "crates/worker/wrangler.toml");
const D1_ID = "00000000-0000-0000-0000-000000000000"; // database_id in wrangler.toml

let dir;
before(() => {
  assert.ok(existsSync(BIN), `native binary ${BIN} not found: build it (cargo build -p miti99bot) or set MITI99BOT_BIN`);
  dir = mkdtempSync(path.join(os.tmpdir(), "miti99bot-d1-"));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const migrate = (...extra) =>
  run(BIN, ["migrate", "--d1", "DB", "--local", "--wrangler-config", CONFIG, "--persist-to", path.join(dir, "state"), ...extra], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? dir, MODULES, WRANGLER_BIN: WRANGLER, WRANGLER_SEND_METRICS: "false" },
    timeout: 120_000,
  });

test("miti99bot migrate --d1 --local applies through wrangler, once", async () => {
  const first = await migrate();
  assert.match(first.stdout, /applied\s+trading\/0001_trades\.sql\s+\(now\)/);
  const again = await migrate();
  assert.doesNotMatch(again.stdout, /\(now\)|pending/, "a second run applied something");
  const dry = await migrate("--dry-run");
  assert.doesNotMatch(dry.stdout, /\(now\)|pending/);
});

test("the Worker runs on the migrated D1 and sees nothing pending", async () => {
  const w = await startWorker({ persist: path.join(dir, "state"), d1Id: D1_ID, quiet: true });
  try {
    const recorded = (await w.db.prepare("SELECT name FROM _migrations ORDER BY name").all()).results.map((r) => r.name);
    assert.ok(recorded.includes("trading/0001_trades.sql"), JSON.stringify(recorded));
    const res = await w.post("/__test/migrate");
    assert.deepEqual(await res.json(), { applied: [] });
    const userId = 8_000_000_001;
    await w.webhook(textUpdate("/trade_topup 1000000", { userId }));
    await w.webhook(textUpdate("/trade_buy 3 VNM", { userId }));
    const row = await w.db.prepare("SELECT qty FROM trading_trades WHERE user_id = ?").bind(userId).first();
    assert.equal(row?.qty, 3);
  } finally {
    await w.stop();
  }
});
