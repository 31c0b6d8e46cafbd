use std::sync::{Arc, Mutex};

use miti99bot_core::telegram::synthetic::private_chat;
use miti99bot_core::telegram::{ApiRequest, Chat, EditTarget, SendMessage, TelegramApi, TelegramError};
use serde_json::Value;

use crate::RecordingTelegram;

/// A message the bot sent: its chat, the id Telegram gave it and the request, markup included
/// (what a button press on it refers to). Later edits of its text or markup are applied to
/// `request`, so it shows the message as the user sees it now.
#[derive(Debug, Clone, PartialEq)]
pub struct BotMessage {
    /// The chat it is in (the update's chat when it answered there, else a private chat).
    pub chat: Chat,
    /// The message's id in its chat.
    pub message_id: i64,
    /// The `sendMessage` that sent it, with the edits since.
    pub request: SendMessage,
}

/// One update's Bot API client: every call goes to the bot's [`RecordingTelegram`] (which
/// numbers messages across the whole bot) and is kept for this update's [`Sent`](super::Sent).
pub(crate) struct UpdateRecorder {
    telegram: RecordingTelegram,
    requests: Mutex<Vec<ApiRequest>>,
    messages: Arc<Mutex<Vec<BotMessage>>>,
    chat: Option<Chat>,
}

impl UpdateRecorder {
    /// A recorder for an update from `chat` (when it has one).
    pub(crate) fn new(telegram: RecordingTelegram, messages: Arc<Mutex<Vec<BotMessage>>>, chat: Option<Chat>) -> Self {
        Self {
            telegram,
            requests: Mutex::new(Vec::new()),
            messages,
            chat,
        }
    }

    /// Keeps what the user now sees: a sent message, or an edit of one.
    fn remember(&self, request: &ApiRequest, answer: &Value) {
        let Ok(mut messages) = self.messages.lock() else {
            return;
        };
        match request {
            ApiRequest::SendMessage(message) => {
                let Some(message_id) = answer.get("message_id").and_then(Value::as_i64) else {
                    return;
                };
                let chat = match &self.chat {
                    Some(chat) if chat.id == message.chat_id => chat.clone(),
                    _ => private_chat(message.chat_id),
                };
                messages.push(BotMessage {
                    chat,
                    message_id,
                    request: message.clone(),
                });
            }
            ApiRequest::EditMessageText(edit) => {
                if let Some(shown) = shown_at(&edit.target, &mut messages) {
                    shown.text.clone_from(&edit.text);
                    shown.parse_mode = edit.parse_mode;
                    shown.reply_markup.clone_from(&edit.reply_markup);
                }
            }
            ApiRequest::EditMessageReplyMarkup(edit) => {
                if let Some(shown) = shown_at(&edit.target, &mut messages) {
                    shown.reply_markup.clone_from(&edit.reply_markup);
                }
            }
            _ => {}
        }
    }

    /// The calls of this update, in order.
    pub(crate) fn requests(&self) -> Vec<ApiRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// The request of the message an edit of `target` changes (the newest with that id).
fn shown_at<'m>(target: &EditTarget, messages: &'m mut [BotMessage]) -> Option<&'m mut SendMessage> {
    match target {
        EditTarget::Chat { chat_id, message_id } => messages
            .iter_mut()
            .rev()
            .find(|m| m.chat.id == *chat_id && m.message_id == *message_id)
            .map(|m| &mut m.request),
        EditTarget::Inline { .. } => None,
    }
}

#[async_trait::async_trait]
impl TelegramApi for UpdateRecorder {
    async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request.clone());
        }
        let answer = self.telegram.call(request).await?;
        self.remember(request, &answer);
        Ok(answer)
    }
}
