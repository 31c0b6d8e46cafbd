//! One file per subcommand.

pub mod chat;
pub mod cron;
pub mod migrate;
pub mod poll;
pub mod register;
pub mod serve;
pub mod wrangler;
