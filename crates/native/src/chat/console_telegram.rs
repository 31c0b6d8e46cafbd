//! A [`TelegramApi`] that prints what the bot sends instead of calling Telegram.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use miti99bot_core::telegram::synthetic::{bot_message, private_chat, sent_message};
use miti99bot_core::telegram::{
    ApiRequest, EditTarget, InlineKeyboardButton, InlineKeyboardMarkup, Message, ParseMode, TelegramApi, TelegramError,
};
use serde_json::{json, Value};

use super::render::render_html;

/// The latest message the bot showed with buttons, shared by the printer and the console
/// loop (which presses its buttons on `#N`).
#[derive(Debug, Clone, Default)]
pub struct LatestKeyboard(Arc<Mutex<Option<Message>>>);

impl LatestKeyboard {
    /// The message and its button `n` (1-based, rows left to right, top to bottom).
    pub fn button(&self, n: usize) -> Option<(Message, InlineKeyboardButton)> {
        let latest = self.0.lock().ok()?;
        let message = latest.as_ref()?;
        let button = buttons(message.reply_markup.as_ref()?).nth(n.checked_sub(1)?)?.clone();
        Some((message.clone(), button))
    }

    /// Whether a message with buttons was shown.
    pub fn is_set(&self) -> bool {
        self.0.lock().is_ok_and(|latest| latest.is_some())
    }

    fn remember(&self, message: &Message) {
        if let Ok(mut latest) = self.0.lock() {
            let has_buttons = message
                .reply_markup
                .as_ref()
                .is_some_and(|k| buttons(k).next().is_some());
            let same = latest.as_ref().is_some_and(|m| m.message_id == message.message_id);
            if has_buttons {
                *latest = Some(message.clone());
            } else if same {
                // An edit removed the buttons of the latest keyboard.
                *latest = None;
            }
        }
    }
}

/// A message's text and buttons.
type Shown = (String, Option<InlineKeyboardMarkup>);

fn buttons(keyboard: &InlineKeyboardMarkup) -> impl Iterator<Item = &InlineKeyboardButton> {
    keyboard.inline_keyboard.iter().flatten()
}

/// Prints `sendMessage` and `editMessageText` texts to a writer (HTML rendered) with their
/// buttons numbered (`[1] Refresh  [2] Older`, a URL button with its URL), and callback
/// answers as `(toast) …`; answers other calls like Telegram.
#[derive(Clone)]
pub struct ConsoleTelegram {
    out: Arc<Mutex<Box<dyn Write + Send>>>,
    ansi: bool,
    username: String,
    next_message_id: Arc<AtomicI64>,
    keyboard: LatestKeyboard,
    /// What each message of the bot shows now (text and buttons), to answer an edit that
    /// changes nothing as Telegram does.
    shown: Arc<Mutex<HashMap<i64, Shown>>>,
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
            keyboard: LatestKeyboard::default(),
            shown: Arc::default(),
        }
    }

    /// Records what `message_id` shows; `false` when it showed exactly that already.
    fn changes(&self, message_id: i64, text: &str, markup: Option<&InlineKeyboardMarkup>) -> bool {
        let Ok(mut shown) = self.shown.lock() else {
            return true;
        };
        let now = (text.to_owned(), markup.cloned());
        if shown.get(&message_id) == Some(&now) {
            return false;
        }
        shown.insert(message_id, now);
        true
    }

    /// The latest message with buttons (for `#N`).
    pub fn keyboard(&self) -> LatestKeyboard {
        self.keyboard.clone()
    }

    /// Shows `message`'s buttons numbered, and remembers it when it has any.
    fn show_buttons(&self, method: &str, message: &Message) -> Result<(), TelegramError> {
        self.keyboard.remember(message);
        let Some(keyboard) = &message.reply_markup else {
            return Ok(());
        };
        let mut n = 0;
        for row in &keyboard.inline_keyboard {
            let line: Vec<String> = row
                .iter()
                .map(|button| {
                    n += 1;
                    match &button.url {
                        Some(url) => format!("[{n}] {} <{url}>", button.text),
                        None => format!("[{n}] {}", button.text),
                    }
                })
                .collect();
            if !line.is_empty() {
                self.print(method, &line.join("  "))?;
            }
        }
        Ok(())
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
                let sent = sent_message(message, None, id, 0);
                self.changes(id, &message.text, message.reply_markup.as_ref());
                self.show_buttons(method, &sent)?;
                answer(method, sent)
            }
            ApiRequest::EditMessageText(edit) => {
                if let EditTarget::Chat { message_id, .. } = edit.target {
                    if !self.changes(message_id, &edit.text, edit.reply_markup.as_ref()) {
                        return Err(TelegramError::Api {
                            method: method.to_owned(),
                            status: 400,
                            description: "Bad Request: message is not modified".to_owned(),
                            migrate_to_chat_id: None,
                        });
                    }
                }
                self.show(method, &edit.text, edit.parse_mode, true)?;
                match edit.target {
                    EditTarget::Chat { chat_id, message_id } => {
                        let edited = Message {
                            reply_markup: edit.reply_markup.clone(),
                            ..bot_message(private_chat(chat_id), message_id, 0, Some(&edit.text))
                        };
                        self.show_buttons(method, &edited)?;
                        answer(method, edited)
                    }
                    EditTarget::Inline { .. } => Ok(Value::Bool(true)),
                }
            }
            ApiRequest::AnswerCallbackQuery(answer) => {
                if let Some(text) = &answer.text {
                    let kind = if answer.show_alert == Some(true) {
                        "alert"
                    } else {
                        "toast"
                    };
                    self.print(method, &format!("({kind}) {text}"))?;
                }
                Ok(Value::Bool(true))
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

    #[tokio::test]
    async fn numbers_buttons_remembers_the_latest_keyboard_and_prints_toasts() {
        let buffer = SharedBuffer::new();
        let console = ConsoleTelegram::new(Box::new(buffer.clone()), false, "the_bot");
        let keyboard = console.keyboard();
        let api: &dyn TelegramApi = &console;
        let markup = InlineKeyboardMarkup::new(vec![
            vec![
                InlineKeyboardButton::callback("Older", "m:page:1"),
                InlineKeyboardButton::callback("Newer", "m:page:3"),
            ],
            vec![InlineKeyboardButton::url("Docs", "https://example.org/")],
        ]);
        let sent = api
            .send_message(&SendMessage::new(7, "page 2").with_keyboard(markup))
            .await
            .unwrap();
        let (message, button) = keyboard.button(2).unwrap();
        assert_eq!(
            (message.message_id, button.callback_data.as_deref()),
            (sent.message_id, Some("m:page:3"))
        );
        assert!(keyboard.button(4).is_none() && keyboard.button(0).is_none());
        api.answer_callback_query(&miti99bot_core::telegram::AnswerCallbackQuery::new("1").with_text("Page 3"))
            .await
            .unwrap();
        // An edit without buttons takes the keyboard away; the same edit again changes nothing.
        let done = EditMessageText::new(7, sent.message_id, "done");
        api.edit_message_text(&done).await.unwrap();
        assert_eq!(
            api.edit_message_text(&done).await.unwrap(),
            miti99bot_core::telegram::Edited::NotModified
        );
        assert!(!keyboard.is_set());
        assert_eq!(
            buffer.text().unwrap(),
            "page 2\n[1] Older  [2] Newer\n[3] Docs <https://example.org/>\n(toast) Page 3\n(edited) done\n"
        );
    }
}
