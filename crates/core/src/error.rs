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
    /// Not a failure: the text is the command's reply (a usage line, "Insufficient VND…").
    /// Lets a handler `?` its way out of bad input: `Err(Error::reply("Usage: …"))?`.
    #[error("{0}")]
    Reply(String),
    /// Anything else, described.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// An error with a message.
    pub fn msg(message: impl std::fmt::Display) -> Self {
        Self::Other(message.to_string())
    }

    /// The reply to send instead of failing (see [`Error::Reply`]).
    pub fn reply(text: impl Into<String>) -> Self {
        Self::Reply(text.into())
    }

    /// Whether another delivery of the update applied it already (a write or call of this
    /// one was refused by the update ledger).
    pub fn is_already_applied(&self) -> bool {
        matches!(
            self,
            Error::Sql(SqlError::AlreadyApplied { .. }) | Error::Kv(KvError::AlreadyApplied(_))
        ) || matches!(self, Error::Telegram(TelegramError::AlreadyApplied { .. }))
    }

    /// Whether the failure is of something the bot depends on (database, KV, network) rather
    /// than of the update itself, so that a later delivery may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Sql(SqlError::Database { .. }) | Error::Kv(KvError::Backend(_)) | Error::Http(_) => true,
            Error::Telegram(error) => error.is_transient(),
            _ => false,
        }
    }
}

/// What handlers return when they reply themselves (any `Result<R, Error>` with
/// `R: Into<`[`Reply`](crate::Reply)`>` works too).
pub type HandlerResult = Result<(), Error>;
