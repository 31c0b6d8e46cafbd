use sha2::{Digest, Sha256};

use crate::sql::split::split_statements;
use crate::sql::{SqlError, Statement};

/// One migration file of one module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The module (folder) it belongs to.
    pub module: String,
    /// The file name, `NNNN_name.sql`.
    pub file: String,
    /// The SQL text.
    pub sql: String,
}

impl Migration {
    /// A migration of `module`. Its [`checksum`](Self::checksum) is computed when asked for:
    /// every isolate start builds the catalog's migrations, and only migrating needs one (the
    /// Worker never does outside the e2e build, so its wasm carries no SHA-256).
    pub fn new(module: impl Into<String>, file: impl Into<String>, sql: impl Into<String>) -> Self {
        Self {
            module: module.into(),
            file: file.into(),
            sql: sql.into(),
        }
    }

    /// Hex SHA-256 of the SQL text, as recorded in `_migrations` ([`checksum`]).
    pub fn checksum(&self) -> String {
        checksum(&self.sql)
    }

    /// The tracking key, `<module>/<file>`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.module, self.file)
    }

    /// The statements that apply this migration and record it, as one batch.
    pub fn statements(&self, applied_at_ms: i64) -> Result<Vec<Statement>, SqlError> {
        let mut statements: Vec<Statement> = split_statements(&self.sql)?.into_iter().map(Statement::new).collect();
        statements.push(
            Statement::new("INSERT INTO _migrations (name, checksum, applied_at) VALUES (?, ?, ?)")
                .bind(self.name())
                .bind(self.checksum())
                .bind(applied_at_ms),
        );
        Ok(statements)
    }
}

/// Hex SHA-256 of a migration's text.
pub fn checksum(sql: &str) -> String {
    let digest = Sha256::digest(sql.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
