//! A [`TelegramApi`] that prints what the bot sends instead of calling Telegram.

use std::io::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use miti99bot_core::telegram::synthetic::{bot_message, private_chat, sent_message};
use miti99bot_core::telegram::{ApiRequest, EditTarget, Message, ParseMode, TelegramApi, TelegramError};
use serde_json::{json, Value};

use super::render::render_html;

/// Prints `sendMessage` and `editMessageText` texts to a writer (HTML rendered); answers other
/// calls like Telegram.
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

    /// Shows a text the bot sends (`edited`: a new text of an earlier message).
    fn show(&self, method: &str, text: &str, parse_mode: Option<ParseMode>, edited: bool) -> Result<(), TelegramError> {
        let text = match parse_mode {
            Some(ParseMode::Html) => render_html(text, self.ansi),
            _ => text.to_owned(),
        };
        let shown = match (self.ansi, edited) {
            (true, false) => format!("\x1b[32mbot>\x1b[0m {text}"),
            (true, true) => format!("\x1b[32mbot (edited)>\x1b[0m {text}"),
            (false, false) => text,
            (false, true) => format!("(edited) {text}"),
        };
        self.print(method, &shown)
    }
}

fn answer(method: &str, message: Message) -> Result<Value, TelegramError> {
    serde_json::to_value(message).map_err(|e| TelegramError::Decode {
        method: method.to_owned(),
        reason: e.to_string(),
    })
}

fn network(method: &str, reason: &str) -> TelegramError {
    TelegramError::Network {
        method: method.to_owned(),
        reason: reason.to_owned(),
    }
}

#[async_trait::async_trait]
impl TelegramApi for ConsoleTelegram {
    async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
        let method = request.method();
        match request {
            ApiRequest::SendMessage(message) => {
                self.show(method, &message.text, message.parse_mode, false)?;
                let id = self.next_message_id.fetch_add(1, Ordering::Relaxed);
                answer(method, sent_message(message, None, id, 0))
            }
            ApiRequest::EditMessageText(edit) => {
                self.show(method, &edit.text, edit.parse_mode, true)?;
                match edit.target {
                    EditTarget::Chat { chat_id, message_id } => answer(
                        method,
                        bot_message(private_chat(chat_id), message_id, 0, Some(&edit.text)),
                    ),
                    EditTarget::Inline { .. } => Ok(Value::Bool(true)),
                }
            }
            ApiRequest::GetMe => {
                Ok(json!({ "id": 1, "is_bot": true, "first_name": "miti99bot", "username": self.username }))
            }
            _ => Ok(Value::Bool(true)),
        }
    }
}

#[cfg(test)]
mod tests {
    use miti99bot_core::telegram::{EditMessageText, SendMessage};
    use miti99bot_testkit::SharedBuffer;

    use super::*;

    #[tokio::test]
    async fn prints_sends_and_edits_from_the_typed_requests() {
        let buffer = SharedBuffer::new();
        let console = ConsoleTelegram::new(Box::new(buffer.clone()), false, "the_bot");
        let api: &dyn TelegramApi = &console;
        let sent = api
            .send_message(&SendMessage::new(7, "<b>hi</b>").html())
            .await
            .unwrap();
        assert_eq!(
            (sent.message_id, sent.chat.id, sent.text.as_deref()),
            (1_000_000, 7, Some("<b>hi</b>"))
        );
        let edited = api
            .edit_message_text(&EditMessageText::new(7, sent.message_id, "bye"))
            .await
            .unwrap();
        assert!(matches!(edited, miti99bot_core::telegram::Edited::Message(m) if m.message_id == 1_000_000));
        assert_eq!(api.get_me().await.unwrap().username.as_deref(), Some("the_bot"));
        let printed = buffer.text().unwrap();
        assert_eq!(printed, "hi\n(edited) bye\n");
    }
}
