//! `miti99bot poll`: long polling, for running the bot locally with a real token.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::CliError;
use crate::poll::{PollOptions, PollState, Poller};
use crate::runtime::Runtime;
use crate::settings::{db_path, load_config, require, TOKEN_VAR};
use crate::shutdown::Shutdown;

/// Options of `poll`.
#[derive(Debug, Args)]
pub struct PollArgs {
    /// SQLite database file (default: $MITI99BOT_DB or ./data/miti99bot.db).
    #[arg(long)]
    pub db: Option<PathBuf>,
}

/// Starts the bot and polls `getUpdates` until SIGINT/SIGTERM.
pub async fn run(args: PollArgs) -> Result<ExitCode, CliError> {
    let config = load_config()?;
    require(&config, &[TOKEN_VAR]).map_err(CliError::Config)?;
    let shutdown = Shutdown::on_signals();
    let path = db_path(args.db, &config);
    let runtime = Runtime::start(config, &path).await?;
    let services = &runtime.opened.services;
    let sql = services
        .sql
        .clone()
        .ok_or_else(|| CliError::Other("no SQL store configured".into()))?;
    let state = PollState::open(sql, services.clock.clone()).await?;
    let options = PollOptions::new(runtime.bot.registry().allowed_updates());
    let poller = Poller::new(runtime.processor(), runtime.telegram.clone(), state, options);
    eprintln!("miti99bot poll: polling (database {}); Ctrl-C to stop", path.display());
    let crons = runtime.start_scheduler(shutdown.clone()).await?;
    let stats = poller.run_until_shutdown(shutdown.clone()).await;
    shutdown.trigger();
    let _ = crons.await;
    let stats = stats?;
    eprintln!(
        "miti99bot poll: stopped ({} applied, {} duplicate, {} failed, {} skipped)",
        stats.applied, stats.duplicates, stats.failed, stats.skipped
    );
    Ok(ExitCode::SUCCESS)
}
