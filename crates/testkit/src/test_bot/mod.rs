//! [`TestBot`]: a module under test, as a user talks to it.
//!
//! ```
//! use miti99bot_core::{Command, Module};
//! use miti99bot_testkit::TestBot;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let ping = Module::new("ping").command(Command::public("ping", "Answer pong", |_| async { Ok("pong") }));
//! let bot = TestBot::builder().module(ping).start().await.unwrap();
//! assert_eq!(bot.send("/ping").await.text(), Some("pong"));
//! # });
//! ```

mod builder;
mod message;
mod press;
mod recorder;
mod sent;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use miti99bot_core::ingress::Ingress;
use miti99bot_core::kv::PrefixedKv;
use miti99bot_core::ledger::UpdateLedger;
use miti99bot_core::sql::ModuleSql;
use miti99bot_core::telegram::Update;
use miti99bot_core::{Bot, Clock, CronOutcome, Error, ModuleEnv};
use miti99bot_sqlite::SqliteDb;

pub use self::builder::{StartError, TestBotBuilder};
pub use self::message::MessageBuilder;
pub use self::press::PressBuilder;
pub use self::recorder::BotMessage;
use self::recorder::UpdateRecorder;
pub use self::sent::Sent;
use crate::{RecordingTelegram, TestClock};

/// Where a [`TestBot`]'s clock starts unless told: 2026-11-28T17:00:00Z, in Unix ms.
pub const T0: i64 = 1_795_885_200_000;

/// The user lines come from unless [`MessageBuilder::from`] says otherwise.
pub const DEFAULT_USER: i64 = 1001;

/// A started bot for tests: the chosen modules over one in-memory SQLite database (KV, SQL and
/// the update ledger), migrations applied before the inits ran, a [`TestClock`], every Bot API
/// call answered and recorded by a [`RecordingTelegram`]. Lines go through core's
/// [`Ingress`] as in production, so each update is claimed with its first effect and a
/// redelivered one is applied once.
///
/// Build it with [`TestBot::builder`]; send with [`send`](Self::send) or
/// [`message`](Self::message) (user, chat, group, username, reply-to, update id), press a
/// button with [`press`](Self::press), or send a raw update with
/// [`send_update`](Self::send_update); read what the module stored through
/// [`kv`](Self::kv) and [`sql`](Self::sql).
pub struct TestBot {
    bot: Arc<Bot>,
    ledger: Arc<dyn UpdateLedger>,
    telegram: RecordingTelegram,
    clock: TestClock,
    db: SqliteDb,
    next_id: AtomicI64,
    messages: Arc<Mutex<Vec<BotMessage>>>,
}

impl std::fmt::Debug for TestBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestBot")
            .field("bot", &self.bot)
            .finish_non_exhaustive()
    }
}

impl TestBot {
    /// A builder: no modules yet, SQL on, the clock at [`T0`], no HTTP client.
    pub fn builder() -> TestBotBuilder {
        TestBotBuilder::default()
    }

    /// [`DEFAULT_USER`] sends `text` in their private chat; returns what the bot did.
    pub async fn send(&self, text: &str) -> Sent {
        self.message(text).await
    }

    /// A line to send, set up builder-style and sent by `.await`:
    /// `bot.message("/stats").from(7).group(-100).await`.
    pub fn message<'a>(&'a self, text: &str) -> MessageBuilder<'a> {
        MessageBuilder::new(self, text)
    }

    /// A press of the button labelled `label` on the newest message of the bot that shows one
    /// (edits included), sent by `.await`: `bot.press("Next").from(7).await`.
    pub fn press<'a>(&'a self, label: &str) -> PressBuilder<'a> {
        PressBuilder::new(self, label)
    }

    /// Sends `update` as it is, through the ingress (a second delivery of the same `update_id`
    /// is recognised as in production).
    pub async fn send_update(&self, update: Update) -> Sent {
        let chat = update.chat().cloned();
        let recorder = Arc::new(UpdateRecorder::new(self.telegram.clone(), self.messages.clone(), chat));
        let ingress = Ingress::new(self.bot.clone(), self.ledger.clone(), recorder.clone());
        let outcome = ingress.apply(update).await;
        Sent::new(outcome, recorder.requests())
    }

    /// A fresh update (and message) id: 1, 2, 3, … in this bot.
    pub fn next_id(&self) -> i64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// The environment of `module`: its stores as its handlers see them (writes through it
    /// claim no update).
    ///
    /// # Panics
    /// When `module` is not enabled in this bot (a mistake in the test).
    #[allow(clippy::panic)]
    pub fn env(&self, module: &str) -> &ModuleEnv {
        match self.bot.module_env(module) {
            Some(env) => env,
            None => panic!("module {module:?} is not enabled in this TestBot"),
        }
    }

    /// The KV store of `module` (keys without the `<module>:` prefix).
    ///
    /// # Panics
    /// When `module` is not enabled.
    pub fn kv(&self, module: &str) -> &PrefixedKv {
        self.env(module).kv()
    }

    /// The SQL store of `module`.
    ///
    /// # Panics
    /// When `module` is not enabled, or the bot was built [`without_sql`](TestBotBuilder::without_sql).
    #[allow(clippy::panic)]
    pub fn sql(&self, module: &str) -> &ModuleSql {
        match self.env(module).sql() {
            Some(sql) => sql,
            None => panic!("this TestBot has no SQL store (built without_sql)"),
        }
    }

    /// Runs the cron `<module>/<name>` now (at the clock's time).
    pub async fn run_cron(&self, job: &str) -> CronOutcome {
        let now = self.clock.now_ms();
        let Some(cron) = self.bot.registry().crons().iter().find(|c| c.id() == job) else {
            return CronOutcome {
                job: job.to_owned(),
                result: Err(Error::msg(format!("no cron {job:?} in this TestBot"))),
            };
        };
        self.bot.run_cron(cron, now, Arc::new(self.telegram.clone())).await
    }

    /// Every message the bot sent so far, with its id and markup (what a button press needs).
    pub fn sent_messages(&self) -> Vec<BotMessage> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The started bot.
    pub fn bot(&self) -> &Arc<Bot> {
        &self.bot
    }

    /// The clock (set it, advance it).
    pub fn clock(&self) -> &TestClock {
        &self.clock
    }

    /// Every Bot API call so far, of every update and cron.
    pub fn telegram(&self) -> &RecordingTelegram {
        &self.telegram
    }

    /// The database (for stores of your own over it, or raw SQL without a prefix).
    pub fn db(&self) -> &SqliteDb {
        &self.db
    }
}
