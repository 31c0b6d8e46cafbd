//! Whether the database file the connection writes to is still the one at its path: a file
//! deleted, moved or replaced under a running process keeps taking writes into a file nobody
//! will open again, so every acknowledged change would vanish at restart.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// The file behind a path: device and inode on Unix, existence elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileIdentity {
    device: u64,
    inode: u64,
}

impl FileIdentity {
    /// The identity of the file at `path` now.
    pub(crate) fn of(path: &Path) -> std::io::Result<Self> {
        let meta = std::fs::metadata(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok(Self {
                device: meta.dev(),
                inode: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            Ok(Self { device: 0, inode: 0 })
        }
    }
}

/// Why the database cannot be trusted with a write.
#[derive(Debug, Error)]
pub enum DatabaseFault {
    /// The file at the path is gone (deleted, or its directory removed).
    #[error("database file {} is gone: {source}", path.display())]
    Gone {
        /// The path the database was opened at.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
    /// Another file is at the path now (replaced or moved).
    #[error("database file {} was replaced: the open connection writes to a file no longer at that path", path.display())]
    Replaced {
        /// The path the database was opened at.
        path: PathBuf,
    },
}
