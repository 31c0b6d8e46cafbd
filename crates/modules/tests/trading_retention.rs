//! The `trim-trades` cron over real SQLite: caps per user and overall, exact survivors with
//! ties on `ts`, idempotence, and a constant number of statements however many users there are.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, SqlStore};
use miti99bot_modules::trading::retention::{
    trim_trades, RetentionCaps, TrimReport, GLOBAL_CAP, PER_USER_CAP, SCHEDULE,
};
use miti99bot_modules::trading::Trading;
use trading_support::*;

/// One trade as (id, user, ts).
type Trade = (i64, i64, i64);

/// Inserts `count` trades in one statement (a recursive CTE: one bound parameter however many
/// rows). Trade `n` (0-based) belongs to user `n % users + 1` and has `ts = T0 + n / tie` so
/// that every `tie` consecutive trades share a timestamp. Ids are `n + 1` on a fresh table.
async fn seed(sql: &ModuleSql, count: i64, users: i64, tie: i64) -> Vec<Trade> {
    sql.run(
        "WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ?1) \
         INSERT INTO trading_trades (user_id, symbol, side, qty, price_vnd, ts) \
         SELECT n % ?2 + 1, 'VNM', 'buy', 1, 65000, ?3 + n / ?4 FROM seq",
        params![count, users, T0, tie],
    )
    .await
    .unwrap();
    (0..count).map(|n| (n + 1, n % users + 1, T0 + n / tie)).collect()
}

/// Inserts trades with explicit (user, ts), returning them with their ids.
async fn insert(sql: &ModuleSql, trades: &[(i64, i64)]) -> Vec<Trade> {
    let mut out = Vec::new();
    for &(user, ts) in trades {
        let r = sql
            .run(
                "INSERT INTO trading_trades (user_id, symbol, side, qty, price_vnd, ts) VALUES (?, 'VNM', 'buy', 1, 1000, ?)",
                params![user, ts],
            )
            .await
            .unwrap();
        out.push((r.last_row_id, user, ts));
    }
    out
}

/// What must survive: per user the newest `caps.per_user` by (ts, id) descending, then overall
/// the newest `caps.total` of those.
fn expected(trades: &[Trade], caps: RetentionCaps) -> Vec<i64> {
    let mut by_user: BTreeMap<i64, Vec<Trade>> = BTreeMap::new();
    for t in trades {
        by_user.entry(t.1).or_default().push(*t);
    }
    let mut kept: Vec<Trade> = Vec::new();
    for mut list in by_user.into_values() {
        list.sort_by_key(|t| std::cmp::Reverse((t.2, t.0)));
        kept.extend(list.into_iter().take(caps.per_user as usize));
    }
    kept.sort_by_key(|t| std::cmp::Reverse((t.2, t.0)));
    kept.truncate(caps.total as usize);
    let mut ids: Vec<i64> = kept.into_iter().map(|t| t.0).collect();
    ids.sort_unstable();
    ids
}

async fn surviving_ids(sql: &ModuleSql) -> Vec<i64> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: i64,
    }
    let rows: Vec<Id> = sql
        .all("SELECT id FROM trading_trades ORDER BY id", vec![])
        .await
        .unwrap();
    rows.into_iter().map(|r| r.id).collect()
}

fn caps(per_user: i64, total: i64) -> RetentionCaps {
    RetentionCaps { per_user, total }
}

#[tokio::test]
async fn defaults_match_the_original() {
    assert_eq!((PER_USER_CAP, GLOBAL_CAP), (1000, 10_000));
    assert_eq!(RetentionCaps::default(), caps(1000, 10_000));
    assert_eq!(SCHEDULE, "0 17 * * *");
}

#[tokio::test]
async fn per_user_cap_keeps_each_users_newest() {
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    // User 1: 5 trades, user 2: 3 (= cap), user 3: 2 (under), user 4: 4 (cap + 1).
    let mut rows = Vec::new();
    for (user, n) in [(1, 5), (2, 3), (3, 2), (4, 4)] {
        rows.extend(insert(&sql, &(0..n).map(|i| (user, T0 + i)).collect::<Vec<_>>()).await);
    }
    let c = caps(3, 100);
    let report = trim_trades(&sql, c).await.unwrap();
    assert_eq!(
        report,
        TrimReport {
            per_user_deleted: 3,
            global_deleted: 0
        }
    );
    assert_eq!(surviving_ids(&sql).await, expected(&rows, c));
    assert_eq!(trim_trades(&sql, c).await.unwrap(), TrimReport::default(), "idempotent");
}

#[tokio::test]
async fn global_cap_keeps_the_newest_overall() {
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    let rows = insert(&sql, &(0..15).map(|i| (i % 3 + 1, T0 + i)).collect::<Vec<_>>()).await;
    let c = caps(100, 10);
    assert_eq!(trim_trades(&sql, c).await.unwrap().global_deleted, 5);
    assert_eq!(surviving_ids(&sql).await, (6..=15).collect::<Vec<_>>());
    assert_eq!(surviving_ids(&sql).await, expected(&rows, c));
    for total in [10, 11] {
        assert_eq!(
            trim_trades(&sql, caps(100, total)).await.unwrap(),
            TrimReport::default()
        );
    }
    assert_eq!(trim_trades(&sql, caps(100, 9)).await.unwrap().global_deleted, 1);
}

#[tokio::test]
async fn both_passes_combine_per_user_first() {
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    // User 1 trades a lot early, user 2 a little late.
    let mut plan: Vec<(i64, i64)> = (0..8).map(|i| (1, T0 + i)).collect();
    plan.extend((0..4).map(|i| (2, T0 + 100 + i)));
    let rows = insert(&sql, &plan).await;
    let c = caps(5, 6);
    let report = trim_trades(&sql, c).await.unwrap();
    assert_eq!(
        report,
        TrimReport {
            per_user_deleted: 3,
            global_deleted: 3
        }
    );
    assert_eq!(surviving_ids(&sql).await, expected(&rows, c));
    assert_eq!(report.total(), 6);
}

#[tokio::test]
async fn ties_on_ts_are_broken_by_id() {
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    // Everything in the same millisecond: the newest ids survive.
    let rows = insert(&sql, &[(1, T0); 6]).await;
    trim_trades(&sql, caps(4, 100)).await.unwrap();
    assert_eq!(surviving_ids(&sql).await, vec![3, 4, 5, 6]);
    assert_eq!(surviving_ids(&sql).await, expected(&rows, caps(4, 100)));
    trim_trades(&sql, caps(4, 2)).await.unwrap();
    assert_eq!(surviving_ids(&sql).await, vec![5, 6]);
}

#[tokio::test]
async fn real_caps_at_and_around_the_limits() {
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    // 11 users × 1001 trades, ties every 7 rows: 11 rows over the per-user cap, then
    // 11 × 1000 = 11000 > 10000 overall.
    let rows = seed(&sql, 11 * 1001, 11, 7).await;
    let report = trim_trades(&sql, RetentionCaps::default()).await.unwrap();
    assert_eq!(
        report,
        TrimReport {
            per_user_deleted: 11,
            global_deleted: 1000
        }
    );
    let survivors = surviving_ids(&sql).await;
    assert_eq!(survivors.len(), 10_000);
    assert_eq!(survivors, expected(&rows, RetentionCaps::default()));
    assert_eq!(
        trim_trades(&sql, RetentionCaps::default()).await.unwrap(),
        TrimReport::default()
    );
}

#[tokio::test]
async fn exactly_at_the_caps_nothing_is_deleted() {
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    seed(&sql, 10 * 1000, 10, 3).await;
    assert_eq!(
        trim_trades(&sql, RetentionCaps::default()).await.unwrap(),
        TrimReport::default()
    );
    assert_eq!(surviving_ids(&sql).await.len(), 10_000);
}

#[tokio::test]
async fn the_cron_runs_through_the_bot_with_a_constant_number_of_statements() {
    // 200 users × 1200 trades; caps as deployed.
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    let rows = seed(&sql, 200 * 1200, 200, 400).await;
    let counter = h.sql.as_ref().unwrap();
    counter.reset();

    let telegram = Arc::new(h.telegram().clone());
    let outcomes = h.bot().run_scheduled(SCHEDULE, T0, telegram.clone()).await;
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].job, "trading/trim-trades");
    assert!(outcomes[0].result.is_ok(), "{:?}", outcomes[0].result);

    assert_eq!(counter.statements.load(Ordering::SeqCst), 2, "two set-based statements");
    assert_eq!(counter.calls.load(Ordering::SeqCst), 1, "one batch, one round trip");
    assert_eq!(surviving_ids(&sql).await, expected(&rows, RetentionCaps::default()));
    assert!(h.telegram().calls().is_empty(), "the cron sends nothing");

    counter.reset();
    let again = h.bot().run_scheduled(SCHEDULE, T0, telegram).await;
    assert!(again[0].result.is_ok());
    assert_eq!(counter.statements.load(Ordering::SeqCst), 2);
    assert_eq!(surviving_ids(&sql).await.len(), 10_000, "idempotent");
}

#[tokio::test]
async fn the_statement_count_does_not_depend_on_the_number_of_users() {
    for users in [1, 20, 500] {
        let h = Harness::new(static_prices()).await;
        let rows = seed(&h.module_sql(), users * 30, users, 2).await;
        let counter = h.sql.as_ref().unwrap();
        counter.reset();
        let counted = ModuleSql::new("trading", counter.clone() as Arc<dyn SqlStore>);
        trim_trades(&counted, caps(10, 1000)).await.unwrap();
        assert_eq!(counter.statements.load(Ordering::SeqCst), 2, "{users} users");
        assert_eq!(surviving_ids(&h.module_sql()).await, expected(&rows, caps(10, 1000)));
    }
}

#[tokio::test]
async fn caps_come_from_the_configuration_when_set() {
    let config =
        miti99bot_core::Config::from_vars([("TRADING_KEEP_PER_USER", "2"), ("TRADING_KEEP_TOTAL", "3")]).unwrap();
    let caps = RetentionCaps::from_config(&config).unwrap();
    let h = Harness::start(TestBot::builder().module(Trading::new(static_prices()).caps(caps).module())).await;
    let rows = insert(
        &h.module_sql(),
        &[(1, T0), (1, T0 + 1), (1, T0 + 2), (2, T0 + 3), (2, T0 + 4)],
    )
    .await;
    assert!(h.run_cron("trading/trim-trades").await.result.is_ok());
    assert_eq!(surviving_ids(&h.module_sql()).await, expected(&rows, caps));
    assert_eq!(surviving_ids(&h.module_sql()).await, vec![3, 4, 5]);
}

#[tokio::test]
async fn without_sql_the_cron_does_nothing_and_succeeds() {
    let h = Harness::start(
        TestBot::builder()
            .module(Trading::new(static_prices()).module())
            .without_sql(),
    )
    .await;
    let outcomes = h
        .bot()
        .run_scheduled(SCHEDULE, T0, Arc::new(h.telegram().clone()))
        .await;
    assert_eq!(outcomes.len(), 1);
    assert!(outcomes[0].result.is_ok());
}

#[tokio::test]
async fn a_failing_trim_is_reported_as_the_crons_error() {
    let h = Harness::new(static_prices()).await;
    h.sql
        .as_ref()
        .unwrap()
        .fail_when_starts_with("DELETE FROM trading_trades WHERE id IN");
    let outcomes = h
        .bot()
        .run_scheduled(SCHEDULE, T0, Arc::new(h.telegram().clone()))
        .await;
    assert!(outcomes[0].result.is_err());
}
