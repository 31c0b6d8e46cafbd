//! Executing one [`Statement`] on a connection, with D1's rules.

use miti99bot_core::sql::rules::{check_row, check_statement, skip_space_and_comments};
use miti99bot_core::sql::{BatchResult, Row, SqlError, Statement};
use rusqlite::Connection;

use crate::error::sql_database;
use crate::value::{from_sqlite, Bind};

/// Which rows of a statement to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fetch {
    /// None: step through the statement, keep nothing (`run`).
    Nothing,
    /// Only the first row (`first`).
    First,
    /// Every row (`all`, `batch`).
    All,
}

/// Runs `statement` on `conn` after checking it against D1's rules, and checks the rows read.
///
/// The statement text must hold exactly one statement (as D1's `prepare` does), and its `?`
/// placeholders must match the values bound. `changes` is 0 for statements that changed no row
/// (SQLite would otherwise report the previous write's count).
pub(crate) fn execute(conn: &Connection, statement: &Statement, fetch: Fetch) -> Result<BatchResult, SqlError> {
    check_statement(statement)?;
    if is_empty(&statement.sql) {
        return Err(SqlError::InvalidStatement("the text holds no statement".into()));
    }
    let total_before = conn.total_changes();
    let mut stmt = conn.prepare_cached(&statement.sql).map_err(sql_database)?;
    let expected = stmt.parameter_count();
    if expected != statement.params.len() {
        return Err(SqlError::ParameterCount {
            expected,
            given: statement.params.len(),
        });
    }
    for (i, value) in statement.params.iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, Bind(value)).map_err(sql_database)?;
    }
    let columns: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
    let mut out = Vec::new();
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(sql_database)? {
        if fetch == Fetch::Nothing {
            continue;
        }
        let values = columns
            .iter()
            .enumerate()
            .map(|(i, column)| from_sqlite(row.get_ref(i).map_err(sql_database)?, column))
            .collect::<Result<Vec<_>, _>>()?;
        let row = Row::new(columns.clone(), values);
        check_row(&row)?;
        out.push(row);
        if fetch == Fetch::First {
            break;
        }
    }
    drop(rows);
    let changes = if conn.total_changes() == total_before {
        0
    } else {
        conn.changes()
    };
    Ok(BatchResult {
        rows: out,
        changes,
        last_row_id: conn.last_insert_rowid(),
    })
}

/// True when `sql` holds only white space, comments and semicolons.
fn is_empty(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        rest = skip_space_and_comments(rest);
        match rest.strip_prefix(';') {
            Some(after) => rest = after,
            None => return rest.is_empty(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::is_empty;

    #[test]
    fn empty_means_no_statement() {
        for sql in ["", "  ", ";", " ; ;", "-- c\n", "/* x */;"] {
            assert!(is_empty(sql), "{sql:?}");
        }
        assert!(!is_empty("; SELECT 1"));
        assert!(!is_empty("-- c\nSELECT 1"));
    }
}
