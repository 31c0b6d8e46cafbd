//! # miti99bot-modules
//!
//! The bot's modules, one folder each, and the [`catalog`] that maps `MODULES` names to them.
//!
//! | module | commands |
//! |---|---|
//! | [`util`] | `/help`, `/info` |
//! | [`misc`] | `/ping`, `/mstats` (protected), `/fortytwo` (private) |
//! | [`trading`] | `/trade_topup`, `/trade_buy`, `/trade_sell`, `/trade_convert`, `/trade_stats`, `/history`; cron `trim-trades`; table `trading_trades` |
//! | [`wordle`] | `/wordle`, `/wordle_new`, `/wordle_giveup`, `/wordle_stats`; cron `purge-rounds`; tables `wordle_rounds`, `wordle_stats` |
//! | [`loldle`] | `/loldle`, `/loldle_new`, `/loldle_giveup`, `/loldle_stats`; cron `purge-rounds`; tables `loldle_rounds`, `loldle_stats` |
//!
//! A module's SQL migrations live in `src/<module>/migrations/NNNN_name.sql`; `build.rs` finds
//! them at build time and [`migrations_of`] hands them to the module. See
//! `docs/adding-a-module.md`.

#![forbid(unsafe_code)]

mod guess_game;
pub mod loldle;
mod migrations;
pub mod misc;
pub mod trading;
pub mod util;
pub mod wordle;

use miti99bot_core::migrate::Migration;
use miti99bot_core::Catalog;

/// Every built-in module, in the default `MODULES` order.
pub fn catalog() -> Catalog {
    Catalog::new()
        .with("util", util::module)
        .with("wordle", wordle::module)
        .with("loldle", loldle::module)
        .with("misc", misc::module)
        .with("trading", trading::module)
}

/// The default `MODULES` value: every built-in module.
pub fn default_module_list() -> String {
    catalog().names().join(",")
}

/// The migrations in `src/<module>/migrations/`, in file order.
pub fn migrations_of(module: &str) -> Vec<Migration> {
    migrations::MIGRATION_FILES
        .iter()
        .filter(|(m, _, _)| *m == module)
        .map(|(m, file, sql)| Migration::new(*m, *file, *sql))
        .collect()
}

/// Every module folder that has migrations, with its files (for checks and tooling).
pub fn all_migrations() -> Vec<Migration> {
    migrations::MIGRATION_FILES
        .iter()
        .map(|(m, file, sql)| Migration::new(*m, *file, *sql))
        .collect()
}
