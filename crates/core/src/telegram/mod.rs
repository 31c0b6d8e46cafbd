//! Telegram Bot API: the types the framework reads, the typed requests it sends and the
//! [`TelegramApi`] trait runtimes implement (reqwest natively, Fetch on Workers, a recorder in
//! tests), with what every runtime's client shares: reading an answer ([`decode_answer`]),
//! keeping the token out of texts ([`BotToken`]) and learning the bot's username
//! ([`lookup_username`]).
//!
//! The types hold only what is used; every field the bot does not know is ignored on parse and
//! every update kind it does not handle still parses.

mod answer;
mod api;
mod error;
mod from_json;
pub mod long_text;
mod params;
mod redact;
mod request;
pub mod synthetic;
mod types;
mod username;

pub use answer::{body_excerpt, decode_answer, method_url, DEFAULT_API_BASE, MAX_ERROR_TEXT};
pub use api::{Edited, TelegramApi};
pub use error::TelegramError;
pub use from_json::{DecodeError, FromJson};
pub use params::{
    AnswerCallbackQuery, BotCommand, BotCommandScope, DeleteMyCommands, DeleteWebhook, EditMessageReplyMarkup,
    EditMessageText, EditTarget, GetUpdates, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ParseMode,
    ReplyParameters, SendMessage, SetMyCommands, SetWebhook,
};
pub use redact::{redact, BotToken, REDACTED_TOKEN};
pub use request::ApiRequest;
pub use types::{CallbackQuery, Chat, ChatMember, ChatMemberUpdated, Message, MessageEntity, Update, UpdateKind, User};
pub use username::{lookup_username, lookup_username_pausing, GET_ME_ATTEMPTS};
