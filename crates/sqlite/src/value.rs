//! [`Value`] to and from SQLite's values.

use miti99bot_core::sql::{SqlError, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::ToSql;

/// A bound parameter, borrowed from the statement (no copy of text or blobs).
pub(crate) struct Bind<'a>(pub(crate) &'a Value);

impl ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// A column value read from SQLite; text that is not UTF-8 is an error, not a lossy copy.
pub(crate) fn from_sqlite(value: ValueRef<'_>, column: &str) -> Result<Value, SqlError> {
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(bytes) => Value::Text(
            String::from_utf8(bytes.to_vec())
                .map_err(|_| SqlError::database(format!("column {column:?} holds text that is not valid UTF-8")))?,
        ),
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    })
}
