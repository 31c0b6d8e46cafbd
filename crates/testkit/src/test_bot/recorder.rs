use std::sync::{Arc, Mutex};

use miti99bot_core::telegram::{ApiRequest, SendMessage, TelegramApi, TelegramError};
use serde_json::Value;

use crate::RecordingTelegram;

/// A message the bot sent: the id Telegram gave it and the request, markup included (what a
/// button press on it refers to).
#[derive(Debug, Clone, PartialEq)]
pub struct BotMessage {
    /// The message's id in its chat.
    pub message_id: i64,
    /// The `sendMessage` that sent it.
    pub request: SendMessage,
}

/// One update's Bot API client: every call goes to the bot's [`RecordingTelegram`] (which
/// numbers messages across the whole bot) and is kept for this update's [`Sent`](super::Sent).
pub(crate) struct UpdateRecorder {
    telegram: RecordingTelegram,
    requests: Mutex<Vec<ApiRequest>>,
    messages: Arc<Mutex<Vec<BotMessage>>>,
}

impl UpdateRecorder {
    pub(crate) fn new(telegram: RecordingTelegram, messages: Arc<Mutex<Vec<BotMessage>>>) -> Self {
        Self {
            telegram,
            requests: Mutex::new(Vec::new()),
            messages,
        }
    }

    /// The calls of this update, in order.
    pub(crate) fn requests(&self) -> Vec<ApiRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

#[async_trait::async_trait]
impl TelegramApi for UpdateRecorder {
    async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request.clone());
        }
        let answer = self.telegram.call(request).await?;
        if let (ApiRequest::SendMessage(message), Some(message_id)) =
            (request, answer.get("message_id").and_then(Value::as_i64))
        {
            if let Ok(mut messages) = self.messages.lock() {
                messages.push(BotMessage {
                    message_id,
                    request: message.clone(),
                });
            }
        }
        Ok(answer)
    }
}
