use serde::Deserialize;
use thiserror::Error;

use super::{check_table_prefixes, Migration};
use crate::sql::{ModuleSql, SqlError, Statement};
use crate::wiring_error::WiringError;

/// The tracking table, created before anything else.
pub const CREATE_TRACKING_TABLE: &str = "CREATE TABLE IF NOT EXISTS _migrations (\
name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)";

/// A row of `_migrations`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppliedMigration {
    /// `<module>/<file>`.
    pub name: String,
    /// The checksum recorded when it was applied.
    pub checksum: String,
    /// When it was applied, Unix ms.
    pub applied_at: i64,
}

/// What a run would do.
#[derive(Debug, Clone, Default)]
pub struct MigrationPlan {
    /// Already applied, unchanged, in order.
    pub applied: Vec<String>,
    /// Not yet applied, in the order they will be applied.
    pub pending: Vec<Migration>,
}

/// Why migrations could not be planned or applied.
#[derive(Debug, Error)]
pub enum MigrationError {
    /// A recorded migration's file no longer matches what was applied.
    #[error("migration {name} was changed after it was applied (recorded checksum {recorded}, file {current}); add a new migration instead of editing an applied one")]
    Changed {
        /// `<module>/<file>`.
        name: String,
        /// Checksum in `_migrations`.
        recorded: String,
        /// Checksum of the file now.
        current: String,
    },
    /// A migration failed; nothing of it was applied.
    #[error("migration {name} failed, nothing of it was applied: {source}")]
    Failed {
        /// `<module>/<file>`.
        name: String,
        /// The SQL error.
        source: SqlError,
    },
    /// The tracking table could not be read or created.
    #[error("migration tracking table: {0}")]
    Tracking(#[source] SqlError),
    /// A pending migration breaks the table-prefix rule; nothing was applied.
    #[error(transparent)]
    Refused(#[from] WiringError),
}

/// Applies migrations through a [`ModuleSql`] (SQLite natively, D1 on Workers).
#[derive(Debug, Clone)]
pub struct MigrationRunner {
    sql: ModuleSql,
}

impl MigrationRunner {
    /// A runner over an unprefixed SQL handle.
    pub fn new(sql: ModuleSql) -> Self {
        Self { sql }
    }

    /// Rows of `_migrations` (the table is created when missing).
    pub async fn applied(&self) -> Result<Vec<AppliedMigration>, MigrationError> {
        self.sql
            .run(CREATE_TRACKING_TABLE, vec![])
            .await
            .map_err(MigrationError::Tracking)?;
        self.sql
            .all(
                "SELECT name, checksum, applied_at FROM _migrations ORDER BY name",
                vec![],
            )
            .await
            .map_err(MigrationError::Tracking)
    }

    /// What is applied and what is pending, in order; a changed applied file is an error.
    pub async fn plan(&self, migrations: &[Migration]) -> Result<MigrationPlan, MigrationError> {
        let applied = self.applied().await?;
        plan_against(migrations, &applied)
    }

    /// Applies every pending migration in order, each atomically with its record.
    ///
    /// Stops at the first failure; migrations applied before it stay applied.
    pub async fn apply(&self, migrations: &[Migration], now_ms: i64) -> Result<Vec<String>, MigrationError> {
        let plan = self.plan(migrations).await?;
        let mut done = Vec::with_capacity(plan.pending.len());
        for migration in &plan.pending {
            let name = migration.name();
            let statements: Vec<Statement> = migration.statements(now_ms).map_err(|source| MigrationError::Failed {
                name: name.clone(),
                source,
            })?;
            self.sql
                .batch(&statements)
                .await
                .map_err(|source| MigrationError::Failed {
                    name: name.clone(),
                    source,
                })?;
            crate::info!(migration = %name, "applied migration");
            done.push(name);
        }
        Ok(done)
    }
}

/// Plans `migrations` (sorted here by module, then file) against recorded rows; used directly
/// when the rows come from elsewhere (D1 through wrangler). A pending migration that breaks the
/// table-prefix rule ([`check_table_prefixes`]) is refused here, before anything is applied,
/// on every runtime: the Worker's registry skips that check at isolate start, so this is where
/// it holds for migrations the Worker applies itself.
pub fn plan_against(migrations: &[Migration], applied: &[AppliedMigration]) -> Result<MigrationPlan, MigrationError> {
    let mut ordered: Vec<&Migration> = migrations.iter().collect();
    // Unstable is enough: module and file are unique.
    ordered.sort_unstable_by(|a, b| (&a.module, &a.file).cmp(&(&b.module, &b.file)));
    let mut plan = MigrationPlan::default();
    for migration in ordered {
        let name = migration.name();
        match applied.iter().find(|a| a.name == name) {
            Some(row) => {
                let current = migration.checksum();
                if row.checksum != current {
                    return Err(MigrationError::Changed {
                        name,
                        recorded: row.checksum.clone(),
                        current,
                    });
                }
                plan.applied.push(name);
            }
            None => {
                check_table_prefixes(&migration.module, migration)?;
                plan.pending.push(migration.clone());
            }
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_migration_outside_its_prefix_is_refused_and_an_applied_one_is_not_rechecked() {
        let bad = Migration::new("notes", "0001_init.sql", "CREATE TABLE users (id INTEGER);");
        match plan_against(std::slice::from_ref(&bad), &[]) {
            Err(MigrationError::Refused(WiringError::UnprefixedSchemaObject { module, file, .. })) => {
                assert_eq!((module.as_str(), file.as_str()), ("notes", "0001_init.sql"));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let good = Migration::new("notes", "0001_init.sql", "CREATE TABLE notes_items (id INTEGER);");
        let plan = plan_against(std::slice::from_ref(&good), &[]).expect("plan");
        assert_eq!(plan.pending.len(), 1);
        let applied = AppliedMigration {
            name: bad.name(),
            checksum: bad.checksum(),
            applied_at: 1,
        };
        let plan = plan_against(std::slice::from_ref(&bad), &[applied]).expect("plan");
        assert_eq!(plan.applied, vec!["notes/0001_init.sql".to_owned()]);
    }
}
