//! WAL checkpoints on a thread of their own, so that no store call ever waits for one.
//!
//! SQLite's default runs a checkpoint inside the commit that fills the WAL past 1,000 pages:
//! that commit copies pages back into the database file and `fsync`s it, which took 10–40 ms on
//! this project's CI disks, while the connection's mutex is held and a tokio worker is blocked.
//! Every update behind it waits (the p99 of a webhook at a modest fixed rate was that wait).
//!
//! Here the store's connection never checkpoints (`wal_autocheckpoint = 0`); this thread, on its
//! own connection to the same file, runs a `PASSIVE` checkpoint every [`INTERVAL`]: it copies
//! what it can without taking any lock a writer needs, so writers go on appending to the WAL.
//! SQLite restarts the WAL from its beginning at the first write after a checkpoint that caught
//! up, which happens at the first pause in the writes. Under writes that never pause, the WAL
//! would only grow: once it holds more than [`RESTART_FRAMES`] frames, the thread runs one
//! `RESTART` checkpoint, which holds the write lock (writers wait, in short steps) while it
//! copies what is left and `fsync`s, and the WAL starts over. So that this hold stays short,
//! `PASSIVE` passes first catch up until fewer than [`CATCH_UP_FRAMES`] frames are left to copy
//! (at most [`CATCH_UP_PASSES`] of them): the `RESTART` copies only what the writers appended
//! during the last pass. Both connections wait for each other's locks in short steps
//! (`busy_wait.rs`): with SQLite's own handler, a `RESTART` that met a reader slept up to 100 ms
//! holding the write lock. A final `TRUNCATE` checkpoint runs when the database is closed.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::busy_wait::wait_briefly;

/// How often the thread checkpoints.
pub(crate) const INTERVAL: Duration = Duration::from_millis(250);
/// WAL frames (pages: 2 KiB for a file the store created, `db.rs` `PAGE_SIZE`, so 8 MiB) beyond
/// which a blocking `RESTART` checkpoint bounds the file.
pub(crate) const RESTART_FRAMES: i64 = if cfg!(test) { 1_024 } else { 4_096 };
/// Frames left to copy below which the `RESTART` that follows a catch-up may run.
pub(crate) const CATCH_UP_FRAMES: i64 = 256;
/// `PASSIVE` passes at most before a `RESTART`, however far behind the last one left it.
pub(crate) const CATCH_UP_PASSES: usize = 4;

/// The checkpoint thread of one database file; stopped (after a final checkpoint) on drop.
pub(crate) struct Checkpointer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// `(busy, frames in the WAL, frames checkpointed)`, as `PRAGMA wal_checkpoint` answers.
type CheckpointResult = (i64, i64, i64);

fn checkpoint(conn: &Connection, mode: &str) -> rusqlite::Result<CheckpointResult> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })
}

impl Checkpointer {
    /// Starts checkpointing the WAL of the database file at `path` (whose own connection has
    /// `wal_autocheckpoint = 0`). A failure to open its connection is logged and leaves the
    /// store's connection to checkpoint as SQLite does by default.
    pub(crate) fn start(path: &Path, store: &Connection) -> Option<Self> {
        let conn = match Connection::open(path).and_then(|conn| {
            conn.busy_handler(Some(wait_briefly))?;
            Ok(conn)
        }) {
            Ok(conn) => conn,
            Err(error) => {
                tracing::warn!(%error, path = %path.display(), "no checkpoint thread: SQLite checkpoints in the commits");
                return None;
            }
        };
        if let Err(error) = store.pragma_update(None, "wal_autocheckpoint", 0) {
            tracing::warn!(%error, "wal_autocheckpoint could not be turned off: SQLite checkpoints in the commits");
            return None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || run(&conn, &stopped));
        match spawned {
            Ok(thread) => Some(Self {
                stop,
                thread: Some(thread),
            }),
            Err(error) => {
                tracing::warn!(%error, "no checkpoint thread: SQLite checkpoints in the commits");
                let _ = store.pragma_update(None, "wal_autocheckpoint", 1000);
                None
            }
        }
    }
}

fn run(conn: &Connection, stop: &AtomicBool) {
    while !stop.load(Ordering::Acquire) {
        std::thread::park_timeout(INTERVAL);
        if stop.load(Ordering::Acquire) {
            break;
        }
        match checkpoint(conn, "PASSIVE") {
            // Even when this checkpoint caught up with the frames it saw, writes went on while it
            // ran, so the WAL did not start over: past the bound, make it.
            Ok((_, frames, copied)) if frames > RESTART_FRAMES => {
                tracing::debug!(frames, "WAL past its bound under continuous writes: RESTART checkpoint");
                catch_up(conn, frames - copied);
                match checkpoint(conn, "RESTART") {
                    Ok((0, _, _)) => {}
                    Ok(_) => tracing::debug!("RESTART checkpoint could not finish; next tick"),
                    Err(error) => tracing::warn!(%error, "WAL checkpoint (RESTART) failed"),
                }
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "WAL checkpoint failed"),
        }
    }
    if let Err(error) = checkpoint(conn, "TRUNCATE") {
        tracing::debug!(%error, "final WAL checkpoint failed");
    }
}

/// `PASSIVE` passes while more than [`CATCH_UP_FRAMES`] of the WAL's frames are not yet copied
/// (`behind` after the last pass), at most [`CATCH_UP_PASSES`]: each pass copies what the writers
/// appended during the one before, without holding a lock they need.
fn catch_up(conn: &Connection, mut behind: i64) {
    for _ in 0..CATCH_UP_PASSES {
        if behind <= CATCH_UP_FRAMES {
            return;
        }
        match checkpoint(conn, "PASSIVE") {
            Ok((_, frames, copied)) => behind = frames - copied,
            Err(error) => {
                tracing::warn!(%error, "WAL checkpoint failed");
                return;
            }
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use miti99bot_core::kv::KvStore;
    use miti99bot_core::FixedClock;

    use crate::SqliteDb;

    fn wal_len(path: &std::path::Path) -> u64 {
        std::fs::metadata(path.with_extension("db-wal"))
            .map(|m| m.len())
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn commits_never_checkpoint_and_the_thread_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        let db = SqliteDb::open(&path, Arc::new(FixedClock(0))).unwrap();
        let kv = db.kv();
        let value = "x".repeat(3000);
        // ~1,300 pages: SQLite's default would have checkpointed inside one of these commits.
        for i in 0..1300 {
            kv.put(&format!("k{i}"), &value, None).await.unwrap();
        }
        let mode: i64 = db.with_connection(|c| c.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)));
        assert_eq!(mode, 0, "the store's connection does not checkpoint");
        let grown = wal_len(&path);
        assert!(grown > 5_000_000, "WAL {grown} B: no checkpoint in the commits");
        // The thread checkpoints it; the next write then starts the WAL over from its beginning.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            std::thread::sleep(super::INTERVAL);
            kv.put("after", "1", None).await.unwrap();
            let frames: i64 = db.with_connection(|c| c.query_row("PRAGMA wal_checkpoint(NOOP)", [], |r| r.get(1)));
            if frames <= 2 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the WAL was never restarted ({frames} frames)"
            );
        }
        assert_eq!(kv.get("k1299").await.unwrap().as_deref(), Some(value.as_str()));
        drop(kv);
        drop(db);
        assert_eq!(wal_len(&path), 0, "closing truncates the WAL");
    }

    #[tokio::test]
    async fn writes_that_never_pause_still_get_a_bounded_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        let db = SqliteDb::open(&path, Arc::new(FixedClock(0))).unwrap();
        let kv = db.kv();
        let value = "y".repeat(3000);
        let started = std::time::Instant::now();
        let mut written: u64 = 0;
        // Back to back, for long enough that several checkpoints run meanwhile.
        while started.elapsed() < super::INTERVAL * 8 {
            kv.put(&format!("k{}", written % 500), &value, None).await.unwrap();
            written += 1;
        }
        // A 3,000-byte value fills two 2 KiB pages (at least) per write: without a RESTART the
        // WAL holds every one.
        let unbounded = written * 4096;
        let wal = wal_len(&path);
        assert!(written > 4 * super::RESTART_FRAMES as u64, "only {written} writes");
        assert!(
            wal < unbounded / 2,
            "WAL {wal} B after {written} writes: never started over"
        );
    }
}
