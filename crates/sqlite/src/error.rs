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
    /// The thread that commits the database's writes could not be started.
    #[error("cannot start the writer thread of SQLite database {location}: {source}")]
    Thread {
        /// The file path, or `:memory:`.
        location: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

/// Why an opened connection could not be set up (`finish`), before it is tied to a location.
#[derive(Debug)]
pub(crate) enum SetUpError {
    /// A pragma or the `_kv` table failed.
    Sqlite(rusqlite::Error),
    /// The writer thread could not be started.
    Thread(std::io::Error),
}

impl From<rusqlite::Error> for SetUpError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

impl SetUpError {
    /// The open error of the database at `location`.
    pub(crate) fn at(self, location: &str) -> OpenError {
        match self {
            Self::Sqlite(source) => OpenError::Sqlite {
                location: location.to_owned(),
                source,
            },
            Self::Thread(source) => OpenError::Thread {
                location: location.to_owned(),
                source,
            },
        }
    }
}

/// The connection mutex was poisoned by a panic in another thread.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Poisoned;

pub(crate) const POISONED: &str = "the SQLite connection lock is poisoned (a thread panicked while using it)";

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

/// A statement opened or closed a transaction despite the keyword check.
pub(crate) fn left_transaction_open() -> SqlError {
    SqlError::TransactionControl {
        keyword: "transaction control".into(),
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
