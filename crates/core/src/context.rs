//! What handlers, crons and inits receive.

use std::sync::Arc;

use crate::bot::Services;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::Error;
use crate::http::HttpGet;
use crate::kv::PrefixedKv;
use crate::registry::Registry;
use crate::sql::ModuleSql;
use crate::telegram::{Message, SendMessage, TelegramApi, Update};

/// A module's stores: its prefixed KV and, when a database is configured, its SQL handle.
#[derive(Debug, Clone)]
pub struct ModuleStores {
    /// Keys under `<module>:`.
    pub kv: PrefixedKv,
    /// SQL with D1's rules; `None` when no database is configured.
    pub sql: Option<ModuleSql>,
}

impl ModuleStores {
    /// Fresh stores of `module` over the bot's backends.
    pub fn for_module(module: &str, services: &Services) -> Self {
        Self {
            kv: PrefixedKv::new(module, services.kv.clone()),
            sql: services.sql.clone().map(|sql| ModuleSql::new(module, sql)),
        }
    }
}

/// Everything a command handler gets: the message, its arguments, the module's stores, the
/// configuration, the clock, HTTP and reply helpers.
#[derive(Clone)]
pub struct CommandCtx {
    pub(crate) module: Arc<str>,
    pub(crate) command: Arc<str>,
    pub(crate) update: Arc<Update>,
    pub(crate) message: Arc<Message>,
    pub(crate) args: Arc<str>,
    pub(crate) stores: ModuleStores,
    pub(crate) config: Arc<Config>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) http: Arc<dyn HttpGet>,
    pub(crate) telegram: Arc<dyn TelegramApi>,
    pub(crate) registry: Arc<Registry>,
}

impl std::fmt::Debug for CommandCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandCtx")
            .field("module", &self.module)
            .field("command", &self.command)
            .field("args", &self.args)
            .finish_non_exhaustive()
    }
}

impl CommandCtx {
    /// The module the command belongs to.
    pub fn module(&self) -> &str {
        &self.module
    }

    /// The command name, without slash or `@bot`.
    pub fn command(&self) -> &str {
        &self.command
    }

    /// The text after the command, trimmed (empty when none).
    pub fn args(&self) -> &str {
        &self.args
    }

    /// The whole update.
    pub fn update(&self) -> &Update {
        &self.update
    }

    /// The message that carried the command.
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// The sender's user id, when there is a sender.
    pub fn from_id(&self) -> Option<i64> {
        self.message.from.as_ref().map(|u| u.id)
    }

    /// The chat id.
    pub fn chat_id(&self) -> i64 {
        self.message.chat.id
    }

    /// The module's key-value store.
    pub fn kv(&self) -> &PrefixedKv {
        &self.stores.kv
    }

    /// The module's SQL store, `None` when no database is configured.
    pub fn sql(&self) -> Option<&ModuleSql> {
        self.stores.sql.as_ref()
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Now, in Unix milliseconds (from the runtime's clock).
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The runtime's outbound HTTP client (reqwest natively, `fetch` on Workers). Modules call
    /// outside services through it, never with a client of their own; in a runtime without
    /// one every request fails ([`NoHttp`](crate::http::NoHttp)).
    pub fn http(&self) -> &dyn HttpGet {
        self.http.as_ref()
    }

    /// The Bot API.
    pub fn telegram(&self) -> &dyn TelegramApi {
        self.telegram.as_ref()
    }

    /// The registry (commands of every module, for `/help`).
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// A `sendMessage` to this chat, in the same forum topic when the message was in one.
    pub fn reply_request(&self, text: impl Into<String>) -> SendMessage {
        let thread = match self.message.is_topic_message {
            Some(true) => self.message.message_thread_id,
            _ => None,
        };
        SendMessage::new(self.message.chat.id, text).in_thread(thread)
    }

    /// Replies with plain text.
    pub async fn reply(&self, text: impl Into<String>) -> Result<Message, Error> {
        Ok(self.telegram.send_message(&self.reply_request(text)).await?)
    }

    /// Replies with Telegram HTML (link previews off).
    pub async fn reply_html(&self, html: impl Into<String>) -> Result<Message, Error> {
        Ok(self.telegram.send_message(&self.reply_request(html).html()).await?)
    }
}

/// What a cron handler gets: fresh stores of its module, the event, the configuration, the
/// clock, HTTP and the Bot API.
#[derive(Clone)]
pub struct CronCtx {
    pub(crate) module: Arc<str>,
    pub(crate) cron: Arc<str>,
    pub(crate) schedule: Arc<str>,
    pub(crate) scheduled_time_ms: i64,
    pub(crate) stores: ModuleStores,
    pub(crate) config: Arc<Config>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) http: Arc<dyn HttpGet>,
    pub(crate) telegram: Arc<dyn TelegramApi>,
}

impl std::fmt::Debug for CronCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CronCtx")
            .field("module", &self.module)
            .field("cron", &self.cron)
            .field("schedule", &self.schedule)
            .field("scheduled_time_ms", &self.scheduled_time_ms)
            .finish_non_exhaustive()
    }
}

impl CronCtx {
    /// The module.
    pub fn module(&self) -> &str {
        &self.module
    }
    /// The cron's name.
    pub fn cron(&self) -> &str {
        &self.cron
    }
    /// The schedule that fired.
    pub fn schedule(&self) -> &str {
        &self.schedule
    }
    /// When it was due, Unix ms.
    pub fn scheduled_time_ms(&self) -> i64 {
        self.scheduled_time_ms
    }
    /// The module's key-value store.
    pub fn kv(&self) -> &PrefixedKv {
        &self.stores.kv
    }
    /// The module's SQL store, `None` when no database is configured.
    pub fn sql(&self) -> Option<&ModuleSql> {
        self.stores.sql.as_ref()
    }
    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// Now, Unix ms.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
    /// The runtime's outbound HTTP client (see [`CommandCtx::http`]).
    pub fn http(&self) -> &dyn HttpGet {
        self.http.as_ref()
    }
    /// The Bot API.
    pub fn telegram(&self) -> &dyn TelegramApi {
        self.telegram.as_ref()
    }
}

/// What a module's init gets: its stores, the configuration, the clock and HTTP.
#[derive(Clone)]
pub struct InitCtx {
    pub(crate) module: Arc<str>,
    pub(crate) stores: ModuleStores,
    pub(crate) config: Arc<Config>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) http: Arc<dyn HttpGet>,
}

impl std::fmt::Debug for InitCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitCtx")
            .field("module", &self.module)
            .finish_non_exhaustive()
    }
}

impl InitCtx {
    /// The module.
    pub fn module(&self) -> &str {
        &self.module
    }
    /// The module's key-value store.
    pub fn kv(&self) -> &PrefixedKv {
        &self.stores.kv
    }
    /// The module's SQL store, `None` when no database is configured.
    pub fn sql(&self) -> Option<&ModuleSql> {
        self.stores.sql.as_ref()
    }
    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// Now, Unix ms.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
    /// The runtime's outbound HTTP client (see [`CommandCtx::http`]).
    pub fn http(&self) -> &dyn HttpGet {
        self.http.as_ref()
    }
}
