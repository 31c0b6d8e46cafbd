//! The processed-update ledger: a redelivered `update_id` is applied once.
//!
//! Telegram redelivers an update when it saw no 200 in time, possibly while the first delivery
//! is still running (another task, another isolate). Before dispatch the runtime claims the id
//! with an `INSERT OR IGNORE` into `_updates`; only the delivery whose insert changed a row
//! dispatches, so concurrent duplicates are applied once. Ids older than [`RETENTION_MS`] are
//! pruned in the same batch (Telegram stops redelivering within a day).

use crate::sql::{SqlError, SqlStore, Statement};

/// How long a processed id is remembered: two days.
pub const RETENTION_MS: i64 = 2 * 24 * 60 * 60 * 1000;

/// The ledger table and its index (idempotent).
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

/// Claims `update_id` at `now_ms` and prunes ids older than `retention_ms`, in one atomic batch.
pub async fn claim(sql: &dyn SqlStore, update_id: i64, now_ms: i64, retention_ms: i64) -> Result<Claim, SqlError> {
    let statements = [
        Statement::new("INSERT OR IGNORE INTO _updates (update_id, received_at) VALUES (?, ?)")
            .bind(update_id)
            .bind(now_ms),
        Statement::new("DELETE FROM _updates WHERE received_at < ?").bind(now_ms.saturating_sub(retention_ms)),
    ];
    let results = sql.batch(&statements).await?;
    match results.first() {
        Some(insert) if insert.changes == 1 => Ok(Claim::First),
        Some(_) => Ok(Claim::Duplicate),
        None => Err(SqlError::database("the ledger batch returned no result")),
    }
}
