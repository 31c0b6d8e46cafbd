//! D1's rules hold on SQLite too, through `ModuleSql` and directly on `SqliteSql`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::memory_db;
use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, SqlError, SqlStore, Statement, Value, MAX_SAFE_INTEGER};
use miti99bot_sqlite::{SqliteDb, SqliteSql};

fn placeholders(n: usize) -> String {
    format!("SELECT {}", vec!["?"; n].join(", "))
}

fn both(db: &SqliteDb) -> (ModuleSql, SqliteSql) {
    (ModuleSql::new("m", Arc::new(db.sql())), db.sql())
}

#[tokio::test]
async fn at_most_100_bound_parameters() {
    let (db, _clock) = memory_db();
    let (module, raw) = both(&db);

    let hundred = Statement::with_params(placeholders(100), (0..100).map(Value::from).collect());
    let row = module
        .first_row(&hundred.sql, hundred.params.clone())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.values().len(), 100);
    assert_eq!(row.values()[99], Value::Integer(99));
    assert_eq!(raw.all(&hundred).await.unwrap().len(), 1);
    raw.run(&hundred).await.unwrap();

    let over = Statement::with_params(placeholders(101), (0..101).map(Value::from).collect());
    let err = module.all_rows(&over.sql, over.params.clone()).await.unwrap_err();
    assert!(
        matches!(err, SqlError::TooManyParameters { count: 101, max: 100 }),
        "{err}"
    );
    for err in [
        raw.all(&over).await.unwrap_err(),
        raw.run(&over).await.unwrap_err(),
        raw.first(&over).await.unwrap_err(),
        raw.batch(std::slice::from_ref(&over)).await.unwrap_err(),
    ] {
        assert!(matches!(err, SqlError::TooManyParameters { count: 101, .. }), "{err}");
    }
}

#[tokio::test]
async fn transaction_control_is_rejected() {
    let (db, _clock) = memory_db();
    let (module, raw) = both(&db);
    module.run("CREATE TABLE m_t (x)", vec![]).await.unwrap();

    for text in [
        "BEGIN",
        "BEGIN TRANSACTION",
        "begin immediate",
        "COMMIT",
        "END",
        "ROLLBACK",
        "SAVEPOINT s",
        "RELEASE s",
        "-- sneaky\nBEGIN",
    ] {
        let err = module.run(text, vec![]).await.unwrap_err();
        assert!(matches!(err, SqlError::TransactionControl { .. }), "{text}: {err}");
        let err = raw.run(&Statement::new(text)).await.unwrap_err();
        assert!(matches!(err, SqlError::TransactionControl { .. }), "{text}: {err}");
        let err = raw
            .batch(&[Statement::new("INSERT INTO m_t VALUES (1)"), Statement::new(text)])
            .await
            .unwrap_err();
        assert!(matches!(err, SqlError::TransactionControl { .. }), "{text}: {err}");
    }

    // SQLite skips leading empty statements; hiding BEGIN behind them does not get it through,
    // and the connection is not left inside a transaction.
    for text in [";BEGIN", " ; /* x */ ; begin", "-- c\n;COMMIT"] {
        let err = raw.run(&Statement::new(text)).await.unwrap_err();
        assert!(matches!(err, SqlError::TransactionControl { .. }), "{text:?}: {err}");
        let err = module.run(text, vec![]).await.unwrap_err();
        assert!(matches!(err, SqlError::TransactionControl { .. }), "{text:?}: {err}");
    }
    raw.batch(&[Statement::new("INSERT INTO m_t VALUES (2)")])
        .await
        .unwrap();

    // Nothing of the refused batches ran.
    let rows = module.all_rows("SELECT x FROM m_t", vec![]).await.unwrap();
    assert_eq!(rows.len(), 1);
    // The word inside a string or a trigger body is fine.
    module.run("INSERT INTO m_t VALUES ('BEGIN')", vec![]).await.unwrap();
    module
        .run(
            "CREATE TRIGGER m_tr AFTER INSERT ON m_t BEGIN UPDATE m_t SET x = x WHERE 0; END",
            vec![],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn integers_beyond_2_pow_53_are_rejected_bound() {
    let (db, _clock) = memory_db();
    let (module, raw) = both(&db);
    module.run("CREATE TABLE m_t (x INTEGER)", vec![]).await.unwrap();
    let too_big = (1i64 << 53) + 1;

    for value in [too_big, -too_big, i64::MAX, i64::MIN, MAX_SAFE_INTEGER + 1] {
        let err = module
            .run("INSERT INTO m_t VALUES (?)", params![value])
            .await
            .unwrap_err();
        assert!(
            matches!(err, SqlError::IntegerOutOfRange { value: v, .. } if v == value),
            "{value}: {err}"
        );
        let statement = Statement::with_params("INSERT INTO m_t VALUES (?)", params![value]);
        let err = raw.run(&statement).await.unwrap_err();
        assert!(matches!(err, SqlError::IntegerOutOfRange { .. }), "{value}: {err}");
        let err = raw.batch(&[statement]).await.unwrap_err();
        assert!(matches!(err, SqlError::IntegerOutOfRange { .. }), "{value}: {err}");
    }
    let err = module
        .run("INSERT INTO m_t VALUES (?)", params![f64::INFINITY])
        .await
        .unwrap_err();
    assert!(matches!(err, SqlError::NonFiniteReal { .. }), "{err}");

    let rows = module.all_rows("SELECT x FROM m_t", vec![]).await.unwrap();
    assert!(rows.is_empty(), "nothing was written");
    module
        .run("INSERT INTO m_t VALUES (?)", params![MAX_SAFE_INTEGER])
        .await
        .unwrap();
    module
        .run("INSERT INTO m_t VALUES (?)", params![-MAX_SAFE_INTEGER])
        .await
        .unwrap();
}

#[tokio::test]
async fn integers_beyond_2_pow_53_are_rejected_read() {
    let (db, _clock) = memory_db();
    let (module, raw) = both(&db);

    let err = module
        .all_rows("SELECT 9007199254740993 AS big", vec![])
        .await
        .unwrap_err();
    match &err {
        SqlError::IntegerOutOfRange { value, place } => {
            assert_eq!(*value, 9_007_199_254_740_993);
            assert!(place.contains("big"), "{place}");
        }
        other => panic!("expected IntegerOutOfRange, got {other}"),
    }
    let big = Statement::new("SELECT 9007199254740993 AS big");
    assert!(matches!(raw.all(&big).await, Err(SqlError::IntegerOutOfRange { .. })));
    assert!(matches!(raw.first(&big).await, Err(SqlError::IntegerOutOfRange { .. })));
    assert!(matches!(
        raw.batch(std::slice::from_ref(&big)).await,
        Err(SqlError::IntegerOutOfRange { .. })
    ));
    assert!(matches!(
        module.first_row("SELECT -9007199254740993", vec![]).await,
        Err(SqlError::IntegerOutOfRange { .. })
    ));

    // Computed in SQL from safe inputs, then read back.
    module.run("CREATE TABLE m_t (x INTEGER)", vec![]).await.unwrap();
    module
        .run("INSERT INTO m_t VALUES (? * 2)", params![MAX_SAFE_INTEGER])
        .await
        .unwrap();
    let err = module.all_rows("SELECT x FROM m_t", vec![]).await.unwrap_err();
    assert!(matches!(err, SqlError::IntegerOutOfRange { .. }), "{err}");
    // Writes that do not read it back are fine (D1 only rounds what it returns).
    let run = raw.run(&Statement::new("SELECT x FROM m_t")).await.unwrap();
    assert_eq!(run.changes, 0);

    let ok = module
        .first_row("SELECT 9007199254740991 AS max", vec![])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ok.get("max"), Some(&Value::Integer(MAX_SAFE_INTEGER)));
}
