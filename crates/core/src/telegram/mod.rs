//! Telegram Bot API: the types the framework reads and the [`TelegramApi`] trait runtimes
//! implement (reqwest natively, Fetch on Workers, a recorder in tests).
//!
//! The types hold only what is used; every field the bot does not know is ignored on parse and
//! every update kind it does not handle still parses.

mod api;
mod error;
pub mod synthetic;
mod types;

pub use api::{BotCommand, GetUpdates, ParseMode, SendMessage, SetWebhook, TelegramApi};
pub use error::TelegramError;
pub use types::{Chat, Message, MessageEntity, Update, User};
