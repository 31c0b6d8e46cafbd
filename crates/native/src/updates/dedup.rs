//! Recognising a redelivered update: processed update ids kept in the database, with an expiry.

use std::sync::Arc;

use miti99bot_core::sql::{SqlError, SqlStore, Statement};
use miti99bot_core::webhook::update_ledger::{claim, ensure_ledger, Claim, RETENTION_MS};
use miti99bot_core::Clock;

/// How long a processed update id is remembered (Telegram stops redelivering long before).
pub const DEFAULT_RETENTION_MS: i64 = RETENTION_MS;

/// The `_updates` table (core's [`update_ledger`](miti99bot_core::webhook::update_ledger), the
/// same as the Worker's): an update is applied only by whoever inserts its id first.
pub struct UpdateLog {
    sql: Arc<dyn SqlStore>,
    clock: Arc<dyn Clock>,
    retention_ms: i64,
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
        ensure_ledger(sql.as_ref()).await?;
        let log = Self {
            sql,
            clock,
            retention_ms,
        };
        log.prune().await?;
        Ok(log)
    }

    /// Records `update_id` as taken: `true` for the first caller, `false` for a redelivery.
    ///
    /// One `INSERT OR IGNORE` (with the prune, in one batch): of two concurrent copies exactly
    /// one sees a changed row.
    pub async fn claim(&self, update_id: i64) -> Result<bool, SqlError> {
        let now = self.clock.now_ms();
        Ok(claim(self.sql.as_ref(), update_id, now, self.retention_ms).await? == Claim::First)
    }

    /// Deletes ids older than the retention; returns how many.
    pub async fn prune(&self) -> Result<u64, SqlError> {
        let cutoff = self.clock.now_ms().saturating_sub(self.retention_ms);
        let statement = Statement::new("DELETE FROM _updates WHERE received_at < ?").bind(cutoff);
        Ok(self.sql.run(&statement).await?.changes)
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
