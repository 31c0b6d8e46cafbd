//! The `scheduled` event: every cron whose schedule equals the trigger's string.

use miti99bot_core::CronOutcome;

use crate::env_vars::Env;
use crate::isolate::isolate;

/// Runs the crons of `schedule`, each with fresh stores of its module; one failure never stops
/// the others (the core runs them in turn and reports each).
pub async fn run(schedule: &str, scheduled_time_ms: i64, env: &Env) -> Vec<CronOutcome> {
    let isolate = match isolate(env).await {
        Ok(isolate) => isolate,
        Err(reason) => {
            miti99bot_core::error!(%reason, schedule, "bot start-up failed: no cron ran");
            return Vec::new();
        }
    };
    let outcomes = isolate
        .bot
        .run_scheduled(schedule, scheduled_time_ms, isolate.telegram.clone())
        .await;
    if outcomes.is_empty() {
        miti99bot_core::warn!(schedule, "no cron is declared for this schedule");
    }
    for outcome in &outcomes {
        if outcome.result.is_ok() {
            miti99bot_core::info!(job = %outcome.job, schedule, "cron done");
        }
    }
    outcomes
}
