//! What the trading tests share: trading on the [`TestBot`] harness with store decorators that
//! count or fail calls, scripted price providers, and readers of the trading tables.

#![allow(
    dead_code,
    unused_imports,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use miti99bot_core::ingress::Outcome;
use miti99bot_core::kv::{KvError, KvStore, ListOptions, ListPage};
use miti99bot_core::sql::{BatchResult, ModuleSql, Row, RunResult, SqlError, SqlStore, Statement};
use miti99bot_core::telegram::SendMessage;
use miti99bot_core::HttpGet;
use miti99bot_modules::trading::account::load_account;
use miti99bot_modules::trading::prices::{PriceError, PriceProvider, Quote, StaticPrices};
use miti99bot_modules::trading::Trading;
pub use miti99bot_testkit::{TestBot, TestBotBuilder, T0};
/// The user most tests trade as.
pub const ALICE: i64 = 1001;
/// Another user.
pub const BOB: i64 = 1002;

/// The static prices most tests use.
pub fn static_prices() -> Arc<dyn PriceProvider> {
    Arc::new(StaticPrices::from_pairs([
        ("VNM", 65_000),
        ("FPT", 120_000),
        ("HPG", 25_000),
    ]))
}

/// A price provider whose answers the test sets per ticker (default: unknown ticker).
#[derive(Default)]
pub struct ScriptedPrices {
    answers: Mutex<BTreeMap<String, Result<Quote, PriceError>>>,
    pub calls: AtomicUsize,
}

impl ScriptedPrices {
    pub fn set(&self, symbol: &str, answer: Result<Quote, PriceError>) {
        self.answers.lock().unwrap().insert(symbol.to_owned(), answer);
    }
}

#[miti99bot_core::async_trait]
impl PriceProvider for ScriptedPrices {
    async fn quote(&self, _http: &dyn HttpGet, symbol: &str) -> Result<Quote, PriceError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.answers
            .lock()
            .unwrap()
            .get(symbol)
            .cloned()
            .unwrap_or(Ok(Quote::UnknownSymbol))
    }
}

/// A [`SqlStore`] decorator that counts statements and can fail chosen ones.
pub struct CountingSql {
    inner: Arc<dyn SqlStore>,
    /// Statements executed (a batch counts each of its statements).
    pub statements: AtomicUsize,
    /// Calls made (a batch is one call, one round trip).
    pub calls: AtomicUsize,
    /// Statements whose SQL starts with one of these fail.
    fail_prefixes: Mutex<Vec<String>>,
}

impl CountingSql {
    pub fn new(inner: Arc<dyn SqlStore>) -> Self {
        Self {
            inner,
            statements: AtomicUsize::new(0),
            calls: AtomicUsize::new(0),
            fail_prefixes: Mutex::new(Vec::new()),
        }
    }

    /// Makes statements starting with `prefix` fail.
    pub fn fail_when_starts_with(&self, prefix: &str) {
        self.fail_prefixes.lock().unwrap().push(prefix.to_owned());
    }

    pub fn reset(&self) {
        self.statements.store(0, Ordering::SeqCst);
        self.calls.store(0, Ordering::SeqCst);
    }

    fn check(&self, statement: &Statement) -> Result<(), SqlError> {
        self.statements.fetch_add(1, Ordering::SeqCst);
        let failing = self.fail_prefixes.lock().unwrap();
        if failing.iter().any(|p| statement.sql.starts_with(p.as_str())) {
            return Err(SqlError::database("injected failure"));
        }
        Ok(())
    }
}

#[miti99bot_core::async_trait]
impl SqlStore for CountingSql {
    async fn run(&self, statement: &Statement) -> Result<RunResult, SqlError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.check(statement)?;
        self.inner.run(statement).await
    }
    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, SqlError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.check(statement)?;
        self.inner.all(statement).await
    }
    async fn batch(&self, statements: &[Statement]) -> Result<Vec<BatchResult>, SqlError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        for s in statements {
            self.check(s)?;
        }
        self.inner.batch(statements).await
    }
}

/// A [`KvStore`] decorator that counts calls and whose gets, puts and deletes can be made to
/// fail.
pub struct FlakyKv {
    inner: Arc<dyn KvStore>,
    pub fail_puts: AtomicBool,
    pub fail_gets: AtomicBool,
    pub fail_deletes: AtomicBool,
    /// Calls made (get, put, delete, list: each one round trip).
    pub calls: AtomicUsize,
    /// Gets made.
    pub gets: AtomicUsize,
    /// Every get waits this long first (ms), so concurrent readers overlap.
    pub get_delay_ms: AtomicU64,
}

impl FlakyKv {
    pub fn new(inner: Arc<dyn KvStore>) -> Self {
        Self {
            inner,
            fail_puts: AtomicBool::new(false),
            fail_gets: AtomicBool::new(false),
            fail_deletes: AtomicBool::new(false),
            calls: AtomicUsize::new(0),
            gets: AtomicUsize::new(0),
            get_delay_ms: AtomicU64::new(0),
        }
    }
}

#[miti99bot_core::async_trait]
impl KvStore for FlakyKv {
    async fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.gets.fetch_add(1, Ordering::SeqCst);
        let delay = self.get_delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
        }
        if self.fail_gets.load(Ordering::SeqCst) {
            return Err(KvError::Backend("injected get failure".into()));
        }
        self.inner.get(key).await
    }
    async fn put(&self, key: &str, value: &str, ttl_secs: Option<u64>) -> Result<(), KvError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.fail_puts.load(Ordering::SeqCst) {
            return Err(KvError::Backend("injected put failure".into()));
        }
        self.inner.put(key, value, ttl_secs).await
    }
    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.fail_deletes.load(Ordering::SeqCst) {
            return Err(KvError::Backend("injected delete failure".into()));
        }
        self.inner.delete(key).await
    }
    async fn list(&self, options: &ListOptions) -> Result<ListPage, KvError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.list(options).await
    }
}

/// Trading on the module authors' harness ([`TestBot`]: in-memory SQLite, migrations before
/// inits, through the ingress), with the counting and failing decorators around its stores.
/// Dereferences to the [`TestBot`] (`h.clock()`, `h.telegram()`, `h.bot()`, `h.db()`).
pub struct Harness {
    pub bot: TestBot,
    pub sql: Option<Arc<CountingSql>>,
    pub kv: Arc<FlakyKv>,
}

impl std::ops::Deref for Harness {
    type Target = TestBot;
    fn deref(&self) -> &TestBot {
        &self.bot
    }
}

impl Harness {
    /// Trading with `prices`, SQL on, migrations applied.
    pub async fn new(prices: Arc<dyn PriceProvider>) -> Self {
        Self::start(TestBot::builder().module(Trading::new(prices).module())).await
    }

    /// `builder`'s bot with a [`FlakyKv`] and (with SQL) a [`CountingSql`] around its stores.
    pub async fn start(builder: TestBotBuilder) -> Self {
        let kv = Arc::new(Mutex::new(None));
        let sql = Arc::new(Mutex::new(None));
        let (kv_slot, sql_slot) = (kv.clone(), sql.clone());
        let bot = builder
            .wrap_kv(move |inner| {
                let flaky = Arc::new(FlakyKv::new(inner));
                *kv_slot.lock().unwrap() = Some(flaky.clone());
                flaky
            })
            .wrap_sql(move |inner| {
                let counting = Arc::new(CountingSql::new(inner));
                *sql_slot.lock().unwrap() = Some(counting.clone());
                counting
            })
            .start()
            .await
            .expect("bot starts");
        let kv = kv.lock().unwrap().take().expect("the KV decorator is in place");
        let sql = sql.lock().unwrap().take();
        Self { bot, sql, kv }
    }

    /// `user` sends `text` in a private chat; returns the one reply.
    pub async fn send(&self, user: i64, text: &str) -> String {
        self.send_call(user, text).await.text
    }

    /// `user` sends `text`; returns the one `sendMessage` it caused.
    pub async fn send_call(&self, user: i64, text: &str) -> SendMessage {
        let sent = self.bot.message(text).from(user).await;
        assert!(sent.handled(), "{text}: {sent:?}");
        sent.reply()
            .cloned()
            .unwrap_or_else(|| panic!("{text}: exactly one reply, got {sent:?}"))
    }

    /// `user` sends `text` in chat `chat` (a group when negative) as update `update_id`;
    /// returns how it ended.
    pub async fn apply(&self, update_id: i64, chat: i64, user: i64, text: &str) -> Outcome {
        let line = self.bot.message(text).from(user).update_id(update_id);
        let line = match chat {
            chat if chat == user => line,
            chat if chat < 0 => line.group(chat),
            chat => line.chat(chat),
        };
        line.await.outcome
    }

    /// `user`'s portfolio in SQL, in the JSON shape it had in KV (`None` without an account).
    pub async fn portfolio_json(&self, user: i64) -> Option<String> {
        load_account(&self.module_sql(), user)
            .await
            .unwrap()
            .map(|p| serde_json::to_string(&p).unwrap())
    }

    /// `user`'s balance and holding of `symbol` in SQL (0 when there is none).
    pub async fn balance_and_holding(&self, user: i64, symbol: &str) -> (i64, i64) {
        let p = load_account(&self.module_sql(), user)
            .await
            .unwrap()
            .unwrap_or_default();
        (p.vnd(), p.held(symbol))
    }

    /// The raw KV value of `user`'s portfolio from before the move to SQL.
    pub async fn kv_json(&self, user: i64) -> Option<String> {
        self.kv.get(&format!("trading:user:{user}")).await.unwrap()
    }

    /// Stores `json` as `user`'s KV portfolio, as the pre-SQL module did.
    pub async fn put_kv_portfolio(&self, user: i64, json: &str) {
        self.kv.put(&format!("trading:user:{user}"), json, None).await.unwrap();
    }

    /// Rows of `table` (a count, straight from SQLite).
    pub async fn count(&self, table: &str) -> i64 {
        #[derive(serde::Deserialize)]
        struct N {
            n: i64,
        }
        let n: Option<N> = self
            .module_sql()
            .first(&format!("SELECT COUNT(*) AS n FROM {table}"), vec![])
            .await
            .unwrap();
        n.map_or(0, |n| n.n)
    }

    /// Trades of `user` on `side` (`buy`/`sell`) in the history.
    pub async fn trade_rows(&self, user: i64, side: &str) -> i64 {
        self.trades()
            .await
            .iter()
            .filter(|t| t.0 == user && t.2 == side)
            .count() as i64
    }

    /// The module's SQL handle, bypassing the counting decorator.
    pub fn module_sql(&self) -> ModuleSql {
        ModuleSql::new("trading", Arc::new(self.db().sql()))
    }

    /// Every trade row as (user, symbol, side, qty, price, ts), oldest id first.
    pub async fn trades(&self) -> Vec<(i64, String, String, i64, i64, i64)> {
        #[derive(serde::Deserialize)]
        struct R {
            user_id: i64,
            symbol: String,
            side: String,
            qty: i64,
            price_vnd: i64,
            ts: i64,
        }
        let rows: Vec<R> = self
            .module_sql()
            .all(
                "SELECT user_id, symbol, side, qty, price_vnd, ts FROM trading_trades ORDER BY id",
                vec![],
            )
            .await
            .unwrap();
        rows.into_iter()
            .map(|r| (r.user_id, r.symbol, r.side, r.qty, r.price_vnd, r.ts))
            .collect()
    }
}
