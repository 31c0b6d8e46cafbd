//! The command line: one subcommand per file in [`crate::commands`].

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::error::CliError;

/// miti99bot: a plug-and-play Telegram bot. Talk to it offline with `chat`; serve Telegram with
/// `serve` (webhook) or `poll` (long polling); `register` the webhook and command menu.
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
    /// Serve Telegram's webhook (POST /webhook) over HTTP.
    Serve(commands::serve::ServeArgs),
    /// Receive updates by long polling getUpdates (no public URL needed).
    Poll(commands::poll::PollArgs),
    /// Set the webhook and the command menu at Telegram (or print them with --dry-run).
    Register(commands::register::RegisterArgs),
    /// List cron jobs, or run one now.
    Cron(commands::cron::CronArgs),
    /// Write (or --check) wrangler.toml's MODULES and cron triggers from the module catalog.
    Wrangler(commands::wrangler::WranglerArgs),
}

impl Cli {
    /// Runs the chosen subcommand.
    pub async fn run(self) -> Result<ExitCode, CliError> {
        match self.command {
            Command::Chat(args) => commands::chat::run(args).await,
            Command::Migrate(args) => commands::migrate::run(args).await,
            Command::Serve(args) => commands::serve::run(args).await,
            Command::Poll(args) => commands::poll::run(args).await,
            Command::Register(args) => commands::register::run(args).await,
            Command::Cron(args) => commands::cron::run(args, None).await,
            Command::Wrangler(args) => commands::wrangler::run(args).await,
        }
    }
}
