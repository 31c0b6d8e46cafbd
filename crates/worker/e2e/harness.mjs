// Starts a built Worker in workerd through Miniflare, with in-memory D1 and KV, next to a fake
// Telegram server. Shared by the test suite and the benchmarks. The suite runs the e2e build
// (crates/worker/build-e2e: `scripts/build-worker.sh --e2e`, with the `/__test/*` routes); the
// benchmarks and one test run the production build (crates/worker/build).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { startFakeTelegram } from "./fake-telegram.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The e2e build (cargo feature `e2e`): what the suite runs by default. */
export const BUILD = path.resolve(here, "../build-e2e");
/** The production build: what deploys ship and the benchmarks measure. */
export const PRODUCTION_BUILD = path.resolve(here, "../build");
const MODULES_SRC = path.resolve(here, "../../modules/src");
export const SECRET = "e2e-secret-0123456789";
export const TOKEN = "123456:E2E-TOKEN-must-never-leak";
export const MODULES = "util,wordle,loldle,misc,trading";
export const USER_ID = 7_123_456_789;

/**
 * Starts the Worker. `quiet` drops workerd's console output (the benchmark); `persist` keeps
 * D1 in a wrangler-compatible state folder (`<persist>/v3/d1`) under database id `d1Id`;
 * `d1: false` starts the Worker without a D1 binding; `build` is the build folder (default the
 * e2e build); `countStorage` wraps the Worker's D1 and KV bindings to count their round trips
 * (`GET /__count/d1`, `GET /__count/kv`, e2e/storage-counting-entry.mjs); `miniflare` adds
 * Miniflare options (the profiler's `inspectorPort`). workerd's output is kept in `logs`.
 */
export async function startWorker({ testRoutes = true, extraBindings = {}, quiet = false, persist, d1Id = "DB", d1 = true, build = BUILD, countStorage = false, miniflare = {} } = {}) {
  if (!fs.existsSync(path.join(build, "index.js"))) {
    throw new Error(`no Worker build in ${build}: run scripts/build-worker.sh${build === BUILD ? " --e2e" : ""}`);
  }
  let entry = "entry.mjs";
  if (countStorage) {
    // The counting wrapper goes next to the built entry it imports (a test-only file).
    entry = "storage-counting-entry.mjs";
    fs.copyFileSync(path.join(here, entry), path.join(build, entry));
  }
  const telegram = await startFakeTelegram();
  const bindings = {
    MODULES,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_BASE: telegram.url,
    TRADING_PRICES: "VNM=65000,FPT=120000",
    TRADING_KEEP_PER_USER: "2",
    // Every line the Worker can write, so that the token check sees them all; the benchmark
    // (quiet) keeps the production default (warnings and errors).
    ...(quiet ? {} : { LOG_LEVEL: "info" }),
    ...extraBindings,
  };
  if (testRoutes) bindings.MITI99BOT_TEST_ROUTES = "1";
  const logs = [];
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(build, entry),
    modulesRoot: build,
    modulesRules: [
      { type: "CompiledWasm", include: ["**/*.wasm"], fallthrough: true },
      // wasm-bindgen's index.js is an ES module, imported by the entry (entry.mjs).
      { type: "ESModule", include: ["**/*.js"], fallthrough: true },
    ],
    compatibilityDate: "2026-04-20",
    kvNamespaces: ["KV"],
    d1Databases: d1 ? { DB: d1Id } : {},
    ...(persist ? { defaultPersistRoot: path.join(persist, "v3"), d1Persist: path.join(persist, "v3", "d1") } : {}),
    bindings,
    ...miniflare,
    handleRuntimeStdio: (stdout, stderr) => {
      for (const stream of [stdout, stderr]) {
        stream.on("data", (chunk) => {
          logs.push(String(chunk));
          if (!quiet) process.stdout.write(chunk);
        });
      }
    },
  });
  await mf.ready;
  const db = d1 ? await mf.getD1Database("DB") : null;
  const kv = await mf.getKVNamespace("KV");
  const base = "http://localhost";
  return {
    mf,
    telegram,
    logs,
    fetch: (p, init) => mf.dispatchFetch(base + p, init),
    webhook: (body, { secret = SECRET, headers = {} } = {}) =>
      mf.dispatchFetch(base + "/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", ...(secret ? { "X-Telegram-Bot-Api-Secret-Token": secret } : {}), ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    post: (p) => mf.dispatchFetch(base + p, { method: "POST", headers: { "X-Telegram-Bot-Api-Secret-Token": SECRET } }),
    db,
    kv,
    scheduled: async (cron) => (await mf.getWorker()).scheduled({ cron, scheduledTime: new Date() }),
    async stop() {
      await mf.dispose();
      await telegram.close();
    },
  };
}

/**
 * Applies every module's migration files to `db` directly, one D1 batch per file (comments
 * dropped, split on `;`; enough for these files, which hold no trigger bodies), without
 * `_migrations` rows: the benchmarks' set-up for a build without `POST /__test/migrate`.
 */
export async function applyMigrationFiles(db) {
  for (const module of fs.readdirSync(MODULES_SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const dir = path.join(MODULES_SRC, module, "migrations");
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
      const sql = fs.readFileSync(path.join(dir, file), "utf8").replace(/--[^\n]*/g, "");
      const stmts = sql.split(";").map((s) => s.trim()).filter(Boolean);
      await db.batch(stmts.map((s) => db.prepare(s)));
    }
  }
}

let nextUpdateId = 1000;
export function newUpdateId() {
  return nextUpdateId++;
}

/** A private-chat text message; a leading /command gets its bot_command entity. */
/** A press of a button carrying `data` under the bot's message `messageId` in `chatId`. */
export function callbackUpdate(data, { updateId = newUpdateId(), userId = USER_ID, chatId = userId, messageId = 1 } = {}) {
  return {
    update_id: updateId,
    callback_query: {
      id: `q${updateId}`,
      from: { id: userId, is_bot: false, first_name: "Tester" },
      message: { message_id: messageId, chat: { id: chatId, type: "private" }, date: 1_700_000_000, text: "…" },
      chat_instance: String(chatId),
      data,
    },
  };
}

export function textUpdate(text, { updateId = newUpdateId(), userId = USER_ID, chatId = userId } = {}) {
  const command = text.startsWith("/") ? text.split(/\s/)[0] : null;
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      from: { id: userId, is_bot: false, first_name: "Tester" },
      chat: { id: chatId, type: "private" },
      date: 1_700_000_000,
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
    },
  };
}
