//! `miti99bot cron list` and `miti99bot cron run <module>/<name>`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use miti99bot_core::civil_time::CivilTime;
use miti99bot_core::telegram::TelegramApi;

use crate::database;
use crate::error::CliError;
use crate::offline_telegram::OfflineTelegram;
use crate::scheduler::{CronRunLog, JobRunner, RunRecord};
use crate::settings::{db_path, load_config};

/// Options of `cron`.
#[derive(Debug, Args)]
pub struct CronArgs {
    /// SQLite database file (default: $MITI99BOT_DB or ./data/miti99bot.db).
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub action: CronAction,
}

/// `cron` subcommands.
#[derive(Debug, Subcommand)]
pub enum CronAction {
    /// Every job: schedule, next fire time (UTC), last run and its result.
    List,
    /// Runs one job now; exits non-zero if it failed.
    Run {
        /// The job, `<module>/<name>` (see `cron list`).
        job: String,
    },
}

/// Runs `cron list` or `cron run`.
pub async fn run(args: CronArgs, telegram: Option<Arc<dyn TelegramApi>>) -> Result<ExitCode, CliError> {
    let config = load_config()?;
    let path = db_path(args.db, &config);
    let opened = database::open(&path, config)?;
    let (bot, _) = database::start_bot(&opened).await?;
    let sql = database::runner_sql(&opened.services)?;
    let log = CronRunLog::open(sql)
        .await
        .map_err(|e| CliError::Other(format!("_cron_runs: {e}")))?;
    let telegram = telegram.unwrap_or_else(|| Arc::new(OfflineTelegram));
    let now = opened.services.clock.now_ms();
    match args.action {
        CronAction::List => {
            if bot.registry().crons().is_empty() {
                println!("no crons declared by the enabled modules");
            }
            for cron in bot.registry().crons() {
                let next = cron
                    .schedule
                    .next_after(now)
                    .map_or_else(|| "never".to_owned(), |t| CivilTime::from_unix_ms(t).format_minute());
                let last = match log.last(&cron.id()).await.map_err(|e| CliError::Other(e.to_string()))? {
                    None => "never run".to_owned(),
                    Some(run) => format!(
                        "{} ({} ms) {}",
                        CivilTime::from_unix_ms(run.started_at).format_minute(),
                        run.duration_ms,
                        run.error.map_or_else(|| "ok".to_owned(), |e| format!("failed: {e}"))
                    ),
                };
                println!(
                    "{}  schedule \"{}\"  next {} UTC  last {}",
                    cron.id(),
                    cron.cron.schedule(),
                    next,
                    last
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CronAction::Run { job } => {
            let Some(cron) = bot.registry().crons().iter().find(|c| c.id() == job).cloned() else {
                let known: Vec<String> = bot.registry().crons().iter().map(|c| c.id()).collect();
                return Err(CliError::Other(format!(
                    "unknown cron job {job:?} (known: {})",
                    known.join(", ")
                )));
            };
            let runner = JobRunner::new(bot, telegram, log);
            match runner.run(&cron, now).await {
                RunRecord::Ran { error: None, .. } => {
                    println!("{job}: ok");
                    Ok(ExitCode::SUCCESS)
                }
                RunRecord::Ran { error: Some(e), .. } => {
                    eprintln!("{job}: failed: {e}");
                    Ok(ExitCode::FAILURE)
                }
                RunRecord::SkippedOverlap { .. } => {
                    eprintln!("{job}: already running");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
