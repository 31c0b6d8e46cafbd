//! Per-module SQL migrations: discovery result type, tracking table and the runner.
//!
//! A module's migrations live in `<modules crate>/src/<module>/migrations/NNNN_name.sql` and are
//! embedded at build time. The runner applies pending ones in order (module, then file), each
//! together with its `_migrations` record in one batch, so a migration is either applied and
//! recorded or not applied at all. A recorded migration whose file has changed since is an error.
//! [`check_table_prefixes`] is the table-prefix rule `Registry::build` applies to every file
//! natively, and [`plan_against`] to every pending one on every runtime.

mod migration;
mod prefix_rule;
mod runner;

pub use migration::{checksum, Migration};
pub use prefix_rule::check_table_prefixes;
pub use runner::{
    plan_against, AppliedMigration, MigrationError, MigrationPlan, MigrationRunner, CREATE_TRACKING_TABLE,
};
