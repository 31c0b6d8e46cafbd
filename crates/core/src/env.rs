//! A module's environment: what the runtime gives one module, built once at start-up.

use std::any::Any;
use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::error::Error;
use crate::http::HttpGet;
use crate::kv::PrefixedKv;
use crate::ledger::UpdateClaim;
use crate::random::Random;
use crate::services::Services;
use crate::sql::ModuleSql;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) type DynState = Arc<dyn Any + Send + Sync>;
#[cfg(target_arch = "wasm32")]
pub(crate) type DynState = Arc<dyn Any>;

/// One module's view of the runtime: its prefixed KV store, its SQL store, its configuration
/// (without the runtime's secrets), the clock, HTTP and its typed state.
///
/// Built once per module when the bot starts; every context of the module
/// ([`CommandCtx`](crate::CommandCtx), [`CronCtx`](crate::CronCtx), [`InitCtx`](crate::InitCtx))
/// dereferences to it, so `ctx.kv()`, `ctx.sql()`, `ctx.config()`, `ctx.now_ms()`,
/// `ctx.http()` and `ctx.state::<T>()` read the same everywhere. Cloning is cheap (shared
/// handles).
#[derive(Clone)]
pub struct ModuleEnv {
    name: Arc<str>,
    kv: PrefixedKv,
    sql: Option<ModuleSql>,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    http: Arc<dyn HttpGet>,
    random: Arc<dyn Random>,
    state: Option<DynState>,
}

impl std::fmt::Debug for ModuleEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleEnv")
            .field("module", &self.name)
            .field("has_sql", &self.sql.is_some())
            .field("has_state", &self.state.is_some())
            .finish_non_exhaustive()
    }
}

impl ModuleEnv {
    /// The environment of `module` over the runtime's `services`, with `config` (the module
    /// view of the configuration) and its state.
    pub(crate) fn new(module: &str, services: &Services, config: Arc<Config>, state: Option<DynState>) -> Self {
        Self {
            name: Arc::from(module),
            kv: PrefixedKv::new(module, services.kv.clone()),
            sql: services.sql.clone().map(|sql| ModuleSql::new(module, sql)),
            config,
            clock: services.clock.clone(),
            http: services.http.clone(),
            random: services.random.clone(),
            state,
        }
    }

    /// The same environment for one update: its stores' first write claims it.
    pub(crate) fn for_update(&self, claim: &Arc<UpdateClaim>) -> Self {
        Self {
            kv: self.kv.for_update(claim),
            sql: self.sql.as_ref().map(|sql| sql.for_update(claim)),
            ..self.clone()
        }
    }

    /// The module's name.
    pub fn module(&self) -> &str {
        &self.name
    }

    /// The module's key-value store (keys under `<module>:`).
    pub fn kv(&self) -> &PrefixedKv {
        &self.kv
    }

    /// The module's SQL store, `None` when no database is configured.
    pub fn sql(&self) -> Option<&ModuleSql> {
        self.sql.as_ref()
    }

    /// The configuration. The runtime's secrets (`TELEGRAM_BOT_TOKEN`,
    /// `TELEGRAM_WEBHOOK_SECRET`) are not in it.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Now, in Unix milliseconds (from the runtime's clock).
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The runtime's random source (the OS natively, `crypto.getRandomValues` on Workers, a
    /// [`SeededRandom`](crate::SeededRandom) in tests): `ctx.random().below(n)`.
    pub fn random(&self) -> &dyn Random {
        self.random.as_ref()
    }

    /// The runtime's outbound HTTP client (reqwest natively, `fetch` on Workers). Modules call
    /// outside services through it, never with a client of their own; in a runtime without
    /// one every request fails ([`NoHttp`](crate::http::NoHttp)).
    pub fn http(&self) -> &dyn HttpGet {
        self.http.as_ref()
    }

    /// The module's state, set with [`Module::state`](crate::Module::state). An error (not a
    /// panic) when the module has none of type `T`: a wiring mistake shown as the handler's
    /// failure.
    pub fn state<T: Any>(&self) -> Result<&T, Error> {
        self.state
            .as_deref()
            .and_then(|state| (state as &dyn Any).downcast_ref::<T>())
            .ok_or_else(|| {
                Error::msg(format!(
                    "module \"{}\" has no state of type {}",
                    self.name,
                    std::any::type_name::<T>()
                ))
            })
    }
}
