use std::sync::{Arc, Mutex};

use miti99bot_core::telegram::{TelegramApi, TelegramError};
use serde_json::{json, Value};

/// One recorded Bot API call.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    /// The method, e.g. `sendMessage`.
    pub method: String,
    /// The JSON payload.
    pub payload: Value,
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

#[async_trait::async_trait]
impl TelegramApi for RecordingTelegram {
    async fn call(&self, method: &str, payload: Value) -> Result<Value, TelegramError> {
        let message_id = {
            let mut calls = self.calls.lock().map_err(|_| TelegramError::Network {
                method: method.to_owned(),
                reason: "recorder lock poisoned".into(),
            })?;
            calls.push(RecordedCall {
                method: method.to_owned(),
                payload: payload.clone(),
            });
            calls.len() as i64
        };
        if let Some(description) = self.fail_with.lock().ok().and_then(|f| f.clone()) {
            return Err(TelegramError::Api {
                method: method.to_owned(),
                status: 400,
                description,
            });
        }
        Ok(match method {
            "sendMessage" => json!({
                "message_id": message_id,
                "chat": { "id": payload.get("chat_id").cloned().unwrap_or(Value::Null), "type": "private" },
                "date": 0,
                "text": payload.get("text").cloned().unwrap_or(Value::Null),
            }),
            "getMe" => json!({ "id": 1, "is_bot": true, "first_name": "miti99bot", "username": "miti99bot" }),
            "getUpdates" => json!([]),
            _ => Value::Bool(true),
        })
    }
}
