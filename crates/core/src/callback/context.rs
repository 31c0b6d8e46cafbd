//! What a callback handler gets.

use std::ops::Deref;
use std::sync::Arc;

use crate::env::ModuleEnv;
use crate::error::Error;
use crate::event::{send_all, send_to};
use crate::reply::Reply;
use crate::telegram::{CallbackQuery, EditTarget, Edited, Message, TelegramApi};

/// The untyped parts of a press, before its data is decoded.
#[derive(Clone)]
pub(crate) struct CallbackInput {
    pub(crate) env: ModuleEnv,
    pub(crate) callback: Arc<str>,
    pub(crate) query: Arc<CallbackQuery>,
    pub(crate) telegram: Arc<dyn TelegramApi>,
}

/// Everything a callback handler gets: the decoded data, the press ([`CallbackQuery`]), its
/// module's [`ModuleEnv`] (through `Deref`: `ctx.kv()`, `ctx.sql()`, `ctx.state::<T>()`, ...)
/// and helpers to edit the message the button was under.
///
/// The framework answers the press after the handler (the handler's return value is the
/// answer); as with commands, the first write or Bot API call claims the update.
pub struct CallbackCtx<T> {
    input: CallbackInput,
    data: Arc<T>,
}

impl<T> Clone for CallbackCtx<T> {
    fn clone(&self) -> Self {
        Self {
            input: self.input.clone(),
            data: self.data.clone(),
        }
    }
}

impl<T> Deref for CallbackCtx<T> {
    type Target = ModuleEnv;
    fn deref(&self) -> &ModuleEnv {
        &self.input.env
    }
}

impl<T> std::fmt::Debug for CallbackCtx<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackCtx")
            .field("module", &self.input.env.module())
            .field("callback", &self.input.callback)
            .field("query", &self.input.query.id)
            .finish_non_exhaustive()
    }
}

impl<T> CallbackCtx<T> {
    pub(crate) fn new(input: CallbackInput, data: T) -> Self {
        Self {
            input,
            data: Arc::new(data),
        }
    }

    /// The button's data, decoded.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The callback's name.
    pub fn callback(&self) -> &str {
        &self.input.callback
    }

    /// The press as Telegram sent it.
    pub fn query(&self) -> &CallbackQuery {
        &self.input.query
    }

    /// Who pressed.
    pub fn from_id(&self) -> i64 {
        self.input.query.from.id
    }

    /// The message the button was under (absent for inline-mode messages; only its chat and
    /// id when it is too old for Telegram to send the rest).
    pub fn message(&self) -> Option<&Message> {
        self.input.query.message.as_ref()
    }

    /// The chat of that message.
    pub fn chat_id(&self) -> Option<i64> {
        self.message().map(|m| m.chat.id)
    }

    /// The Bot API (calls through it claim the update first).
    pub fn telegram(&self) -> &dyn TelegramApi {
        self.input.telegram.as_ref()
    }

    /// The message the button was under, as an edit target.
    pub fn target(&self) -> Option<EditTarget> {
        match (&self.input.query.message, &self.input.query.inline_message_id) {
            (Some(message), _) => Some(EditTarget::Chat {
                chat_id: message.chat.id,
                message_id: message.message_id,
            }),
            (None, Some(id)) => Some(EditTarget::Inline {
                inline_message_id: id.clone(),
            }),
            (None, None) => None,
        }
    }

    /// Makes the message the button was under show `reply` (text, format and buttons; no
    /// buttons in `reply` removes them). "Message is not modified" is
    /// [`Edited::NotModified`], not an error; [`Reply::nothing`] edits nothing.
    pub async fn edit(&self, reply: impl Into<Reply>) -> Result<Edited, Error> {
        let target = self
            .target()
            .ok_or_else(|| Error::msg("the pressed button's message is unknown"))?;
        match reply.into().to_edit(target) {
            Some(edit) => Ok(self.telegram().edit_message_text(&edit).await?),
            None => Ok(Edited::NotModified),
        }
    }

    /// Sends `reply` as a new message into the chat of the pressed button (the presser's
    /// private chat for an inline-mode message), in parts when it is long; `None` when there
    /// was nothing to send.
    pub async fn send(&self, reply: impl Into<Reply>) -> Result<Option<Message>, Error> {
        let reply = reply.into();
        match self.message() {
            Some(message) => send_to(self.telegram(), message, reply).await,
            None => send_all(self.telegram(), reply.to_sends(self.from_id(), None, None)).await,
        }
    }
}
