//! What `serve` and `poll` start from: the database, the bot (with its username), the Bot API
//! client and the update processor. A scheduler can be started beside them from the same parts.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::telegram::{lookup_username_pausing, TelegramApi};
use miti99bot_core::{Bot, Config};

use crate::database::{self, Opened};
use crate::error::CliError;
use crate::scheduler::{CronRunLog, JobRunner, Scheduler};
use crate::settings::{client_options, TOKEN_VAR};
use crate::shutdown::Shutdown;
use crate::telegram_client::HttpTelegram;
use crate::updates::UpdateProcessor;
use miti99bot_core::ingress::Ingress;
use miti99bot_core::ledger::{SqlLedger, UpdateLedger};

/// A started bot, ready to receive updates.
pub struct Runtime {
    /// The database and the services over it.
    pub opened: Opened,
    /// The bot (migrations applied, inits run, username known).
    pub bot: Arc<Bot>,
    /// The Bot API client.
    pub telegram: Arc<HttpTelegram>,
    /// The update ledger (`_updates` in the database).
    pub ledger: Arc<dyn UpdateLedger>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("bot", &self.bot)
            .finish_non_exhaustive()
    }
}

/// The Bot API client for `TELEGRAM_BOT_TOKEN` and `TELEGRAM_API_BASE`.
pub fn telegram_client(config: &Config) -> Result<HttpTelegram, CliError> {
    let token = config
        .get(TOKEN_VAR)
        .ok_or_else(|| CliError::Config(format!("missing required configuration: {TOKEN_VAR}")))?;
    Ok(HttpTelegram::new(token, client_options(config))?)
}

impl Runtime {
    /// Opens the database at `db_path`, applies migrations, starts the bot, learns its username
    /// (`TELEGRAM_BOT_USERNAME`, else `getMe`) and prepares the processed-updates table.
    pub async fn start(config: Config, db_path: &Path) -> Result<Self, CliError> {
        let telegram = Arc::new(telegram_client(&config)?);
        let opened = database::open(db_path, config)?;
        let (mut bot, applied) = database::start_bot(&opened).await?;
        for name in &applied {
            tracing::info!(migration = %name, "applied migration");
        }
        resolve_username(&mut bot, telegram.as_ref(), Duration::from_secs(1)).await?;
        let services = &opened.services;
        let sql = services
            .sql
            .clone()
            .ok_or_else(|| CliError::Other("no SQL store configured".into()))?;
        let ledger = SqlLedger::new(sql);
        ledger.ensure().await?;
        ledger.prune(services.clock.now_ms()).await?;
        Ok(Self {
            bot: Arc::new(bot),
            ledger: Arc::new(ledger),
            telegram,
            opened,
        })
    }
}

impl Runtime {
    /// The pipeline for updates that do not come by webhook (polling).
    pub fn processor(&self) -> UpdateProcessor {
        UpdateProcessor::new(self.ingress())
    }

    /// The ingress over the bot, the ledger and the Bot API client (without webhook settings).
    pub fn ingress(&self) -> Ingress {
        Ingress::new(self.bot.clone(), self.ledger.clone(), self.telegram.clone())
    }

    /// Starts the in-process cron scheduler beside `serve` or `poll`; it stops (after the jobs
    /// that are running finish) when `shutdown` triggers.
    pub async fn start_scheduler(&self, shutdown: Shutdown) -> Result<tokio::task::JoinHandle<()>, CliError> {
        let log = CronRunLog::open(database::runner_sql(&self.opened.services)?)
            .await
            .map_err(|e| CliError::Other(format!("_cron_runs: {e}")))?;
        let telegram: Arc<dyn TelegramApi> = self.telegram.clone();
        let scheduler = Scheduler::new(JobRunner::new((*self.bot).clone(), telegram, log));
        for cron in self.bot.registry().crons() {
            tracing::info!(job = %cron.id(), schedule = %cron.cron.schedule(), "cron scheduled");
        }
        Ok(tokio::spawn(scheduler.run_until(async move { shutdown.wait().await })))
    }
}

/// Sets the bot's username from `getMe` unless configuration named it, through the core's
/// lookup: network failures are retried (after `first_wait`, then twice that), an answer from
/// Telegram that is an error is not.
pub async fn resolve_username(bot: &mut Bot, telegram: &dyn TelegramApi, first_wait: Duration) -> Result<(), CliError> {
    if bot.username().is_some() {
        return Ok(());
    }
    let pause =
        |failures: u32| tokio::time::sleep(first_wait.saturating_mul(2u32.saturating_pow(failures.saturating_sub(1))));
    let username = lookup_username_pausing(telegram, pause).await.map_err(|error| {
        CliError::Other(format!(
            "could not learn the bot's username: {error} (set TELEGRAM_BOT_USERNAME to skip getMe)"
        ))
    })?;
    if username.is_none() {
        tracing::warn!("getMe returned no username; /cmd@bot commands will be ignored");
    }
    bot.set_username(username);
    Ok(())
}
