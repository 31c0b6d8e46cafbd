//! Parameters of the Bot API methods the framework calls, serialised exactly as Telegram reads
//! them: optional fields that are unset are left out of the payload.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::from_json::{deserialize_through_from_json, DecodeError, Fields, FromJson};

/// Text formatting of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParseMode {
    /// Telegram's HTML subset.
    #[serde(rename = "HTML")]
    Html,
    /// MarkdownV2.
    #[serde(rename = "MarkdownV2")]
    MarkdownV2,
}

/// Link preview settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkPreviewOptions {
    /// No preview when true.
    pub is_disabled: bool,
}

/// The message a new message replies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyParameters {
    /// The replied-to message, in the same chat.
    pub message_id: i64,
}

/// Buttons under a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InlineKeyboardMarkup {
    /// Rows of buttons, top to bottom.
    pub inline_keyboard: Vec<Vec<InlineKeyboardButton>>,
}

impl InlineKeyboardMarkup {
    /// A keyboard of `rows`.
    pub fn new(rows: Vec<Vec<InlineKeyboardButton>>) -> Self {
        Self { inline_keyboard: rows }
    }
}

/// One button of an [`InlineKeyboardMarkup`]: it sends `callback_data` back to the bot or opens
/// `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineKeyboardButton {
    /// The label.
    pub text: String,
    /// Sent back in a callback query when pressed (1..=64 bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    /// Opened when pressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl InlineKeyboardButton {
    /// A button sending `data` back in a callback query.
    pub fn callback(text: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            callback_data: Some(data.into()),
            url: None,
        }
    }

    /// A button opening `url`.
    pub fn url(text: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            callback_data: None,
            url: Some(url.into()),
        }
    }
}

impl FromJson for InlineKeyboardMarkup {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let rows = f.required("inline_keyboard");
        f.finish(Self::new(rows))
    }
}

impl FromJson for InlineKeyboardButton {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            text: f.required("text"),
            callback_data: f.optional("callback_data"),
            url: f.optional("url"),
        };
        f.finish(value)
    }
}

deserialize_through_from_json!(InlineKeyboardMarkup, InlineKeyboardButton);

/// `sendMessage` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendMessage {
    /// Target chat.
    pub chat_id: i64,
    /// Forum topic to post into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_thread_id: Option<i64>,
    /// The text (1..=4096 characters).
    pub text: String,
    /// Formatting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_mode: Option<ParseMode>,
    /// Link previews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_preview_options: Option<LinkPreviewOptions>,
    /// The message this one replies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_parameters: Option<ReplyParameters>,
    /// Buttons under the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_markup: Option<InlineKeyboardMarkup>,
}

impl SendMessage {
    /// Plain text to a chat.
    pub fn new(chat_id: i64, text: impl Into<String>) -> Self {
        Self {
            chat_id,
            message_thread_id: None,
            text: text.into(),
            parse_mode: None,
            link_preview_options: None,
            reply_parameters: None,
            reply_markup: None,
        }
    }

    /// Marks the text as Telegram HTML and turns link previews off.
    pub fn html(mut self) -> Self {
        self.parse_mode = Some(ParseMode::Html);
        self.link_preview_options = Some(LinkPreviewOptions { is_disabled: true });
        self
    }

    /// Posts into a forum topic.
    pub fn in_thread(mut self, thread_id: Option<i64>) -> Self {
        self.message_thread_id = thread_id;
        self
    }

    /// Replies to `message_id` in the same chat.
    pub fn replying_to(mut self, message_id: i64) -> Self {
        self.reply_parameters = Some(ReplyParameters { message_id });
        self
    }

    /// Adds buttons under the message.
    pub fn with_keyboard(mut self, keyboard: InlineKeyboardMarkup) -> Self {
        self.reply_markup = Some(keyboard);
        self
    }
}

/// The message an edit applies to: one in a chat, or one sent in inline mode (which Telegram
/// identifies by its own id and answers edits of with `true` instead of the message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EditTarget {
    /// A message in a chat.
    Chat {
        /// The chat.
        chat_id: i64,
        /// The message, in that chat.
        message_id: i64,
    },
    /// A message sent via the bot in inline mode.
    Inline {
        /// Telegram's id of it.
        inline_message_id: String,
    },
}

/// `editMessageText` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditMessageText {
    /// The message to edit (`chat_id` + `message_id`, or `inline_message_id`).
    #[serde(flatten)]
    pub target: EditTarget,
    /// The new text.
    pub text: String,
    /// Formatting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_mode: Option<ParseMode>,
    /// Link previews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_preview_options: Option<LinkPreviewOptions>,
    /// The buttons after the edit (none: the message loses its buttons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_markup: Option<InlineKeyboardMarkup>,
}

impl EditMessageText {
    /// Replaces the text of `message_id` in `chat_id` with plain `text`.
    pub fn new(chat_id: i64, message_id: i64, text: impl Into<String>) -> Self {
        Self::of(EditTarget::Chat { chat_id, message_id }, text)
    }

    /// Replaces the text of the message `target` with plain `text`.
    pub fn of(target: EditTarget, text: impl Into<String>) -> Self {
        Self {
            target,
            text: text.into(),
            parse_mode: None,
            link_preview_options: None,
            reply_markup: None,
        }
    }

    /// Marks the text as Telegram HTML and turns link previews off.
    pub fn html(mut self) -> Self {
        self.parse_mode = Some(ParseMode::Html);
        self.link_preview_options = Some(LinkPreviewOptions { is_disabled: true });
        self
    }

    /// Sets the buttons under the edited message.
    pub fn with_keyboard(mut self, keyboard: InlineKeyboardMarkup) -> Self {
        self.reply_markup = Some(keyboard);
        self
    }
}

/// `editMessageReplyMarkup` parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditMessageReplyMarkup {
    /// The message to edit.
    #[serde(flatten)]
    pub target: EditTarget,
    /// The new buttons (none: remove them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_markup: Option<InlineKeyboardMarkup>,
}

/// `answerCallbackQuery` parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerCallbackQuery {
    /// The query answered.
    pub callback_query_id: String,
    /// A notification shown to the user (0..=200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Show `text` as an alert instead of a toast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_alert: Option<bool>,
}

impl AnswerCallbackQuery {
    /// Acknowledges the query silently.
    pub fn new(callback_query_id: impl Into<String>) -> Self {
        Self {
            callback_query_id: callback_query_id.into(),
            text: None,
            show_alert: None,
        }
    }

    /// Shows `text` to the user as a toast.
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }
}

/// A command for `setMyCommands`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotCommand {
    /// Name without the slash.
    pub command: String,
    /// Menu description.
    pub description: String,
}

/// Who sees a command menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BotCommandScope {
    /// Everyone without a narrower scope.
    Default,
    /// Every private chat.
    AllPrivateChats,
    /// Every group and supergroup.
    AllGroupChats,
    /// Every group administrator.
    AllChatAdministrators,
    /// One chat.
    Chat {
        /// The chat.
        chat_id: i64,
    },
}

/// `setMyCommands` parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetMyCommands {
    /// The menu, in order.
    pub commands: Vec<BotCommand>,
    /// Who sees it (Telegram's default scope when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<BotCommandScope>,
    /// For users of this language only (two letters; every language when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

impl SetMyCommands {
    /// `commands` for the default scope and every language.
    pub fn new(commands: Vec<BotCommand>) -> Self {
        Self {
            commands,
            scope: None,
            language_code: None,
        }
    }
}

/// `deleteMyCommands` parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteMyCommands {
    /// Whose menu to delete (the default scope when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<BotCommandScope>,
    /// For users of this language only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

/// `setWebhook` parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetWebhook {
    /// HTTPS URL Telegram posts updates to.
    pub url: String,
    /// Sent back in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret_token: String,
    /// Update kinds to receive.
    pub allowed_updates: Vec<String>,
    /// Drop updates queued while no webhook was set.
    pub drop_pending_updates: bool,
}

/// `deleteWebhook` parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteWebhook {
    /// Drop the updates queued so far.
    pub drop_pending_updates: bool,
}

/// `getUpdates` parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetUpdates {
    /// First update id to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    /// Long-poll timeout, seconds.
    pub timeout: u32,
    /// At most this many updates (1..=100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Update kinds to receive.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_updates: Vec<String>,
}
