//! The `trim-trades` cron: keep each user's newest trades and the newest trades overall.
//!
//! Two set-based statements, whatever the number of users, one bound parameter each, run as
//! one [`batch`](ModuleSql::batch) (one round trip, atomic). "Newest" is `ts` descending with
//! ties broken by `id` descending, so which rows survive is deterministic.

use miti99bot_core::config::{Config, ConfigError};
use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, SqlError};
use miti99bot_core::{CronCtx, HandlerResult};

/// The cron's name.
pub const CRON_NAME: &str = "trim-trades";
/// Daily at 17:00 UTC (midnight in Vietnam).
pub const SCHEDULE: &str = "0 17 * * *";
/// Trades kept per user.
pub const PER_USER_CAP: i64 = 1000;
/// Trades kept overall.
pub const GLOBAL_CAP: i64 = 10_000;

/// Deletes every trade beyond the newest `?` of its user.
pub const TRIM_PER_USER: &str = "DELETE FROM trading_trades WHERE id IN (\
     SELECT id FROM (\
     SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC, id DESC) AS rn \
     FROM trading_trades) WHERE rn > ?)";

/// Deletes every trade beyond the newest `?` overall.
pub const TRIM_GLOBAL: &str = "DELETE FROM trading_trades WHERE id IN (\
     SELECT id FROM trading_trades ORDER BY ts DESC, id DESC LIMIT -1 OFFSET ?)";

/// How many trades to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionCaps {
    /// Newest trades kept per user.
    pub per_user: i64,
    /// Newest trades kept overall (after the per-user pass).
    pub total: i64,
}

impl Default for RetentionCaps {
    fn default() -> Self {
        Self {
            per_user: PER_USER_CAP,
            total: GLOBAL_CAP,
        }
    }
}

impl RetentionCaps {
    /// The caps, overridden by `TRADING_KEEP_PER_USER` and `TRADING_KEEP_TOTAL` when set.
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        Ok(Self {
            per_user: cap(config, "TRADING_KEEP_PER_USER", defaults.per_user)?,
            total: cap(config, "TRADING_KEEP_TOTAL", defaults.total)?,
        })
    }
}

fn cap(config: &Config, name: &str, default: i64) -> Result<i64, ConfigError> {
    match config.get(name) {
        None => Ok(default),
        Some(raw) => raw.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| ConfigError {
            name: name.to_owned(),
            reason: format!("{raw:?} is not a count of trades (a whole number, 0 or more)"),
        }),
    }
}

/// Rows each pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrimReport {
    /// Deleted by the per-user pass.
    pub per_user_deleted: u64,
    /// Deleted by the global pass.
    pub global_deleted: u64,
}

impl TrimReport {
    /// Both passes together.
    pub fn total(&self) -> u64 {
        self.per_user_deleted + self.global_deleted
    }
}

/// Trims `trading_trades` to `caps`: per user first, then overall. Idempotent.
pub async fn trim_trades(sql: &ModuleSql, caps: RetentionCaps) -> Result<TrimReport, SqlError> {
    let results = sql
        .batch(&[
            sql.prepare(TRIM_PER_USER, params![caps.per_user]),
            sql.prepare(TRIM_GLOBAL, params![caps.total]),
        ])
        .await?;
    let changes = |i: usize| results.get(i).map_or(0, |r| r.changes);
    Ok(TrimReport {
        per_user_deleted: changes(0),
        global_deleted: changes(1),
    })
}

/// The cron handler: trims with `caps` and logs what each pass deleted.
pub async fn run(ctx: CronCtx) -> HandlerResult {
    let caps = ctx.state::<super::TradingState>()?.caps;
    let Some(sql) = ctx.sql() else {
        miti99bot_core::info!("trading/trim-trades: no SQL database configured, skipping");
        return Ok(());
    };
    let report = trim_trades(sql, caps).await?;
    miti99bot_core::info!(
        per_user_deleted = report.per_user_deleted,
        global_deleted = report.global_deleted,
        total_deleted = report.total(),
        per_user_cap = caps.per_user,
        global_cap = caps.total,
        "trading/trim-trades: done"
    );
    Ok(())
}
