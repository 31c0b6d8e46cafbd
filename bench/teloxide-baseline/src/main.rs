//! A teloxide webhook bot doing what `miti99bot serve` does for `/ping` (see docs/benchmarks.md).
//!
//! - webhook on `127.0.0.1` (`--addr`, port 0 picks one), path `/webhook`, checked against the
//!   secret token (`TELEGRAM_WEBHOOK_SECRET`); the Bot API at `TELEGRAM_API_BASE`;
//! - `/ping`: writes `misc:last_ping` = `{"at":<unix ms>}` into `_kv (key TEXT PRIMARY KEY,
//!   value TEXT)` of a SQLite file (WAL, `synchronous = NORMAL`), then sends `pong`;
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
#[command(rename_rule = "lowercase")]
enum Cmd {
    /// Check the bot is alive.
    Ping,
}

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
        Ok(Self(Arc::new(Mutex::new(conn))))
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
        .branch(dptree::case![Cmd::Ping].endpoint(ping));
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
        .dependencies(dptree::deps![db])
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
