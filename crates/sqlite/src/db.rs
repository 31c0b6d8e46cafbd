use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use miti99bot_core::Clock;
use rusqlite::Connection;

use crate::busy_wait::wait_briefly;
use crate::checkpointer::Checkpointer;
use crate::error::{OpenError, Poisoned, SetUpError};
use crate::file_identity::{DatabaseFault, FileIdentity};
use crate::kv::SqliteKv;
use crate::sql::SqliteSql;
use crate::writer::Writer;

/// Prepared statements kept per connection (module queries are few and repeated).
const STATEMENT_CACHE_CAPACITY: usize = 128;
/// The page size of a new database file. Each commit writes every page it changed to the WAL
/// whole: a trade changes ~8 pages (the claim, the trade and its indexes, the account, the
/// holding), so at SQLite's default of 4 KiB a trade wrote 32 KiB. At 2 KiB the webhook server
/// used ~8% less CPU per trade and its done p99 fell ~30% (issue 12, docs/benchmarks.md); 1 KiB
/// measured the same, but would push `_kv` values over ~225 bytes (a WITHOUT ROWID table keeps
/// less in a page) into overflow pages, where 2 KiB keeps ~490.
pub(crate) const PAGE_SIZE: i64 = 2048;
/// The key-value table, created on open.
pub(crate) const CREATE_KV_TABLE: &str = "CREATE TABLE IF NOT EXISTS _kv (\
key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER) WITHOUT ROWID";

/// A SQLite database (a file or in memory) whose one connection serves both stores.
///
/// Cloning is cheap and shares the connection. [`kv`](Self::kv) and [`sql`](Self::sql) hand out
/// stores over the same connection, so the key-value table `_kv` and the modules' tables live in
/// one database file.
#[derive(Clone)]
pub struct SqliteDb {
    shared: Arc<Shared>,
}

/// What the stores of one database share.
pub(crate) struct Shared {
    /// The writes' thread (first: joined before the connection closes).
    pub(crate) writer: Writer,
    conn: Arc<Mutex<Connection>>,
    clock: Arc<dyn Clock>,
    path: Option<PathBuf>,
    /// The file opened at `path`, to notice it deleted or replaced.
    identity: Option<FileIdentity>,
    /// The WAL checkpoint thread of a file (dropped after `conn`, so it closes the file last).
    _checkpointer: Option<Checkpointer>,
}

impl Shared {
    /// The connection, locked for one call.
    pub(crate) fn lock(&self) -> Result<MutexGuard<'_, Connection>, Poisoned> {
        self.conn.lock().map_err(|_| Poisoned)
    }

    /// Now, in Unix milliseconds, from the database's clock.
    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}

impl std::fmt::Debug for SqliteDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteDb")
            .field("path", &self.shared.path)
            .finish_non_exhaustive()
    }
}

impl SqliteDb {
    /// Opens (creating when missing) the database file at `path`, and its parent directories.
    ///
    /// The file uses the WAL journal (readers do not block the writer), `synchronous = NORMAL`,
    /// a busy timeout and foreign keys; the `_kv` table is created when missing. WAL
    /// checkpoints run on a thread of their own (see `checkpointer.rs`), never inside a store
    /// call. `clock` decides when key-value entries with a TTL expire.
    pub fn open(path: impl AsRef<Path>, clock: Arc<dyn Clock>) -> Result<Self, OpenError> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| OpenError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let location = path.display().to_string();
        let sqlite = |source| OpenError::Sqlite {
            location: location.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(sqlite)?;
        // Before the first table: a new file gets PAGE_SIZE pages; an existing one keeps its own.
        conn.pragma_update(None, "page_size", PAGE_SIZE).map_err(sqlite)?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(sqlite)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %location, journal_mode = %mode, "SQLite refused the WAL journal mode");
        }
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sqlite)?;
        let checkpointer = Checkpointer::start(path, &conn);
        Self::finish(conn, clock, Some(path.to_path_buf()), checkpointer).map_err(|e| e.at(&location))
    }

    /// A fresh, private in-memory database (tests, the offline console).
    pub fn open_in_memory(clock: Arc<dyn Clock>) -> Result<Self, OpenError> {
        let conn = Connection::open_in_memory().map_err(|source| OpenError::Sqlite {
            location: ":memory:".into(),
            source,
        })?;
        Self::finish(conn, clock, None, None).map_err(|e| e.at(":memory:"))
    }

    /// Settings common to files and memory, then the `_kv` table.
    fn finish(
        conn: Connection,
        clock: Arc<dyn Clock>,
        path: Option<PathBuf>,
        checkpointer: Option<Checkpointer>,
    ) -> Result<Self, SetUpError> {
        // The busy timeout in short steps (busy_wait.rs).
        conn.busy_handler(Some(wait_briefly))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        conn.execute(CREATE_KV_TABLE, [])?;
        let identity = path.as_deref().and_then(|p| FileIdentity::of(p).ok());
        let conn = Arc::new(Mutex::new(conn));
        let writer = Writer::start(Arc::clone(&conn)).map_err(SetUpError::Thread)?;
        Ok(Self {
            shared: Arc::new(Shared {
                writer,
                conn,
                clock,
                path,
                identity,
                _checkpointer: checkpointer,
            }),
        })
    }

    /// Runs `f` on the locked connection (tests read pragmas through it).
    #[cfg(test)]
    pub(crate) fn with_connection<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> T {
        #[allow(clippy::unwrap_used)]
        f(&self.shared.lock().unwrap()).unwrap()
    }

    /// The database file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.shared.path.as_deref()
    }

    /// Whether the file at the database's path is still the one the connection writes to (one
    /// `stat`, no lock): `Err` once it was deleted, its directory removed, or another file put
    /// in its place. Always `Ok` in memory.
    pub fn check(&self) -> Result<(), DatabaseFault> {
        let (Some(path), Some(opened)) = (&self.shared.path, self.shared.identity) else {
            return Ok(());
        };
        match FileIdentity::of(path) {
            Ok(now) if now == opened => Ok(()),
            Ok(_) => Err(DatabaseFault::Replaced { path: path.clone() }),
            Err(source) => Err(DatabaseFault::Gone {
                path: path.clone(),
                source,
            }),
        }
    }

    /// The key-value store of this database (wrap it in an `Arc<dyn KvStore>` for the bot).
    pub fn kv(&self) -> SqliteKv {
        SqliteKv::new(Arc::clone(&self.shared))
    }

    /// The SQL store of this database (wrap it in an `Arc<dyn SqlStore>` for the bot).
    pub fn sql(&self) -> SqliteSql {
        SqliteSql::new(Arc::clone(&self.shared))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    #[test]
    fn a_deleted_or_replaced_file_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("bot.db");
        let db = SqliteDb::open(&path, Arc::new(FixedClock(0))).unwrap();
        db.check().unwrap();
        std::fs::rename(&path, dir.path().join("moved.db")).unwrap();
        std::fs::write(&path, b"").unwrap();
        assert!(
            matches!(db.check(), Err(DatabaseFault::Replaced { .. })),
            "{:?}",
            db.check()
        );
        std::fs::remove_dir_all(dir.path().join("sub")).unwrap();
        let gone = db.check().unwrap_err();
        assert!(matches!(gone, DatabaseFault::Gone { .. }), "{gone}");
        SqliteDb::open_in_memory(Arc::new(FixedClock(0)))
            .unwrap()
            .check()
            .unwrap();
    }

    #[test]
    fn a_new_file_gets_the_page_size_and_an_old_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let page_size =
            |db: &SqliteDb| -> i64 { db.with_connection(|c| c.query_row("PRAGMA page_size", [], |r| r.get(0))) };
        let fresh = SqliteDb::open(dir.path().join("new.db"), Arc::new(FixedClock(0))).unwrap();
        assert_eq!(page_size(&fresh), PAGE_SIZE);
        let old = dir.path().join("old.db");
        {
            let conn = rusqlite::Connection::open(&old).unwrap();
            conn.execute_batch("PRAGMA page_size = 4096; CREATE TABLE t (x); INSERT INTO t VALUES (1);")
                .unwrap();
        }
        let reopened = SqliteDb::open(&old, Arc::new(FixedClock(0))).unwrap();
        assert_eq!(page_size(&reopened), 4096);
        let x: i64 = reopened.with_connection(|c| c.query_row("SELECT x FROM t", [], |r| r.get(0)));
        assert_eq!(x, 1);
    }

    use miti99bot_core::kv::{KvError, KvStore};
    use miti99bot_core::sql::{SqlError, SqlStore, Statement};
    use miti99bot_core::FixedClock;

    use super::*;

    #[tokio::test]
    async fn a_poisoned_lock_is_an_error_not_a_panic() {
        let db = SqliteDb::open_in_memory(Arc::new(FixedClock(0))).unwrap();
        let shared = Arc::clone(&db.shared);
        let crashed = std::thread::spawn(move || {
            let _guard = shared.conn.lock();
            panic!("a thread dies holding the connection");
        })
        .join();
        assert!(crashed.is_err());

        let err = db.kv().get("k").await.unwrap_err();
        assert!(
            matches!(err, KvError::Backend(ref m) if m.contains("poisoned")),
            "{err}"
        );
        assert!(matches!(db.kv().purge_expired(), Err(KvError::Backend(_))));
        let err = db.sql().run(&Statement::new("SELECT 1")).await.unwrap_err();
        assert!(
            matches!(err, SqlError::Database { ref message } if message.contains("poisoned")),
            "{err}"
        );
        let err = db.sql().batch(&[Statement::new("SELECT 1")]).await.unwrap_err();
        assert!(matches!(err, SqlError::Database { .. }), "{err}");
    }
}
