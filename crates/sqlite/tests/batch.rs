//! `batch`: one transaction, results per statement, all or nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::memory_db;
use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, SqlError, SqlStore, Statement, Value};

#[tokio::test]
async fn batch_returns_rows_and_metadata_per_statement() {
    let (db, _clock) = memory_db();
    let sql = ModuleSql::new("m", Arc::new(db.sql()));
    sql.run("CREATE TABLE m_t (id INTEGER PRIMARY KEY, x TEXT)", vec![])
        .await
        .unwrap();

    let results = sql
        .batch(&[
            sql.prepare("INSERT INTO m_t (x) VALUES (?)", params!["a"]),
            sql.prepare("INSERT INTO m_t (x) VALUES (?), (?)", params!["b", "c"]),
            sql.prepare("SELECT id, x FROM m_t ORDER BY id", vec![]),
            sql.prepare("UPDATE m_t SET x = upper(x) WHERE id > ?", params![1]),
        ])
        .await
        .unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!((results[0].changes, results[0].last_row_id), (1, 1));
    assert!(results[0].rows.is_empty());
    assert_eq!((results[1].changes, results[1].last_row_id), (2, 3));
    assert_eq!(results[2].rows.len(), 3);
    assert_eq!(results[2].changes, 0);
    assert_eq!(results[2].rows[2].get("x"), Some(&Value::Text("c".into())));
    assert_eq!(results[3].changes, 2);

    assert!(sql.batch(&[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_statement_rolls_back_the_whole_batch() {
    let (db, _clock) = memory_db();
    let sql = ModuleSql::new("m", Arc::new(db.sql()));
    sql.run("CREATE TABLE m_t (id INTEGER PRIMARY KEY, x TEXT UNIQUE)", vec![])
        .await
        .unwrap();
    sql.run("INSERT INTO m_t (x) VALUES ('existing')", vec![])
        .await
        .unwrap();

    let failing_middles = [
        // A constraint violation at run time.
        Statement::with_params("INSERT INTO m_t (x) VALUES (?)", params!["existing"]),
        // A statement SQLite cannot prepare.
        Statement::new("INSERT INTO m_missing VALUES (1)"),
        // Two statements in one.
        Statement::new("DELETE FROM m_t; DELETE FROM m_t"),
    ];
    for middle in failing_middles {
        let err = sql
            .batch(&[
                Statement::with_params("INSERT INTO m_t (x) VALUES (?)", params!["first"]),
                Statement::new("CREATE TABLE m_side (y)"),
                Statement::new("UPDATE m_t SET x = x || '!' WHERE x = 'first'"),
                middle.clone(),
                Statement::with_params("INSERT INTO m_t (x) VALUES (?)", params!["last"]),
            ])
            .await
            .unwrap_err();
        match &err {
            SqlError::Database { message } => assert!(message.starts_with("batch statement 4 of 5"), "{message}"),
            SqlError::InvalidStatement(_) => {}
            other => panic!("{}: unexpected {other}", middle.sql),
        }
        let rows = sql.all_rows("SELECT x FROM m_t ORDER BY id", vec![]).await.unwrap();
        let xs: Vec<_> = rows.iter().map(|r| r.get("x").cloned()).collect();
        assert_eq!(xs, [Some(Value::Text("existing".into()))], "{}", middle.sql);
        let side = sql
            .first_row("SELECT name FROM sqlite_master WHERE name = 'm_side'", vec![])
            .await
            .unwrap();
        assert_eq!(side, None, "DDL is rolled back too ({})", middle.sql);
    }

    // The connection is usable afterwards, also directly.
    let raw = db.sql();
    raw.batch(&[Statement::new("INSERT INTO m_t (x) VALUES ('after')")])
        .await
        .unwrap();
    let run = raw
        .run(&Statement::new("DELETE FROM m_t WHERE x = 'after'"))
        .await
        .unwrap();
    assert_eq!(run.changes, 1);
}

#[tokio::test]
async fn a_rule_breaking_statement_stops_the_batch_before_it_starts() {
    let (db, _clock) = memory_db();
    let raw = db.sql();
    raw.run(&Statement::new("CREATE TABLE m_t (x)")).await.unwrap();
    let err = raw
        .batch(&[
            Statement::new("INSERT INTO m_t VALUES (1)"),
            Statement::with_params("INSERT INTO m_t VALUES (?)", params![1i64 << 60]),
        ])
        .await
        .unwrap_err();
    assert!(matches!(err, SqlError::IntegerOutOfRange { .. }), "{err}");
    assert!(raw.all(&Statement::new("SELECT x FROM m_t")).await.unwrap().is_empty());

    // A row read in the middle that breaks the rules rolls back earlier writes too.
    let err = raw
        .batch(&[
            Statement::new("INSERT INTO m_t VALUES (1)"),
            Statement::new("SELECT 9007199254740993"),
        ])
        .await
        .unwrap_err();
    assert!(matches!(err, SqlError::IntegerOutOfRange { .. }), "{err}");
    assert!(raw.all(&Statement::new("SELECT x FROM m_t")).await.unwrap().is_empty());
}
