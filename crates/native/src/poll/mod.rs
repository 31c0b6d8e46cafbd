//! `miti99bot poll`: long polling with `getUpdates`, for running the bot without a public URL.
//!
//! It deletes a set webhook first (Telegram refuses `getUpdates` while one is set), then asks
//! for updates from the stored offset with a 30 s long poll. Each update is applied through the
//! same [`UpdateProcessor`] as the webhook (dedup, chat order, failures contained), and the
//! offset is stored in the database right after it, so a restart neither loses nor repeats
//! updates. Malformed updates are logged and skipped (the offset moves past them); network
//! errors back off and retry; shutdown finishes the update in progress.

pub mod state;

use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::telegram::{FromJson, GetUpdates, TelegramApi, TelegramError, Update};
use serde_json::Value;

use crate::error::CliError;
use crate::shutdown::Shutdown;
use crate::updates::{Outcome, UpdateProcessor};

pub use state::PollState;

/// Settings of the poller.
#[derive(Debug, Clone)]
pub struct PollOptions {
    /// Long-poll timeout of `getUpdates`, seconds.
    pub timeout_secs: u32,
    /// Updates per `getUpdates`, at most (1..=100).
    pub limit: u32,
    /// Update kinds to receive (from the registry).
    pub allowed_updates: Vec<String>,
    /// First wait after a failure.
    pub backoff_min: Duration,
    /// Longest wait between retries.
    pub backoff_max: Duration,
}

impl PollOptions {
    /// 30 s long polls of up to 100 updates, backing off from 1 s to 60 s.
    pub fn new(allowed_updates: Vec<String>) -> Self {
        Self {
            timeout_secs: 30,
            limit: 100,
            allowed_updates,
            backoff_min: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
        }
    }
}

/// What a poller did before it stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollStats {
    /// Updates dispatched (handled, refused or ignored).
    pub applied: u64,
    /// Redeliveries recognised and skipped.
    pub duplicates: u64,
    /// Updates whose handler failed or panicked (logged, not retried).
    pub failed: u64,
    /// Malformed updates skipped.
    pub skipped: u64,
}

/// The long-polling loop.
pub struct Poller {
    processor: UpdateProcessor,
    telegram: Arc<dyn TelegramApi>,
    state: PollState,
    options: PollOptions,
}

impl std::fmt::Debug for Poller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Doubling waits between `min` and `max`.
struct Backoff {
    next: Duration,
    min: Duration,
    max: Duration,
}

impl Backoff {
    fn new(min: Duration, max: Duration) -> Self {
        Self { next: min, min, max }
    }

    fn reset(&mut self) {
        self.next = self.min;
    }

    /// Sleeps the next wait; `false` when shutdown came first.
    async fn wait(&mut self, shutdown: &Shutdown) -> bool {
        let wait = self.next;
        self.next = (self.next * 2).min(self.max).max(self.min);
        tokio::select! {
            _ = shutdown.wait() => false,
            _ = tokio::time::sleep(wait) => true,
        }
    }
}

/// Errors no retry fixes: a wrong token (401), a blocked bot (403), a wrong API base (404).
fn is_fatal(error: &TelegramError) -> bool {
    matches!(
        error,
        TelegramError::Api {
            status: 401 | 403 | 404,
            ..
        }
    )
}

impl Poller {
    /// A poller applying updates with `processor`, replying through `telegram`.
    pub fn new(
        processor: UpdateProcessor,
        telegram: Arc<dyn TelegramApi>,
        state: PollState,
        options: PollOptions,
    ) -> Self {
        Self {
            processor,
            telegram,
            state,
            options,
        }
    }

    /// Deletes the webhook, then polls until `shutdown` (or a fatal error).
    pub async fn run_until_shutdown(self, shutdown: Shutdown) -> Result<PollStats, CliError> {
        let mut stats = PollStats::default();
        let mut backoff = Backoff::new(self.options.backoff_min, self.options.backoff_max);
        loop {
            let result = tokio::select! {
                _ = shutdown.wait() => return Ok(stats),
                result = self.telegram.delete_webhook() => result,
            };
            match result {
                Ok(()) => break,
                Err(error) if is_fatal(&error) => return Err(error.into()),
                Err(error) => {
                    tracing::warn!(%error, "deleteWebhook failed; retrying");
                    if !backoff.wait(&shutdown).await {
                        return Ok(stats);
                    }
                }
            }
        }
        backoff.reset();
        let mut offset = self.state.load().await?;
        tracing::info!(?offset, "long polling");
        while !shutdown.is_triggered() {
            let request = GetUpdates {
                offset,
                timeout: self.options.timeout_secs,
                limit: Some(self.options.limit.clamp(1, 100)),
                allowed_updates: self.options.allowed_updates.clone(),
            };
            let result = tokio::select! {
                _ = shutdown.wait() => break,
                result = self.telegram.get_updates(&request) => result,
            };
            let updates = match result {
                Ok(updates) => {
                    backoff.reset();
                    updates
                }
                Err(error) if is_fatal(&error) => return Err(error.into()),
                Err(error) => {
                    tracing::warn!(%error, "getUpdates failed; backing off");
                    if !backoff.wait(&shutdown).await {
                        break;
                    }
                    continue;
                }
            };
            for raw in updates {
                let Some(update_id) = raw.get("update_id").and_then(Value::as_i64) else {
                    stats.skipped += 1;
                    tracing::warn!("update without an update_id skipped");
                    continue;
                };
                if offset.is_some_and(|o| update_id < o) {
                    continue;
                }
                match Update::from_json(raw) {
                    Err(error) => {
                        stats.skipped += 1;
                        tracing::warn!(update_id, %error, "malformed update skipped");
                    }
                    Ok(update) => match self.apply(update, &mut backoff, &shutdown).await {
                        Some(outcome) => count(&mut stats, &outcome),
                        None => return Ok(stats),
                    },
                }
                offset = Some(update_id + 1);
                if let Err(error) = self.state.store(update_id + 1).await {
                    tracing::error!(update_id, %error, "could not store the polling offset");
                }
                if shutdown.is_triggered() {
                    return Ok(stats);
                }
            }
        }
        Ok(stats)
    }

    /// Applies one update, retrying while its id cannot be recorded; `None` on shutdown.
    async fn apply(&self, update: Update, backoff: &mut Backoff, shutdown: &Shutdown) -> Option<Outcome> {
        loop {
            let outcome = self.processor.process(update.clone()).await;
            if outcome.acknowledged() {
                backoff.reset();
                return Some(outcome);
            }
            if !backoff.wait(shutdown).await {
                return None;
            }
        }
    }
}

fn count(stats: &mut PollStats, outcome: &Outcome) {
    match outcome {
        Outcome::Applied(_) => stats.applied += 1,
        Outcome::Duplicate => stats.duplicates += 1,
        Outcome::Failed(_) | Outcome::Rejected(_) | Outcome::Panicked => stats.failed += 1,
        Outcome::Unavailable(_) => {}
    }
}
