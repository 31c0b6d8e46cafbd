//! `_cron_runs`: one row per cron run (job, start, duration, ok or the error).

use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, SqlError};
use serde::Deserialize;

const CREATE: &str = "CREATE TABLE IF NOT EXISTS _cron_runs (\
id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, started_at INTEGER NOT NULL, \
duration_ms INTEGER NOT NULL, ok INTEGER NOT NULL, error TEXT)";
const INDEX: &str = "CREATE INDEX IF NOT EXISTS _cron_runs_job_started ON _cron_runs (job, started_at DESC)";
/// Runs older than this are pruned when a new run is recorded.
const KEEP_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// The latest run of a job.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LastRun {
    /// Unix ms.
    pub started_at: i64,
    /// How long it took.
    pub duration_ms: i64,
    /// 1 when it succeeded.
    pub ok: i64,
    /// The error, when it failed.
    pub error: Option<String>,
}

/// Reads and writes `_cron_runs`.
#[derive(Debug, Clone)]
pub struct CronRunLog {
    sql: ModuleSql,
}

impl CronRunLog {
    /// The log over an unprefixed SQL handle; creates the table when missing.
    pub async fn open(sql: ModuleSql) -> Result<Self, SqlError> {
        sql.run(CREATE, vec![]).await?;
        sql.run(INDEX, vec![]).await?;
        Ok(Self { sql })
    }

    /// Records one run and prunes runs older than 30 days.
    pub async fn record(
        &self,
        job: &str,
        started_at: i64,
        duration_ms: i64,
        error: Option<&str>,
    ) -> Result<(), SqlError> {
        let insert = self.sql.prepare(
            "INSERT INTO _cron_runs (job, started_at, duration_ms, ok, error) VALUES (?, ?, ?, ?, ?)",
            params![job, started_at, duration_ms, error.is_none(), error],
        );
        let prune = self.sql.prepare(
            "DELETE FROM _cron_runs WHERE started_at < ?",
            params![started_at - KEEP_MS],
        );
        self.sql.batch(&[insert, prune]).await.map(drop)
    }

    /// The latest run of `job`, if any.
    pub async fn last(&self, job: &str) -> Result<Option<LastRun>, SqlError> {
        self.sql
            .first(
                "SELECT started_at, duration_ms, ok, error FROM _cron_runs WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                params![job],
            )
            .await
    }

    /// How many runs of `job` are recorded.
    pub async fn count(&self, job: &str) -> Result<i64, SqlError> {
        #[derive(Deserialize)]
        struct Count {
            n: i64,
        }
        let row: Option<Count> = self
            .sql
            .first("SELECT COUNT(*) AS n FROM _cron_runs WHERE job = ?", params![job])
            .await?;
        Ok(row.map_or(0, |r| r.n))
    }
}
