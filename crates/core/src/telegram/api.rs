use serde::{Deserialize, Serialize};

#[allow(unused_imports)]
use super::Update;
use super::{Message, TelegramError, User};
use crate::maybe_send::{MaybeSend, MaybeSync};

/// The Bot API, reduced to one call: a method name and its JSON payload.
///
/// Implementations: reqwest natively, Fetch on Workers, recorders in tests. Typed calls are
/// inherent methods on `dyn TelegramApi`, so an implementation writes only [`call`](Self::call).
#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
pub trait TelegramApi: MaybeSend + MaybeSync {
    /// Calls `method` with a JSON object payload and returns Telegram's `result`.
    async fn call(&self, method: &str, payload: serde_json::Value) -> Result<serde_json::Value, TelegramError>;
}

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
}

/// A command for `setMyCommands`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotCommand {
    /// Name without the slash.
    pub command: String,
    /// Menu description.
    pub description: String,
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

fn to_payload<T: Serialize>(method: &str, value: &T) -> Result<serde_json::Value, TelegramError> {
    serde_json::to_value(value).map_err(|e| TelegramError::Decode {
        method: method.into(),
        reason: e.to_string(),
    })
}

fn from_result<T: for<'de> Deserialize<'de>>(method: &str, value: serde_json::Value) -> Result<T, TelegramError> {
    serde_json::from_value(value).map_err(|e| TelegramError::Decode {
        method: method.into(),
        reason: e.to_string(),
    })
}

impl dyn TelegramApi {
    /// `sendMessage`.
    pub async fn send_message(&self, request: &SendMessage) -> Result<Message, TelegramError> {
        let result = self.call("sendMessage", to_payload("sendMessage", request)?).await?;
        from_result("sendMessage", result)
    }

    /// `getMe`.
    pub async fn get_me(&self) -> Result<User, TelegramError> {
        let result = self.call("getMe", serde_json::json!({})).await?;
        from_result("getMe", result)
    }

    /// `getUpdates`, each update still raw JSON so that one malformed update cannot hide the
    /// others: parse each with [`Update`]'s `Deserialize` and skip (but count) what fails.
    pub async fn get_updates(&self, request: &GetUpdates) -> Result<Vec<serde_json::Value>, TelegramError> {
        let result = self.call("getUpdates", to_payload("getUpdates", request)?).await?;
        from_result("getUpdates", result)
    }

    /// `setWebhook`.
    pub async fn set_webhook(&self, request: &SetWebhook) -> Result<(), TelegramError> {
        self.call("setWebhook", to_payload("setWebhook", request)?)
            .await
            .map(drop)
    }

    /// `deleteWebhook` (pending updates are kept).
    pub async fn delete_webhook(&self) -> Result<(), TelegramError> {
        self.call("deleteWebhook", serde_json::json!({ "drop_pending_updates": false }))
            .await
            .map(drop)
    }

    /// `setMyCommands` for the default scope.
    pub async fn set_my_commands(&self, commands: &[BotCommand]) -> Result<(), TelegramError> {
        self.call("setMyCommands", serde_json::json!({ "commands": commands }))
            .await
            .map(drop)
    }
}
