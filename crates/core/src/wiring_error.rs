//! Start-up errors: everything that can be wrong with the set of modules.

use thiserror::Error;

/// A wiring error stops start-up; its message names the module and, where relevant, the command.
#[derive(Debug, Error)]
pub enum WiringError {
    /// No module list was given to [`parse_module_list`](crate::module_list::parse_module_list) (`select_modules` reads an unset `MODULES` as every catalog module instead).
    #[error("MODULES env var is empty")]
    ModulesEmpty,
    /// `MODULES` holds only separators.
    #[error("MODULES env var is empty after trim/dedupe")]
    ModulesEmptyAfterTrim,
    /// `MODULES` names a module the catalog does not have.
    #[error("unknown module: {name} (known: {known})")]
    UnknownModule {
        /// The name as written.
        name: String,
        /// Every module the catalog has.
        known: String,
    },
    /// A module's constructor returned a module with another name.
    #[error("module \"{expected}\" has mismatched name \"{actual}\"")]
    MismatchedName {
        /// The catalog key.
        expected: String,
        /// The name the module reports.
        actual: String,
    },
    /// A module's constructor refused the configuration.
    #[error("module \"{module}\": {reason}")]
    ModuleConfig {
        /// The module.
        module: String,
        /// The variable and what is wrong with it.
        reason: String,
    },
    /// A module name outside `^[a-z0-9_-]{1,32}$`.
    #[error("module \"{module}\": invalid module name (use a-z, 0-9, _ and -, at most 32 characters)")]
    InvalidModuleName {
        /// The name.
        module: String,
    },
    /// A command declaration is invalid.
    #[error("module \"{module}\" command \"{command}\": {reason}")]
    InvalidCommand {
        /// The module.
        module: String,
        /// The command.
        command: String,
        /// What is wrong.
        reason: String,
    },
    /// Two commands share a name (one namespace across every visibility).
    #[error("command conflict: /{command} registered by both \"{first}\" and \"{second}\"")]
    CommandConflict {
        /// The command name.
        command: String,
        /// The module that registered it first.
        first: String,
        /// The module that registered it again.
        second: String,
    },
    /// A cron declaration is invalid.
    #[error("module \"{module}\" cron \"{cron}\": {reason}")]
    InvalidCron {
        /// The module.
        module: String,
        /// The cron name.
        cron: String,
        /// What is wrong.
        reason: String,
    },
    /// A module declares two crons with one name.
    #[error("module \"{module}\" has duplicate cron name \"{cron}\"")]
    DuplicateCron {
        /// The module.
        module: String,
        /// The cron name.
        cron: String,
    },
    /// A callback declaration is invalid (name, or declared twice in the module).
    #[error("module \"{module}\" callback \"{callback}\": {reason}")]
    InvalidCallback {
        /// The module.
        module: String,
        /// The callback name.
        callback: String,
        /// What is wrong.
        reason: String,
    },
    /// A deep-link prefix is invalid or claimed twice.
    #[error("module \"{module}\" deep link \"{prefix}\": {reason}")]
    InvalidDeepLink {
        /// The module.
        module: String,
        /// The prefix.
        prefix: String,
        /// What is wrong.
        reason: String,
    },
    /// A module's migration file name is not `NNNN_name.sql` or is declared twice.
    #[error("module \"{module}\" migration \"{file}\": {reason}")]
    InvalidMigration {
        /// The module.
        module: String,
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// A module's migration creates, alters or drops a table, index, view or trigger outside the
    /// module's `<module>_` prefix, or puts an index or trigger on another module's table
    /// (the rule: [`check_table_prefixes`](crate::migrate::check_table_prefixes)).
    #[error("module \"{module}\" migration {file}: {what} without the prefix \"{prefix}\"")]
    UnprefixedSchemaObject {
        /// The module.
        module: String,
        /// The migration file.
        file: String,
        /// What the statement does, e.g. `creates table "trades"`.
        what: String,
        /// The prefix its names must carry, `<module>_`.
        prefix: String,
    },
    /// A module's init failed.
    #[error("module \"{module}\" init failed: {reason}")]
    InitFailed {
        /// The module.
        module: String,
        /// The error it returned.
        reason: String,
    },
}
