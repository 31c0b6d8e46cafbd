//! Recognising a redelivered update: processed update ids kept in the database, with an expiry.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use miti99bot_core::sql::{SqlError, SqlStore, Statement};
use miti99bot_core::Clock;

/// How long a processed update id is remembered (Telegram stops redelivering long before).
pub const DEFAULT_RETENTION_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// How often expired ids are pruned while claiming.
const PRUNE_EVERY_MS: i64 = 60 * 60 * 1000;

const CREATE_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS _updates (update_id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL)";
const CREATE_INDEX: &str = "CREATE INDEX IF NOT EXISTS _updates_received_at ON _updates (received_at)";
const CLAIM: &str = "INSERT OR IGNORE INTO _updates (update_id, received_at) VALUES (?, ?)";
const PRUNE: &str = "DELETE FROM _updates WHERE received_at < ?";

/// The `_updates` table: an update is applied only by whoever inserts its id first.
pub struct UpdateLog {
    sql: Arc<dyn SqlStore>,
    clock: Arc<dyn Clock>,
    retention_ms: i64,
    last_prune_ms: AtomicI64,
}

impl std::fmt::Debug for UpdateLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateLog")
            .field("retention_ms", &self.retention_ms)
            .finish_non_exhaustive()
    }
}

impl UpdateLog {
    /// Creates the table when missing and prunes expired ids.
    pub async fn open(sql: Arc<dyn SqlStore>, clock: Arc<dyn Clock>) -> Result<Self, SqlError> {
        Self::with_retention(sql, clock, DEFAULT_RETENTION_MS).await
    }

    /// As [`open`](Self::open), remembering ids for `retention_ms`.
    pub async fn with_retention(
        sql: Arc<dyn SqlStore>,
        clock: Arc<dyn Clock>,
        retention_ms: i64,
    ) -> Result<Self, SqlError> {
        sql.run(&Statement::new(CREATE_TABLE)).await?;
        sql.run(&Statement::new(CREATE_INDEX)).await?;
        let log = Self {
            sql,
            clock,
            retention_ms,
            last_prune_ms: AtomicI64::new(i64::MIN),
        };
        log.prune().await?;
        Ok(log)
    }

    /// Records `update_id` as taken: `true` for the first caller, `false` for a redelivery.
    ///
    /// One `INSERT OR IGNORE`: of two concurrent copies exactly one sees a changed row.
    pub async fn claim(&self, update_id: i64) -> Result<bool, SqlError> {
        let now = self.clock.now_ms();
        let claimed = self
            .sql
            .run(&Statement::new(CLAIM).bind(update_id).bind(now))
            .await?
            .changes
            == 1;
        if now.saturating_sub(self.last_prune_ms.load(Ordering::Relaxed)) >= PRUNE_EVERY_MS {
            if let Err(error) = self.prune().await {
                tracing::warn!(%error, "could not prune processed update ids");
            }
        }
        Ok(claimed)
    }

    /// Deletes ids older than the retention; returns how many.
    pub async fn prune(&self) -> Result<u64, SqlError> {
        let now = self.clock.now_ms();
        self.last_prune_ms.store(now, Ordering::Relaxed);
        let cutoff = now.saturating_sub(self.retention_ms);
        Ok(self.sql.run(&Statement::new(PRUNE).bind(cutoff)).await?.changes)
    }
}

#[cfg(test)]
mod tests {
    use miti99bot_sqlite::SqliteDb;
    use miti99bot_testkit::TestClock;

    use super::*;

    #[tokio::test]
    async fn claims_once_and_forgets_after_retention() {
        let clock = TestClock::at(1_000_000);
        let db = SqliteDb::open_in_memory(Arc::new(clock.clone())).unwrap();
        let log = UpdateLog::with_retention(Arc::new(db.sql()), Arc::new(clock.clone()), 10_000)
            .await
            .unwrap();
        assert!(log.claim(7).await.unwrap());
        assert!(!log.claim(7).await.unwrap());
        assert!(log.claim(8).await.unwrap());
        clock.advance(10_001);
        assert_eq!(log.prune().await.unwrap(), 2);
        assert!(log.claim(7).await.unwrap());
    }
}
