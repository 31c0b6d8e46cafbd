//! Inlining bound values, for the one place where binds cannot travel: a wrangler command line.

use miti99bot_core::sql::{SqlError, Statement, Value};

/// `statement` with each `?` outside quotes and comments replaced by its value as a SQL literal.
pub fn render_statement(statement: &Statement) -> Result<String, SqlError> {
    let mut out = String::with_capacity(statement.sql.len() + 32);
    let mut params = statement.params.iter();
    let chars = statement.sql.chars();
    let mut quote: Option<char> = None;
    for c in chars {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' || c == '`' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let value = params.next().ok_or(SqlError::ParameterCount {
                    expected: statement.sql.matches('?').count(),
                    given: statement.params.len(),
                })?;
                out.push_str(&literal(value));
            }
            None => out.push(c),
        }
    }
    if params.next().is_some() {
        return Err(SqlError::ParameterCount {
            expected: statement.params.len() - params.count() - 1,
            given: statement.params.len(),
        });
    }
    Ok(out)
}

fn literal(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_owned(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => format!("{r:?}"),
        Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Blob(b) => format!("X'{}'", b.iter().map(|x| format!("{x:02X}")).collect::<String>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miti99bot_core::params;

    #[test]
    fn inlines_values_outside_quotes() {
        let st = Statement::with_params(
            "INSERT INTO t VALUES (?, '?', ?, ?, ?)",
            params!["it's", 42, Option::<i64>::None, vec![1u8, 255]],
        );
        assert_eq!(
            render_statement(&st).unwrap(),
            "INSERT INTO t VALUES ('it''s', '?', 42, NULL, X'01FF')"
        );
        assert!(render_statement(&Statement::with_params("SELECT ?", params![])).is_err());
        assert!(render_statement(&Statement::with_params("SELECT 1", params![1])).is_err());
    }
}
