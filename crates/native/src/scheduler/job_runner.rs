//! Runs one job: no overlap with itself, panics caught, the outcome recorded.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use miti99bot_core::registry::RegisteredCron;
use miti99bot_core::telegram::TelegramApi;
use miti99bot_core::Bot;

use super::CronRunLog;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunRecord {
    /// It ran; `Ok` or the error text.
    Ran {
        /// `<module>/<name>`.
        job: String,
        /// `None` on success, else the error.
        error: Option<String>,
    },
    /// The previous run of the job was still going; this one was skipped.
    SkippedOverlap {
        /// `<module>/<name>`.
        job: String,
    },
}

impl RunRecord {
    /// True when the job ran and succeeded.
    pub fn succeeded(&self) -> bool {
        matches!(self, RunRecord::Ran { error: None, .. })
    }
}

/// Runs jobs of one bot, each at most once at a time.
#[derive(Clone)]
pub struct JobRunner {
    bot: Bot,
    telegram: Arc<dyn TelegramApi>,
    log: CronRunLog,
    running: Arc<Mutex<HashSet<String>>>,
}

impl std::fmt::Debug for JobRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobRunner").finish_non_exhaustive()
    }
}

/// Removes the job from the running set when the run ends, however it ends.
struct RunningGuard {
    running: Arc<Mutex<HashSet<String>>>,
    job: String,
}

impl Drop for RunningGuard {
    fn drop(&mut self) {
        if let Ok(mut running) = self.running.lock() {
            running.remove(&self.job);
        }
    }
}

impl JobRunner {
    /// A runner for `bot`'s crons, sending through `telegram`, recording in `log`.
    pub fn new(bot: Bot, telegram: Arc<dyn TelegramApi>, log: CronRunLog) -> Self {
        Self {
            bot,
            telegram,
            log,
            running: Arc::default(),
        }
    }

    /// The bot.
    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    /// The run log.
    pub fn log(&self) -> &CronRunLog {
        &self.log
    }

    /// Runs `cron` now (due at `scheduled_ms`) unless it is already running, and records it.
    pub async fn run(&self, cron: &RegisteredCron, scheduled_ms: i64) -> RunRecord {
        let job = cron.id();
        let guard = {
            let Ok(mut running) = self.running.lock() else {
                return RunRecord::Ran {
                    job,
                    error: Some("scheduler state lock poisoned".into()),
                };
            };
            if !running.insert(job.clone()) {
                tracing::warn!(%job, "cron still running from its previous fire; skipped");
                return RunRecord::SkippedOverlap { job };
            }
            RunningGuard {
                running: self.running.clone(),
                job: job.clone(),
            }
        };
        let clock = self.bot.services().clock.clone();
        let started = clock.now_ms();
        // Spawned so that a panic in the handler is caught here and recorded, not propagated.
        let (bot, cron_owned, telegram) = (self.bot.clone(), cron.clone(), self.telegram.clone());
        let outcome = tokio::spawn(async move { bot.run_cron(&cron_owned, scheduled_ms, telegram).await.result }).await;
        let error = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(join) if join.is_panic() => Some("handler panicked".to_owned()),
            Err(join) => Some(format!("handler did not finish: {join}")),
        };
        let duration = clock.now_ms() - started;
        if let Err(e) = self.log.record(&job, started, duration, error.as_deref()).await {
            tracing::error!(%job, error = %e, "could not record cron run");
        }
        match &error {
            None => tracing::info!(%job, duration_ms = duration, "cron ran"),
            Some(e) => tracing::error!(%job, error = %e, "cron failed"),
        }
        drop(guard);
        RunRecord::Ran { job, error }
    }
}
