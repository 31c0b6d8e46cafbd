//! Core's update ledger (both runtimes) against real SQL (SQLite, as D1 is).

#![allow(clippy::panic)]

use std::sync::Arc;

use miti99bot_core::ledger::{Claim, SqlLedger, UpdateLedger, RETENTION_MS};
use miti99bot_core::sql::{SqlStore, Statement};
use miti99bot_core::FixedClock;
use miti99bot_sqlite::SqliteDb;

fn sql() -> Arc<dyn SqlStore> {
    let db = SqliteDb::open_in_memory(Arc::new(FixedClock(0))).unwrap_or_else(|e| panic!("{e}"));
    Arc::new(db.sql())
}

#[tokio::test]
async fn an_update_id_is_claimed_once_and_forgotten_after_retention() {
    let sql = sql();
    let ledger = SqlLedger::new(sql.clone());
    ledger.ensure().await.unwrap_or_else(|e| panic!("{e}"));
    ledger.ensure().await.unwrap_or_else(|e| panic!("idempotent: {e}"));
    let t0 = 1_700_000_000_000;
    let id = 7_123_456_789;
    assert_eq!(ledger.claim(id, t0).await.ok(), Some(Claim::First));
    assert_eq!(ledger.claim(id, t0 + 5).await.ok(), Some(Claim::Duplicate));
    assert_eq!(ledger.is_claimed(id).await.ok(), Some(true));
    assert_eq!(ledger.is_claimed(id + 1).await.ok(), Some(false));
    assert_eq!(ledger.claim(id + 1, t0 + 6).await.ok(), Some(Claim::First));
    // A claim whose id is a multiple of 64 prunes entries older than the retention window.
    assert_eq!(ledger.claim(64, t0 + RETENTION_MS + 1).await.ok(), Some(Claim::First));
    assert_eq!(ledger.claim(id, t0 + RETENTION_MS + 2).await.ok(), Some(Claim::First));
    assert_eq!(ledger.prune(t0 + 3 * RETENTION_MS).await.ok(), Some(3));
}

#[tokio::test]
async fn the_claim_statements_fail_a_batch_whose_update_is_taken() {
    let sql = sql();
    let ledger = SqlLedger::new(sql.clone());
    ledger.ensure().await.unwrap_or_else(|e| panic!("{e}"));
    sql.run(&Statement::new("CREATE TABLE m_rows (v INTEGER)"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let batch = |id: i64| {
        let mut statements = ledger.claim_statements(id, 10).unwrap_or_default();
        statements.push(Statement::new("INSERT INTO m_rows (v) VALUES (?)").bind(id));
        statements
    };
    assert!(sql.batch(&batch(5)).await.is_ok());
    assert!(sql.batch(&batch(5)).await.is_err(), "a taken id fails the batch");
    let rows = sql
        .all(&Statement::new("SELECT v FROM m_rows"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 1, "the failed batch wrote nothing");
}
