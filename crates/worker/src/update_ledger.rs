//! The processed-update ledger: a redelivered `update_id` is applied once.
//!
//! Telegram redelivers an update when it saw no 200 in time, possibly while the first delivery
//! is still running in another isolate. Before dispatch the Worker claims the id with an
//! `INSERT OR IGNORE` into D1's `_updates`; only the delivery whose insert changed a row
//! dispatches, so concurrent duplicates are applied once. Entries older than
//! [`RETENTION_MS`] are pruned in the same batch (Telegram gives up redelivering after a day).
//!
//! Without a database the Worker falls back to [`RecentIds`], which only catches redeliveries
//! reaching the same isolate.

use std::collections::VecDeque;

use miti99bot_core::sql::{SqlError, SqlStore, Statement};

/// How long a processed id is remembered: two days.
pub const RETENTION_MS: i64 = 2 * 24 * 60 * 60 * 1000;

/// Creates the ledger table and its index (idempotent; run once per isolate).
pub const CREATE_LEDGER: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS _updates (update_id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS _updates_received_at ON _updates (received_at)",
];

/// Whether this delivery may dispatch the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// First delivery: dispatch it.
    First,
    /// Already claimed by an earlier or concurrent delivery: skip it.
    Duplicate,
}

/// Creates the ledger table when missing.
pub async fn ensure_ledger(sql: &dyn SqlStore) -> Result<(), SqlError> {
    let statements: Vec<Statement> = CREATE_LEDGER.iter().map(|s| Statement::new(*s)).collect();
    sql.batch(&statements).await.map(drop)
}

/// Claims `update_id` at `now_ms` and prunes expired entries, in one atomic batch.
pub async fn claim(sql: &dyn SqlStore, update_id: i64, now_ms: i64) -> Result<Claim, SqlError> {
    let statements = [
        Statement::new("INSERT OR IGNORE INTO _updates (update_id, received_at) VALUES (?, ?)")
            .bind(update_id)
            .bind(now_ms),
        Statement::new("DELETE FROM _updates WHERE received_at < ?").bind(now_ms - RETENTION_MS),
    ];
    let results = sql.batch(&statements).await?;
    match results.first() {
        Some(insert) if insert.changes == 1 => Ok(Claim::First),
        Some(_) => Ok(Claim::Duplicate),
        None => Err(SqlError::database("the ledger batch returned no result")),
    }
}

/// The last few update ids one isolate has seen (the fallback when no database is bound).
#[derive(Debug, Default)]
pub struct RecentIds {
    ids: VecDeque<i64>,
}

impl RecentIds {
    /// How many ids are remembered.
    pub const CAPACITY: usize = 1024;

    /// Records `update_id`; [`Claim::Duplicate`] when it was seen already.
    pub fn claim(&mut self, update_id: i64) -> Claim {
        if self.ids.contains(&update_id) {
            return Claim::Duplicate;
        }
        if self.ids.len() == Self::CAPACITY {
            self.ids.pop_front();
        }
        self.ids.push_back(update_id);
        Claim::First
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_ids_remember_a_bounded_window() {
        let mut recent = RecentIds::default();
        assert_eq!(recent.claim(1), Claim::First);
        assert_eq!(recent.claim(1), Claim::Duplicate);
        for id in 2..=(RecentIds::CAPACITY as i64 + 1) {
            assert_eq!(recent.claim(id), Claim::First);
        }
        assert_eq!(recent.claim(1), Claim::First, "the oldest id falls out of the window");
    }
}
