//! The bot: modules wired into a registry, and the one dispatch path every runtime uses.

use std::sync::Arc;

use thiserror::Error;

use crate::callback::{split_data, CallbackAnswer, CallbackInput, FAILED_TOAST, STALE_TOAST};
use crate::command::Access;
use crate::command_parse::parse_command;
use crate::config::Config;
use crate::context::{CommandCtx, CronCtx, InitCtx};
use crate::deep_link;
use crate::env::ModuleEnv;
use crate::error::Error;
use crate::event::{send_all, send_to, ChatMemberCtx, DynMessageHandler, MessageCtx};
use crate::ingress::catch_panic::CatchPanic;
use crate::ledger::UpdateClaim;
use crate::module::{Catalog, Module};
use crate::module_list::parse_module_list;
use crate::registry::{RegisteredCron, Registry};
use crate::reply::Reply;
pub use crate::services::Services;
use crate::telegram::{CallbackQuery, Message, TelegramApi, TelegramError, Update, UpdateKind};
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
    /// A button press went to its callback (or was refused by its access rule) and was answered.
    Pressed {
        /// The module.
        module: String,
        /// The callback.
        callback: String,
        /// The presser may not use it: a toast said so and nothing ran.
        refused: bool,
    },
    /// A press whose data no enabled callback takes or decodes: answered with a toast.
    Stale,
    /// Plain text, an edit or a membership change went to the modules that take it.
    Delivered {
        /// The kind.
        kind: UpdateKind,
        /// The modules whose handler ran, in order.
        modules: Vec<String>,
    },
}

/// The result of a press no callback takes: answered with the stale toast.
fn stale(query: &CallbackQuery, answered: Result<(), TelegramError>) -> Result<Dispatch, HandlerFailure> {
    crate::debug!(data = ?query.data, "stale or foreign callback data answered");
    answered.map_err(|e| HandlerFailure {
        module: "(none)".to_owned(),
        command: "stale callback".to_owned(),
        source: e.into(),
    })?;
    Ok(Dispatch::Stale)
}

fn delivered(kind: UpdateKind, modules: Vec<String>) -> Dispatch {
    if modules.is_empty() {
        Dispatch::Ignored
    } else {
        Dispatch::Delivered { kind, modules }
    }
}

/// The handler's reply, an [`Error::Reply`] turned into its text.
fn reply_of(result: Result<Reply, Error>) -> Result<Reply, Error> {
    match result {
        Err(Error::Reply(text)) => Ok(Reply::text(text)),
        other => other,
    }
}

fn failure(module: &str, handler: &str) -> impl Fn(Error) -> HandlerFailure {
    let (module, handler) = (module.to_owned(), handler.to_owned());
    move |source| HandlerFailure {
        module: module.clone(),
        command: handler.clone(),
        source,
    }
}

/// Whether the text starts with a command (for another bot, or unknown): not plain text.
fn starts_with_command(message: &Message) -> bool {
    message
        .entities
        .as_deref()
        .is_some_and(|entities| entities.iter().any(|e| e.kind == "bot_command" && e.offset == 0))
}

/// A handler (or the refusal reply) failed.
#[derive(Debug, Error)]
#[error("module \"{module}\" command \"{command}\" failed: {source}")]
pub struct HandlerFailure {
    /// The module.
    pub module: String,
    /// The command, or what else ran: `callback <name>`, `text`, `edited_message`,
    /// `my_chat_member`.
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

/// Selects and builds the modules `MODULES` names, in its order; `MODULES` unset means every
/// module of the catalog, in catalog order (so does a blank value). Constructors see the
/// configuration without the runtime's secrets.
pub fn select_modules(catalog: &Catalog, config: &Config) -> Result<Vec<Module>, WiringError> {
    let names = match config.get("MODULES") {
        None => catalog.names().into_iter().map(str::to_owned).collect(),
        Some(list) => parse_module_list(Some(list))?,
    };
    let module_config = config.without_secrets();
    // A loop, not `collect::<Result<_, _>>()`: its adapter over the large `Module` costs the
    // wasm kilobytes.
    let mut modules = Vec::with_capacity(names.len());
    for name in &names {
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
        modules.push(module);
    }
    Ok(modules)
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
        self.dispatch(Box::new(update), telegram, None).await
    }

    /// Routes one update; its stores carry `claim` when given.
    ///
    /// A command goes to its handler (access checked first), a button press to its callback
    /// (answered exactly once), plain text, an edit or a membership change to the modules that
    /// take it. Everything else is [`Dispatch::Ignored`]. A returned [`Reply`] (or an
    /// [`Error::Reply`]) is sent to the chat.
    pub(crate) async fn dispatch(
        &self,
        update: Box<Update>,
        telegram: Arc<dyn TelegramApi>,
        claim: Option<&Arc<UpdateClaim>>,
    ) -> Result<Dispatch, HandlerFailure> {
        let env_of = |index: usize| {
            self.envs.get(index).map(|env| match claim {
                Some(claim) => env.for_update(claim),
                None => env.clone(),
            })
        };
        if let Some(query) = update.callback_query.as_ref() {
            return self.dispatch_callback(query, telegram, env_of).await;
        }
        if let Some(change) = update.my_chat_member.as_ref() {
            let change = Arc::new(change.clone());
            let mut modules = Vec::new();
            for (index, handler) in &self.registry.member_handlers {
                let Some(env) = env_of(*index) else { continue };
                let module = env.module().to_owned();
                let ctx = ChatMemberCtx {
                    env,
                    change: change.clone(),
                    telegram: telegram.clone(),
                };
                let fail = failure(&module, "my_chat_member");
                let reply = reply_of(handler(ctx).await).map_err(&fail)?;
                // No message to quote: a membership change is not one.
                send_all(telegram.as_ref(), reply.to_sends(change.chat.id, None, None))
                    .await
                    .map_err(&fail)?;
                modules.push(module);
            }
            return Ok(delivered(UpdateKind::MyChatMember, modules));
        }
        if let Some(edited) = update.edited_message.as_ref() {
            let handlers = &self.registry.edited_handlers;
            return self
                .dispatch_message(edited, true, handlers, telegram, env_of)
                .await
                .map(|modules| delivered(UpdateKind::EditedMessage, modules));
        }
        let Some(message) = update.command_message() else {
            return Ok(Dispatch::Ignored);
        };
        let Some(parsed) = parse_command(message, self.username.as_deref()) else {
            if update.message.is_none() || message.text.is_none() || starts_with_command(message) {
                return Ok(Dispatch::Ignored);
            }
            let handlers = &self.registry.text_handlers;
            return self
                .dispatch_message(message, false, handlers, telegram, env_of)
                .await
                .map(|modules| delivered(UpdateKind::Message, modules));
        };
        // `/start <payload>` goes to the module whose deep-link prefix the payload has.
        let deep_link = (parsed.name == "start")
            .then(|| self.registry.deep_link(deep_link::prefix_of(&parsed.args)))
            .flatten()
            .filter(|_| deep_link::is_valid_payload(&parsed.args));
        let (module_index, module, handler, access, usage) = match deep_link {
            Some((index, module, handler)) => (index, module.to_owned(), handler, Access::Anyone, None),
            None => match self.registry.find(&parsed.name) {
                Some(entry) => {
                    if let (true, Some(claim)) = (entry.command.idempotent, claim) {
                        claim.waive();
                    }
                    (
                        entry.module_index,
                        entry.module.clone(),
                        &entry.command.handler,
                        entry.command.access_rule(),
                        entry.command.usage.clone(),
                    )
                }
                None => return Ok(Dispatch::Ignored),
            },
        };
        let Some(env) = env_of(module_index) else {
            return Ok(Dispatch::Ignored);
        };
        let command = parsed.name;
        let fail = failure(&module, &command);
        let message = Arc::new(message.clone());
        let ctx = CommandCtx {
            env,
            command: Arc::from(command.as_str()),
            message: message.clone(),
            update: Arc::from(update),
            args: Arc::from(parsed.args.as_str()),
            usage,
            telegram,
            commands: self.registry.command_list().clone(),
        };
        let sender = message.from.as_ref().map(|u| u.id);
        if !self.allowed(access, sender) {
            let text = match access {
                Access::Owner => format!("Sorry, /{command} is only for the bot owner."),
                _ => format!("Sorry, /{command} is only for admins."),
            };
            ctx.reply(text).await.map_err(&fail)?;
            return Ok(Dispatch::Refused { module, command });
        }
        let reply = reply_of(handler(ctx.clone()).await).map_err(&fail)?;
        ctx.reply_with(reply).await.map_err(&fail)?;
        Ok(Dispatch::Handled { module, command })
    }

    /// Plain text or an edit, to every module that takes it, in `MODULES` order.
    async fn dispatch_message(
        &self,
        message: &Message,
        edited: bool,
        handlers: &[(usize, DynMessageHandler)],
        telegram: Arc<dyn TelegramApi>,
        env_of: impl Fn(usize) -> Option<ModuleEnv>,
    ) -> Result<Vec<String>, HandlerFailure> {
        let mut modules = Vec::new();
        if handlers.is_empty() {
            return Ok(modules);
        }
        let message = Arc::new(message.clone());
        let bot_username: Option<Arc<str>> = self.username.as_deref().map(Arc::from);
        for (index, handler) in handlers {
            let Some(env) = env_of(*index) else { continue };
            let module = env.module().to_owned();
            let fail = failure(&module, if edited { "edited_message" } else { "text" });
            let ctx = MessageCtx {
                env,
                message: message.clone(),
                edited,
                bot_username: bot_username.clone(),
                telegram: telegram.clone(),
            };
            let reply = reply_of(handler(ctx).await).map_err(&fail)?;
            send_to(telegram.as_ref(), &message, reply).await.map_err(&fail)?;
            modules.push(module);
        }
        Ok(modules)
    }

    /// A button press: routed by its data's `<module>:<name>`, answered exactly once.
    async fn dispatch_callback(
        &self,
        query: &CallbackQuery,
        telegram: Arc<dyn TelegramApi>,
        env_of: impl Fn(usize) -> Option<ModuleEnv>,
    ) -> Result<Dispatch, HandlerFailure> {
        // A press without data (a game button) is not the framework's to answer.
        let Some(data) = query.data.as_deref() else {
            return Ok(Dispatch::Ignored);
        };
        let route = split_data(data).and_then(|(module, name, payload)| {
            let key = &data[..module.len() + 1 + name.len()];
            let (index, handler) = self.registry.callback(key)?;
            Some((env_of(index)?, handler, payload))
        });
        let answer = |answer: CallbackAnswer| {
            let request = answer.request(&query.id);
            let telegram = telegram.clone();
            async move { telegram.answer_callback_query(&request).await }
        };
        let Some((env, handler, payload)) = route else {
            return stale(query, answer(CallbackAnswer::toast(STALE_TOAST)).await);
        };
        let module = env.module().to_owned();
        let callback = handler.name.clone();
        let fail = failure(&module, &format!("callback {callback}"));
        if !self.allowed(handler.access, Some(query.from.id)) {
            let text = match handler.access {
                Access::Owner => "Sorry, this button is only for the bot owner.",
                _ => "Sorry, this button is only for admins.",
            };
            answer(CallbackAnswer::toast(text)).await.map_err(|e| fail(e.into()))?;
            return Ok(Dispatch::Pressed {
                module,
                callback,
                refused: true,
            });
        }
        let input = CallbackInput {
            env,
            callback: Arc::from(callback.as_str()),
            query: Arc::new(query.clone()),
            telegram: telegram.clone(),
        };
        let Some(future) = (handler.handler)(input, payload) else {
            return stale(query, answer(CallbackAnswer::toast(STALE_TOAST)).await);
        };
        let (reply, result) = match CatchPanic::new(future).await {
            Ok(Ok(reply)) => (reply, Ok(())),
            Ok(Err(Error::Reply(text))) => (CallbackAnswer::toast(text), Ok(())),
            Ok(Err(error)) => (CallbackAnswer::toast(FAILED_TOAST), Err(error)),
            Err(()) => (
                CallbackAnswer::toast(FAILED_TOAST),
                Err(Error::msg("the callback handler panicked")),
            ),
        };
        // Answered whatever the handler did, so the button's spinner always stops.
        let answered = answer(reply).await;
        result.map_err(&fail)?;
        answered.map_err(|e| fail(e.into()))?;
        Ok(Dispatch::Pressed {
            module,
            callback,
            refused: false,
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
            crate::error!(job = %cron.id(), schedule = %cron.cron.schedule(), %error, "cron handler failed");
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
