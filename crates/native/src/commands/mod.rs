//! One file per subcommand.

pub mod chat;
pub mod cron;
pub mod migrate;
