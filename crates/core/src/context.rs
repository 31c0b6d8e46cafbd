//! What handlers, crons and inits receive. Each context dereferences to its module's
//! [`ModuleEnv`] (stores, configuration, clock, HTTP, state), so those read the same in all three.

use std::ops::Deref;
use std::sync::Arc;

use crate::command_list::CommandList;
use crate::env::ModuleEnv;
use crate::error::Error;
use crate::event::send_to;
use crate::reply::Reply;
use crate::telegram::{EditTarget, Edited, Message, SendMessage, TelegramApi, Update};

/// Everything a command handler gets: the message and its arguments, its module's
/// [`ModuleEnv`] (through `Deref`: `ctx.kv()`, `ctx.sql()`, `ctx.config()`, `ctx.now_ms()`,
/// `ctx.http()`, `ctx.state::<T>()`), the Bot API and reply helpers.
///
/// The stores belong to this update: the first write claims it (see
/// [`UpdateClaim`](crate::ledger::UpdateClaim)), and so does the first Bot API call.
#[derive(Clone)]
pub struct CommandCtx {
    pub(crate) env: ModuleEnv,
    pub(crate) command: Arc<str>,
    pub(crate) update: Arc<Update>,
    pub(crate) message: Arc<Message>,
    pub(crate) args: Arc<str>,
    /// The command's usage text ([`Command::usage`](crate::Command::usage)), for wrong arguments.
    pub(crate) usage: Option<Arc<str>>,
    pub(crate) telegram: Arc<dyn TelegramApi>,
    pub(crate) commands: CommandList,
}

impl Deref for CommandCtx {
    type Target = ModuleEnv;
    fn deref(&self) -> &ModuleEnv {
        &self.env
    }
}

impl std::fmt::Debug for CommandCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandCtx")
            .field("module", &self.env.module())
            .field("command", &self.command)
            .field("args", &self.args)
            .finish_non_exhaustive()
    }
}

impl CommandCtx {
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

    /// The Bot API (calls through it claim the update first).
    pub fn telegram(&self) -> &dyn TelegramApi {
        self.telegram.as_ref()
    }

    /// Every enabled command (for `/help`).
    pub fn commands(&self) -> &CommandList {
        &self.commands
    }

    /// A `sendMessage` to this chat, in the same forum topic when the message was in one.
    pub fn reply_request(&self, text: impl Into<String>) -> SendMessage {
        SendMessage::new(self.message.chat.id, text).in_thread(self.message.topic_thread())
    }

    /// Replies with plain text; a text over 4,096 UTF-16 units goes as several messages, in
    /// order, cut on line breaks where possible ([`long_text`](crate::telegram::long_text));
    /// returns the last one.
    pub async fn reply(&self, text: impl Into<String>) -> Result<Message, Error> {
        self.reply_with(Reply::text(text))
            .await?
            .ok_or_else(|| Error::msg("reply has no text"))
    }

    /// Replies with Telegram HTML (link previews off); split like [`reply`](Self::reply), each
    /// part's tags balanced.
    pub async fn reply_html(&self, html: impl Into<String>) -> Result<Message, Error> {
        self.reply_with(Reply::html(html))
            .await?
            .ok_or_else(|| Error::msg("reply has no text"))
    }

    /// Sends `reply` (buttons, HTML, quoting: see [`Reply`]) to this chat and topic, in parts
    /// when it is long, and returns the (last) sent message to edit later; `None` for
    /// [`Reply::nothing`].
    pub async fn reply_with(&self, reply: impl Into<Reply>) -> Result<Option<Message>, Error> {
        send_to(self.telegram.as_ref(), &self.message, reply.into()).await
    }

    /// Makes the bot's message `message_id` in this chat show `reply` (its buttons replaced by
    /// the reply's). "Message is not modified" is [`Edited::NotModified`], not an error.
    pub async fn edit(&self, message_id: i64, reply: impl Into<Reply>) -> Result<Edited, Error> {
        let target = EditTarget::Chat {
            chat_id: self.message.chat.id,
            message_id,
        };
        match reply.into().to_edit(target) {
            Some(edit) => Ok(self.telegram.edit_message_text(&edit).await?),
            None => Ok(Edited::NotModified),
        }
    }
}

/// What a cron handler gets: its module's [`ModuleEnv`] (through `Deref`), the event and the
/// Bot API.
#[derive(Clone)]
pub struct CronCtx {
    pub(crate) env: ModuleEnv,
    pub(crate) cron: Arc<str>,
    pub(crate) schedule: Arc<str>,
    pub(crate) scheduled_time_ms: i64,
    pub(crate) telegram: Arc<dyn TelegramApi>,
}

impl Deref for CronCtx {
    type Target = ModuleEnv;
    fn deref(&self) -> &ModuleEnv {
        &self.env
    }
}

impl std::fmt::Debug for CronCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CronCtx")
            .field("module", &self.env.module())
            .field("cron", &self.cron)
            .field("schedule", &self.schedule)
            .field("scheduled_time_ms", &self.scheduled_time_ms)
            .finish_non_exhaustive()
    }
}

impl CronCtx {
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
    /// The Bot API.
    pub fn telegram(&self) -> &dyn TelegramApi {
        self.telegram.as_ref()
    }
}

/// What a module's init gets: its [`ModuleEnv`] (through `Deref`).
#[derive(Clone)]
pub struct InitCtx {
    pub(crate) env: ModuleEnv,
}

impl Deref for InitCtx {
    type Target = ModuleEnv;
    fn deref(&self) -> &ModuleEnv {
        &self.env
    }
}

impl std::fmt::Debug for InitCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitCtx")
            .field("module", &self.env.module())
            .finish_non_exhaustive()
    }
}
