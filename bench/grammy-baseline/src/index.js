// The baseline for scripts/bench-baseline.sh: a minimal grammY bot on Workers, built the way
// the original miti99bot was (docs/benchmarks.md; /work/shared/reference/original-system.md
// §1-§3): webhookCallback(bot, "cloudflare-mod", { secretToken }), bot.command handlers, KV
// through env.KV, D1 through env.DB, the Bot memoized per isolate.
//
// It does what miti99bot's Worker does on the two measured paths, no more:
//   /ping                    put misc:last_ping = {"at": <ms>} in KV (best effort), reply "pong"
//   /trade_topup <amount>    (set-up only) add VND to trading:user:<id>
//   /trade_buy <qty> <TICK>  read trading:user:<id> from KV, price from TRADING_PRICES, INSERT
//                            the trade into trading_trades (D1), put the portfolio back, reply
//                            "Bought <qty> <TICK> @ <price> VND\nCost: <cost> VND"
//
// `botInfo` is passed to the Bot constructor, so grammY never calls getMe (the benchmark runs
// miti99bot's Worker with TELEGRAM_BOT_USERNAME set, so it skips getMe as well).
//
// UPDATE_LEDGER=1 adds the one thing miti99bot's Worker does per update that the original did
// not: claiming the update_id in D1 (INSERT OR IGNORE INTO _updates + prune, one batch) before
// dispatch, with the table created on the isolate's first update. With it, both Workers do the
// same storage work per update, so the difference left is the framework and runtime.
import { Bot, webhookCallback } from "grammy";

const RETENTION_MS = 2 * 24 * 60 * 60 * 1000;

let memo = null; // { bot, handle } per isolate; a failed start-up is not kept

function getBot(env) {
  if (memo) return memo;
  const missing = ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"].filter((k) => !env[k]);
  if (missing.length) throw new Error(`missing required env vars: ${missing.join(", ")}`);
  const bot = new Bot(env.TELEGRAM_BOT_TOKEN, {
    botInfo: {
      id: Number(env.TELEGRAM_BOT_TOKEN.split(":")[0]),
      is_bot: true,
      first_name: "miti99bot",
      username: env.TELEGRAM_BOT_USERNAME,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    },
    client: env.TELEGRAM_API_BASE ? { apiRoot: env.TELEGRAM_API_BASE } : {},
  });
  const prices = parsePrices(env.TRADING_PRICES ?? "");

  if (env.UPDATE_LEDGER === "1" && env.DB) {
    let ledgerReady = null;
    bot.use(async (ctx, next) => {
      ledgerReady ??= env.DB.batch([
        env.DB.prepare("CREATE TABLE IF NOT EXISTS _updates (update_id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL)"),
        env.DB.prepare("CREATE INDEX IF NOT EXISTS _updates_received_at ON _updates (received_at)"),
      ]).catch((e) => {
        ledgerReady = null;
        throw e;
      });
      await ledgerReady;
      const now = Date.now();
      const [insert] = await env.DB.batch([
        env.DB.prepare("INSERT OR IGNORE INTO _updates (update_id, received_at) VALUES (?, ?)").bind(ctx.update.update_id, now),
        env.DB.prepare("DELETE FROM _updates WHERE received_at < ?").bind(now - RETENTION_MS),
      ]);
      if (insert.meta.changes === 1) await next();
    });
  }

  bot.command("ping", async (ctx) => {
    try {
      await env.KV.put("misc:last_ping", JSON.stringify({ at: Date.now() }));
    } catch (err) {
      console.warn("ping: could not record last ping", err);
    }
    await ctx.reply("pong");
  });

  bot.command("trade_topup", async (ctx) => {
    const amount = Number(ctx.match.trim().split(/\s+/)[0]);
    if (!Number.isSafeInteger(amount) || amount <= 0) return void (await ctx.reply("Amount must be a positive number."));
    const key = `trading:user:${ctx.from.id}`;
    const p = await loadPortfolio(env, key);
    p.currency.VND += amount;
    p.totalvnd += amount;
    await env.KV.put(key, JSON.stringify(p));
    await ctx.reply(`Topped up ${vnd(amount)}.\nBalance: ${vnd(p.currency.VND)}`);
  });

  bot.command("trade_buy", async (ctx) => {
    const args = ctx.match.trim().split(/\s+/).filter(Boolean);
    if (args.length < 2) return void (await ctx.reply("Usage: /trade_buy <qty> <TICKER>\nExample: /trade_buy 100 TCB"));
    const qty = Number(args[0]);
    if (!Number.isSafeInteger(qty) || qty <= 0) return void (await ctx.reply("Stock quantities must be whole numbers."));
    const symbol = args[1].toUpperCase();
    const price = /^[A-Z0-9]{1,10}$/.test(symbol) ? prices.get(symbol) : undefined;
    if (price === undefined) return void (await ctx.reply(`Unknown stock ticker "${symbol}".`));
    const key = `trading:user:${ctx.from.id}`;
    const p = await loadPortfolio(env, key);
    const cost = qty * price;
    if (cost > p.currency.VND) return void (await ctx.reply(`Insufficient VND. Need ${vnd(cost)}, have ${vnd(p.currency.VND)}.`));
    p.currency.VND -= cost;
    p.assets[symbol] = (p.assets[symbol] ?? 0) + qty;
    // As miti99bot's ledger: the history row first, then the portfolio.
    await env.DB.prepare("INSERT INTO trading_trades (user_id, symbol, side, qty, price_vnd, ts) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(ctx.from.id, symbol, "buy", qty, price, Date.now())
      .run();
    await env.KV.put(key, JSON.stringify(p));
    await ctx.reply(`Bought ${qty} ${symbol} @ ${vnd(price)}\nCost: ${vnd(cost)}`);
  });

  const handle = webhookCallback(bot, "cloudflare-mod", { secretToken: env.TELEGRAM_WEBHOOK_SECRET });
  memo = { bot, handle };
  return memo;
}

async function loadPortfolio(env, key) {
  const p = JSON.parse((await env.KV.get(key)) ?? "null") ?? {};
  return { currency: { VND: p.currency?.VND ?? 0 }, assets: p.assets ?? {}, totalvnd: p.totalvnd ?? 0 };
}

function parsePrices(spec) {
  const map = new Map();
  for (const pair of spec.split(",")) {
    const [sym, price] = pair.split("=").map((s) => s.trim());
    if (sym && Number.isSafeInteger(Number(price))) map.set(sym.toUpperCase(), Number(price));
  }
  return map;
}

function vnd(n) {
  const digits = String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${n < 0 ? "-" : ""}${digits} VND`;
}

export default {
  async fetch(request, env) {
    const t0 = Date.now();
    const { pathname } = new URL(request.url);
    let res;
    try {
      if (request.method === "GET" && pathname === "/") res = new Response("miti99bot ok", { headers: { "content-type": "text/plain" } });
      else if (request.method === "POST" && pathname === "/webhook") res = await getBot(env).handle(request);
      else res = new Response("not found", { status: 404 });
    } catch (err) {
      console.error("webhook failed", err);
      res = new Response("internal error", { status: 500 });
    }
    // One JSON line per request, as the original (miti99bot's Worker logs a line per update too).
    console.log(JSON.stringify({ msg: "req", method: request.method, path: pathname, status: res.status, ms: Date.now() - t0 }));
    return res;
  },
};
