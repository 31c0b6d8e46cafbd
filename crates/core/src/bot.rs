//! The bot: modules wired into a registry, and the one dispatch path every runtime uses.

use std::sync::Arc;

use thiserror::Error;

use crate::clock::Clock;
use crate::command::Access;
use crate::command_parse::parse_command;
use crate::config::Config;
use crate::context::{CommandCtx, CronCtx, InitCtx, ModuleStores};
use crate::error::Error;
use crate::http::{HttpGet, NoHttp};
use crate::kv::KvStore;
use crate::module::{Catalog, Module};
use crate::module_list::parse_module_list;
use crate::registry::{RegisteredCron, Registry};
use crate::sql::SqlStore;
use crate::telegram::{TelegramApi, Update};
use crate::wiring_error::WiringError;

/// What the runtime provides: configuration, store backends, a clock and an HTTP client.
///
/// Build it with [`Services::new`] (no HTTP client: [`NoHttp`]) and, when the runtime has one,
/// [`Services::with_http`]:
///
/// ```
/// use std::sync::Arc;
///
/// use miti99bot_core::{Config, FixedClock, NoHttp, Services};
/// use miti99bot_testkit::MemoryKv;
///
/// let clock = Arc::new(FixedClock(0));
/// let kv = Arc::new(MemoryKv::new(clock.clone()));
/// let services = Services::new(Config::default(), kv, None, clock).with_http(Arc::new(NoHttp));
/// assert!(services.sql.is_none());
/// ```
#[derive(Clone)]
pub struct Services {
    /// Configuration.
    pub config: Arc<Config>,
    /// The raw key-value backend (modules get prefixed views of it).
    pub kv: Arc<dyn KvStore>,
    /// The raw SQL backend; `None` when no database is configured.
    pub sql: Option<Arc<dyn SqlStore>>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The outbound HTTP client ([`NoHttp`] unless the runtime sets one).
    pub http: Arc<dyn HttpGet>,
}

impl Services {
    /// Services over these backends, without an HTTP client (requests fail with [`NoHttp`]'s
    /// error until [`Services::with_http`] sets one).
    pub fn new(
        config: impl Into<Arc<Config>>,
        kv: Arc<dyn KvStore>,
        sql: Option<Arc<dyn SqlStore>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            config: config.into(),
            kv,
            sql,
            clock,
            http: Arc::new(NoHttp),
        }
    }

    /// The same services with `http` as the outbound HTTP client.
    pub fn with_http(mut self, http: Arc<dyn HttpGet>) -> Self {
        self.http = http;
        self
    }
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("has_sql", &self.sql.is_some())
            .finish_non_exhaustive()
    }
}

/// What dispatch did with an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dispatch {
    /// Not a command for this bot (plain text, unknown command, other bot, other update kind).
    Ignored,
    /// A handler ran and succeeded.
    Handled {
        /// The module.
        module: String,
        /// The command.
        command: String,
    },
    /// The sender may not run the command; a short refusal was sent and nothing ran.
    Refused {
        /// The module.
        module: String,
        /// The command.
        command: String,
    },
}

/// A handler (or the refusal reply) failed.
#[derive(Debug, Error)]
#[error("module \"{module}\" command \"{command}\" failed: {source}")]
pub struct HandlerFailure {
    /// The module.
    pub module: String,
    /// The command.
    pub command: String,
    /// The handler's error.
    #[source]
    pub source: Error,
}

/// How one cron run ended.
#[derive(Debug)]
pub struct CronOutcome {
    /// `<module>/<cron>`.
    pub job: String,
    /// `Ok` or the handler's error.
    pub result: Result<(), Error>,
}

/// A started bot: validated registry, inits done.
#[derive(Clone)]
pub struct Bot {
    registry: Arc<Registry>,
    services: Services,
    username: Option<String>,
}

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot")
            .field("registry", &self.registry)
            .field("username", &self.username)
            .finish()
    }
}

/// Selects and builds the modules `MODULES` names, in its order.
pub fn select_modules(catalog: &Catalog, config: &Config) -> Result<Vec<Module>, WiringError> {
    let names = parse_module_list(config.get("MODULES"))?;
    names
        .iter()
        .map(|name| {
            let constructor = catalog.get(name).ok_or_else(|| WiringError::UnknownModule {
                name: name.clone(),
                known: catalog.names().join(", "),
            })?;
            let module = constructor(config);
            if module.name() != name {
                return Err(WiringError::MismatchedName {
                    expected: name.clone(),
                    actual: module.name().to_owned(),
                });
            }
            Ok(module)
        })
        .collect()
}

impl Bot {
    /// Selects modules from `MODULES`, validates them and runs their inits in order.
    pub async fn start(catalog: &Catalog, services: Services) -> Result<Self, WiringError> {
        let modules = select_modules(catalog, &services.config)?;
        Self::from_modules(modules, services).await
    }

    /// Validates `modules` (in this order) and runs their inits.
    pub async fn from_modules(modules: Vec<Module>, services: Services) -> Result<Self, WiringError> {
        let registry = Registry::build(modules)?;
        for (module, init) in &registry.inits {
            let ctx = InitCtx {
                module: Arc::from(module.as_str()),
                stores: ModuleStores::for_module(module, &services),
                config: services.config.clone(),
                clock: services.clock.clone(),
                http: services.http.clone(),
            };
            init(ctx).await.map_err(|e| WiringError::InitFailed {
                module: module.clone(),
                reason: e.to_string(),
            })?;
        }
        let username = services.config.bot_username().map(str::to_owned);
        // Not `Send`/`Sync` on wasm32 by design (handlers hold JS values on one thread; see maybe_send).
        #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
        let registry = Arc::new(registry);
        Ok(Self {
            registry,
            services,
            username,
        })
    }

    /// Sets the username `/cmd@username` must name (from `getMe` or configuration).
    pub fn set_username(&mut self, username: Option<String>) {
        self.username = username.map(|u| u.trim_start_matches('@').to_owned());
    }

    /// The username commands may be addressed to.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The services the bot was started with.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Routes one update to its command handler, replying through `telegram`.
    ///
    /// Non-commands, unknown commands and commands for other bots are [`Dispatch::Ignored`].
    /// The access rule is checked before the handler runs.
    pub async fn handle_update(
        &self,
        update: Update,
        telegram: Arc<dyn TelegramApi>,
    ) -> Result<Dispatch, HandlerFailure> {
        let Some(message) = update.command_message() else {
            return Ok(Dispatch::Ignored);
        };
        let Some(parsed) = parse_command(message, self.username.as_deref()) else {
            return Ok(Dispatch::Ignored);
        };
        let Some(entry) = self.registry.find(&parsed.name) else {
            return Ok(Dispatch::Ignored);
        };
        let module = entry.module.clone();
        let command = entry.command.name().to_owned();
        let message = Arc::new(message.clone());
        let ctx = CommandCtx {
            module: Arc::from(module.as_str()),
            command: Arc::from(command.as_str()),
            message: message.clone(),
            update: Arc::new(update),
            args: Arc::from(parsed.args.as_str()),
            stores: ModuleStores::for_module(&module, &self.services),
            config: self.services.config.clone(),
            clock: self.services.clock.clone(),
            http: self.services.http.clone(),
            telegram,
            registry: self.registry.clone(),
        };
        let sender = message.from.as_ref().map(|u| u.id);
        if !self.allowed(entry.command.access_rule(), sender) {
            let text = match entry.command.access_rule() {
                Access::Owner => format!("Sorry, /{command} is only for the bot owner."),
                _ => format!("Sorry, /{command} is only for admins."),
            };
            ctx.reply(text).await.map_err(|source| HandlerFailure {
                module: module.clone(),
                command: command.clone(),
                source,
            })?;
            return Ok(Dispatch::Refused { module, command });
        }
        (entry.command.handler)(ctx).await.map_err(|source| HandlerFailure {
            module: module.clone(),
            command: command.clone(),
            source,
        })?;
        Ok(Dispatch::Handled { module, command })
    }

    fn allowed(&self, access: Access, sender: Option<i64>) -> bool {
        let config = &self.services.config;
        let is_owner = sender.is_some() && sender == config.owner_id();
        match access {
            Access::Anyone => true,
            Access::Owner => is_owner,
            Access::Admins => is_owner || sender.is_some_and(|id| config.admin_ids().contains(&id)),
        }
    }

    /// Runs one cron with fresh stores of its module.
    pub async fn run_cron(
        &self,
        cron: &RegisteredCron,
        scheduled_time_ms: i64,
        telegram: Arc<dyn TelegramApi>,
    ) -> CronOutcome {
        let ctx = CronCtx {
            module: Arc::from(cron.module.as_str()),
            cron: Arc::from(cron.cron.name()),
            schedule: Arc::from(cron.cron.schedule()),
            scheduled_time_ms,
            stores: ModuleStores::for_module(&cron.module, &self.services),
            config: self.services.config.clone(),
            clock: self.services.clock.clone(),
            http: self.services.http.clone(),
            telegram,
        };
        let result = (cron.cron.handler)(ctx).await;
        if let Err(error) = &result {
            tracing::error!(job = %cron.id(), schedule = %cron.cron.schedule(), %error, "cron handler failed");
        }
        CronOutcome { job: cron.id(), result }
    }

    /// Runs every cron whose schedule equals `schedule` exactly, one after another; a failing
    /// cron is logged and never stops the others.
    pub async fn run_scheduled(
        &self,
        schedule: &str,
        scheduled_time_ms: i64,
        telegram: Arc<dyn TelegramApi>,
    ) -> Vec<CronOutcome> {
        let mut outcomes = Vec::new();
        for cron in self.registry.crons_for(schedule) {
            outcomes.push(self.run_cron(cron, scheduled_time_ms, telegram.clone()).await);
        }
        outcomes
    }
}
