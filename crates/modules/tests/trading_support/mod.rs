//! What the trading tests share: a bot over real SQLite driven through `Bot::handle_update`,
//! scripted price providers, and store decorators that count or fail calls.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use miti99bot_core::ingress::{Ingress, Outcome};
use miti99bot_core::kv::{KvError, KvStore, ListOptions, ListPage};
use miti99bot_core::ledger::{MemoryLedger, SqlLedger, UpdateLedger};
use miti99bot_core::migrate::MigrationRunner;
use miti99bot_core::sql::{BatchResult, ModuleSql, Row, RunResult, SqlError, SqlStore, Statement};
use miti99bot_core::telegram::Update;
use miti99bot_core::{Bot, Clock, Config, Dispatch, HttpGet, Module, NoHttp, Services};
use miti99bot_modules::trading::account::load_account;
use miti99bot_modules::trading::prices::{PriceError, PriceProvider, Quote, StaticPrices};
use miti99bot_modules::trading::Trading;
use miti99bot_sqlite::SqliteDb;
use miti99bot_testkit::{private_text_update, RecordedCall, RecordingTelegram, TestClock};

/// 2026-11-28T17:00:00Z.
pub const T0: i64 = 1_795_885_200_000;
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

/// A started bot over in-memory SQLite, driven like a runtime drives it: directly
/// ([`dispatch`](Harness::dispatch), no claim) or through core's ingress with the update ledger
/// in the same database ([`apply`](Harness::apply), as the binary and the Worker run it).
pub struct Harness {
    pub bot: Arc<Bot>,
    pub ingress: Ingress,
    pub telegram: RecordingTelegram,
    pub db: SqliteDb,
    pub sql: Option<Arc<CountingSql>>,
    pub kv: Arc<FlakyKv>,
    pub clock: TestClock,
    next_update: AtomicI64,
}

impl Harness {
    /// Trading with `prices`, SQL on, migrations applied.
    pub async fn new(prices: Arc<dyn PriceProvider>) -> Self {
        Self::build(vec![Trading::new(prices).module()], true, Config::default()).await
    }

    /// Trading with `prices` and no SQL store.
    pub async fn without_sql(prices: Arc<dyn PriceProvider>) -> Self {
        Self::build(vec![Trading::new(prices).module()], false, Config::default()).await
    }

    /// `modules`, with or without SQL, migrations applied, no HTTP client.
    pub async fn build(modules: Vec<Module>, with_sql: bool, config: Config) -> Self {
        Self::build_with_http(modules, with_sql, config, Arc::new(NoHttp)).await
    }

    /// `modules`, with or without SQL, migrations applied, `http` as the runtime's client.
    pub async fn build_with_http(modules: Vec<Module>, with_sql: bool, config: Config, http: Arc<dyn HttpGet>) -> Self {
        let clock = TestClock::at(T0);
        let db = SqliteDb::open_in_memory(Arc::new(clock.clone())).expect("open sqlite");
        let kv = Arc::new(FlakyKv::new(Arc::new(db.kv())));
        let sql = with_sql.then(|| Arc::new(CountingSql::new(Arc::new(db.sql()))));
        let services = Services::new(
            config,
            kv.clone(),
            sql.clone().map(|s| s as Arc<dyn SqlStore>),
            Arc::new(clock.clone()),
        )
        .with_http(http);
        let bot = Arc::new(Bot::from_modules(modules, services).await.expect("bot starts"));
        let telegram = RecordingTelegram::new();
        let ledger: Arc<dyn UpdateLedger> = if with_sql {
            let ledger = SqlLedger::new(Arc::new(db.sql()));
            ledger.ensure().await.expect("ledger table");
            Arc::new(ledger)
        } else {
            Arc::new(MemoryLedger::new())
        };
        let ingress = Ingress::new(bot.clone(), ledger, Arc::new(telegram.clone()));
        if with_sql {
            let runner = MigrationRunner::new(ModuleSql::unprefixed(Arc::new(db.sql())));
            runner
                .apply(&bot.registry().migrations(), T0)
                .await
                .expect("migrations apply");
        }
        Self {
            bot,
            ingress,
            telegram,
            db,
            sql,
            kv,
            clock,
            next_update: AtomicI64::new(1),
        }
    }

    /// The harness's stores and clock under another configuration, without an HTTP client
    /// (for starting the catalog's module with `Bot::start`).
    pub fn services_with(&self, config: Config) -> Services {
        let base = self.bot.services();
        Services::new(config, base.kv.clone(), base.sql.clone(), base.clock.clone())
    }

    /// Dispatches `update` and returns what the bot did.
    pub async fn dispatch(&self, update: Update) -> Dispatch {
        self.bot
            .handle_update(update, Arc::new(self.telegram.clone()))
            .await
            .expect("handler succeeds")
    }

    /// `user` sends `text` in a private chat; returns the one reply.
    pub async fn send(&self, user: i64, text: &str) -> String {
        self.send_call(user, text)
            .await
            .text()
            .expect("a text reply")
            .to_owned()
    }

    /// `user` sends `text`; returns the one `sendMessage` call it caused.
    pub async fn send_call(&self, user: i64, text: &str) -> RecordedCall {
        let id = self.next_update.fetch_add(1, Ordering::SeqCst);
        let update = private_text_update(id, id, user, user, self.clock.now_ms() / 1000, text);
        self.telegram.clear();
        let outcome = self.dispatch(update).await;
        assert!(matches!(outcome, Dispatch::Handled { .. }), "{text}: {outcome:?}");
        let calls = self.telegram.calls();
        assert_eq!(calls.len(), 1, "{text}: exactly one reply, got {calls:?}");
        calls.into_iter().next().unwrap()
    }

    /// `user` sends `text` in chat `chat` as update `update_id`, through the ingress (claim and
    /// all); returns how it ended.
    pub async fn apply(&self, update_id: i64, chat: i64, user: i64, text: &str) -> Outcome {
        let update = private_text_update(update_id, update_id, chat, user, self.clock.now_ms() / 1000, text);
        self.ingress.apply(update).await
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
        ModuleSql::new("trading", Arc::new(self.db.sql()))
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
