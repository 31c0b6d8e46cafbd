//! A [`TelegramApi`] that prints what the bot sends instead of calling Telegram.

use std::io::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use miti99bot_core::telegram::{ParseMode, SendMessage, TelegramApi, TelegramError};
use serde_json::{json, Value};

use super::render::render_html;

/// Prints `sendMessage` texts to a writer (HTML rendered); answers other calls like Telegram.
#[derive(Clone)]
pub struct ConsoleTelegram {
    out: Arc<Mutex<Box<dyn Write + Send>>>,
    ansi: bool,
    username: String,
    next_message_id: Arc<AtomicI64>,
}

impl std::fmt::Debug for ConsoleTelegram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleTelegram")
            .field("ansi", &self.ansi)
            .finish_non_exhaustive()
    }
}

impl ConsoleTelegram {
    /// Prints to `out`, with terminal styling when `ansi`.
    pub fn new(out: Box<dyn Write + Send>, ansi: bool, username: &str) -> Self {
        Self {
            out: Arc::new(Mutex::new(out)),
            ansi,
            username: username.to_owned(),
            next_message_id: Arc::new(AtomicI64::new(1_000_000)),
        }
    }

    fn print(&self, method: &str, text: &str) -> Result<(), TelegramError> {
        let mut out = self
            .out
            .lock()
            .map_err(|_| network(method, "console output lock poisoned"))?;
        writeln!(out, "{text}")
            .and_then(|()| out.flush())
            .map_err(|e| network(method, &e.to_string()))
    }
}

fn network(method: &str, reason: &str) -> TelegramError {
    TelegramError::Network {
        method: method.to_owned(),
        reason: reason.to_owned(),
    }
}

#[async_trait::async_trait]
impl TelegramApi for ConsoleTelegram {
    async fn call(&self, method: &str, payload: Value) -> Result<Value, TelegramError> {
        match method {
            "sendMessage" => {
                let request: SendMessage = serde_json::from_value(payload).map_err(|e| TelegramError::Decode {
                    method: method.to_owned(),
                    reason: e.to_string(),
                })?;
                let text = match request.parse_mode {
                    Some(ParseMode::Html) => render_html(&request.text, self.ansi),
                    _ => request.text.clone(),
                };
                let shown = if self.ansi {
                    format!("\x1b[32mbot>\x1b[0m {text}")
                } else {
                    text
                };
                self.print(method, &shown)?;
                let id = self.next_message_id.fetch_add(1, Ordering::Relaxed);
                Ok(json!({
                    "message_id": id,
                    "chat": { "id": request.chat_id, "type": "private" },
                    "date": 0,
                    "text": request.text,
                }))
            }
            "getMe" => Ok(json!({ "id": 1, "is_bot": true, "first_name": "miti99bot", "username": self.username })),
            _ => Ok(Value::Bool(true)),
        }
    }
}
