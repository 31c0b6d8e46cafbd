//! The in-process cron scheduler of `serve` and `poll`, and the run log behind `cron list`.
//!
//! Every declared cron fires on its 5-field UTC schedule. A job never overlaps itself (a run
//! still going when the job is due again is skipped and logged), a failing or panicking job
//! never stops another, and every run is recorded in `_cron_runs`.

mod job_runner;
mod run_log;
mod ticker;

pub use job_runner::{JobRunner, RunRecord};
pub use run_log::{CronRunLog, LastRun};
pub use ticker::Scheduler;
