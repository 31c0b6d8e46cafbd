use std::sync::{Arc, Mutex};

use miti99bot_core::telegram::synthetic::{bot_message, private_chat, sent_message};
use miti99bot_core::telegram::{ApiRequest, EditTarget, TelegramApi, TelegramError};
use serde_json::{json, Value};

/// One recorded Bot API call.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    /// The method, e.g. `sendMessage`.
    pub method: String,
    /// The JSON payload.
    pub payload: Value,
    /// The typed request.
    pub request: ApiRequest,
}

impl RecordedCall {
    /// The `text` of a `sendMessage` payload.
    pub fn text(&self) -> Option<&str> {
        self.payload.get("text").and_then(Value::as_str)
    }
}

/// A [`TelegramApi`] that records calls and answers like Telegram (or fails when told to).
#[derive(Debug, Clone, Default)]
pub struct RecordingTelegram {
    calls: Arc<Mutex<Vec<RecordedCall>>>,
    fail_with: Arc<Mutex<Option<String>>>,
}

impl RecordingTelegram {
    /// A recorder that accepts everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// The typed requests so far.
    pub fn requests(&self) -> Vec<ApiRequest> {
        self.calls().into_iter().map(|c| c.request).collect()
    }

    /// The texts of every `sendMessage` so far.
    pub fn sent_texts(&self) -> Vec<String> {
        self.calls()
            .iter()
            .filter(|c| c.method == "sendMessage")
            .filter_map(|c| c.text().map(str::to_owned))
            .collect()
    }

    /// Forgets the calls so far.
    pub fn clear(&self) {
        if let Ok(mut c) = self.calls.lock() {
            c.clear();
        }
    }

    /// Makes every later call fail with an API error carrying `description` (None: succeed).
    pub fn fail_with(&self, description: Option<&str>) {
        if let Ok(mut f) = self.fail_with.lock() {
            *f = description.map(str::to_owned);
        }
    }
}

/// The message an edit of `target` to `text` leaves, or `true` for an inline message (Telegram
/// returns no message for those).
fn edit_answer(target: &EditTarget, text: Option<&str>) -> Value {
    match target {
        EditTarget::Chat { chat_id, message_id } => {
            serde_json::to_value(bot_message(private_chat(*chat_id), *message_id, 0, text)).unwrap_or(Value::Null)
        }
        EditTarget::Inline { .. } => Value::Bool(true),
    }
}

#[async_trait::async_trait]
impl TelegramApi for RecordingTelegram {
    async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
        let method = request.method();
        let message_id = {
            let mut calls = self.calls.lock().map_err(|_| TelegramError::Network {
                method: method.to_owned(),
                reason: "recorder lock poisoned".into(),
            })?;
            calls.push(RecordedCall {
                method: method.to_owned(),
                payload: request.payload(),
                request: request.clone(),
            });
            calls.len() as i64
        };
        if let Some(description) = self.fail_with.lock().ok().and_then(|f| f.clone()) {
            return Err(TelegramError::Api {
                method: method.to_owned(),
                status: 400,
                description,
                migrate_to_chat_id: None,
            });
        }
        Ok(match request {
            ApiRequest::SendMessage(message) => {
                serde_json::to_value(sent_message(message, None, message_id, 0)).unwrap_or(Value::Null)
            }
            ApiRequest::EditMessageText(edit) => edit_answer(&edit.target, Some(&edit.text)),
            ApiRequest::EditMessageReplyMarkup(edit) => edit_answer(&edit.target, None),
            ApiRequest::GetMe => json!({ "id": 1, "is_bot": true, "first_name": "miti99bot", "username": "miti99bot" }),
            ApiRequest::GetUpdates(_) => json!([]),
            _ => Value::Bool(true),
        })
    }
}
