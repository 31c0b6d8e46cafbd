//! What the game tests share: wordle and loldle from the catalog over real SQLite, a pinned
//! random source, updates in private chats, groups and channels, driven directly or through
//! core's ingress (claim and all), and the SQL round trips each command makes.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../trading_support/mod.rs"]
mod trading_support;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use miti99bot_core::ingress::{Ingress, Outcome};
use miti99bot_core::ledger::{SqlLedger, UpdateLedger};
use miti99bot_core::migrate::MigrationRunner;
use miti99bot_core::sql::{ModuleSql, SqlStore};
use miti99bot_core::telegram::Update;
use miti99bot_core::{Bot, Clock, Config, Dispatch, FixedRandom, Services};
use miti99bot_modules::loldle::champions;
use miti99bot_modules::wordle::words;
use miti99bot_sqlite::SqliteDb;
use miti99bot_testkit::{private_text_update, RecordingTelegram, TestClock};
pub use trading_support::{CountingSql, T0};

/// A private player.
pub const ALICE: i64 = 1001;
/// Another one.
pub const BOB: i64 = 1002;
/// A group chat.
pub const GROUP: i64 = -100_555;

/// The draw that makes wordle's answer `word` and loldle's answer the champion `id` (every draw
/// of a [`FixedRandom`] is the same).
pub fn pin(word: &str, id: &str) -> u64 {
    let w = (0..words::len())
        .find(|&i| words::word_at(i).as_deref() == Some(word))
        .unwrap() as u64;
    let c = champions::all().iter().position(|c| c.id == id).unwrap() as u64;
    let n = words::len() as u64;
    (0..172).map(|k| w + k * n).find(|v| v % 172 == c).unwrap()
}

/// Where a message comes from.
#[derive(Clone, Copy)]
pub enum From {
    /// A private chat with the user.
    Private(i64),
    /// A group, sent by the user.
    Group(i64, i64),
    /// A channel post (no sender).
    Channel(i64),
}

pub struct Games {
    pub bot: Arc<Bot>,
    pub ingress: Ingress,
    pub telegram: RecordingTelegram,
    pub db: SqliteDb,
    pub sql: Option<Arc<CountingSql>>,
    pub clock: TestClock,
    next_update: std::sync::atomic::AtomicI64,
}

impl Games {
    /// Both games, SQL on, answers pinned to `word` and champion `id`.
    pub async fn new(word: &str, id: &str) -> Self {
        Self::build(pin(word, id), true).await
    }

    /// Both games without a SQL store.
    pub async fn without_sql() -> Self {
        Self::build(0, false).await
    }

    async fn build(draw: u64, with_sql: bool) -> Self {
        let clock = TestClock::at(T0);
        let db = SqliteDb::open_in_memory(Arc::new(clock.clone())).unwrap();
        let sql = with_sql.then(|| Arc::new(CountingSql::new(Arc::new(db.sql()))));
        let config = Config::from_vars([("MODULES".to_owned(), "wordle,loldle".to_owned())]).unwrap();
        let services = Services::new(
            config,
            Arc::new(db.kv()),
            sql.clone().map(|s| s as Arc<dyn SqlStore>),
            Arc::new(clock.clone()),
        )
        .with_random(Arc::new(FixedRandom(draw)));
        let bot = Arc::new(Bot::start(&miti99bot_modules::catalog(), services).await.unwrap());
        let ledger = SqlLedger::new(Arc::new(db.sql()));
        ledger.ensure().await.unwrap();
        let ledger: Arc<dyn UpdateLedger> = Arc::new(ledger);
        let telegram = RecordingTelegram::new();
        let ingress = Ingress::new(bot.clone(), ledger, Arc::new(telegram.clone()));
        MigrationRunner::new(ModuleSql::unprefixed(Arc::new(db.sql())))
            .apply(&bot.registry().migrations(), T0)
            .await
            .unwrap();
        Self {
            bot,
            ingress,
            telegram,
            db,
            sql,
            clock,
            next_update: std::sync::atomic::AtomicI64::new(1),
        }
    }

    /// The update `text` from `from`, numbered `id`.
    pub fn update(&self, id: i64, from: From, text: &str) -> Update {
        let date = self.clock.now_ms() / 1000;
        let (chat, user) = match from {
            From::Private(user) => (user, user),
            From::Group(chat, user) => (chat, user),
            From::Channel(chat) => (chat, 0),
        };
        let mut update = private_text_update(id, id, chat, user, date, text);
        if let Some(message) = update.message.as_mut() {
            match from {
                From::Private(_) => {}
                From::Group(..) => message.chat.kind = "group".to_owned(),
                From::Channel(_) => {
                    message.chat.kind = "channel".to_owned();
                    message.from = None;
                }
            }
        }
        update
    }

    /// `text` from `from`, dispatched; the one reply.
    pub async fn send_from(&self, from: From, text: &str) -> String {
        let id = self.next_update.fetch_add(1, Ordering::SeqCst);
        self.telegram.clear();
        let outcome = self
            .bot
            .handle_update(self.update(id, from, text), Arc::new(self.telegram.clone()))
            .await
            .unwrap();
        assert!(matches!(outcome, Dispatch::Handled { .. }), "{text}: {outcome:?}");
        let texts = self.telegram.sent_texts();
        assert_eq!(texts.len(), 1, "{text}: exactly one reply, got {texts:?}");
        texts.into_iter().next().unwrap()
    }

    /// `text` from Alice in a private chat; the one reply.
    pub async fn send(&self, text: &str) -> String {
        self.send_from(From::Private(ALICE), text).await
    }

    /// `text` from `from` as update `id`, through the ingress.
    pub async fn apply(&self, id: i64, from: From, text: &str) -> Outcome {
        self.ingress.apply(self.update(id, from, text)).await
    }

    /// SQL calls (round trips) made so far, then reset.
    pub fn take_round_trips(&self) -> usize {
        let sql = self.sql.as_ref().unwrap();
        let calls = sql.calls.load(Ordering::SeqCst);
        sql.reset();
        calls
    }

    /// The SQL store of `game`, bypassing the counter.
    pub fn game_sql(&self, game: &str) -> ModuleSql {
        ModuleSql::new(game, Arc::new(self.db.sql()))
    }

    /// The stored round of `subject` in `game`: (target, guesses, n, state, expires_at).
    pub async fn round(&self, game: &str, subject: i64) -> Option<(String, String, i64, String, i64)> {
        #[derive(serde::Deserialize)]
        struct R {
            target: String,
            guesses: String,
            n: i64,
            state: String,
            expires_at: i64,
        }
        let row: Option<R> = self
            .game_sql(game)
            .first(
                &format!("SELECT target, guesses, n, state, expires_at FROM {game}_rounds WHERE subject = ?"),
                vec![subject.into()],
            )
            .await
            .unwrap();
        row.map(|r| (r.target, r.guesses, r.n, r.state, r.expires_at))
    }

    /// The stats row of `subject` in `game`: (played, wins, streak, best).
    pub async fn stats(&self, game: &str, subject: i64) -> Option<(i64, i64, i64, i64)> {
        #[derive(serde::Deserialize)]
        struct S {
            played: i64,
            wins: i64,
            streak: i64,
            best_streak: i64,
        }
        let row: Option<S> = self
            .game_sql(game)
            .first(
                &format!("SELECT played, wins, streak, best_streak FROM {game}_stats WHERE subject = ?"),
                vec![subject.into()],
            )
            .await
            .unwrap();
        row.map(|s| (s.played, s.wins, s.streak, s.best_streak))
    }
}
