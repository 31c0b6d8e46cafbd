//! The error type handlers, crons and inits return.

use thiserror::Error;

use crate::http::HttpError;
use crate::kv::KvError;
use crate::sql::SqlError;
use crate::telegram::TelegramError;

/// What a handler, cron or init can fail with. `?` converts the store, HTTP and Telegram
/// errors.
#[derive(Debug, Error)]
pub enum Error {
    /// A key-value call failed.
    #[error(transparent)]
    Kv(#[from] KvError),
    /// A SQL call failed.
    #[error(transparent)]
    Sql(#[from] SqlError),
    /// A Bot API call failed.
    #[error(transparent)]
    Telegram(#[from] TelegramError),
    /// An HTTP request through [`HttpGet`](crate::http::HttpGet) failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Anything else, described.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// An error with a message.
    pub fn msg(message: impl std::fmt::Display) -> Self {
        Self::Other(message.to_string())
    }
}

/// What handlers return.
pub type HandlerResult = Result<(), Error>;
