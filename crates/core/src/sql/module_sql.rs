use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::rules::{check_row, check_statement};
use super::{BatchResult, Row, RunResult, SqlError, SqlStore, Statement, Value};
use crate::ledger::UpdateClaim;

/// A module's SQL handle: D1's rules checked before every call, rows decoded into your types.
///
/// Table names are not rewritten: a module writes its tables' full names (`trading_trades`),
/// and [`table_prefix`](Self::table_prefix) says what the convention expects (migrations are
/// checked against it at start-up; runtime SQL is not).
///
/// Inside a command handler the handle belongs to one update: its first write
/// ([`run`](Self::run) or [`batch`](Self::batch)) carries the update's claim in the same batch
/// (see [`UpdateClaim`]), so the write and the record that the update was applied commit
/// together. Reads ([`all`](Self::all), [`first`](Self::first)) never claim.
#[derive(Clone)]
pub struct ModuleSql {
    table_prefix: Arc<str>,
    inner: Arc<dyn SqlStore>,
    claim: Option<Arc<UpdateClaim>>,
}

impl std::fmt::Debug for ModuleSql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleSql")
            .field("table_prefix", &self.table_prefix)
            .finish_non_exhaustive()
    }
}

impl ModuleSql {
    /// The handle of module `module` (table prefix `<module>_`).
    pub fn new(module: &str, inner: Arc<dyn SqlStore>) -> Self {
        Self {
            table_prefix: Arc::from(format!("{module}_")),
            inner,
            claim: None,
        }
    }

    /// A handle with no table prefix (framework tables such as `_migrations`).
    pub fn unprefixed(inner: Arc<dyn SqlStore>) -> Self {
        Self {
            table_prefix: Arc::from(""),
            inner,
            claim: None,
        }
    }

    /// The same handle, its first write carrying `claim`.
    pub(crate) fn for_update(&self, claim: &Arc<UpdateClaim>) -> Self {
        Self {
            table_prefix: self.table_prefix.clone(),
            inner: self.inner.clone(),
            claim: Some(claim.clone()),
        }
    }

    async fn write(&self, statements: &[Statement]) -> Result<Vec<BatchResult>, SqlError> {
        match &self.claim {
            Some(claim) => claim.batch(self.inner.as_ref(), statements).await,
            None => self.inner.batch(statements).await,
        }
    }

    /// `<module>_`: the prefix this module's tables carry by convention.
    pub fn table_prefix(&self) -> &str {
        &self.table_prefix
    }

    /// A statement to pass to [`batch`](Self::batch).
    pub fn prepare(&self, sql: impl Into<String>, params: Vec<Value>) -> Statement {
        Statement::with_params(sql, params)
    }

    /// Executes a write and reports rows changed and the last rowid.
    pub async fn run(&self, sql: &str, params: Vec<Value>) -> Result<RunResult, SqlError> {
        let statement = Statement::with_params(sql, params);
        check_statement(&statement)?;
        if self.claim.is_none() {
            return self.inner.run(&statement).await;
        }
        let results = self.write(std::slice::from_ref(&statement)).await?;
        let result = results.into_iter().next().unwrap_or_default();
        Ok(RunResult {
            changes: result.changes,
            last_row_id: result.last_row_id,
        })
    }

    /// Executes a query and returns every row.
    pub async fn all_rows(&self, sql: &str, params: Vec<Value>) -> Result<Vec<Row>, SqlError> {
        let statement = Statement::with_params(sql, params);
        check_statement(&statement)?;
        let rows = self.inner.all(&statement).await?;
        rows.iter().try_for_each(check_row)?;
        Ok(rows)
    }

    /// Executes a query and decodes every row into `T` (fields by column name).
    pub async fn all<T: DeserializeOwned>(&self, sql: &str, params: Vec<Value>) -> Result<Vec<T>, SqlError> {
        let rows = self.all_rows(sql, params).await?;
        // A loop, not `collect::<Result<_, _>>()`: that adapter is kilobytes of wasm per `T`.
        let mut all = Vec::with_capacity(rows.len());
        for row in &rows {
            all.push(row.deserialize()?);
        }
        Ok(all)
    }

    /// Executes a query and returns its first row, if any.
    pub async fn first_row(&self, sql: &str, params: Vec<Value>) -> Result<Option<Row>, SqlError> {
        let statement = Statement::with_params(sql, params);
        check_statement(&statement)?;
        let row = self.inner.first(&statement).await?;
        if let Some(row) = &row {
            check_row(row)?;
        }
        Ok(row)
    }

    /// Executes a query and decodes its first row into `T`, if any.
    pub async fn first<T: DeserializeOwned>(&self, sql: &str, params: Vec<Value>) -> Result<Option<T>, SqlError> {
        self.first_row(sql, params).await?.map(|r| r.deserialize()).transpose()
    }

    /// Executes statements as one atomic unit: if one fails, none of them applies.
    pub async fn batch(&self, statements: &[Statement]) -> Result<Vec<BatchResult>, SqlError> {
        statements.iter().try_for_each(check_statement)?;
        let results = self.write(statements).await?;
        results.iter().flat_map(|r| &r.rows).try_for_each(check_row)?;
        Ok(results)
    }
}
