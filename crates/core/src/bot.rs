//! The bot: modules wired into a registry, and the one dispatch path every runtime uses.

use std::sync::Arc;

use thiserror::Error;

use crate::command::Access;
use crate::command_parse::parse_command;
use crate::config::Config;
use crate::context::{CommandCtx, CronCtx, InitCtx};
use crate::env::ModuleEnv;
use crate::error::Error;
use crate::ledger::UpdateClaim;
use crate::module::{Catalog, Module};
use crate::module_list::parse_module_list;
use crate::registry::{RegisteredCron, Registry};
use crate::reply::Reply;
pub use crate::services::Services;
use crate::telegram::{TelegramApi, Update};
use crate::wiring_error::WiringError;

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

/// A started bot: validated registry, one [`ModuleEnv`] per module, inits done.
#[derive(Clone)]
pub struct Bot {
    registry: Arc<Registry>,
    envs: Arc<[ModuleEnv]>,
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

/// Selects and builds the modules `MODULES` names, in its order. Constructors see the
/// configuration without the runtime's secrets.
pub fn select_modules(catalog: &Catalog, config: &Config) -> Result<Vec<Module>, WiringError> {
    let names = parse_module_list(config.get("MODULES"))?;
    let module_config = config.without_secrets();
    names
        .iter()
        .map(|name| {
            let constructor = catalog.get(name).ok_or_else(|| WiringError::UnknownModule {
                name: name.clone(),
                known: catalog.names().join(", "),
            })?;
            let module = constructor(&module_config).map_err(|error| WiringError::ModuleConfig {
                module: name.clone(),
                reason: error.to_string(),
            })?;
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

    /// Validates `modules` (in this order), builds each one's environment and runs their inits.
    pub async fn from_modules(modules: Vec<Module>, services: Services) -> Result<Self, WiringError> {
        let registry = Registry::build(modules)?;
        let module_config = Arc::new(services.config.without_secrets());
        let envs: Arc<[ModuleEnv]> = registry
            .modules()
            .iter()
            .zip(&registry.states)
            .map(|(name, state)| ModuleEnv::new(name, &services, module_config.clone(), state.clone()))
            .collect();
        for (module, init) in &registry.inits {
            let Some(env) = envs.iter().find(|e| e.module() == module) else {
                continue;
            };
            let ctx = InitCtx { env: env.clone() };
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
            envs,
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

    /// The environment of `module`, when enabled (tests read a module's stores through it).
    pub fn module_env(&self, module: &str) -> Option<&ModuleEnv> {
        self.envs.iter().find(|e| e.module() == module)
    }

    /// Routes one update to its command handler, replying through `telegram`, without an
    /// update ledger (tests, tools). Runtimes go through [`Ingress`](crate::ingress::Ingress),
    /// which claims the update with its first effect.
    pub async fn handle_update(
        &self,
        update: Update,
        telegram: Arc<dyn TelegramApi>,
    ) -> Result<Dispatch, HandlerFailure> {
        self.dispatch(update, telegram, None).await
    }

    /// Routes one update; its stores carry `claim` when given.
    ///
    /// Non-commands, unknown commands and commands for other bots are [`Dispatch::Ignored`].
    /// The access rule is checked before the handler runs; a returned [`Reply`] (or an
    /// [`Error::Reply`]) is sent to the chat.
    pub(crate) async fn dispatch(
        &self,
        update: Update,
        telegram: Arc<dyn TelegramApi>,
        claim: Option<&Arc<UpdateClaim>>,
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
        let Some(env) = self.envs.get(entry.module_index) else {
            return Ok(Dispatch::Ignored);
        };
        let module = entry.module.clone();
        let command = entry.command.name().to_owned();
        let fail = |source| HandlerFailure {
            module: module.clone(),
            command: command.clone(),
            source,
        };
        let message = Arc::new(message.clone());
        let ctx = CommandCtx {
            env: match claim {
                Some(claim) => env.for_update(claim),
                None => env.clone(),
            },
            command: Arc::from(command.as_str()),
            message: message.clone(),
            update: Arc::new(update),
            args: Arc::from(parsed.args.as_str()),
            telegram,
            commands: self.registry.command_list().clone(),
        };
        let sender = message.from.as_ref().map(|u| u.id);
        if !self.allowed(entry.command.access_rule(), sender) {
            let text = match entry.command.access_rule() {
                Access::Owner => format!("Sorry, /{command} is only for the bot owner."),
                _ => format!("Sorry, /{command} is only for admins."),
            };
            ctx.reply(text).await.map_err(fail)?;
            return Ok(Dispatch::Refused {
                module: module.clone(),
                command: command.clone(),
            });
        }
        let reply = match (entry.command.handler)(ctx.clone()).await {
            Ok(reply) => reply,
            Err(Error::Reply(text)) => Reply::Text(text),
            Err(error) => return Err(fail(error)),
        };
        match reply {
            Reply::Nothing => {}
            Reply::Text(text) => drop(ctx.reply(text).await.map_err(fail)?),
            Reply::Html(html) => drop(ctx.reply_html(html).await.map_err(fail)?),
        }
        Ok(Dispatch::Handled {
            module: module.clone(),
            command: command.clone(),
        })
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

    /// Runs one cron in its module's environment.
    pub async fn run_cron(
        &self,
        cron: &RegisteredCron,
        scheduled_time_ms: i64,
        telegram: Arc<dyn TelegramApi>,
    ) -> CronOutcome {
        let Some(env) = self.envs.get(cron.module_index) else {
            return CronOutcome {
                job: cron.id(),
                result: Err(Error::msg(format!("module \"{}\" is not enabled", cron.module))),
            };
        };
        let ctx = CronCtx {
            env: env.clone(),
            cron: Arc::from(cron.cron.name()),
            schedule: Arc::from(cron.cron.schedule()),
            scheduled_time_ms,
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
