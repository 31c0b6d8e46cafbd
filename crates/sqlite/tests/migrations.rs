//! The core `MigrationRunner` over real SQLite: order, idempotence, atomicity, changed files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{memory_db, TestClock, T0};
use miti99bot_core::migrate::{Migration, MigrationError, MigrationRunner};
use miti99bot_core::sql::{ModuleSql, Value};
use miti99bot_sqlite::SqliteDb;

fn runner(db: &SqliteDb) -> (MigrationRunner, ModuleSql) {
    let sql = ModuleSql::unprefixed(Arc::new(db.sql()));
    (MigrationRunner::new(sql.clone()), sql)
}

fn trading_0001() -> Migration {
    Migration::new(
        "trading",
        "0001_trades.sql",
        "-- trades of the paper-trading module\n\
         CREATE TABLE trading_trades (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  user_id INTEGER NOT NULL,\n  \
         symbol TEXT NOT NULL,\n  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),\n  ts INTEGER NOT NULL\n);\n\
         CREATE INDEX trading_trades_user_ts ON trading_trades (user_id, ts DESC);\n",
    )
}

fn trading_0002() -> Migration {
    Migration::new(
        "trading",
        "0002_note.sql",
        "ALTER TABLE trading_trades ADD COLUMN note TEXT;",
    )
}

fn misc_0001() -> Migration {
    Migration::new(
        "misc",
        "0001_pings.sql",
        "CREATE TABLE misc_pings (at INTEGER NOT NULL);\nINSERT INTO misc_pings VALUES (1);",
    )
}

async fn applied_names(sql: &ModuleSql) -> Vec<String> {
    sql.all_rows("SELECT name FROM _migrations ORDER BY applied_at, rowid", vec![])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("name").and_then(Value::as_str).unwrap().to_owned())
        .collect()
}

async fn table_exists(sql: &ModuleSql, name: &str) -> bool {
    sql.first_row(
        "SELECT 1 AS yes FROM sqlite_master WHERE type = 'table' AND name = ?",
        vec![name.into()],
    )
    .await
    .unwrap()
    .is_some()
}

#[tokio::test]
async fn applies_in_module_then_file_order_whatever_the_input_order() {
    let (db, _clock) = memory_db();
    let (runner, sql) = runner(&db);
    // 0002 before 0001 and trading before misc in the input: the runner sorts.
    let migrations = [trading_0002(), trading_0001(), misc_0001()];

    let plan = runner.plan(&migrations).await.unwrap();
    assert!(plan.applied.is_empty());
    let pending: Vec<String> = plan.pending.iter().map(Migration::name).collect();
    assert_eq!(
        pending,
        [
            "misc/0001_pings.sql",
            "trading/0001_trades.sql",
            "trading/0002_note.sql"
        ]
    );

    let done = runner.apply(&migrations, T0).await.unwrap();
    assert_eq!(done, pending);
    assert_eq!(applied_names(&sql).await, pending);
    // 0002 altered the table 0001 created, so the order really was 0001 then 0002.
    sql.run(
        "INSERT INTO trading_trades (user_id, symbol, side, ts, note) VALUES (1, 'VNM', 'buy', 1, 'n')",
        vec![],
    )
    .await
    .unwrap();

    let recorded = runner.applied().await.unwrap();
    assert_eq!(recorded.len(), 3);
    assert!(recorded.iter().all(|m| m.applied_at == T0));
    let misc = recorded.iter().find(|m| m.name == "misc/0001_pings.sql").unwrap();
    assert_eq!(misc.checksum, misc_0001().checksum());
}

#[tokio::test]
async fn applying_twice_applies_nothing_the_second_time() {
    let (db, _clock) = memory_db();
    let (runner, sql) = runner(&db);
    let migrations = [trading_0001(), misc_0001()];
    assert_eq!(runner.apply(&migrations, T0).await.unwrap().len(), 2);

    let again = runner.apply(&migrations, T0 + 1).await.unwrap();
    assert!(again.is_empty());
    let plan = runner.plan(&migrations).await.unwrap();
    assert!(plan.pending.is_empty());
    assert_eq!(plan.applied, ["misc/0001_pings.sql", "trading/0001_trades.sql"]);
    // The data statement of misc/0001 ran once.
    let pings = sql.all_rows("SELECT at FROM misc_pings", vec![]).await.unwrap();
    assert_eq!(pings.len(), 1);

    // A new file is the only pending one.
    let more = [trading_0001(), misc_0001(), trading_0002()];
    let plan = runner.plan(&more).await.unwrap();
    let pending: Vec<String> = plan.pending.iter().map(Migration::name).collect();
    assert_eq!(pending, ["trading/0002_note.sql"]);
    assert_eq!(runner.apply(&more, T0 + 2).await.unwrap(), pending);
}

#[tokio::test]
async fn a_failing_migration_leaves_nothing_of_itself() {
    let (db, _clock) = memory_db();
    let (runner, sql) = runner(&db);
    let broken = Migration::new(
        "trading",
        "0002_broken.sql",
        "CREATE TABLE trading_extra (x INTEGER);\nINSERT INTO trading_nowhere VALUES (1);\nCREATE TABLE trading_more (y);",
    );
    let later = Migration::new("zeta", "0001_z.sql", "CREATE TABLE zeta_t (z);");
    let migrations = [misc_0001(), trading_0001(), broken, later];

    let err = runner.apply(&migrations, T0).await.unwrap_err();
    match &err {
        MigrationError::Failed { name, source } => {
            assert_eq!(name, "trading/0002_broken.sql");
            assert!(
                source.to_string().contains("no such table: trading_nowhere"),
                "{source}"
            );
        }
        other => panic!("expected Failed, got {other}"),
    }
    // Earlier migrations stay applied; nothing of the failed one, and nothing after it.
    assert_eq!(
        applied_names(&sql).await,
        ["misc/0001_pings.sql", "trading/0001_trades.sql"]
    );
    assert!(table_exists(&sql, "trading_trades").await);
    assert!(
        !table_exists(&sql, "trading_extra").await,
        "first statement rolled back"
    );
    assert!(!table_exists(&sql, "trading_more").await);
    assert!(!table_exists(&sql, "zeta_t").await, "stopped at the failure");

    let plan = runner.plan(&migrations).await.unwrap();
    let pending: Vec<String> = plan.pending.iter().map(Migration::name).collect();
    assert_eq!(pending, ["trading/0002_broken.sql", "zeta/0001_z.sql"]);
}

#[tokio::test]
async fn a_migration_breaking_d1_rules_fails_atomically() {
    let (db, _clock) = memory_db();
    let (runner, sql) = runner(&db);
    let sneaky = Migration::new(
        "m",
        "0001_tx.sql",
        "CREATE TABLE m_t (x);\nBEGIN;\nINSERT INTO m_t VALUES (1);\nCOMMIT;",
    );
    let err = runner.apply(&[sneaky], T0).await.unwrap_err();
    assert!(matches!(err, MigrationError::Failed { .. }), "{err}");
    assert!(!table_exists(&sql, "m_t").await);
    assert!(applied_names(&sql).await.is_empty());
}

#[tokio::test]
async fn a_changed_applied_file_is_an_error_naming_it() {
    let (db, _clock) = memory_db();
    let (runner, _sql) = runner(&db);
    runner.apply(&[trading_0001(), misc_0001()], T0).await.unwrap();

    let edited = Migration::new(
        "trading",
        "0001_trades.sql",
        format!("{}\n-- edited after it was applied\n", trading_0001().sql),
    );
    let migrations = [edited.clone(), misc_0001(), trading_0002()];
    for err in [
        runner.plan(&migrations).await.unwrap_err(),
        runner.apply(&migrations, T0 + 1).await.unwrap_err(),
    ] {
        match &err {
            MigrationError::Changed {
                name,
                recorded,
                current,
            } => {
                assert_eq!(name, "trading/0001_trades.sql");
                assert_eq!(recorded, &trading_0001().checksum());
                assert_eq!(current, &edited.checksum());
                assert!(err.to_string().contains("trading/0001_trades.sql"));
            }
            other => panic!("expected Changed, got {other}"),
        }
    }
    // Nothing pending was applied because of the changed file.
    let applied = runner.applied().await.unwrap();
    assert_eq!(applied.len(), 2);
}

#[tokio::test]
async fn migrations_persist_in_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("bot.db");
    let migrations = [trading_0001(), misc_0001()];
    {
        let db = SqliteDb::open(&path, TestClock::new(T0)).unwrap();
        let (runner, _sql) = runner(&db);
        assert_eq!(runner.apply(&migrations, T0).await.unwrap().len(), 2);
    }
    let db = SqliteDb::open(&path, TestClock::new(T0)).unwrap();
    let (runner, _sql) = runner(&db);
    let plan = runner.plan(&migrations).await.unwrap();
    assert!(plan.pending.is_empty());
    assert_eq!(plan.applied.len(), 2);
}

#[tokio::test]
async fn trigger_migrations_apply_whole() {
    let (db, _clock) = memory_db();
    let (runner, sql) = runner(&db);
    let with_trigger = Migration::new(
        "audit",
        "0001_audit.sql",
        "CREATE TABLE audit_t (x INTEGER);\n\
         CREATE TABLE audit_log (x INTEGER);\n\
         CREATE TRIGGER audit_t_ins AFTER INSERT ON audit_t BEGIN\n  \
           INSERT INTO audit_log VALUES (new.x);\n  \
           INSERT INTO audit_log VALUES (new.x * 10);\n\
         END;\n",
    );
    runner.apply(&[with_trigger], T0).await.unwrap();
    sql.run("INSERT INTO audit_t VALUES (?)", vec![Value::Integer(2)])
        .await
        .unwrap();
    let log = sql
        .all_rows("SELECT x FROM audit_log ORDER BY x", vec![])
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
}
