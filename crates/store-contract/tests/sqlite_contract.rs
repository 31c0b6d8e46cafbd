//! The store contract against the SQLite backends (the native runtime's stores).

#![allow(clippy::expect_used)]

use std::sync::Arc;

use miti99bot_core::kv::KvStore;
use miti99bot_core::sql::SqlStore;
use miti99bot_core::FixedClock;
use miti99bot_sqlite::SqliteDb;
use miti99bot_store_contract::{run_kv_contract, run_sql_contract, summarize, CaseReport};

fn assert_all_pass(reports: &[CaseReport]) {
    let failed: Vec<String> = reports
        .iter()
        .filter(|r| !r.passed)
        .map(|r| format!("{}/{}: {}", r.store, r.name, r.detail.as_deref().unwrap_or("")))
        .collect();
    assert!(failed.is_empty(), "contract failures:\n{}", failed.join("\n"));
    assert!(summarize(reports).passed >= 7);
}

#[tokio::test]
async fn sqlite_kv_meets_the_contract() {
    let db = SqliteDb::open_in_memory(Arc::new(FixedClock(1_700_000_000_000))).expect("open");
    let kv: Arc<dyn KvStore> = Arc::new(db.kv());
    assert_all_pass(&run_kv_contract(kv, "t1").await);
}

#[tokio::test]
async fn sqlite_sql_meets_the_contract() {
    let db = SqliteDb::open_in_memory(Arc::new(FixedClock(1_700_000_000_000))).expect("open");
    let sql: Arc<dyn SqlStore> = Arc::new(db.sql());
    assert_all_pass(&run_sql_contract(sql, "t1").await);
}

#[tokio::test]
async fn sqlite_file_backend_meets_the_contract_twice() {
    let dir = std::env::temp_dir().join(format!("miti99bot-contract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let db = SqliteDb::open(dir.join("c.db"), Arc::new(FixedClock(1_700_000_000_000))).expect("open");
    for _ in 0..2 {
        assert_all_pass(&run_sql_contract(Arc::new(db.sql()), "f").await);
        assert_all_pass(&run_kv_contract(Arc::new(db.kv()), "f").await);
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
