//! Updates that are not commands or button presses, for the modules that ask for them: plain
//! text ([`Module::on_text`](crate::Module::on_text)), edited messages
//! ([`Module::on_edited_message`](crate::Module::on_edited_message)) and the bot's own
//! membership in a chat ([`Module::on_my_chat_member`](crate::Module::on_my_chat_member)).
//!
//! Every module that takes a kind gets each update of it, in `MODULES` order; a handler that
//! has nothing to do returns `Ok(())`. A returned [`Reply`] is sent to the chat.

use std::ops::Deref;
use std::sync::Arc;

use crate::env::ModuleEnv;
use crate::error::Error;
use crate::handler::DynHandler;
use crate::reply::Reply;
use crate::telegram::{ChatMemberUpdated, Message, TelegramApi};

/// A plain text's or an edit's handler.
pub(crate) type DynMessageHandler = DynHandler<MessageCtx>;
/// A membership change's handler.
pub(crate) type DynMemberHandler = DynHandler<ChatMemberCtx>;

/// A message that is not a command (new plain text, or an edit), with its module's
/// [`ModuleEnv`] through `Deref`.
#[derive(Clone)]
pub struct MessageCtx {
    pub(crate) env: ModuleEnv,
    pub(crate) message: Arc<Message>,
    pub(crate) edited: bool,
    pub(crate) bot_username: Option<Arc<str>>,
    pub(crate) telegram: Arc<dyn TelegramApi>,
}

impl Deref for MessageCtx {
    type Target = ModuleEnv;
    fn deref(&self) -> &ModuleEnv {
        &self.env
    }
}

impl std::fmt::Debug for MessageCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageCtx")
            .field("module", &self.env.module())
            .field("message_id", &self.message.message_id)
            .field("edited", &self.edited)
            .finish_non_exhaustive()
    }
}

impl MessageCtx {
    /// The message.
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// Its text (empty for a message without text: a photo's edit, say).
    pub fn text(&self) -> &str {
        self.message.text.as_deref().unwrap_or("")
    }

    /// Whether this is an edit of an earlier message.
    pub fn is_edit(&self) -> bool {
        self.edited
    }

    /// The sender's user id, when there is a sender.
    pub fn from_id(&self) -> Option<i64> {
        self.message.from.as_ref().map(|u| u.id)
    }

    /// The chat id.
    pub fn chat_id(&self) -> i64 {
        self.message.chat.id
    }

    /// The message this one replies to, when it is one of this bot's (a multi-step flow's
    /// question, a game's board). Without a known username, any bot's message counts.
    pub fn reply_to_bot(&self) -> Option<&Message> {
        let replied = self.message.reply_to_message.as_deref()?;
        let from = replied.from.as_ref()?;
        let ours = match (&self.bot_username, &from.username) {
            (Some(ours), Some(theirs)) => ours.eq_ignore_ascii_case(theirs),
            _ => true,
        };
        (from.is_bot && ours).then_some(replied)
    }

    /// The Bot API (calls through it claim the update first).
    pub fn telegram(&self) -> &dyn TelegramApi {
        self.telegram.as_ref()
    }

    /// Sends `reply` to the chat, in the message's forum topic (`None`: nothing to send).
    pub async fn send(&self, reply: impl Into<Reply>) -> Result<Option<Message>, Error> {
        send_to(self.telegram.as_ref(), &self.message, reply.into()).await
    }
}

/// A change of the bot's membership in a chat (added to a group, removed, blocked by a user),
/// with its module's [`ModuleEnv`] through `Deref`.
#[derive(Clone)]
pub struct ChatMemberCtx {
    pub(crate) env: ModuleEnv,
    pub(crate) change: Arc<ChatMemberUpdated>,
    pub(crate) telegram: Arc<dyn TelegramApi>,
}

impl Deref for ChatMemberCtx {
    type Target = ModuleEnv;
    fn deref(&self) -> &ModuleEnv {
        &self.env
    }
}

impl std::fmt::Debug for ChatMemberCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatMemberCtx")
            .field("module", &self.env.module())
            .field("chat", &self.change.chat.id)
            .finish_non_exhaustive()
    }
}

impl ChatMemberCtx {
    /// The change as Telegram sent it.
    pub fn change(&self) -> &ChatMemberUpdated {
        &self.change
    }

    /// The chat id.
    pub fn chat_id(&self) -> i64 {
        self.change.chat.id
    }

    /// Who made the change.
    pub fn from_id(&self) -> i64 {
        self.change.from.id
    }

    /// The bot was added to the chat (or unblocked).
    pub fn joined(&self) -> bool {
        self.change.joined()
    }

    /// The bot was removed from the chat (or blocked): a reply would fail.
    pub fn left(&self) -> bool {
        self.change.left()
    }

    /// The Bot API (calls through it claim the update first).
    pub fn telegram(&self) -> &dyn TelegramApi {
        self.telegram.as_ref()
    }
}

/// Sends `reply` into `message`'s chat and forum topic, in parts when it is long (see
/// [`Reply::to_sends`]); the last message sent, `None` when there is nothing to send.
pub(crate) async fn send_to(
    telegram: &dyn TelegramApi,
    message: &Message,
    reply: Reply,
) -> Result<Option<Message>, Error> {
    let requests = reply.to_sends(message.chat.id, message.topic_thread(), Some(message.message_id));
    send_all(telegram, requests).await
}

/// Sends `requests` in order; the last message sent.
pub(crate) async fn send_all(
    telegram: &dyn TelegramApi,
    requests: Vec<crate::telegram::SendMessage>,
) -> Result<Option<Message>, Error> {
    let mut last = None;
    for request in &requests {
        last = Some(telegram.send_message(request).await?);
    }
    Ok(last)
}
