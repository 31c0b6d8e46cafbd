// End-to-end tests of the built Worker inside workerd (Miniflare), with local D1 and KV and a
// fake Telegram server on 127.0.0.1: the e2e build (crates/worker/build-e2e), and for the test
// routes' absence also the production build (crates/worker/build). Run by
// scripts/test-worker.sh, which builds both.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import {
  PRODUCTION_BUILD,
  SECRET,
  TOKEN,
  USER_ID,
  callbackUpdate,
  newUpdateId,
  startWorker,
  textUpdate,
} from "./harness.mjs";
import { BOT_USERNAME } from "./fake-telegram.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const MODULES_SRC = path.resolve(here, "../../modules/src");

/** Every module's migration files, as the modules crate's build script discovers them. */
function migrationFiles() {
  const files = [];
  for (const module of readdirSync(MODULES_SRC, { withFileTypes: true })) {
    if (!module.isDirectory()) continue;
    const dir = path.join(MODULES_SRC, module.name, "migrations");
    let names = [];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith(".sql"));
    } catch {
      continue;
    }
    for (const file of names) {
      const sql = readFileSync(path.join(dir, file), "utf8");
      files.push({ name: `${module.name}/${file}`, checksum: createHash("sha256").update(sql).digest("hex") });
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

let w;
const sentTo = (chatId) => w.telegram.sent().filter((c) => c.payload.chat_id === chatId);
/** A user's account and holdings in D1: `{ vnd, invested, <SYMBOL>: qty… }`, or null. */
async function portfolio(userId) {
  const account = await w.db.prepare("SELECT vnd, invested FROM trading_accounts WHERE user_id = ?").bind(userId).first();
  if (!account) return null;
  const { results } = await w.db.prepare("SELECT symbol, qty FROM trading_holdings WHERE user_id = ? ORDER BY symbol").bind(userId).all();
  return { vnd: account.vnd, invested: account.invested, ...Object.fromEntries(results.map((h) => [h.symbol, h.qty])) };
}
const countSide = async (userId, side) => (await tradeRows(userId)).filter((r) => r.side === side).length;
/** Texts sent to the chats `chatIds`. */
const sentToChats = (chatIds) => w.telegram.sent().filter((c) => chatIds.includes(c.payload.chat_id)).map((c) => c.payload.text);
const tradeRows = async (userId) =>
  (await w.db.prepare("SELECT user_id, symbol, side, qty, price_vnd FROM trading_trades WHERE user_id = ? ORDER BY id").bind(userId).all()).results;

before(async () => {
  w = await startWorker();
});
after(async () => {
  await w?.stop();
});

describe("routes", () => {
  test("GET / is the health check", async () => {
    const res = await w.fetch("/");
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "miti99bot ok");
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
  });

  test("other routes are 404", async () => {
    for (const [method, p] of [["GET", "/webhook"], ["POST", "/"], ["PUT", "/webhook"], ["GET", "/nope"], ["POST", "/webhook/x"]]) {
      const res = await w.fetch(p, { method, body: method === "GET" ? undefined : "{}" });
      assert.equal(res.status, 404, `${method} ${p}`);
      assert.equal(await res.text(), "not found");
    }
  });
});

describe("migrations", () => {
  test("apply every module's files once, recorded like natively", async () => {
    const first = await w.post("/__test/migrate");
    assert.equal(first.status, 200);
    const files = migrationFiles();
    assert.ok(files.length > 0, "no migration files found");
    assert.deepEqual((await first.json()).applied, files.map((f) => f.name));
    const again = await w.post("/__test/migrate");
    assert.deepEqual((await again.json()).applied, []);
    const rows = (await w.db.prepare("SELECT name, checksum, applied_at FROM _migrations ORDER BY name").all()).results;
    assert.deepEqual(rows.map((r) => ({ name: r.name, checksum: r.checksum })), files);
    for (const row of rows) assert.ok(Number.isInteger(row.applied_at) && row.applied_at > 1_600_000_000_000);
  });
});

describe("webhook refusals", () => {
  test("a missing or wrong secret is 401 and reaches nothing", async () => {
    const before = w.telegram.calls.length;
    for (const secret of [null, "wrong", SECRET + "x", SECRET.slice(0, -1)]) {
      const res = await w.webhook(textUpdate("/ping", { chatId: 1 }), { secret });
      assert.equal(res.status, 401, `secret ${secret}`);
    }
    assert.equal(w.telegram.calls.length, before);
    assert.equal(await w.kv.get("misc:last_ping"), null);
  });

  test("a body over 1 MiB is 413", async () => {
    const big = JSON.stringify({ update_id: newUpdateId(), pad: "x".repeat(1024 * 1024) });
    const res = await w.webhook(big);
    assert.equal(res.status, 413);
  });

  test("malformed JSON and non-updates are 400", async () => {
    for (const body of ["{not json", "[]", "{}", '{"update_id":"x"}']) {
      const res = await w.webhook(body);
      assert.equal(res.status, 400, body);
    }
  });

  test("an update with an id that does not parse is acknowledged, as natively", async () => {
    const res = await w.webhook(JSON.stringify({ update_id: newUpdateId(), message: { chat: "not a chat" } }));
    assert.equal(res.status, 200);
  });
});

describe("updates", () => {
  test("/ping reaches misc, writes KV and replies through the fake Telegram", async () => {
    const res = await w.webhook(textUpdate("/ping"));
    assert.equal(res.status, 200);
    const replies = sentTo(USER_ID).filter((c) => c.payload.text === "pong");
    assert.equal(replies.length, 1);
    assert.equal(replies[0].token, TOKEN);
    const stored = JSON.parse((await w.kv.get("misc:last_ping")) ?? "null");
    assert.ok(stored && Number.isInteger(stored.at) && stored.at > 1_600_000_000_000, JSON.stringify(stored));
  });

  test("/cmd@this_bot matches, /cmd@other_bot does not", async () => {
    const chatId = 5001;
    await w.webhook(textUpdate("/fortytwo@miti99_test_bot", { chatId }));
    await w.webhook(textUpdate("/fortytwo@someone_else_bot", { chatId }));
    assert.deepEqual(sentTo(chatId).map((c) => c.payload.text), ["The answer."]);
  });

  test("trading writes D1 with a Telegram id beyond 32 bits, and nothing to KV", async () => {
    const userId = 9_007_199_254_740_991; // 2^53 − 1: the largest id D1 holds exactly
    for (const text of ["/trade_topup 1000000", "/trade_buy 2 VNM"]) {
      const res = await w.webhook(textUpdate(text, { userId }));
      assert.equal(res.status, 200);
    }
    const replies = sentTo(userId).map((c) => c.payload.text);
    assert.match(replies[0], /Topped up/);
    assert.match(replies[1], /Bought 2 VNM/);
    assert.deepEqual(await tradeRows(userId), [{ user_id: userId, symbol: "VNM", side: "buy", qty: 2, price_vnd: 65000 }]);
    assert.deepEqual(await portfolio(userId), { vnd: 1000000 - 2 * 65000, invested: 1000000, VNM: 2 });
    assert.equal(await w.kv.get(`trading:user:${userId}`), null, "the portfolio is in D1 only");
  });

  test("/history reads the rows back as HTML", async () => {
    const userId = 9_007_199_254_740_991;
    await w.webhook(textUpdate("/history", { userId }));
    const last = sentTo(userId).at(-1);
    assert.equal(last.payload.parse_mode, "HTML");
    assert.match(last.payload.text, /VNM/);
  });

  test("a redelivered update_id is applied once", async () => {
    const userId = 6_000_000_001;
    await w.webhook(textUpdate("/trade_topup 1000000", { userId }));
    const update = textUpdate("/trade_buy 1 FPT", { userId });
    for (let i = 0; i < 3; i++) assert.equal((await w.webhook(update)).status, 200);
    assert.equal((await tradeRows(userId)).length, 1);
    assert.equal(sentTo(userId).filter((c) => /Bought/.test(c.payload.text)).length, 1);
  });

  test("concurrent duplicates are applied once", async () => {
    const userId = 6_000_000_002;
    await w.webhook(textUpdate("/trade_topup 1000000", { userId }));
    const update = textUpdate("/trade_buy 1 VNM", { userId });
    const statuses = await Promise.all(Array.from({ length: 5 }, () => w.webhook(update).then((r) => r.status)));
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    assert.equal((await tradeRows(userId)).length, 1);
    assert.equal(sentTo(userId).filter((c) => /Bought/.test(c.payload.text)).length, 1);
  });

  test("50 concurrent buys of one user over 8 chats spend exactly what the rows say", async () => {
    const userId = 6_000_000_010;
    const price = 65000;
    assert.equal((await w.webhook(textUpdate(`/trade_topup ${40 * price}`, { userId }))).status, 200);
    const chats = Array.from({ length: 8 }, (_, i) => -7_000_000_000 - i);
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => w.webhook(textUpdate("/trade_buy 1 VNM", { userId, chatId: chats[i % 8] })).then((r) => r.status)),
    );
    assert.ok(statuses.every((s) => s === 200), String(statuses));
    const buys = await countSide(userId, "buy");
    assert.equal(buys, 40, "the top-up pays for 40");
    assert.deepEqual(await portfolio(userId), { vnd: 40 * price - price * buys, invested: 40 * price, VNM: buys });
    const texts = sentToChats(chats);
    assert.equal(texts.filter((t) => t.startsWith("Bought 1 VNM")).length, 40);
    assert.equal(texts.filter((t) => t === "Insufficient VND. Need 65.000 VND, have 0 VND.").length, 10);
  });

  test("concurrent buys and sells of one user keep cash and shares exact", async () => {
    const userId = 6_000_000_011;
    const price = 65000;
    await w.webhook(textUpdate(`/trade_topup ${20 * price}`, { userId }));
    await w.webhook(textUpdate("/trade_buy 10 VNM", { userId }));
    const chats = Array.from({ length: 8 }, (_, i) => -7_100_000_000 - i);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        w.webhook(textUpdate(i % 2 ? "/trade_sell 1 VNM" : "/trade_buy 1 VNM", { userId, chatId: chats[i % 8] })),
      ),
    );
    const buys = (await countSide(userId, "buy")) - 1; // the 10-share buy is one row
    const sells = await countSide(userId, "sell");
    const p = await portfolio(userId);
    assert.equal(p.VNM ?? 0, 10 + buys - sells);
    assert.equal(p.vnd, 20 * price - price * (10 + buys) + price * sells);
    assert.equal(p.vnd + price * (p.VNM ?? 0), 20 * price, "no money appeared or vanished");
    const texts = sentToChats(chats);
    assert.equal(texts.filter((t) => t.startsWith("Bought 1 VNM")).length, buys);
    assert.equal(texts.filter((t) => t.startsWith("Sold 1 VNM")).length, sells);
  });

  test("a redelivered trade changes the balance once", async () => {
    const userId = 6_000_000_012;
    await w.webhook(textUpdate("/trade_topup 1000000", { userId }));
    const update = textUpdate("/trade_buy 3 VNM", { userId });
    await Promise.all([w.webhook(update), w.webhook(update)]);
    await w.webhook(update);
    assert.deepEqual(await portfolio(userId), { vnd: 1000000 - 3 * 65000, invested: 1000000, VNM: 3 });
    assert.equal((await tradeRows(userId)).length, 1);
  });

  test("a portfolio still in KV is carried into D1 once, under concurrent first use", async () => {
    const userId = 6_000_000_013;
    const key = `trading:user:${userId}`;
    await w.kv.put(key, JSON.stringify({ currency: { VND: 1000000 }, assets: { FPT: 3, VNM: 10 }, totalvnd: 2000000 }));
    const chats = Array.from({ length: 8 }, (_, i) => -7_200_000_000 - i);
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        w.webhook(textUpdate(i % 2 ? "/trade_buy 1 VNM" : "/trade_topup 1000", { userId, chatId: chats[i] })).then((r) => r.status),
      ),
    );
    assert.deepEqual(statuses, Array(8).fill(200));
    assert.deepEqual(await portfolio(userId), { vnd: 1000000 + 4 * 1000 - 4 * 65000, invested: 2000000 + 4 * 1000, FPT: 3, VNM: 14 });
    assert.equal(await w.kv.get(key), null, "the KV key is deleted");
    // A value showing up again in KV (a stale read) is not carried a second time.
    await w.kv.put(key, JSON.stringify({ currency: { VND: 1000000 }, assets: {}, totalvnd: 1000000 }));
    await w.webhook(textUpdate("/trade_topup 1", { userId }));
    assert.equal((await portfolio(userId)).vnd, 1000000 + 4 * 1000 - 4 * 65000 + 1);
  });

  test("the ledger records the claimed update ids", async () => {
    const update = textUpdate("/fortytwo", { chatId: 5002 });
    await w.webhook(update);
    const row = await w.db.prepare("SELECT update_id, received_at FROM _updates WHERE update_id = ?").bind(update.update_id).first();
    assert.equal(row?.update_id, update.update_id);
  });

  test("a failing handler is logged and answered 200", async () => {
    const res = await w.webhook(textUpdate("/fortytwo", { chatId: 400 }));
    assert.equal(res.status, 200);
    assert.equal(sentTo(400).length, 1, "the reply was attempted once");
  });

  test("a 429 is not slept on: one attempt, answered 200 at once", async () => {
    const started = Date.now();
    const res = await w.webhook(textUpdate("/fortytwo", { chatId: 429 }));
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started < 5000, "the Worker waited for retry_after");
    assert.equal(sentTo(429).length, 1);
  });

  test("non-commands and unknown commands are ignored with 200", async () => {
    const chatId = 5003;
    for (const text of ["hello", "/nosuchcommand", "/PING"]) {
      assert.equal((await w.webhook(textUpdate(text, { chatId }))).status, 200);
    }
    assert.equal((await w.webhook({ update_id: newUpdateId(), poll: { id: "1" } })).status, 200);
    assert.equal(sentTo(chatId).length, 0);
  });

  test("the token never appears in what the Worker answers or logs", async () => {
    for (const res of [await w.fetch("/"), await w.webhook("{bad"), await w.webhook(textUpdate("/ping", { chatId: 400 }))]) {
      assert.ok(!(await res.text()).includes(TOKEN));
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // let workerd's output arrive
    const logs = w.logs.join("");
    assert.match(logs, /handler failed/, "the failing handler was logged");
    assert.ok(!logs.includes(TOKEN), "the token appeared in the Worker's logs");
    assert.ok(!logs.includes(TOKEN.split(":")[1]), "part of the token appeared in the Worker's logs");
  });
});

describe("console lines (LOG_LEVEL)", () => {
  /** workerd's output of a Worker started with `LOG_LEVEL=level` after one /ping, and its status. */
  async function pingWith(level) {
    const w = await startWorker({ quiet: true, testRoutes: false, extraBindings: { LOG_LEVEL: level } });
    try {
      const updateId = newUpdateId();
      const res = await w.webhook({ ...textUpdate("/ping", { chatId: 6100 }), update_id: updateId });
      await res.text();
      await new Promise((resolve) => setTimeout(resolve, 100)); // let workerd's output arrive
      return { status: res.status, updateId, logs: w.logs.join("") };
    } finally {
      await w.stop();
    }
  }

  test("unset, a handled update writes no line; info writes one with its id and outcome", async () => {
    const quiet = await pingWith("");
    assert.equal(quiet.status, 200);
    assert.doesNotMatch(quiet.logs, /webhook update|"msg":"req"/);
    const info = await pingWith("info");
    assert.equal(info.status, 200);
    const lines = info.logs.split("\n").filter((l) => l.includes('"msg":"webhook update"'));
    assert.equal(lines.length, 1, info.logs);
    const line = JSON.parse(lines[0].slice(lines[0].indexOf("{")));
    assert.deepEqual(
      { level: line.level, path: line.path, status: line.status, update_id: line.update_id, outcome: line.outcome },
      { level: "INFO", path: "/webhook", status: 200, update_id: info.updateId, outcome: "handled" },
    );
  });

  test("a value that is no level fails start-up with a message naming it", async () => {
    const bad = await pingWith("verbose");
    assert.equal(bad.status, 500);
    assert.match(bad.logs, /LOG_LEVEL: \\?"verbose\\?" is not error, warn or info/);
  });
});

describe("cron", () => {
  test("the scheduled event runs trim-trades with D1", async () => {
    const userId = 6_000_000_003;
    await w.webhook(textUpdate("/trade_topup 10000000", { userId }));
    for (let i = 0; i < 4; i++) await w.webhook(textUpdate("/trade_buy 1 VNM", { userId }));
    assert.equal((await tradeRows(userId)).length, 4);
    const result = await w.scheduled("0 17 * * *");
    assert.equal(result.outcome, "ok");
    assert.equal((await tradeRows(userId)).length, 2, "TRADING_KEEP_PER_USER=2 keeps the newest 2");
  });

  test("a schedule no module declares runs nothing and does not fail", async () => {
    const result = await w.scheduled("*/5 * * * *");
    assert.equal(result.outcome, "ok");
  });
});

describe("store contract in workerd", () => {
  test("D1 and Workers KV pass every case", async () => {
    const res = await w.post("/__test/contract");
    assert.equal(res.status, 200);
    const { summary, cases } = await res.json();
    const failed = cases.filter((c) => !c.passed).map((c) => `${c.store}/${c.name}: ${c.detail}`);
    assert.deepEqual(failed, []);
    assert.ok(summary.passed >= 17, `only ${summary.passed} cases ran`);
    for (const c of cases) console.log(`# contract ${c.store}/${c.name}: ${c.passed ? "pass" : "FAIL"}`);
  });

  test("the contract route needs the secret", async () => {
    const res = await w.fetch("/__test/contract", { method: "POST" });
    assert.equal(res.status, 401);
  });
});

describe("buttons", () => {
  const callsFor = (method, pred) => w.telegram.of(method).filter(pred);
  const keyboardOf = (call) => call.payload.reply_markup.inline_keyboard.flat();

  test("Refresh under /trade_stats edits in place: one edit, one answer; a redelivery does nothing", async () => {
    const userId = 6_000_000_301;
    await w.webhook(textUpdate("/trade_topup 1000000", { userId }));
    await w.webhook(textUpdate("/trade_buy 3 VNM", { userId }));
    await w.webhook(textUpdate("/trade_stats", { userId }));
    const stats = sentTo(userId).at(-1);
    const [refresh] = keyboardOf(stats);
    assert.equal(refresh.callback_data, `trading:refresh:${userId}`);
    await w.webhook(textUpdate("/trade_buy 1 VNM", { userId }));

    const press = callbackUpdate(refresh.callback_data, { userId, messageId: 77 });
    assert.equal((await w.webhook(press)).status, 200);
    const edits = callsFor("editMessageText", (c) => c.payload.chat_id === userId);
    assert.equal(edits.length, 1);
    assert.equal(edits[0].payload.message_id, 77);
    assert.match(edits[0].payload.text, /VNM x4 @ 65\.000 VND = 260\.000 VND/);
    assert.deepEqual(keyboardOf(edits[0]), [refresh]);
    const answers = callsFor("answerCallbackQuery", (c) => c.payload.callback_query_id === press.callback_query.id);
    assert.deepEqual(answers.map((c) => c.payload), [{ callback_query_id: press.callback_query.id, text: "Updated" }]);

    assert.equal((await w.webhook(press)).status, 200);
    assert.equal(callsFor("editMessageText", (c) => c.payload.chat_id === userId).length, 1, "no second edit");
    assert.equal(callsFor("answerCallbackQuery", (c) => c.payload.callback_query_id === press.callback_query.id).length, 1);
  });

  test("/history pages older and newer in place", async () => {
    const userId = 6_000_000_302;
    await w.webhook(textUpdate("/trade_topup 1000000", { userId }));
    for (const qty of [1, 2, 3]) await w.webhook(textUpdate(`/trade_buy ${qty} VNM`, { userId }));
    await w.webhook(textUpdate("/history 2", { userId }));
    const first = sentTo(userId).at(-1);
    assert.match(first.payload.text, /<b>3<\/b>[\s\S]*<b>2<\/b>/);
    const [older] = keyboardOf(first);
    assert.equal(older.text, "◀ Older");
    await w.webhook(callbackUpdate(older.callback_data, { userId, messageId: 90 }));
    const edit = callsFor("editMessageText", (c) => c.payload.chat_id === userId).at(-1);
    assert.match(edit.payload.text, /<b>1<\/b>/);
    assert.doesNotMatch(edit.payload.text, /<b>2<\/b>/);
    assert.deepEqual(keyboardOf(edit).map((b) => b.text), ["Newer ▶"]);
  });

  test("stale or foreign data gets a short toast, nothing else", async () => {
    const userId = 6_000_000_303;
    for (const data of ["nosuch:thing", "trading:refresh:\"x\"", "trading:gone"]) {
      const press = callbackUpdate(data, { userId });
      assert.equal((await w.webhook(press)).status, 200, data);
      const answers = callsFor("answerCallbackQuery", (c) => c.payload.callback_query_id === press.callback_query.id);
      assert.deepEqual(answers.map((c) => c.payload.text), ["This button is no longer available."], data);
    }
    assert.equal(callsFor("editMessageText", (c) => c.payload.chat_id === userId).length, 0);
  });
});

describe("storage round trips per update", () => {
  const d1Delta = (a, b) => ({ batches: b.batches - a.batches, runs: b.runs - a.runs, raws: b.raws - a.raws });
  const kvDelta = (a, b) => ({ gets: b.gets - a.gets, puts: b.puts - a.puts, deletes: b.deletes - a.deletes, lists: b.lists - a.lists });
  /** D1 and KV round trips, and Bot API fetches, of one webhook delivery of `update`. */
  async function tripsOf(w, update) {
    const d1 = async () => (await w.fetch("/__count/d1")).json();
    const kv = async () => (await w.fetch("/__count/kv")).json();
    const [d1Before, kvBefore, fetchesBefore] = [await d1(), await kv(), w.telegram.calls.length];
    const res = await w.webhook(update);
    assert.equal(res.status, 200);
    const body = await res.text();
    return {
      d1: d1Delta(d1Before, await d1()),
      kv: kvDelta(kvBefore, await kv()),
      fetches: w.telegram.calls.length - fetchesBefore,
      inline: body ? JSON.parse(body) : null,
    };
  }
  const none = { batches: 0, runs: 0, raws: 0 };
  const oneKvPut = { gets: 0, puts: 1, deletes: 0, lists: 0 };
  const noKv = { gets: 0, puts: 0, deletes: 0, lists: 0 };

  for (const webhookReply of [false, true]) {
    test(`/ping is one KV write, an unhandled update nothing, a trade one D1 batch (WEBHOOK_REPLY=${webhookReply})`, async () => {
      const w = await startWorker({ countStorage: true, extraBindings: { WEBHOOK_REPLY: String(webhookReply) } });
      try {
        assert.equal((await w.post("/__test/migrate")).status, 200);
        const userId = 6_000_000_030 + Number(webhookReply);
        await tripsOf(w, textUpdate("/fortytwo", { chatId: userId })); // starts the bot
        const ping = await tripsOf(w, textUpdate("/ping", { userId }));
        assert.deepEqual(
          { d1: ping.d1, kv: ping.kv, fetches: ping.fetches },
          { d1: none, kv: oneKvPut, fetches: webhookReply ? 0 : 1 },
          "/ping",
        );
        assert.equal(ping.inline?.text ?? null, webhookReply ? "pong" : null);
        for (const update of [
          textUpdate("hello", { userId }),
          textUpdate("/nosuchcommand", { userId }),
          textUpdate("/ping@other_bot", { userId }),
          { update_id: newUpdateId(), poll: { id: "1" } },
        ]) {
          const trips = await tripsOf(w, update);
          assert.deepEqual(trips, { d1: none, kv: noKv, fetches: 0, inline: null }, JSON.stringify(update));
        }
        await tripsOf(w, textUpdate("/trade_topup 1000000", { userId }));
        const buy = await tripsOf(w, textUpdate("/trade_buy 1 VNM", { userId }));
        assert.deepEqual(
          { d1: buy.d1, kv: buy.kv, fetches: buy.fetches },
          { d1: { batches: 1, runs: 0, raws: 0 }, kv: noKv, fetches: webhookReply ? 0 : 1 },
          "/trade_buy",
        );
        const text = "Bought 1 VNM @ 65.000 VND\nCost: 65.000 VND";
        if (webhookReply) assert.equal(buy.inline.text, text);
        else assert.equal(w.telegram.sent().at(-1).payload.text, text);
        // A reply-only command: claimed before its fetch, nothing at all when held inline.
        const help = await tripsOf(w, textUpdate("/help", { userId }));
        assert.deepEqual(
          { d1: help.d1, kv: help.kv, fetches: help.fetches },
          webhookReply
            ? { d1: none, kv: noKv, fetches: 0 }
            : { d1: { batches: 1, runs: 0, raws: 0 }, kv: noKv, fetches: 1 },
          "/help",
        );
      } finally {
        await w.stop();
      }
    });
  }
});

describe("D1 round trips", () => {
  test("a trade is one D1 batch with its claim, and /trade_stats one read", async () => {
    const c = await startWorker({ countStorage: true });
    try {
      assert.equal((await c.post("/__test/migrate")).status, 200);
      const userId = 6_000_000_020;
      await c.webhook(textUpdate("/trade_topup 1000000", { userId }));
      const counts = async () => (await c.fetch("/__count/d1")).json();
      const delta = (a, b) => ({ batches: b.batches - a.batches, runs: b.runs - a.runs, raws: b.raws - a.raws });
      const ids = [];
      for (const text of ["/trade_buy 2 VNM", "/trade_sell 1 VNM", "/trade_topup 5", "/trade_buy 1 FPT"]) {
        const before = await counts();
        const update = textUpdate(text, { userId });
        ids.push(update.update_id);
        assert.equal((await c.webhook(update)).status, 200, text);
        assert.deepEqual(delta(before, await counts()), { batches: 1, runs: 0, raws: 0 }, `${text}: one D1 round trip`);
      }
      const claimed = (await c.db.prepare(`SELECT update_id FROM _updates WHERE update_id IN (${ids.join(",")})`).all()).results;
      assert.equal(claimed.length, ids.length, "each batch carried its update's claim");
      const before = await counts();
      await c.webhook(textUpdate("/trade_stats", { userId }));
      // The read, then the reply's claim (a reply is not a D1 write, so it claims on its own).
      assert.deepEqual(delta(before, await counts()), { batches: 1, runs: 0, raws: 1 });
      assert.deepEqual(
        c.telegram.sent().map((x) => x.payload.text).slice(1, 5),
        [
          "Bought 2 VNM @ 65.000 VND\nCost: 130.000 VND",
          "Sold 1 VNM @ 65.000 VND\nRevenue: 65.000 VND",
          "Topped up 5 VND.\nBalance: 935.005 VND",
          "Bought 1 FPT @ 120.000 VND\nCost: 120.000 VND",
        ],
      );
      assert.equal(await c.kv.get(`trading:user:${userId}`), null);
    } finally {
      await c.stop();
    }
  });
});

describe("games in workerd", () => {
  test("two guesses sent back to back are both recorded; a guess is one D1 batch; the seed pins the answer", async () => {
    // MITI99BOT_RANDOM_SEED pins the isolate's random source (SeededRandom), as natively: the
    // first draw of seed 42 is "fresh" (the native console test plays the same seed).
    const g = await startWorker({ countStorage: true, extraBindings: { MITI99BOT_RANDOM_SEED: "42" } });
    try {
      assert.equal((await g.post("/__test/migrate")).status, 200);
      const chatId = -8_000_000_001;
      const inGroup = (text, userId) => {
        const update = textUpdate(text, { userId, chatId });
        update.message.chat.type = "group";
        return update;
      };
      const texts = () => g.telegram.sent().filter((c) => c.payload.chat_id === chatId).map((c) => c.payload.text);
      await g.webhook(inGroup("/wordle_new", 71));
      const round = () => g.db.prepare("SELECT target, guesses, n, state FROM wordle_rounds WHERE subject = ?").bind(chatId).first();
      assert.equal((await round()).target, "fresh");

      const statuses = await Promise.all([inGroup("/wordle slate", 71), inGroup("/wordle about", 72)].map((u) => g.webhook(u).then((r) => r.status)));
      assert.deepEqual(statuses, [200, 200]);
      const both = await round();
      assert.equal(both.n, 2);
      assert.deepEqual(both.guesses.split(",").sort(), ["about", "slate"]);

      const counts = async () => (await g.fetch("/__count/d1")).json();
      const before = await counts();
      await g.webhook(inGroup("/wordle FRESH", 73));
      const after = await counts();
      assert.deepEqual(
        { batches: after.batches - before.batches, runs: after.runs - before.runs, raws: after.raws - before.raws },
        { batches: 1, runs: 0, raws: 0 },
        "a guess is one D1 round trip, with its claim",
      );
      assert.equal(texts().at(-1), "🟩🟩🟩🟩🟩\n F  R  E  S  H \n\n🎉 Solved in 3/6! Streak: 1. /wordle_new for another.");
      await g.webhook(inGroup("/wordle crane", 71));
      assert.equal(texts().at(-1), "Current round is over. Use /wordle_new to start another. Answer was FRESH.");
      assert.equal((await round()).n, 3, "a finished round took no more guesses");
      await g.webhook(inGroup("/wordle_stats", 72));
      assert.equal(texts().at(-1), "📊 Wordle group stats\nPlayed: 1\nWins: 1 (100%)\nCurrent streak: 1\nBest streak: 1");

      // The finished board's 🆕 New round button, pressed by another member: the group's new
      // round, the board edited in place with 🏳 Give up under it.
      const solved = g.telegram.sent().filter((c) => c.payload.chat_id === chatId).at(-3);
      const [newRound] = solved.payload.reply_markup.inline_keyboard.flat();
      assert.deepEqual([newRound.text, newRound.callback_data], ["🆕 New round", 'wordle:act:"n"']);
      const press = callbackUpdate(newRound.callback_data, { userId: 74, chatId, messageId: 3 });
      press.callback_query.message.chat.type = "group";
      assert.equal((await g.webhook(press)).status, 200);
      const edit = g.telegram.of("editMessageText").filter((c) => c.payload.chat_id === chatId).at(-1);
      assert.equal(edit.payload.text, "🆕 New round started. Use `/wordle <word>` to guess.");
      assert.equal(edit.payload.reply_markup.inline_keyboard[0][0].text, "🏳 Give up");
      assert.equal((await round()).n, 0, "a fresh round");

      // loldle the same way: two concurrent guesses, then the answer read back from D1.
      await g.webhook(inGroup("/loldle_new", 71));
      const lround = () => g.db.prepare("SELECT target, guesses, n FROM loldle_rounds WHERE subject = ?").bind(chatId).first();
      const { target } = await lround();
      const misses = ["Ahri", "LeeSin"].filter((id) => id !== target);
      await Promise.all(misses.map((id, i) => g.webhook(inGroup(`/loldle ${id}`, 71 + i))));
      assert.equal((await lround()).n, misses.length);
      await g.webhook(inGroup(`/loldle ${target}`, 73));
      assert.match(texts().at(-1), new RegExp(`🎉 Solved in ${misses.length + 1}/8! Streak: 1\\. /loldle_new for another\\.$`));
    } finally {
      await g.stop();
    }
  });
});

describe("without a D1 binding", () => {
  test("modules run without SQL and duplicates are still caught in the isolate", async () => {
    const bare = await startWorker({ d1: false });
    try {
      // /fortytwo is claimed (/ping is idempotent and never is).
      const update = textUpdate("/fortytwo", { chatId: 78 });
      for (let i = 0; i < 3; i++) assert.equal((await bare.webhook(update)).status, 200);
      assert.equal(bare.telegram.sent().length, 1);
      await bare.webhook(textUpdate("/history", { userId: 79 }));
      assert.equal(bare.telegram.sent().length, 2, "/history answers without a database");
      await bare.webhook(textUpdate("/trade_topup 1000", { userId: 79 }));
      assert.equal(bare.telegram.sent().at(-1).payload.text, "Trading needs a database; it is not available here.");
      await bare.webhook(textUpdate("/wordle crane", { userId: 79 }));
      assert.equal(bare.telegram.sent().at(-1).payload.text, "Wordle needs a database; it is not available here.");
      assert.equal(await bare.kv.get("trading:user:79"), null, "nothing went to KV instead");
    } finally {
      await bare.stop();
    }
  });
});

describe("the Bot API unreachable", () => {
  /** A loopback port nothing listens on (bound, then closed). */
  async function closedPort() {
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  test("a reply that cannot be sent: unclaimed is 503 (delivered again), claimed is 200, and the log says why", async () => {
    const port = await closedPort();
    const down = await startWorker({
      extraBindings: { TELEGRAM_API_BASE: `http://127.0.0.1:${port}`, TELEGRAM_BOT_USERNAME: BOT_USERNAME },
    });
    try {
      // /ping is idempotent: nothing claimed it, so Telegram may deliver it again.
      assert.equal((await down.webhook(textUpdate("/ping", { chatId: 81 }))).status, 503);
      // /fortytwo claims before its reply: a redelivery must not run it twice.
      const claimed = textUpdate("/fortytwo", { chatId: 82 });
      assert.equal((await down.webhook(claimed)).status, 200);
      assert.equal((await down.webhook(claimed)).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 100)); // let workerd's output arrive
      const logs = down.logs.join("");
      assert.match(logs, /sendMessage/);
      assert.match(logs, /handler failed; update acknowledged, not retried/);
      assert.match(logs, /redelivered update skipped/);
      assert.ok(!logs.includes(TOKEN), "the token stays out of the log");
    } finally {
      await down.stop();
    }
  });
});

describe("without test routes", () => {
  /** Starts a Worker, checks the test routes are plain 404 and the webhook still answers. */
  async function testRoutesAbsent(options) {
    const plain = await startWorker(options);
    try {
      for (const p of ["/__test/contract", "/__test/migrate"]) {
        const res = await plain.post(p);
        assert.equal(res.status, 404, p);
        assert.equal(await res.text(), "not found", p);
      }
      assert.equal((await plain.webhook(textUpdate("/fortytwo", { chatId: 77 }))).status, 200);
      assert.equal(plain.telegram.sent().length, 1);
    } finally {
      await plain.stop();
    }
  }

  test("the e2e build without MITI99BOT_TEST_ROUTES=1: the test routes are 404, the webhook works", async () => {
    await testRoutesAbsent({ testRoutes: false });
  });

  test("the production build has no test routes, even with MITI99BOT_TEST_ROUTES=1", async () => {
    await testRoutesAbsent({ build: PRODUCTION_BUILD, testRoutes: true });
  });
});

describe("the one pipeline (core's ingress) in workerd", () => {
  let p;
  const sent = (chatId) => p.telegram.sent().filter((c) => c.payload.chat_id === chatId);
  const claims = async () => (await p.db.prepare("SELECT COUNT(*) AS n FROM _updates").first()).n;
  before(async () => {
    p = await startWorker({ extraBindings: { MODULES: "util,misc,trading,e2e" } });
    await p.webhook(textUpdate("/fortytwo", { chatId: 6000 })); // starts the bot, creates _updates
  });
  after(async () => {
    await p?.stop();
  });

  test("an update no handler takes writes nothing to _updates (D1)", async () => {
    const before = await claims();
    const chatId = 6001;
    for (const text of ["hello", "/nosuchcommand", "/ping@other_bot", "/PING"]) {
      assert.equal((await p.webhook(textUpdate(text, { chatId }))).status, 200);
    }
    assert.equal((await p.webhook({ update_id: newUpdateId(), poll: { id: "1" } })).status, 200);
    assert.equal(await claims(), before, "no claim for what nothing handles");
    assert.equal(sent(chatId).length, 0);
    assert.equal((await p.webhook(textUpdate("/ping", { chatId }))).status, 200);
    assert.equal(await claims(), before, "/ping is idempotent: no claim");
    assert.equal((await p.webhook(textUpdate("/fortytwo", { chatId }))).status, 200);
    assert.equal(await claims(), before + 1, "a handled update is claimed");
  });

  test("a panicking handler is answered 200 and the next update is served", async () => {
    const res = await p.webhook(textUpdate("/panic", { chatId: 6002 }));
    assert.equal(res.status, 200);
    assert.equal(sent(6002).length, 0);
    assert.equal((await p.webhook(textUpdate("/ping", { chatId: 6003 }))).status, 200);
    assert.deepEqual(sent(6003).map((c) => c.payload.text), ["pong"]);
  });

  test("two replies of one handler arrive in order", async () => {
    assert.equal((await p.webhook(textUpdate("/twice", { chatId: 6004 }))).status, 200);
    assert.deepEqual(sent(6004).map((c) => c.payload.text), ["first", "second"]);
  });
});

describe("WEBHOOK_REPLY=true", () => {
  let r;
  const sent = (chatId) => r.telegram.sent().filter((c) => c.payload.chat_id === chatId);
  before(async () => {
    r = await startWorker({ extraBindings: { MODULES: "util,misc,trading,e2e", WEBHOOK_REPLY: "true" } });
  });
  after(async () => {
    await r?.stop();
  });

  test("the first reply goes back in the webhook answer, with no request of its own", async () => {
    const update = textUpdate("/ping", { chatId: 6101 });
    const res = await r.webhook(update);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    assert.deepEqual(await res.json(), { method: "sendMessage", chat_id: 6101, text: "pong" });
    assert.equal(sent(6101).length, 0, "nothing was fetched to Telegram");
    // A redelivery means Telegram never got that answer (nor its reply): it answers again.
    const again = await r.webhook(update);
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { method: "sendMessage", chat_id: 6101, text: "pong" });
    assert.equal(sent(6101).length, 0);
  });

  test("a later reply is fetched and the held one goes first, so order is kept", async () => {
    const res = await r.webhook(textUpdate("/twice", { chatId: 6102 }));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "");
    assert.deepEqual(sent(6102).map((c) => c.payload.text), ["first", "second"]);
  });

  test("a button press is answered inline; its edit is a request of its own", async () => {
    const userId = 6104;
    assert.equal((await r.post("/__test/migrate")).status, 200);
    await r.webhook(textUpdate("/trade_topup 1000", { userId }));
    const press = callbackUpdate(`trading:refresh:${userId}`, { userId, messageId: 5 });
    const res = await r.webhook(press);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      method: "answerCallbackQuery",
      callback_query_id: press.callback_query.id,
      text: "Updated",
    });
    const edits = r.telegram.of("editMessageText").filter((c) => c.payload.chat_id === userId);
    assert.equal(edits.length, 1);
    assert.match(edits[0].payload.text, /VND: 1\.000 VND/);
    assert.equal(r.telegram.of("answerCallbackQuery").length, 0, "the answer was not fetched");
  });

  test("HTML replies keep their parse mode inline", async () => {
    const res = await r.webhook(textUpdate("/help", { chatId: 6103 }));
    const body = await res.json();
    assert.equal(body.method, "sendMessage");
    assert.equal(body.parse_mode, "HTML");
    assert.match(body.text, /\/ping/);
  });
});
