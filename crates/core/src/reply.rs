//! What a handler answers with: a message (text or HTML, buttons, quoting), sent or used to
//! edit a message by the framework.

use crate::telegram::long_text::{split_html, split_text, TEXT_LIMIT};
use crate::telegram::{
    EditMessageText, EditTarget, InlineKeyboardMarkup, LinkPreviewOptions, ParseMode, ReplyParameters, SendMessage,
};

/// A reply. A command handler returns `Result<R, Error>` for any `R: Into<Reply>`: `()` (it
/// replied itself, or says nothing), a `String` or `&str` (plain text), or a `Reply` built
/// with buttons, HTML or quoting. A callback handler edits its message with one
/// ([`CallbackCtx::edit`](crate::CallbackCtx::edit)).
///
/// ```
/// use miti99bot_core::telegram::{InlineKeyboardButton, InlineKeyboardMarkup};
/// use miti99bot_core::{CommandCtx, Error, Reply};
///
/// async fn double(ctx: CommandCtx) -> Result<Reply, Error> {
///     let n: i64 = ctx.args().parse().map_err(|_| Error::reply("Usage: /double <number>"))?;
///     let docs = InlineKeyboardButton::url("Why?", "https://en.wikipedia.org/wiki/Multiplication");
///     Ok(Reply::html(format!("<b>{}</b>", n * 2))
///         .keyboard(InlineKeyboardMarkup::new(vec![vec![docs]]))
///         .quote())
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    text: Option<String>,
    parse_mode: Option<ParseMode>,
    keyboard: Option<InlineKeyboardMarkup>,
    quote: bool,
    link_previews: bool,
}

impl Reply {
    /// Nothing to send (as is an empty text).
    pub fn nothing() -> Self {
        Self::default()
    }

    /// Plain text (link previews on, as Telegram's default).
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            link_previews: true,
            ..Self::default()
        }
    }

    /// Telegram HTML, link previews off. Escape every value you did not write yourself
    /// ([`escape_html`](crate::html::escape_html)).
    pub fn html(html: impl Into<String>) -> Self {
        Self {
            text: Some(html.into()),
            parse_mode: Some(ParseMode::Html),
            ..Self::default()
        }
    }

    /// Buttons under the message.
    pub fn keyboard(mut self, keyboard: InlineKeyboardMarkup) -> Self {
        self.keyboard = Some(keyboard);
        self
    }

    /// Sent as a reply to (quoting) the message that triggered it.
    pub fn quote(mut self) -> Self {
        self.quote = true;
        self
    }

    /// Link previews on (`true`) or off.
    pub fn link_previews(mut self, on: bool) -> Self {
        self.link_previews = on;
        self
    }

    /// The text, when there is something to send.
    pub fn text_str(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The buttons.
    pub fn keyboard_markup(&self) -> Option<&InlineKeyboardMarkup> {
        self.keyboard.as_ref()
    }

    /// Whether there is nothing to send: no text, or an empty one (Telegram refuses those).
    pub fn is_nothing(&self) -> bool {
        self.text.as_deref().is_none_or(str::is_empty)
    }

    /// The `sendMessage` of this reply into `chat_id` (and forum topic `thread`), quoting
    /// `trigger` when asked to; `None` for [`Reply::nothing`].
    pub fn to_send(&self, chat_id: i64, thread: Option<i64>, trigger: Option<i64>) -> Option<SendMessage> {
        let text = self.text.clone().filter(|t| !t.is_empty())?;
        Some(SendMessage {
            chat_id,
            message_thread_id: thread,
            text,
            parse_mode: self.parse_mode,
            link_preview_options: self.preview_options(),
            reply_parameters: trigger
                .filter(|_| self.quote)
                .map(|message_id| ReplyParameters { message_id }),
            reply_markup: self.keyboard.clone(),
        })
    }

    /// The `sendMessage`s of this reply: one, or for a text over Telegram's 4,096 UTF-16 units
    /// several, in order, cut on line breaks where possible and, in HTML, with tags balanced
    /// ([`long_text`](crate::telegram::long_text)). The first part quotes the trigger when asked
    /// to and the last one carries the buttons. Empty for [`Reply::nothing`].
    pub fn to_sends(&self, chat_id: i64, thread: Option<i64>, trigger: Option<i64>) -> Vec<SendMessage> {
        let Some(whole) = self.to_send(chat_id, thread, trigger) else {
            return Vec::new();
        };
        let parts = match self.parse_mode {
            Some(ParseMode::Html) => split_html(&whole.text, TEXT_LIMIT),
            _ => split_text(&whole.text, TEXT_LIMIT),
        };
        if parts.len() <= 1 {
            return vec![whole];
        }
        // A blank part of a long text is dropped: Telegram refuses one.
        let parts: Vec<String> = parts.into_iter().filter(|p| !p.trim().is_empty()).collect();
        let last = parts.len().saturating_sub(1);
        parts
            .into_iter()
            .enumerate()
            .map(|(i, text)| SendMessage {
                text,
                reply_parameters: whole.reply_parameters.filter(|_| i == 0),
                reply_markup: whole.reply_markup.clone().filter(|_| i == last),
                ..whole.clone()
            })
            .collect()
    }

    /// The `editMessageText` that makes `target` show this reply (its buttons replaced by
    /// this reply's, removed when it has none); `None` for [`Reply::nothing`].
    pub fn to_edit(&self, target: EditTarget) -> Option<EditMessageText> {
        let text = self.text.clone().filter(|t| !t.is_empty())?;
        Some(EditMessageText {
            target,
            text,
            parse_mode: self.parse_mode,
            link_preview_options: self.preview_options(),
            reply_markup: self.keyboard.clone(),
        })
    }

    fn preview_options(&self) -> Option<LinkPreviewOptions> {
        (!self.link_previews).then_some(LinkPreviewOptions { is_disabled: true })
    }
}

impl From<()> for Reply {
    fn from((): ()) -> Self {
        Self::nothing()
    }
}

impl From<String> for Reply {
    fn from(text: String) -> Self {
        Self::text(text)
    }
}

impl From<&str> for Reply {
    fn from(text: &str) -> Self {
        Self::text(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::long_text::utf16_len;
    use crate::telegram::InlineKeyboardButton;

    #[test]
    fn a_long_reply_is_several_messages_quoting_first_and_buttons_last() {
        let keyboard = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback("Go", "m:go")]]);
        let line = format!("<b>{}</b>\n", "é".repeat(99));
        let reply = Reply::html(line.repeat(100)).keyboard(keyboard.clone()).quote();
        let sends = reply.to_sends(5, None, Some(9));
        assert_eq!(
            sends.len(),
            3,
            "{:?}",
            sends.iter().map(|s| utf16_len(&s.text)).collect::<Vec<_>>()
        );
        assert!(sends.iter().all(|s| utf16_len(&s.text) <= TEXT_LIMIT));
        assert!(sends
            .iter()
            .all(|s| s.text.starts_with("<b>") && s.parse_mode == Some(ParseMode::Html)));
        assert_eq!(sends[0].reply_parameters, Some(ReplyParameters { message_id: 9 }));
        assert!(sends[1..].iter().all(|s| s.reply_parameters.is_none()));
        assert!(sends[..2].iter().all(|s| s.reply_markup.is_none()));
        assert_eq!(sends[2].reply_markup, Some(keyboard));
        assert_eq!(
            sends.iter().map(|s| s.text.as_str()).collect::<String>(),
            line.repeat(100)
        );
        assert_eq!(Reply::text("short").to_sends(5, None, None).len(), 1);
    }

    #[test]
    fn a_reply_becomes_a_send_or_an_edit() {
        let keyboard = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback("Go", "m:go")]]);
        let reply = Reply::html("<b>x</b>").keyboard(keyboard.clone()).quote();
        let send = reply.to_send(5, Some(3), Some(9));
        assert_eq!(
            send,
            Some(SendMessage {
                chat_id: 5,
                message_thread_id: Some(3),
                text: "<b>x</b>".into(),
                parse_mode: Some(ParseMode::Html),
                link_preview_options: Some(LinkPreviewOptions { is_disabled: true }),
                reply_parameters: Some(ReplyParameters { message_id: 9 }),
                reply_markup: Some(keyboard.clone()),
            })
        );
        assert_eq!(
            Reply::text("t").to_send(5, None, Some(9)),
            Some(SendMessage::new(5, "t"))
        );
        let edit = Reply::text("t").to_edit(EditTarget::Chat {
            chat_id: 5,
            message_id: 2,
        });
        assert_eq!(edit, Some(EditMessageText::new(5, 2, "t")));
        assert_eq!(Reply::nothing().to_send(5, None, None), None);
        assert!(Reply::from(()).is_nothing());
        assert!(Reply::nothing().to_sends(5, None, None).is_empty());
        assert!(Reply::from("").is_nothing());
        assert_eq!(Reply::text("").to_send(5, None, None), None);
    }
}
