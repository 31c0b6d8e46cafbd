//! What the game tests share: wordle and loldle from the catalog on the `TestBot` harness (real
//! SQLite, through core's ingress), a pinned random source, updates in private chats, groups
//! and channels, and the SQL round trips each command makes.

#![allow(
    dead_code,
    unused_imports,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

#[path = "../trading_support/mod.rs"]
mod trading_support;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use miti99bot_core::ingress::Outcome;
use miti99bot_core::sql::ModuleSql;
use miti99bot_core::telegram::Update;
use miti99bot_core::FixedRandom;
use miti99bot_modules::loldle::champions;
use miti99bot_modules::wordle::words;
pub use trading_support::{CountingSql, TestBot, T0};

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

/// Both games on the [`TestBot`] harness, with a [`CountingSql`] around the SQL store.
/// Dereferences to the [`TestBot`] (`g.clock()`, `g.telegram()`, `g.bot()`).
pub struct Games {
    pub bot: TestBot,
    pub sql: Option<Arc<CountingSql>>,
}

impl std::ops::Deref for Games {
    type Target = TestBot;
    fn deref(&self) -> &TestBot {
        &self.bot
    }
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
        let slot = Arc::new(Mutex::new(None));
        let counted = slot.clone();
        let builder = TestBot::builder()
            .catalog(&miti99bot_modules::catalog(), &["wordle", "loldle"])
            .random(Arc::new(FixedRandom(draw)))
            .wrap_sql(move |inner| {
                let counting = Arc::new(CountingSql::new(inner));
                *counted.lock().unwrap() = Some(counting.clone());
                counting
            });
        let builder = if with_sql { builder } else { builder.without_sql() };
        let bot = builder.start().await.unwrap();
        let sql = slot.lock().unwrap().take();
        Self { bot, sql }
    }

    /// The update `text` from `from`, numbered `id`.
    pub fn update(&self, id: i64, from: From, text: &str) -> Update {
        let line = self.bot.message(text).update_id(id);
        let mut update = match from {
            From::Private(user) => line.from(user).update(),
            From::Group(chat, user) => line.from(user).group(chat).update(),
            From::Channel(chat) => line.group(chat).update(),
        };
        if let (From::Channel(_), Some(message)) = (from, update.message.as_mut()) {
            message.chat.kind = "channel".to_owned();
            message.from = None;
        }
        update
    }

    /// `text` from `from`, through the ingress; the one reply.
    pub async fn send_from(&self, from: From, text: &str) -> String {
        let sent = self.bot.send_update(self.update(self.bot.next_id(), from, text)).await;
        assert!(sent.handled(), "{text}: {sent:?}");
        let texts: Vec<String> = sent.messages().iter().map(|m| m.text.clone()).collect();
        assert_eq!(texts.len(), 1, "{text}: exactly one reply, got {texts:?}");
        texts.into_iter().next().unwrap()
    }

    /// `text` from Alice in a private chat; the one reply.
    pub async fn send(&self, text: &str) -> String {
        self.send_from(From::Private(ALICE), text).await
    }

    /// `text` from `from` as update `id`, through the ingress.
    pub async fn apply(&self, id: i64, from: From, text: &str) -> Outcome {
        self.bot.send_update(self.update(id, from, text)).await.outcome
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
        ModuleSql::new(game, Arc::new(self.db().sql()))
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
