//! The module contract: what a feature declares to the framework.

use std::future::Future;
use std::sync::Arc;

use crate::callback::CallbackHandler;
use crate::command::{Command, DynCommandHandler};
use crate::config::{Config, ConfigError};
use crate::context::CommandCtx;
use crate::context::InitCtx;
use crate::cron::Cron;
use crate::env::DynState;
use crate::error::Error;
use crate::error::HandlerResult;
use crate::event::{ChatMemberCtx, DynMemberHandler, DynMessageHandler, MessageCtx};
use crate::handler::boxed;
use crate::maybe_send::{BoxFuture, MaybeSend, MaybeSync};
use crate::migrate::Migration;
use crate::reply::Reply;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) type DynInit = Arc<dyn Fn(InitCtx) -> BoxFuture<'static, HandlerResult> + Send + Sync>;
#[cfg(target_arch = "wasm32")]
pub(crate) type DynInit = Arc<dyn Fn(InitCtx) -> BoxFuture<'static, HandlerResult>>;

/// A module: a name, its commands and crons, its migrations, its state and an optional init.
///
/// ```
/// use miti99bot_core::{Command, CommandCtx, Error, Module};
///
/// struct Greeting(String);
///
/// async fn hello(ctx: CommandCtx) -> Result<String, Error> {
///     Ok(ctx.state::<Greeting>()?.0.clone())
/// }
///
/// let module = Module::new("hello")
///     .state(Greeting("hello!".into()))
///     .command(Command::public("hello", "Say hello", hello));
/// assert_eq!(module.name(), "hello");
/// ```
#[derive(Clone)]
pub struct Module {
    pub(crate) name: String,
    pub(crate) commands: Vec<Command>,
    pub(crate) callbacks: Vec<CallbackHandler>,
    pub(crate) deep_links: Vec<(String, DynCommandHandler)>,
    pub(crate) on_text: Option<DynMessageHandler>,
    pub(crate) on_edited: Option<DynMessageHandler>,
    pub(crate) on_member: Option<DynMemberHandler>,
    pub(crate) crons: Vec<Cron>,
    pub(crate) migrations: Vec<Migration>,
    pub(crate) init: Option<DynInit>,
    pub(crate) state: Option<DynState>,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.name)
            .field("commands", &self.commands)
            .field("callbacks", &self.callbacks)
            .field("crons", &self.crons)
            .field(
                "migrations",
                &self.migrations.iter().map(Migration::name).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Module {
    /// An empty module named `name` (`^[a-z0-9_-]{1,32}$`).
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            commands: Vec::new(),
            callbacks: Vec::new(),
            deep_links: Vec::new(),
            on_text: None,
            on_edited: None,
            on_member: None,
            crons: Vec::new(),
            migrations: Vec::new(),
            init: None,
            state: None,
        }
    }

    /// Sets the module's state: one value its handlers, crons and init read with
    /// `ctx.state::<T>()` (instead of values cloned into every closure).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn state<T: Send + Sync + 'static>(mut self, state: T) -> Self {
        self.state = Some(Arc::new(state));
        self
    }

    /// Sets the module's state: one value its handlers, crons and init read with
    /// `ctx.state::<T>()` (instead of values cloned into every closure).
    #[cfg(target_arch = "wasm32")]
    pub fn state<T: 'static>(mut self, state: T) -> Self {
        self.state = Some(Arc::new(state));
        self
    }

    /// Adds a command.
    pub fn command(mut self, command: Command) -> Self {
        self.commands.push(command);
        self
    }

    /// Adds the handler of a [`Callback`](crate::callback::Callback)'s button presses.
    pub fn callback(mut self, handler: CallbackHandler) -> Self {
        self.callbacks.push(handler);
        self
    }

    /// Takes the deep links `https://t.me/<bot>?start=<prefix>[-<arg>]`: `/start <prefix>…`
    /// runs `handler` (a command handler: `ctx.args()` is the whole payload,
    /// [`deep_link::arg`](crate::deep_link::arg) the part after `<prefix>-`). The prefix is
    /// `[a-z0-9]{1,16}`, unique among the enabled modules; build links with
    /// [`deep_link::link`](crate::deep_link::link).
    pub fn deep_link<F, Fut, R>(mut self, prefix: &str, handler: F) -> Self
    where
        F: Fn(CommandCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<Reply> + 'static,
    {
        self.deep_links.push((prefix.to_owned(), boxed(handler)));
        self
    }

    /// Takes plain text messages (not commands) in every chat the bot is in: a game's guess,
    /// the answer to a multi-step flow's question ([`MessageCtx::reply_to_bot`] tells a reply
    /// to the bot's message). A returned [`Reply`] is sent; `Ok(())` when the text is not for
    /// this module. Replaces an earlier one.
    pub fn on_text<F, Fut, R>(mut self, handler: F) -> Self
    where
        F: Fn(MessageCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<Reply> + 'static,
    {
        self.on_text = Some(boxed(handler));
        self
    }

    /// Takes edits of messages (opt-in: an edit never runs a command again). Replaces an
    /// earlier one.
    pub fn on_edited_message<F, Fut, R>(mut self, handler: F) -> Self
    where
        F: Fn(MessageCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<Reply> + 'static,
    {
        self.on_edited = Some(boxed(handler));
        self
    }

    /// Takes changes of the bot's own membership (`my_chat_member`: added to a group, removed,
    /// blocked). A returned [`Reply`] is sent to the chat. Replaces an earlier one.
    pub fn on_my_chat_member<F, Fut, R>(mut self, handler: F) -> Self
    where
        F: Fn(ChatMemberCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<Reply> + 'static,
    {
        self.on_member = Some(boxed(handler));
        self
    }

    /// Adds a cron.
    pub fn cron(mut self, cron: Cron) -> Self {
        self.crons.push(cron);
        self
    }

    /// Adds migrations (normally the build-time list of the module's folder).
    pub fn migrations(mut self, migrations: impl IntoIterator<Item = Migration>) -> Self {
        self.migrations.extend(migrations);
        self
    }

    /// Sets the init, run once at start-up with the module's stores; an error stops start-up.
    pub fn init<F, Fut>(mut self, init: F) -> Self
    where
        F: Fn(InitCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = HandlerResult> + MaybeSend + 'static,
    {
        self.init = Some(Arc::new(move |ctx| Box::pin(init(ctx))));
        self
    }

    /// The module's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its commands, in declaration order.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// Its callback handlers.
    pub fn callbacks(&self) -> &[CallbackHandler] {
        &self.callbacks
    }

    /// Its crons.
    pub fn crons(&self) -> &[Cron] {
        &self.crons
    }

    /// Its migrations.
    pub fn migration_list(&self) -> &[Migration] {
        &self.migrations
    }
}

/// Builds a module from the configuration (the module view: no runtime secrets). A bad
/// setting is an error naming the variable, which stops start-up.
pub type ModuleConstructor = fn(&Config) -> Result<Module, ConfigError>;

/// The modules a build knows, by name. `MODULES` selects and orders among them.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: Vec<(&'static str, ModuleConstructor)>,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a module constructor under `name`.
    pub fn with(mut self, name: &'static str, constructor: ModuleConstructor) -> Self {
        self.entries.push((name, constructor));
        self
    }

    /// The constructor of `name`.
    pub fn get(&self, name: &str) -> Option<ModuleConstructor> {
        self.entries.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    /// Every name, in catalog order.
    pub fn names(&self) -> Vec<&'static str> {
        self.entries.iter().map(|(n, _)| *n).collect()
    }
}
