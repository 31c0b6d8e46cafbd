//! How a connection waits for a lock another connection of the same file holds.
//!
//! SQLite's own busy handler (`busy_timeout`) sleeps 1, 2, 5 … 100 ms between tries, so a
//! connection that met a brief lock waited up to 100 ms after it was free. Both connections of a
//! file (the store's and the checkpoint thread's) retry in short steps instead: the store's
//! writes wait for the checkpoint's short hold of the write lock, and the checkpoint's
//! `RESTART`, which holds the write lock while it waits for readers, waits no longer than they
//! take.

use std::time::Duration;

/// How long a call waits for another connection's lock before failing with "busy".
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a call waits between tries of a lock another connection holds.
pub(crate) const BUSY_RETRY: Duration = Duration::from_micros(200);

/// A busy handler: retries every [`BUSY_RETRY`] until [`BUSY_TIMEOUT`] has passed.
pub(crate) fn wait_briefly(tries: i32) -> bool {
    let waited = BUSY_RETRY.saturating_mul(u32::try_from(tries).unwrap_or(u32::MAX));
    if waited >= BUSY_TIMEOUT {
        return false;
    }
    std::thread::sleep(BUSY_RETRY);
    true
}
