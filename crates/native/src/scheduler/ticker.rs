//! Deciding what is due: each tick fires the jobs whose schedule matched a minute since the last
//! tick, each in its own task.

use std::future::Future;

use miti99bot_core::civil_time::MINUTE_MS;
use tokio::task::JoinSet;

use super::{JobRunner, RunRecord};

/// The scheduler loop over a [`JobRunner`].
#[derive(Debug, Clone)]
pub struct Scheduler {
    runner: JobRunner,
}

impl Scheduler {
    /// A scheduler firing `runner`'s bot's crons.
    pub fn new(runner: JobRunner) -> Self {
        Self { runner }
    }

    /// Fires, each in its own task, every job that was due at a minute in `(after, upto]`
    /// (at most once per job, however many minutes were missed).
    pub fn tick(&self, after_ms: i64, upto_ms: i64, tasks: &mut JoinSet<RunRecord>) {
        let crons = self.runner.bot().registry().crons().to_vec();
        for cron in crons {
            let due = cron.schedule.next_after(after_ms).filter(|t| *t <= upto_ms);
            if let Some(due) = due {
                let runner = self.runner.clone();
                tasks.spawn(async move { runner.run(&cron, due).await });
            }
        }
    }

    /// Ticks at every minute boundary until `shutdown` completes, then waits for running jobs.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) {
        let clock = self.runner.bot().services().clock.clone();
        if self.runner.bot().registry().crons().is_empty() {
            shutdown.await;
            return;
        }
        let mut last = clock.now_ms();
        let mut tasks = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            let now = clock.now_ms();
            let wait = (now.div_euclid(MINUTE_MS) + 1) * MINUTE_MS - now;
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(std::time::Duration::from_millis(wait.max(1) as u64)) => {}
                Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            }
            let now = clock.now_ms();
            self.tick(last, now, &mut tasks);
            last = now;
        }
        while tasks.join_next().await.is_some() {}
    }
}
