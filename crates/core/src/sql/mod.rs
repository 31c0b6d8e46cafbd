//! SQL storage with D1's rules: the backend trait, typed values and rows, and [`ModuleSql`].
//!
//! D1 is SQLite at the edge with a few extra rules. Every backend is held to them, so that a
//! query that passes natively also passes on Cloudflare:
//! - at most [`MAX_BOUND_PARAMETERS`] bound parameters per statement;
//! - no `BEGIN`/`COMMIT`/`ROLLBACK`/`SAVEPOINT`: a [`batch`](ModuleSql::batch) is the atomic unit;
//! - integers beyond ±(2^53 − 1) are rejected, bound or read, because D1 hands them to
//!   JavaScript as doubles and would silently round them.

mod error;
mod module_sql;
mod row;
pub mod rules;
pub mod split;
mod statement;
mod value;

pub use error::SqlError;
pub use module_sql::ModuleSql;
pub use row::Row;
pub use rules::{MAX_BOUND_PARAMETERS, MAX_SAFE_INTEGER};
pub use statement::Statement;
pub use value::Value;

use crate::maybe_send::{MaybeSend, MaybeSync};

/// What a write statement reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunResult {
    /// Rows changed by the statement.
    pub changes: u64,
    /// The rowid of the last inserted row (0 when none).
    pub last_row_id: i64,
}

/// The outcome of one statement inside a batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchResult {
    /// Rows the statement returned (empty for writes).
    pub rows: Vec<Row>,
    /// Rows it changed.
    pub changes: u64,
    /// The last inserted rowid.
    pub last_row_id: i64,
}

/// A raw SQL backend (SQLite natively, D1 on Cloudflare).
///
/// Modules get a [`ModuleSql`], which checks D1's rules before anything reaches a backend.
#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
pub trait SqlStore: MaybeSend + MaybeSync {
    /// Executes a statement and reports what it changed.
    async fn run(&self, statement: &Statement) -> Result<RunResult, SqlError>;
    /// Executes a statement and returns every row.
    async fn all(&self, statement: &Statement) -> Result<Vec<Row>, SqlError>;
    /// Executes a statement and returns its first row, if any.
    async fn first(&self, statement: &Statement) -> Result<Option<Row>, SqlError> {
        Ok(self.all(statement).await?.into_iter().next())
    }
    /// Executes statements in order as one transaction: all of them apply, or none.
    async fn batch(&self, statements: &[Statement]) -> Result<Vec<BatchResult>, SqlError>;
}
