//! The `_updates` table: the ledger SQLite and D1 share.

use std::sync::Arc;

use super::{Claim, UpdateLedger, RETENTION_MS};
use crate::sql::{SqlError, SqlStore, Statement};

/// The ledger table and its index (idempotent).
pub const CREATE_LEDGER: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS _updates (update_id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS _updates_received_at ON _updates (received_at)",
];

/// Ids older than the retention are pruned by one claim in this many (by update id), so the
/// table stays small without a delete on every update.
const PRUNE_EVERY: i64 = 64;

/// The ledger in the `_updates` table of a SQL store (SQLite natively, D1 on Workers).
#[derive(Clone)]
pub struct SqlLedger {
    sql: Arc<dyn SqlStore>,
    retention_ms: i64,
}

impl std::fmt::Debug for SqlLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlLedger")
            .field("retention_ms", &self.retention_ms)
            .finish_non_exhaustive()
    }
}

impl SqlLedger {
    /// The ledger in `sql`, remembering ids for [`RETENTION_MS`]. The table is created by
    /// [`ensure`](Self::ensure), or else by the first claim that finds it missing (the Worker
    /// relies on that: no `CREATE TABLE` round trip when an isolate starts).
    pub fn new(sql: Arc<dyn SqlStore>) -> Self {
        Self::with_retention(sql, RETENTION_MS)
    }

    /// As [`new`](Self::new), remembering ids for `retention_ms`.
    pub fn with_retention(sql: Arc<dyn SqlStore>, retention_ms: i64) -> Self {
        Self { sql, retention_ms }
    }

    /// Creates the table when missing.
    pub async fn ensure(&self) -> Result<(), SqlError> {
        let statements: Vec<Statement> = CREATE_LEDGER.iter().map(|s| Statement::new(*s)).collect();
        self.sql.batch(&statements).await.map(drop)
    }

    /// Deletes ids claimed before `now_ms - retention`; returns how many.
    pub async fn prune(&self, now_ms: i64) -> Result<u64, SqlError> {
        Ok(self.sql.run(&self.prune_statement(now_ms)).await?.changes)
    }

    fn prune_statement(&self, now_ms: i64) -> Statement {
        Statement::new("DELETE FROM _updates WHERE received_at < ?").bind(now_ms.saturating_sub(self.retention_ms))
    }

    fn with_prune(&self, update_id: i64, now_ms: i64, mut statements: Vec<Statement>) -> Vec<Statement> {
        if update_id.rem_euclid(PRUNE_EVERY) == 0 {
            statements.push(self.prune_statement(now_ms));
        }
        statements
    }
}

#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
impl UpdateLedger for SqlLedger {
    async fn claim(&self, update_id: i64, now_ms: i64) -> Result<Claim, SqlError> {
        let insert = Statement::new("INSERT OR IGNORE INTO _updates (update_id, received_at) VALUES (?, ?)")
            .bind(update_id)
            .bind(now_ms);
        let statements = self.with_prune(update_id, now_ms, vec![insert]);
        let results = self.sql.batch(&statements).await?;
        match results.first() {
            Some(insert) if insert.changes == 1 => Ok(Claim::First),
            Some(_) => Ok(Claim::Duplicate),
            None => Err(SqlError::database("the ledger batch returned no result")),
        }
    }

    fn claim_statements(&self, update_id: i64, now_ms: i64) -> Option<Vec<Statement>> {
        // A plain INSERT: a taken id violates the primary key and fails the whole batch.
        let insert = Statement::new("INSERT INTO _updates (update_id, received_at) VALUES (?, ?)")
            .bind(update_id)
            .bind(now_ms);
        Some(self.with_prune(update_id, now_ms, vec![insert]))
    }

    async fn repair(&self, error: &SqlError) -> Result<bool, SqlError> {
        // SQLite's and D1's message for a statement on a table that does not exist.
        let missing = matches!(error, SqlError::Database { message } if message.contains("no such table: _updates"));
        if missing {
            crate::info!("creating the update ledger table _updates");
            self.ensure().await?;
        }
        Ok(missing)
    }

    async fn is_claimed(&self, update_id: i64) -> Result<bool, SqlError> {
        let statement = Statement::new("SELECT 1 AS claimed FROM _updates WHERE update_id = ?").bind(update_id);
        Ok(self.sql.first(&statement).await?.is_some())
    }
}
