//! One file per subcommand.

pub mod chat;
pub mod migrate;
