//! A teloxide webhook bot doing what `miti99bot serve` does for `/ping` (see docs/benchmarks.md).
//!
//! - webhook on `127.0.0.1` (`--addr`, port 0 picks one), path `/webhook`, checked against the
//!   secret token (`TELEGRAM_WEBHOOK_SECRET`); the Bot API at `TELEGRAM_API_BASE`;
//! - `/ping`: writes `misc:last_ping` = `{"at":<unix ms>}` into `_kv (key TEXT PRIMARY KEY,
//!   value TEXT)` of a SQLite file (WAL, `synchronous = NORMAL`), then sends `pong`;
//! - `/trade_topup <amount>` and `/trade_buy <qty> <TICKER>`: the SQL of miti99bot's trading
//!   module (its tables, from `crates/modules/src/trading/migrations/*.sql`, applied at start;
//!   the same statements per update in one transaction; the same reply texts), prices from
//!   `TRADING_PRICES` (`VNM=65000,FPT=120000`, whole VND);
//! - `--ledger`: before dispatch, the same redelivery ledger as miti99bot (`INSERT OR IGNORE INTO
//!   _updates` + prune, one transaction); a duplicate is dropped.
//!
//! It prints `listening on http://<addr>` once ready and stops on SIGINT/SIGTERM, or by itself
//! after `--max-seconds`.
//!
//! ```text
//! TELEGRAM_BOT_TOKEN=… TELEGRAM_WEBHOOK_SECRET=… TELEGRAM_API_BASE=http://127.0.0.1:PORT \
//!   teloxide-baseline --db /tmp/t.db [--ledger] [--addr 127.0.0.1:0] [--max-seconds 900]
//! ```

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection};
use teloxide::prelude::*;
use teloxide::update_listeners::webhooks;
use teloxide::utils::command::BotCommands;

/// How long a processed update id is kept (miti99bot's `RETENTION_MS`: two days).
const RETENTION_MS: i64 = 2 * 24 * 60 * 60 * 1000;

#[derive(BotCommands, Clone)]
#[command(rename_rule = "snake_case")]
enum Cmd {
    /// Check the bot is alive.
    Ping,
    /// Add VND to the balance.
    TradeTopup(String),
    /// Buy shares.
    TradeBuy(String),
}

/// miti99bot's trading migrations, applied in order at start (as its migrator does).
const MIGRATIONS: [&str; 2] = [
    include_str!("../../../crates/modules/src/trading/migrations/0001_trades.sql"),
    include_str!("../../../crates/modules/src/trading/migrations/0002_portfolio.sql"),
];

// The statements of crates/modules/src/trading (account.rs, carry_over.rs, history.rs), verbatim.
const REQUIRE_ACCOUNT: &str = "INSERT INTO trading_accounts (user_id, vnd, invested) \
     SELECT ?, -1, 0 WHERE NOT EXISTS (SELECT 1 FROM trading_accounts WHERE user_id = ?)";
const TOP_UP: &str = "UPDATE trading_accounts SET vnd = vnd + ?, invested = invested + ? \
     WHERE user_id = ? RETURNING vnd";
const DEBIT: &str = "UPDATE trading_accounts SET vnd = vnd - ? WHERE user_id = ?";
const ADD_SHARES: &str = "INSERT INTO trading_holdings (user_id, symbol, qty) VALUES (?, ?, ?) \
     ON CONFLICT (user_id, symbol) DO UPDATE SET qty = qty + excluded.qty";
const INSERT_TRADE: &str =
    "INSERT INTO trading_trades (user_id, symbol, side, qty, price_vnd, ts) VALUES (?, ?, ?, ?, ?, ?)";
const CARRY_ACCOUNT: &str = "INSERT INTO trading_accounts (user_id, vnd, invested) VALUES (?, ?, ?) \
     ON CONFLICT (user_id) DO NOTHING";
const LOAD_ACCOUNT: &str = "SELECT a.vnd AS vnd, a.invested AS invested, h.symbol AS symbol, h.qty AS qty \
     FROM trading_accounts a LEFT JOIN trading_holdings h ON h.user_id = a.user_id AND h.qty > 0 \
     WHERE a.user_id = ? ORDER BY h.symbol";
/// miti99bot's limits (trading/portfolio.rs).
const MAX_VND: i64 = 1_000_000_000_000_000;
const MAX_QTY: i64 = 1_000_000_000;

/// The SQLite file, one connection behind a mutex (as miti99bot-sqlite does).
#[derive(Clone)]
struct Db(Arc<Mutex<Connection>>);

impl Db {
    fn open(path: &str) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        assert!(mode.eq_ignore_ascii_case("wal"), "SQLite refused WAL: {mode}");
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS _kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS _updates (update_id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL);
             CREATE INDEX IF NOT EXISTS _updates_received_at ON _updates (received_at);",
        )?;
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'trading_trades')",
            [],
            |r| r.get(0),
        )?;
        if !exists {
            for migration in MIGRATIONS {
                conn.execute_batch(migration)?;
            }
        }
        Ok(Self(Arc::new(Mutex::new(conn))))
    }

    /// The balance of `user_id` (`None`: no account), as trading's `load_account` reads it.
    fn balance(conn: &Connection, user_id: i64) -> rusqlite::Result<Option<i64>> {
        let mut stmt = conn.prepare_cached(LOAD_ACCOUNT)?;
        let mut rows = stmt.query(params![user_id])?;
        match rows.next()? {
            Some(row) => Ok(Some(row.get("vnd")?)),
            None => Ok(None),
        }
    }

    /// `/trade_topup`: the batch of trading's `apply`; on a first use (no account) the KV
    /// portfolio read and the carry-over batch of `first_use`. The new balance.
    fn top_up(&self, user_id: i64, amount: i64) -> rusqlite::Result<i64> {
        let mut conn = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let batch = |conn: &mut Connection, carry: bool| -> rusqlite::Result<i64> {
            let tx = conn.transaction()?;
            if carry {
                tx.prepare_cached(CARRY_ACCOUNT)?.execute(params![user_id, 0, 0])?;
            }
            tx.prepare_cached(REQUIRE_ACCOUNT)?.execute(params![user_id, user_id])?;
            let vnd = tx
                .prepare_cached(TOP_UP)?
                .query_row(params![amount, amount, user_id], |r| r.get(0))?;
            tx.commit()?;
            Ok(vnd)
        };
        match batch(&mut conn, false) {
            Ok(vnd) => Ok(vnd),
            Err(error) => {
                if Self::balance(&conn, user_id)?.is_some() {
                    return Err(error);
                }
                // No account yet: trading reads the KV portfolio (none here), then carries it.
                let _kv: Option<String> = conn
                    .prepare_cached("SELECT value FROM _kv WHERE key = ?")?
                    .query_row(params![format!("trading:user:{user_id}")], |r| r.get(0))
                    .map(Some)
                    .or_else(|e| match e {
                        rusqlite::Error::QueryReturnedNoRows => Ok(None),
                        e => Err(e),
                    })?;
                batch(&mut conn, true)
            }
        }
    }

    /// `/trade_buy`: trading's buy batch (account guard, debit, shares, history row) in one
    /// transaction. `Ok(Err(balance))` when the balance does not cover `cost`.
    fn buy(
        &self,
        user_id: i64,
        symbol: &str,
        qty: i64,
        price: i64,
        cost: i64,
    ) -> rusqlite::Result<Result<(), Option<i64>>> {
        let mut conn = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let run = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            tx.prepare_cached(REQUIRE_ACCOUNT)?.execute(params![user_id, user_id])?;
            tx.prepare_cached(DEBIT)?.execute(params![cost, user_id])?;
            tx.prepare_cached(ADD_SHARES)?.execute(params![user_id, symbol, qty])?;
            tx.prepare_cached(INSERT_TRADE)?
                .execute(params![user_id, symbol, "buy", qty, price, now_ms()])?;
            tx.commit()
        };
        match run(&mut conn) {
            Ok(()) => Ok(Ok(())),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                Ok(Err(Self::balance(&conn, user_id)?))
            }
            Err(e) => Err(e),
        }
    }

    fn put(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        let conn = self.0.lock().unwrap_or_else(|e| e.into_inner());
        conn.prepare_cached(
            "INSERT INTO _kv (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![key, value])?;
        Ok(())
    }

    /// `true` for the first delivery of `update_id`, `false` for a redelivery.
    fn claim(&self, update_id: i64, now: i64) -> rusqlite::Result<bool> {
        let mut conn = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction()?;
        let changed = tx
            .prepare_cached("INSERT OR IGNORE INTO _updates (update_id, received_at) VALUES (?, ?)")?
            .execute(params![update_id, now])?;
        tx.prepare_cached("DELETE FROM _updates WHERE received_at < ?")?
            .execute(params![now - RETENTION_MS])?;
        tx.commit()?;
        Ok(changed == 1)
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

async fn ping(bot: Bot, msg: Message, db: Db) -> ResponseResult<()> {
    // Best effort, as miti99bot's misc module: a failed write does not cost the reply.
    if let Err(error) = db.put("misc:last_ping", &format!("{{\"at\":{}}}", now_ms())) {
        eprintln!("could not record last ping: {error}");
    }
    bot.send_message(msg.chat.id, "pong").await?;
    Ok(())
}

/// `15.000.000 VND` (trading/format.rs).
fn format_vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out + " VND"
}

/// A positive whole number up to `max` (trading/args.rs, the happy path).
fn positive(word: &str, max: i64) -> Option<i64> {
    word.parse::<i64>().ok().filter(|n| (1..=max).contains(n))
}

/// `TRADING_PRICES`: `SYMBOL=PRICE` pairs, as trading's `StaticPrices::parse`.
#[derive(Clone)]
struct Prices(Arc<HashMap<String, i64>>);

impl Prices {
    fn from_env() -> Self {
        let spec = std::env::var("TRADING_PRICES").unwrap_or_default();
        let mut prices = HashMap::new();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (symbol, price) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("TRADING_PRICES: {pair:?} is not SYMBOL=PRICE"));
            let price = price.trim().parse().expect("TRADING_PRICES: a whole number of VND");
            prices.insert(symbol.trim().to_ascii_uppercase(), price);
        }
        Self(Arc::new(prices))
    }
}

async fn trade_topup(bot: Bot, msg: Message, db: Db, args: String) -> ResponseResult<()> {
    let text = match (msg.from.as_ref(), positive(args.trim(), MAX_VND)) {
        (None, _) => "Could not identify user.".to_owned(),
        (_, None) => "Usage: /trade_topup <amount>".to_owned(),
        (Some(user), Some(amount)) => match db.top_up(user.id.0 as i64, amount) {
            Ok(balance) => format!("Topped up {}.\nBalance: {}", format_vnd(amount), format_vnd(balance)),
            Err(error) => {
                eprintln!("top-up: {error}");
                "Could not save your portfolio, so nothing was changed. Try again later.".to_owned()
            }
        },
    };
    bot.send_message(msg.chat.id, text).await?;
    Ok(())
}

async fn trade_buy(bot: Bot, msg: Message, db: Db, prices: Prices, args: String) -> ResponseResult<()> {
    let mut words = args.split_whitespace();
    let order = (
        words.next().and_then(|w| positive(w, MAX_QTY)),
        words.next().map(str::to_ascii_uppercase),
    );
    let text = match (msg.from.as_ref(), order) {
        (None, _) => "Could not identify user.".to_owned(),
        (Some(user), (Some(qty), Some(symbol))) => match prices.0.get(&symbol) {
            None => format!("Unknown ticker: {symbol}"),
            Some(&price) => {
                let cost = qty * price;
                match db.buy(user.id.0 as i64, &symbol, qty, price, cost) {
                    Ok(Ok(())) => format!(
                        "Bought {qty} {symbol} @ {}\nCost: {}",
                        format_vnd(price),
                        format_vnd(cost)
                    ),
                    Ok(Err(Some(have))) => format!(
                        "Insufficient VND. Need {}, have {}.",
                        format_vnd(cost),
                        format_vnd(have)
                    ),
                    Ok(Err(None)) => "Insufficient VND. Need a top-up first.".to_owned(),
                    Err(error) => {
                        eprintln!("buy: {error}");
                        "Could not record the trade, so nothing was changed. Try again later.".to_owned()
                    }
                }
            }
        },
        _ => "Usage: /trade_buy <qty> <TICKER>".to_owned(),
    };
    bot.send_message(msg.chat.id, text).await?;
    Ok(())
}

struct Args {
    addr: SocketAddr,
    db: String,
    ledger: bool,
    max_seconds: u64,
}

fn args() -> Args {
    let mut args = Args {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        db: String::new(),
        ledger: false,
        max_seconds: 900,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--addr" => args.addr = value().parse().expect("--addr: an IP:port"),
            "--db" => args.db = value(),
            "--ledger" => args.ledger = true,
            "--max-seconds" => args.max_seconds = value().parse().expect("--max-seconds: a number"),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(!args.db.is_empty(), "--db is required");
    assert!(args.addr.ip().is_loopback(), "--addr must be a loopback address");
    args
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args = args();
    let db = Db::open(&args.db).expect("open the database");
    let api = reqwest::Url::parse(&env("TELEGRAM_API_BASE")).expect("TELEGRAM_API_BASE: a URL");
    let bot = Bot::new(env("TELEGRAM_BOT_TOKEN")).set_api_url(api);

    let listener = tokio::net::TcpListener::bind(args.addr).await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    let url = format!("http://{addr}/webhook").parse().expect("webhook URL");
    let options = webhooks::Options::new(addr, url).secret_token(env("TELEGRAM_WEBHOOK_SECRET"));
    // Calls setWebhook (the fake answers true); the router serves the URL's path.
    let (updates, stop, router) = webhooks::axum_to_router(bot.clone(), options)
        .await
        .expect("setWebhook");
    let server = tokio::spawn(async move { axum::serve(listener, router).with_graceful_shutdown(stop).await });

    let handler = Update::filter_message()
        .filter_command::<Cmd>()
        .branch(dptree::case![Cmd::Ping].endpoint(ping))
        .branch(dptree::case![Cmd::TradeTopup(args)].endpoint(trade_topup))
        .branch(dptree::case![Cmd::TradeBuy(args)].endpoint(trade_buy));
    let handler = if args.ledger {
        dptree::entry()
            .filter(
                |update: Update, db: Db| match db.claim(i64::from(update.id.0), now_ms()) {
                    Ok(first) => first,
                    Err(error) => {
                        eprintln!("ledger: {error}");
                        false
                    }
                },
            )
            .chain(handler)
    } else {
        handler
    };
    let mut dispatcher = Dispatcher::builder(bot, handler)
        .dependencies(dptree::deps![db, Prices::from_env()])
        .enable_ctrlc_handler()
        .build();
    let token = dispatcher.shutdown_token();
    let max = Duration::from_secs(args.max_seconds);
    tokio::spawn(async move {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM");
        tokio::select! {
            _ = term.recv() => {}
            () = tokio::time::sleep(max) => eprintln!("teloxide-baseline: --max-seconds reached"),
        }
        while token.shutdown().is_err() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    println!(
        "teloxide-baseline: listening on http://{addr} (database {}, ledger {})",
        args.db, args.ledger
    );
    dispatcher
        .dispatch_with_listener(updates, LoggingErrorHandler::with_custom_text("update listener"))
        .await;
    let _ = server.await;
    eprintln!("teloxide-baseline: stopped");
}
