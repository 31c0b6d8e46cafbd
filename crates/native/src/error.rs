//! Errors the command line reports (one line each, never a panic).

use thiserror::Error;

/// Why a command stopped.
#[derive(Debug, Error)]
pub enum CliError {
    /// A configuration value is invalid or missing.
    #[error("configuration: {0}")]
    Config(String),
    /// The modules could not be wired.
    #[error("{0}")]
    Wiring(#[from] miti99bot_core::WiringError),
    /// Migrations could not be planned or applied.
    #[error("{0}")]
    Migration(#[from] miti99bot_core::migrate::MigrationError),
    /// The database could not be opened.
    #[error("database {path}: {reason}")]
    Database {
        /// The file.
        path: String,
        /// What failed.
        reason: String,
    },
    /// A Bot API call failed (the message never contains the token).
    #[error("{0}")]
    Telegram(#[from] miti99bot_core::telegram::TelegramError),
    /// A runtime table (`_updates`, `_poll_state`) could not be used.
    #[error("database: {0}")]
    Sql(#[from] miti99bot_core::sql::SqlError),
    /// Terminal or file I/O failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// Anything else, described.
    #[error("{0}")]
    Other(String),
}

impl From<miti99bot_core::ConfigError> for CliError {
    fn from(e: miti99bot_core::ConfigError) -> Self {
        CliError::Config(e.to_string())
    }
}
