//! The command line: one subcommand per file in [`crate::commands`].

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::error::CliError;

/// miti99bot: a plug-and-play Telegram bot. Talk to it offline with `chat`.
#[derive(Debug, Parser)]
#[command(name = "miti99bot", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Talk to the bot in the terminal, offline: no token, no network.
    Chat(commands::chat::ChatArgs),
    /// Apply pending SQL migrations of the enabled modules.
    Migrate(commands::migrate::MigrateArgs),
    /// List cron jobs, or run one now.
    Cron(commands::cron::CronArgs),
}

impl Cli {
    /// Runs the chosen subcommand.
    pub async fn run(self) -> Result<ExitCode, CliError> {
        match self.command {
            Command::Chat(args) => commands::chat::run(args).await,
            Command::Migrate(args) => commands::migrate::run(args).await,
            Command::Cron(args) => commands::cron::run(args, None).await,
        }
    }
}
