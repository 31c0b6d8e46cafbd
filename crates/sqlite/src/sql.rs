use std::sync::Arc;

use async_trait::async_trait;
use miti99bot_core::sql::rules::check_statement;
use miti99bot_core::sql::{BatchResult, Row, RunResult, SqlError, SqlStore, Statement};

use crate::db::Shared;
use crate::error::{left_transaction_open, sql_database};
use crate::exec::{execute, Fetch};

/// The [`SqlStore`] of a [`SqliteDb`](crate::SqliteDb).
///
/// It enforces D1's rules itself, not only through [`ModuleSql`](miti99bot_core::sql::ModuleSql):
/// every statement is checked with [`check_statement`] before it runs and every row read with
/// `check_row`; a text holding more than one statement, or none, is
/// [`SqlError::InvalidStatement`]. SQLite's own errors are [`SqlError::Database`] with SQLite's
/// message.
#[derive(Clone)]
pub struct SqliteSql {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SqliteSql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteSql").finish_non_exhaustive()
    }
}

impl SqliteSql {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    fn execute_one(&self, statement: &Statement, fetch: Fetch) -> Result<BatchResult, SqlError> {
        let conn = self.shared.lock()?;
        let result = execute(&conn, statement, fetch);
        if !conn.is_autocommit() {
            // Transaction control that slipped past the keyword check: undo it, so the shared
            // connection never stays inside a transaction nobody will finish.
            conn.execute_batch("ROLLBACK").map_err(sql_database)?;
            return Err(left_transaction_open());
        }
        result
    }
}

#[async_trait]
impl SqlStore for SqliteSql {
    async fn run(&self, statement: &Statement) -> Result<RunResult, SqlError> {
        let result = self.execute_one(statement, Fetch::Nothing)?;
        Ok(RunResult {
            changes: result.changes,
            last_row_id: result.last_row_id,
        })
    }

    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, SqlError> {
        Ok(self.execute_one(statement, Fetch::All)?.rows)
    }

    async fn first(&self, statement: &Statement) -> Result<Option<Row>, SqlError> {
        Ok(self.execute_one(statement, Fetch::First)?.rows.into_iter().next())
    }

    async fn batch(&self, statements: &[Statement]) -> Result<Vec<BatchResult>, SqlError> {
        // Refuse the whole batch before it is queued if any statement breaks a rule.
        statements.iter().try_for_each(check_statement)?;
        if statements.is_empty() {
            return Ok(Vec::new());
        }
        // All or nothing, committed with the other writes of its group (writer.rs).
        self.shared.writer.batch(statements.to_vec()).await
    }
}
