//! What the end-to-end tests share: a bot with test commands, the webhook server on loopback
//! and the fake Telegram server, all in-process.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::callback::Callback;
use miti99bot_core::ingress::Ingress;
use miti99bot_core::ledger::SqlLedger;
use miti99bot_core::telegram::synthetic::{bot_message, callback_update, private_chat, private_text_update};
use miti99bot_core::telegram::TelegramApi;
use miti99bot_core::{Bot, CallbackCtx, Command, CommandCtx, Config, Error, HandlerResult, Module};
use miti99bot_native::database;
use miti99bot_native::shutdown::Shutdown;
use miti99bot_native::system_clock::SystemClock;
use miti99bot_native::telegram_client::{ClientOptions, HttpTelegram, RetryPolicy};
use miti99bot_native::updates::UpdateProcessor;
use miti99bot_native::webhook::{WebhookOptions, WebhookServer};
use miti99bot_sqlite::SqliteDb;
use miti99bot_testkit::FakeTelegram;
use serde_json::Value;
use tokio::task::JoinHandle;

/// The token every in-process test uses; no output may ever contain it.
pub const TOKEN: &str = "123456:TEST-token-must-never-leak";
/// The webhook secret of the tests.
pub const SECRET: &str = "test_secret-42";
/// The bot's username.
pub const USERNAME: &str = "test_bot";

/// A module with commands that misbehave on purpose.
///
/// - `/count`: increments a KV counter and replies with it (shows double application).
/// - `/fail`: returns an error. `/boom`: panics.
/// - `/slow <ms>`: sleeps, then replies `slow <ms>` (shows ordering and saturation).
/// - `/long <n>`: replies with `n` numbered lines (shows a reply over Telegram's limit).
/// - `/fill <kb>`: stores that many KiB in KV, then replies `filled <kb>` (fills the disk).
/// - the button `test:bump`: increments the KV counter, edits its message to `count <n>` and
///   answers with the toast `bumped`.
pub fn test_module() -> Module {
    Module::new("test")
        .command(Command::public("count", "Count calls", count))
        .command(Command::public("fail", "Always fails", fail))
        .command(Command::public("boom", "Always panics", boom))
        .command(Command::public("slow", "Sleeps, then replies", slow))
        .command(Command::public("long", "Replies with <n> numbered lines", long))
        .command(Command::public("fill", "Stores <kb> KiB under the message id", fill))
        .callback(BUMP.handle(bump))
}

/// The test module's button.
pub const BUMP: Callback<()> = Callback::new("bump");

async fn bump(ctx: CallbackCtx<()>) -> Result<&'static str, Error> {
    let n = ctx.kv().get_json::<i64>("n").await?.unwrap_or(0) + 1;
    ctx.kv().put_json("n", &n).await?;
    ctx.edit(format!("count {n}")).await?;
    Ok("bumped")
}

/// A press of the `test:bump` button under the bot's message 77 in chat `chat_id`, as JSON.
pub fn bump_press(update_id: i64, chat_id: i64) -> Value {
    let message = bot_message(private_chat(chat_id), 77, 1_700_000_000, Some("count 0"));
    serde_json::to_value(callback_update(update_id, chat_id, message, "test:bump")).unwrap()
}

async fn count(ctx: CommandCtx) -> HandlerResult {
    let n = ctx.kv().get_json::<i64>("n").await?.unwrap_or(0) + 1;
    ctx.kv().put_json("n", &n).await?;
    ctx.reply(format!("count {n}")).await?;
    Ok(())
}

async fn fail(_ctx: CommandCtx) -> HandlerResult {
    Err(Error::msg("deliberate failure"))
}

async fn boom(_ctx: CommandCtx) -> HandlerResult {
    panic!("deliberate panic");
}

async fn long(ctx: CommandCtx) -> HandlerResult {
    let lines: usize = ctx.args().parse().unwrap_or(0);
    let text: String = (0..lines).map(|i| format!("line {i:05} of the long reply\n")).collect();
    ctx.reply(text).await?;
    Ok(())
}

async fn fill(ctx: CommandCtx) -> HandlerResult {
    let kib: usize = ctx.args().parse().unwrap_or(1);
    let key = format!("fill-{}", ctx.message().message_id);
    ctx.kv().put(&key, &"x".repeat(kib * 1024)).await?;
    ctx.reply(format!("filled {kib}")).await?;
    Ok(())
}

async fn slow(ctx: CommandCtx) -> HandlerResult {
    let ms: u64 = ctx.args().parse().unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    ctx.reply(format!("slow {ms}")).await?;
    Ok(())
}

/// A bot of util, misc and the test module over a fresh SQLite file in `dir`.
pub async fn test_bot(dir: &std::path::Path) -> (Bot, SqliteDb) {
    let config = Config::from_vars([("MODULES", "util,misc"), ("TELEGRAM_BOT_USERNAME", USERNAME)]).unwrap();
    let clock = Arc::new(SystemClock);
    let db = SqliteDb::open(dir.join("bot.db"), clock.clone()).unwrap();
    let opened = database::with_db(db.clone(), config.clone(), clock).unwrap();
    let modules = vec![
        miti99bot_modules::util::module(&config).unwrap(),
        miti99bot_modules::misc::module(&config).unwrap(),
        test_module(),
    ];
    let bot = Bot::from_modules(modules, opened.services.clone()).await.unwrap();
    (bot, db)
}

/// The ingress over `bot`, the ledger in `db` and `telegram`.
pub async fn ingress(bot: Bot, db: &SqliteDb, telegram: Arc<dyn TelegramApi>) -> Ingress {
    let ledger = SqlLedger::new(Arc::new(db.sql()));
    ledger.ensure().await.unwrap();
    Ingress::new(Arc::new(bot), Arc::new(ledger), telegram)
}

/// A processor (no webhook settings) over `bot`, `db` and `telegram`.
pub async fn processor(bot: Bot, db: &SqliteDb, telegram: Arc<dyn TelegramApi>) -> UpdateProcessor {
    UpdateProcessor::new(ingress(bot, db, telegram).await)
}

/// The HTTP client against the fake server, with fast retries.
pub fn client(fake: &FakeTelegram) -> HttpTelegram {
    let mut options = ClientOptions::with_base(&fake.base_url());
    options.request_timeout = Duration::from_secs(5);
    options.retry = RetryPolicy {
        max_attempts: 3,
        max_total_wait: Duration::from_secs(5),
    };
    HttpTelegram::new(TOKEN, options).unwrap()
}

/// An in-process webhook server, its fake Telegram and a plain HTTP client.
pub struct Harness {
    /// The fake Bot API.
    pub fake: FakeTelegram,
    /// Where the webhook server listens.
    pub addr: SocketAddr,
    /// Stops the server.
    pub shutdown: Shutdown,
    /// The server task.
    pub server: Option<JoinHandle<std::io::Result<()>>>,
    /// A client for calling the webhook.
    pub http: reqwest::Client,
    /// The database.
    pub db: SqliteDb,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// Default options.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Options adjusted by `adjust`.
    pub async fn start_with(adjust: impl FnOnce(&mut WebhookOptions)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeTelegram::start().await.unwrap();
        let (bot, db) = test_bot(dir.path()).await;
        let telegram: Arc<dyn TelegramApi> = Arc::new(client(&fake));
        let ingress = ingress(bot, &db, telegram).await;
        let mut options = WebhookOptions::new(SECRET);
        options.database = Some(db.clone());
        adjust(&mut options);
        let server = WebhookServer::bind("127.0.0.1:0".parse().unwrap(), ingress, options)
            .await
            .unwrap();
        let addr = server.local_addr().unwrap();
        let shutdown = Shutdown::new();
        let server = tokio::spawn(server.run_until_shutdown(shutdown.clone()));
        Self {
            fake,
            addr,
            shutdown,
            server: Some(server),
            http: reqwest::Client::new(),
            db,
            _dir: dir,
        }
    }

    /// `http://addr/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// POSTs `body` to `/webhook` with the right secret.
    pub async fn post_raw(&self, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.http
            .post(self.url("/webhook"))
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// POSTs an update and returns (status, body).
    pub async fn post(&self, update: &Value) -> (u16, String) {
        let response = self.post_raw(update.to_string()).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// Stops the server and waits for it.
    pub async fn stop(&mut self) {
        self.shutdown.trigger();
        if let Some(server) = self.server.take() {
            tokio::time::timeout(Duration::from_secs(10), server)
                .await
                .expect("server stops")
                .unwrap()
                .unwrap();
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// A private-chat text update as JSON.
pub fn text_update(update_id: i64, chat_id: i64, text: &str) -> Value {
    let update = private_text_update(update_id, update_id, chat_id, chat_id, 1_700_000_000, text);
    serde_json::to_value(update).unwrap()
}
