//! D1's rules, checked the same way by every backend before a statement runs.

use super::{Row, SqlError, Statement, Value};

/// D1's limit on bound parameters per statement.
pub const MAX_BOUND_PARAMETERS: usize = 100;
/// The largest integer JavaScript (and so D1) holds exactly: 2^53 − 1.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Transaction-control keywords rejected at the start of a statement.
const TRANSACTION_KEYWORDS: &[&str] = &["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"];

/// Checks one statement against D1's rules (parameter count, transaction control, value ranges).
pub fn check_statement(statement: &Statement) -> Result<(), SqlError> {
    if statement.params.len() > MAX_BOUND_PARAMETERS {
        return Err(SqlError::TooManyParameters {
            count: statement.params.len(),
            max: MAX_BOUND_PARAMETERS,
        });
    }
    if let Some(keyword) = first_keyword(&statement.sql) {
        let upper = keyword.to_ascii_uppercase();
        if TRANSACTION_KEYWORDS.contains(&upper.as_str()) {
            return Err(SqlError::TransactionControl { keyword: upper });
        }
    }
    for (i, value) in statement.params.iter().enumerate() {
        check_value(value, || format!("bound parameter {}", i + 1))?;
    }
    Ok(())
}

/// Checks every value of a result row (integers beyond ±(2^53 − 1) are an error, not a rounding).
pub fn check_row(row: &Row) -> Result<(), SqlError> {
    for (column, value) in row.columns().iter().zip(row.values()) {
        check_value(value, || format!("column {column:?}"))?;
    }
    Ok(())
}

fn check_value(value: &Value, place: impl FnOnce() -> String) -> Result<(), SqlError> {
    match value {
        Value::Integer(i) if !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(i) => Err(SqlError::IntegerOutOfRange {
            value: *i,
            place: place(),
        }),
        Value::Real(r) if !r.is_finite() => Err(SqlError::NonFiniteReal {
            value: *r,
            place: place(),
        }),
        _ => Ok(()),
    }
}

/// The first word of a statement, skipping white space and comments.
pub fn first_keyword(sql: &str) -> Option<&str> {
    let rest = skip_space_and_comments(sql);
    let end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// `sql` without leading white space, empty statements (`;`) and `--` / `/* */` comments.
pub fn skip_space_and_comments(mut sql: &str) -> &str {
    loop {
        let trimmed = sql.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
        if let Some(rest) = trimmed.strip_prefix("--") {
            sql = rest.find('\n').map_or("", |i| &rest[i + 1..]);
        } else if let Some(rest) = trimmed.strip_prefix("/*") {
            sql = rest.find("*/").map_or("", |i| &rest[i + 2..]);
        } else {
            return trimmed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params;

    #[test]
    fn rejects_transaction_control_after_comments() {
        for sql in [
            "BEGIN",
            " begin transaction",
            "-- x\nCOMMIT",
            "/* a */ rollback",
            "SAVEPOINT s",
            "end",
        ] {
            let err = check_statement(&Statement::new(sql)).unwrap_err();
            assert!(matches!(err, SqlError::TransactionControl { .. }), "{sql}: {err}");
        }
        assert!(check_statement(&Statement::new(
            "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END"
        ))
        .is_ok());
        assert!(check_statement(&Statement::new("SELECT 'BEGIN'")).is_ok());
    }

    #[test]
    fn parameter_limit_is_100() {
        let ok = Statement::with_params("SELECT 1", vec![Value::Null; 100]);
        assert!(check_statement(&ok).is_ok());
        let too_many = Statement::with_params("SELECT 1", vec![Value::Null; 101]);
        assert!(matches!(
            check_statement(&too_many),
            Err(SqlError::TooManyParameters { count: 101, .. })
        ));
    }

    #[test]
    fn integer_range_is_js_safe() {
        assert!(check_statement(&Statement::with_params("SELECT ?", params![MAX_SAFE_INTEGER])).is_ok());
        assert!(check_statement(&Statement::with_params("SELECT ?", params![-MAX_SAFE_INTEGER])).is_ok());
        let err = check_statement(&Statement::with_params("SELECT ?", params![(1i64 << 53) + 1])).unwrap_err();
        assert!(err.to_string().contains("bound parameter 1"), "{err}");
        assert!(check_statement(&Statement::with_params("SELECT ?", params![f64::NAN])).is_err());
    }
}
