//! Core's update ledger (webhook dedup, both runtimes) against real SQL (SQLite, as D1 is).

#![allow(clippy::panic)]

use std::sync::Arc;

use miti99bot_core::sql::SqlStore;
use miti99bot_core::webhook::update_ledger::{claim, ensure_ledger, Claim, RETENTION_MS};
use miti99bot_core::FixedClock;
use miti99bot_sqlite::SqliteDb;

fn sql() -> Arc<dyn SqlStore> {
    let db = SqliteDb::open_in_memory(Arc::new(FixedClock(0))).unwrap_or_else(|e| panic!("{e}"));
    Arc::new(db.sql())
}

#[tokio::test]
async fn an_update_id_is_claimed_once_and_forgotten_after_retention() {
    let sql = sql();
    ensure_ledger(sql.as_ref()).await.unwrap_or_else(|e| panic!("{e}"));
    ensure_ledger(sql.as_ref())
        .await
        .unwrap_or_else(|e| panic!("idempotent: {e}"));
    let t0 = 1_700_000_000_000;
    let id = 7_123_456_789;
    assert_eq!(claim(sql.as_ref(), id, t0, RETENTION_MS).await.ok(), Some(Claim::First));
    assert_eq!(
        claim(sql.as_ref(), id, t0 + 5, RETENTION_MS).await.ok(),
        Some(Claim::Duplicate)
    );
    assert_eq!(
        claim(sql.as_ref(), id + 1, t0 + 6, RETENTION_MS).await.ok(),
        Some(Claim::First)
    );
    // A later claim prunes entries older than the retention window.
    assert_eq!(
        claim(sql.as_ref(), 1, t0 + RETENTION_MS + 1, RETENTION_MS).await.ok(),
        Some(Claim::First)
    );
    assert_eq!(
        claim(sql.as_ref(), id, t0 + RETENTION_MS + 2, RETENTION_MS).await.ok(),
        Some(Claim::First)
    );
}
