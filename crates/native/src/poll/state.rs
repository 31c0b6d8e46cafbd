//! The long-polling offset, kept in the database (`_poll_state`).

use std::sync::Arc;

use miti99bot_core::sql::{SqlError, SqlStore, Statement};
use miti99bot_core::Clock;

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS _poll_state (\
id INTEGER PRIMARY KEY CHECK (id = 1), next_offset INTEGER NOT NULL, updated_at INTEGER NOT NULL)";
const LOAD: &str = "SELECT next_offset FROM _poll_state WHERE id = 1";
// Never moves backwards, even if two pollers ran against one file.
const STORE: &str = "INSERT INTO _poll_state (id, next_offset, updated_at) VALUES (1, ?, ?) \
ON CONFLICT (id) DO UPDATE SET next_offset = excluded.next_offset, updated_at = excluded.updated_at \
WHERE excluded.next_offset > _poll_state.next_offset";

/// The next `getUpdates` offset: one past the last update applied.
pub struct PollState {
    sql: Arc<dyn SqlStore>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for PollState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollState").finish_non_exhaustive()
    }
}

impl PollState {
    /// Creates the table when missing.
    pub async fn open(sql: Arc<dyn SqlStore>, clock: Arc<dyn Clock>) -> Result<Self, SqlError> {
        sql.run(&Statement::new(CREATE_TABLE)).await?;
        Ok(Self { sql, clock })
    }

    /// The stored offset, `None` before the first update.
    pub async fn load(&self) -> Result<Option<i64>, SqlError> {
        let row = self.sql.first(&Statement::new(LOAD)).await?;
        Ok(row.and_then(|r| r.get("next_offset").and_then(|v| v.as_i64())))
    }

    /// Stores `next_offset` (ignored when lower than the stored one).
    pub async fn store(&self, next_offset: i64) -> Result<(), SqlError> {
        let statement = Statement::new(STORE).bind(next_offset).bind(self.clock.now_ms());
        self.sql.run(&statement).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use miti99bot_core::FixedClock;
    use miti99bot_sqlite::SqliteDb;

    use super::*;

    #[tokio::test]
    async fn stores_and_never_moves_back() {
        let clock: Arc<dyn Clock> = Arc::new(FixedClock(1));
        let db = SqliteDb::open_in_memory(clock.clone()).unwrap();
        let state = PollState::open(Arc::new(db.sql()), clock).await.unwrap();
        assert_eq!(state.load().await.unwrap(), None);
        state.store(10).await.unwrap();
        state.store(7).await.unwrap();
        assert_eq!(state.load().await.unwrap(), Some(10));
        state.store(11).await.unwrap();
        assert_eq!(state.load().await.unwrap(), Some(11));
    }
}
