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
    let body = skip_leading(&statement.sql);
    if body.is_empty() {
        return Err(SqlError::InvalidStatement("the text holds no statement".into()));
    }
    if body.len() != skip_space_and_comments(&statement.sql).len() {
        // SQLite skips leading semicolons, the keyword check does not: check what SQLite runs.
        check_statement(&Statement::new(body))?;
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

/// `sql` without the white space, comments and empty statements (`;`) SQLite skips before the
/// first statement; empty when that is all there is.
fn skip_leading(sql: &str) -> &str {
    let mut rest = sql;
    loop {
        rest = skip_space_and_comments(rest);
        match rest.strip_prefix(';') {
            Some(after) => rest = after,
            None => return rest,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::skip_leading;

    #[test]
    fn skips_what_sqlite_skips() {
        for sql in ["", "  ", ";", " ; ;", "-- c\n", "/* x */;"] {
            assert_eq!(skip_leading(sql), "", "{sql:?}");
        }
        assert_eq!(skip_leading("; SELECT 1"), "SELECT 1");
        assert_eq!(skip_leading("-- c\n;/**/ ;BEGIN"), "BEGIN");
    }
}
