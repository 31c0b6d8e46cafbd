use std::path::PathBuf;

use miti99bot_core::kv::KvError;
use miti99bot_core::sql::SqlError;
use thiserror::Error;

/// Why a database could not be opened.
#[derive(Debug, Error)]
pub enum OpenError {
    /// The database file's parent directory could not be created.
    #[error("cannot create directory {}: {source}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// SQLite could not open or set up the database.
    #[error("cannot open SQLite database {location}: {source}")]
    Sqlite {
        /// The file path, or `:memory:`.
        location: String,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
}

/// The connection mutex was poisoned by a panic in another thread.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Poisoned;

const POISONED: &str = "the SQLite connection lock is poisoned (a thread panicked while using it)";

impl From<Poisoned> for KvError {
    fn from(_: Poisoned) -> Self {
        KvError::Backend(POISONED.into())
    }
}

impl From<Poisoned> for SqlError {
    fn from(_: Poisoned) -> Self {
        SqlError::database(POISONED)
    }
}

/// A rusqlite error as a KV backend error.
pub(crate) fn kv_backend(err: rusqlite::Error) -> KvError {
    KvError::Backend(err.to_string())
}

/// A rusqlite error as a SQL error carrying SQLite's message.
pub(crate) fn sql_database(err: rusqlite::Error) -> SqlError {
    match err {
        rusqlite::Error::MultipleStatement => SqlError::InvalidStatement(
            "the text holds more than one statement; D1 prepares one statement per call, use batch() for several"
                .into(),
        ),
        other => SqlError::database(other.to_string()),
    }
}
