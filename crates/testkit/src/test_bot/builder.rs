use std::sync::atomic::AtomicI64;
use std::sync::{Arc, Mutex};

use miti99bot_core::kv::KvStore;
use miti99bot_core::ledger::{MemoryLedger, SqlLedger, UpdateLedger};
use miti99bot_core::migrate::MigrationRunner;
use miti99bot_core::random::Random;
use miti99bot_core::sql::{ModuleSql, SqlStore};
use miti99bot_core::{Bot, Catalog, Config, HttpGet, Module, NoHttp, Registry, Services};
use miti99bot_sqlite::SqliteDb;

use super::{TestBot, T0};
use crate::{RecordingTelegram, TestClock};

type KvWrap = Box<dyn FnOnce(Arc<dyn KvStore>) -> Arc<dyn KvStore>>;
type SqlWrap = Box<dyn FnOnce(Arc<dyn SqlStore>) -> Arc<dyn SqlStore>>;

/// One module of the bot: a value, or a name the catalog builds from the configuration.
enum Pick {
    Module(Module),
    Named(Catalog, String),
}

/// Sets up a [`TestBot`]: modules, configuration, clock, SQL on or off, HTTP client, random
/// source, store decorators. [`start`](Self::start) builds it.
pub struct TestBotBuilder {
    picks: Vec<Pick>,
    vars: Vec<(String, String)>,
    at_ms: i64,
    with_sql: bool,
    http: Arc<dyn HttpGet>,
    random: Option<Arc<dyn Random>>,
    wrap_kv: Option<KvWrap>,
    wrap_sql: Option<SqlWrap>,
}

impl Default for TestBotBuilder {
    fn default() -> Self {
        Self {
            picks: Vec::new(),
            vars: Vec::new(),
            at_ms: T0,
            with_sql: true,
            http: Arc::new(NoHttp),
            random: None,
            wrap_kv: None,
            wrap_sql: None,
        }
    }
}

impl std::fmt::Debug for TestBotBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestBotBuilder")
            .field("modules", &self.picks.len())
            .field("at_ms", &self.at_ms)
            .field("with_sql", &self.with_sql)
            .finish_non_exhaustive()
    }
}

/// Why a [`TestBot`] did not start (the database, a migration, the wiring or an init).
#[derive(Debug)]
pub struct StartError(String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TestBot did not start: {}", self.0)
    }
}

impl std::error::Error for StartError {}

fn failed(what: &str) -> impl Fn(&dyn std::fmt::Display) -> StartError + '_ {
    move |error| StartError(format!("{what}: {error}"))
}

impl TestBotBuilder {
    /// Adds `module` (after those added before).
    pub fn module(mut self, module: Module) -> Self {
        self.picks.push(Pick::Module(module));
        self
    }

    /// Adds the modules `names` of `catalog`, built from the configuration at start (as
    /// `MODULES=<names>` would select them): `.catalog(&miti99bot_modules::catalog(), &["trading"])`.
    pub fn catalog(mut self, catalog: &Catalog, names: &[&str]) -> Self {
        self.picks
            .extend(names.iter().map(|n| Pick::Named(catalog.clone(), (*n).to_owned())));
        self
    }

    /// Sets a configuration variable (`BOT_OWNER_ID`, a module's own setting).
    pub fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Starts the clock at `ms` (Unix milliseconds) instead of [`T0`].
    pub fn at_ms(mut self, ms: i64) -> Self {
        self.at_ms = ms;
        self
    }

    /// No SQL store (as a Worker without D1): modules get `sql() == None`, the update ledger is
    /// in memory.
    pub fn without_sql(mut self) -> Self {
        self.with_sql = false;
        self
    }

    /// `http` as the runtime's HTTP client (e.g. a [`FakeHttp`](crate::FakeHttp) client);
    /// [`NoHttp`] otherwise.
    pub fn http(mut self, http: Arc<dyn HttpGet>) -> Self {
        self.http = http;
        self
    }

    /// `random` as the random source (e.g. a `FixedRandom` that pins a game's answer); the
    /// default is `Services::new`'s, seeded and so the same on every run.
    pub fn random(mut self, random: Arc<dyn Random>) -> Self {
        self.random = Some(random);
        self
    }

    /// Puts a decorator around the KV backend the modules use (to count or fail calls).
    pub fn wrap_kv(mut self, wrap: impl FnOnce(Arc<dyn KvStore>) -> Arc<dyn KvStore> + 'static) -> Self {
        self.wrap_kv = Some(Box::new(wrap));
        self
    }

    /// Puts a decorator around the SQL backend the modules use (migrations and the update
    /// ledger go to the database directly).
    pub fn wrap_sql(mut self, wrap: impl FnOnce(Arc<dyn SqlStore>) -> Arc<dyn SqlStore> + 'static) -> Self {
        self.wrap_sql = Some(Box::new(wrap));
        self
    }

    /// Opens the database, builds the modules, applies their migrations, starts the bot (inits
    /// run after the migrations) and the update ledger.
    pub async fn start(self) -> Result<TestBot, StartError> {
        let clock = TestClock::at(self.at_ms);
        let db = SqliteDb::open_in_memory(Arc::new(clock.clone())).map_err(|e| failed("open SQLite")(&e))?;
        let config = Config::from_vars(self.vars).map_err(|e| failed("configuration")(&e))?;
        let module_config = config.without_secrets();
        let mut modules = Vec::new();
        for pick in self.picks {
            modules.push(match pick {
                Pick::Module(module) => module,
                Pick::Named(catalog, name) => {
                    let constructor = catalog
                        .get(&name)
                        .ok_or_else(|| StartError(format!("no module {name:?} in the catalog")))?;
                    constructor(&module_config).map_err(|e| failed(&name)(&e))?
                }
            });
        }
        let raw_sql: Arc<dyn SqlStore> = Arc::new(db.sql());
        if self.with_sql {
            // The registry's order (module, then file); wiring mistakes surface here first.
            let registry = Registry::build(modules.clone()).map_err(|e| failed("wiring")(&e))?;
            let migrations = registry.migrations();
            MigrationRunner::new(ModuleSql::unprefixed(raw_sql.clone()))
                .apply(&migrations, self.at_ms)
                .await
                .map_err(|e| failed("migrations")(&e))?;
        }
        let kv: Arc<dyn KvStore> = Arc::new(db.kv());
        let kv = match self.wrap_kv {
            Some(wrap) => wrap(kv),
            None => kv,
        };
        let sql = self.with_sql.then(|| match self.wrap_sql {
            Some(wrap) => wrap(raw_sql.clone()),
            None => raw_sql.clone(),
        });
        let mut services = Services::new(config, kv, sql, Arc::new(clock.clone())).with_http(self.http);
        if let Some(random) = self.random {
            services = services.with_random(random);
        }
        let bot = Bot::from_modules(modules, services)
            .await
            .map_err(|e| failed("wiring")(&e))?;
        let ledger: Arc<dyn UpdateLedger> = if self.with_sql {
            let ledger = SqlLedger::new(raw_sql);
            ledger.ensure().await.map_err(|e| failed("update ledger")(&e))?;
            Arc::new(ledger)
        } else {
            Arc::new(MemoryLedger::new())
        };
        Ok(TestBot {
            bot: Arc::new(bot),
            ledger,
            telegram: RecordingTelegram::new(),
            clock,
            db,
            next_id: AtomicI64::new(1),
            messages: Arc::new(Mutex::new(Vec::new())),
        })
    }
}
