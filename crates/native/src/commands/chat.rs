//! `miti99bot chat`: the offline console.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use miti99bot_core::ingress::Ingress;
use miti99bot_core::ledger::MemoryLedger;

use crate::chat::{run_console, ConsoleOptions, ConsoleTelegram};
use crate::database;
use crate::error::CliError;
use crate::settings::{db_path, load_config};

/// Prices the console trades at when no price source is configured (whole VND).
pub const DEMO_PRICES: &str = "VNM=65000,FPT=120000,HPG=27000,VCB=90000,MWG=60000";

/// Options of `chat`.
#[derive(Debug, Args)]
pub struct ChatArgs {
    /// SQLite database file (default: $MITI99BOT_DB or ./data/miti99bot.db).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Your Telegram user id in the console.
    #[arg(long, default_value_t = 100_000_001, allow_hyphen_values = true)]
    pub user_id: i64,
    /// The chat's id (defaults to the user id, as for a private chat; groups are negative).
    #[arg(long, allow_hyphen_values = true)]
    pub chat_id: Option<i64>,
}

/// Opens the database, applies migrations and reads lines until end of input.
pub async fn run(args: ChatArgs) -> Result<ExitCode, CliError> {
    let mut config = load_config()?;
    let demo_prices = config.get("TRADING_PRICES").is_none() && config.get("TRADING_PRICE_API").is_none();
    if demo_prices {
        // Offline there is no price API: trade against fixed demo prices unless told otherwise.
        config.set("TRADING_PRICES", DEMO_PRICES)?;
    }
    let path = db_path(args.db, &config);
    let opened = database::open(&path, config)?;
    let (mut bot, applied) = database::start_bot(&opened).await?;
    let username = bot.username().unwrap_or("miti99bot").to_owned();
    bot.set_username(Some(username.clone()));
    let interactive = std::io::stdin().is_terminal();
    let ansi = std::io::stdout().is_terminal();
    if interactive {
        for name in &applied {
            eprintln!("applied migration {name}");
        }
        eprintln!(
            "miti99bot console on {} as user {} (try /help; Ctrl-D to quit)",
            path.display(),
            args.user_id
        );
    }
    let telegram = Arc::new(ConsoleTelegram::new(Box::new(std::io::stdout()), ansi, &username));
    let options = ConsoleOptions {
        user_id: args.user_id,
        chat_id: args.chat_id.unwrap_or(args.user_id),
        prompt: interactive,
        keyboard: telegram.keyboard(),
    };
    let clock = opened.services.clock.clone();
    // The console's ids start afresh every run: a ledger in memory, not in the database file.
    let ingress = Ingress::new(Arc::new(bot), Arc::new(MemoryLedger::new()), telegram);
    run_console(&ingress, std::io::stdin().lock(), &options, || clock.now_ms() / 1000).await?;
    Ok(ExitCode::SUCCESS)
}
