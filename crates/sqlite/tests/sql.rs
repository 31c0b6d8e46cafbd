//! `SqliteSql` against real SQLite: typed values, rows into structs, run metadata, statements.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{memory_db, TestClock, T0};
use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, SqlError, SqlStore, Statement, Value, MAX_SAFE_INTEGER};
use miti99bot_sqlite::SqliteDb;
use serde::Deserialize;

fn module_sql(db: &SqliteDb, module: &str) -> ModuleSql {
    ModuleSql::new(module, Arc::new(db.sql()))
}

#[tokio::test]
async fn typed_values_round_trip() {
    let (db, _clock) = memory_db();
    let sql = module_sql(&db, "t");
    sql.run("CREATE TABLE t_values (id INTEGER PRIMARY KEY, v ANY) STRICT", vec![])
        .await
        .unwrap();
    let values = vec![
        Value::Null,
        Value::Integer(0),
        Value::Integer(MAX_SAFE_INTEGER),
        Value::Integer(-MAX_SAFE_INTEGER),
        Value::Real(0.1),
        Value::Real(-2.5e300),
        Value::Text(String::new()),
        Value::Text("xin chào 👋 'quoted' \"double\"".into()),
        Value::Blob(vec![]),
        Value::Blob(vec![0, 1, 2, 255]),
    ];
    for value in &values {
        sql.run("INSERT INTO t_values (v) VALUES (?)", vec![value.clone()])
            .await
            .unwrap();
    }
    let rows = sql
        .all_rows("SELECT v, typeof(v) AS type FROM t_values ORDER BY id", vec![])
        .await
        .unwrap();
    assert_eq!(rows.len(), values.len());
    for (row, value) in rows.iter().zip(&values) {
        assert_eq!(row.columns(), ["v", "type"]);
        assert_eq!(row.get("v"), Some(value));
        assert_eq!(row.get("type").and_then(Value::as_str), Some(value.type_name()));
    }

    // Straight through a SELECT of parameters, with column names in select order.
    let row = sql
        .first_row("SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e", values[..5].to_vec())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.columns(), ["a", "b", "c", "d", "e"]);
    assert_eq!(row.values(), &values[..5]);
}

#[derive(Debug, PartialEq, Deserialize)]
struct Trade {
    id: i64,
    user_id: i64,
    symbol: String,
    qty: i64,
    price_vnd: f64,
    note: Option<String>,
    raw: Option<Vec<u8>>,
}

#[tokio::test]
async fn rows_deserialise_into_structs() {
    let (db, _clock) = memory_db();
    let sql = module_sql(&db, "trading");
    assert_eq!(sql.table_prefix(), "trading_");
    sql.run(
        "CREATE TABLE trading_trades (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, \
         symbol TEXT NOT NULL, qty INTEGER NOT NULL, price_vnd REAL NOT NULL, note TEXT, raw BLOB)",
        vec![],
    )
    .await
    .unwrap();
    sql.run(
        "INSERT INTO trading_trades (user_id, symbol, qty, price_vnd, note, raw) VALUES (?, ?, ?, ?, ?, ?)",
        params![42, "VNM", 100, 65_500.5, None::<String>, vec![1u8, 2]],
    )
    .await
    .unwrap();
    sql.run(
        "INSERT INTO trading_trades (user_id, symbol, qty, price_vnd, note, raw) VALUES (?, ?, ?, ?, ?, ?)",
        params![42, "FPT", 5, 120_000.0, "dividend", None::<Vec<u8>>],
    )
    .await
    .unwrap();

    let trades: Vec<Trade> = sql
        .all(
            "SELECT * FROM trading_trades WHERE user_id = ? ORDER BY id",
            params![42],
        )
        .await
        .unwrap();
    assert_eq!(
        trades,
        [
            Trade {
                id: 1,
                user_id: 42,
                symbol: "VNM".into(),
                qty: 100,
                price_vnd: 65_500.5,
                note: None,
                raw: Some(vec![1, 2]),
            },
            Trade {
                id: 2,
                user_id: 42,
                symbol: "FPT".into(),
                qty: 5,
                price_vnd: 120_000.0,
                note: Some("dividend".into()),
                raw: None,
            },
        ]
    );

    let first: Option<Trade> = sql
        .first("SELECT * FROM trading_trades ORDER BY id DESC", vec![])
        .await
        .unwrap();
    assert_eq!(first.map(|t| t.symbol), Some("FPT".into()));

    // A row that does not fit the type is a decode error.
    let err = sql
        .all::<Trade>("SELECT id FROM trading_trades", vec![])
        .await
        .unwrap_err();
    assert!(matches!(err, SqlError::Decode(_)), "{err}");
}

#[tokio::test]
async fn first_on_empty_is_none() {
    let (db, _clock) = memory_db();
    let sql = module_sql(&db, "m");
    sql.run("CREATE TABLE m_t (x INTEGER)", vec![]).await.unwrap();
    assert_eq!(sql.first_row("SELECT x FROM m_t", vec![]).await.unwrap(), None);
    assert!(sql.all_rows("SELECT x FROM m_t", vec![]).await.unwrap().is_empty());
    let raw = db.sql();
    assert_eq!(raw.first(&Statement::new("SELECT x FROM m_t")).await.unwrap(), None);
}

#[tokio::test]
async fn run_reports_changes_and_last_row_id() {
    let (db, _clock) = memory_db();
    let sql = module_sql(&db, "m");
    let created = sql
        .run("CREATE TABLE m_t (id INTEGER PRIMARY KEY, x INTEGER)", vec![])
        .await
        .unwrap();
    assert_eq!(created.changes, 0);

    let one = sql.run("INSERT INTO m_t (x) VALUES (?)", params![10]).await.unwrap();
    assert_eq!((one.changes, one.last_row_id), (1, 1));
    let three = sql
        .run("INSERT INTO m_t (x) VALUES (?), (?), (?)", params![20, 30, 40])
        .await
        .unwrap();
    assert_eq!((three.changes, three.last_row_id), (3, 4));

    let updated = sql
        .run("UPDATE m_t SET x = x + 1 WHERE x >= ?", params![30])
        .await
        .unwrap();
    assert_eq!(updated.changes, 2);
    // Statements that change nothing report 0, not the previous write's count.
    let none = sql.run("UPDATE m_t SET x = 0 WHERE x < 0", vec![]).await.unwrap();
    assert_eq!(none.changes, 0);
    sql.run("DELETE FROM m_t WHERE id = 1", vec![]).await.unwrap();
    let select = sql.run("SELECT * FROM m_t", vec![]).await.unwrap();
    assert_eq!(select.changes, 0);
    let ddl = sql.run("CREATE INDEX m_t_x ON m_t (x)", vec![]).await.unwrap();
    assert_eq!(ddl.changes, 0);

    let deleted = sql.run("DELETE FROM m_t", vec![]).await.unwrap();
    assert_eq!(deleted.changes, 3);

    // RETURNING rows come back through all().
    let rows = sql
        .all_rows("INSERT INTO m_t (x) VALUES (?) RETURNING id, x", params![7])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get("x"), Some(&Value::Integer(7)));
}

#[tokio::test]
async fn one_statement_per_call() {
    let (db, _clock) = memory_db();
    let sql = module_sql(&db, "m");
    sql.run("CREATE TABLE m_t (x INTEGER)", vec![]).await.unwrap();

    for text in [
        "INSERT INTO m_t VALUES (1); INSERT INTO m_t VALUES (2)",
        "SELECT 1; SELECT 2;",
        "INSERT INTO m_t VALUES (3);DROP TABLE m_t",
    ] {
        let err = sql.run(text, vec![]).await.unwrap_err();
        assert!(matches!(err, SqlError::InvalidStatement(_)), "{text}: {err}");
        let err = db.sql().all(&Statement::new(text)).await.unwrap_err();
        assert!(matches!(err, SqlError::InvalidStatement(_)), "{text}: {err}");
    }
    // Nothing of them ran.
    let count = sql
        .first_row("SELECT COUNT(*) AS n FROM m_t", vec![])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(count.get("n"), Some(&Value::Integer(0)));

    // A trailing semicolon or comment is still one statement.
    sql.run("INSERT INTO m_t VALUES (1);", vec![]).await.unwrap();
    sql.run("INSERT INTO m_t VALUES (2); -- done", vec![]).await.unwrap();
    sql.run("  -- lead\n INSERT INTO m_t VALUES (3) /* tail */ ;  ", vec![])
        .await
        .unwrap();

    // No statement at all is an error too.
    for text in ["", "   ", ";", "-- nothing"] {
        let err = sql.run(text, vec![]).await.unwrap_err();
        assert!(matches!(err, SqlError::InvalidStatement(_)), "{text:?}: {err}");
    }
}

#[tokio::test]
async fn parameter_count_must_match() {
    let (db, _clock) = memory_db();
    let sql = module_sql(&db, "m");
    let err = sql.all_rows("SELECT ?, ?", params![1]).await.unwrap_err();
    assert!(
        matches!(err, SqlError::ParameterCount { expected: 2, given: 1 }),
        "{err}"
    );
    let err = sql.all_rows("SELECT 1", params![1]).await.unwrap_err();
    assert!(
        matches!(err, SqlError::ParameterCount { expected: 0, given: 1 }),
        "{err}"
    );
    // Numbered placeholders count by their highest index.
    let row = sql
        .first_row("SELECT ?1 + ?1 AS two, ?2 AS s", params![1, "s"])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.get("two"), Some(&Value::Integer(2)));
}

#[tokio::test]
async fn sqlite_errors_carry_sqlites_message() {
    let (db, _clock) = memory_db();
    let sql = module_sql(&db, "m");
    let err = sql.all_rows("SELECT * FROM m_missing", vec![]).await.unwrap_err();
    match err {
        SqlError::Database { message } => assert!(message.contains("no such table: m_missing"), "{message}"),
        other => panic!("expected a database error, got {other}"),
    }
    sql.run("CREATE TABLE m_u (x TEXT UNIQUE NOT NULL)", vec![])
        .await
        .unwrap();
    sql.run("INSERT INTO m_u VALUES ('a')", vec![]).await.unwrap();
    let err = sql.run("INSERT INTO m_u VALUES ('a')", vec![]).await.unwrap_err();
    assert!(err.to_string().contains("UNIQUE constraint failed"), "{err}");
    let err = sql.run("INSERT INTO m_u VALUES (NULL)", vec![]).await.unwrap_err();
    assert!(err.to_string().contains("NOT NULL constraint failed"), "{err}");
}

#[tokio::test]
async fn foreign_keys_are_enforced() {
    let (db, _clock) = memory_db();
    let sql = module_sql(&db, "m");
    sql.run("CREATE TABLE m_parent (id INTEGER PRIMARY KEY)", vec![])
        .await
        .unwrap();
    sql.run(
        "CREATE TABLE m_child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES m_parent (id))",
        vec![],
    )
    .await
    .unwrap();
    let err = sql
        .run("INSERT INTO m_child (parent) VALUES (1)", vec![])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY constraint failed"), "{err}");
}

#[tokio::test]
async fn file_database_persists_and_is_shared_with_kv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("deeper").join("bot.db");
    {
        let db = SqliteDb::open(&path, TestClock::new(T0)).unwrap();
        assert_eq!(db.path(), Some(path.as_path()));
        let sql = module_sql(&db, "m");
        let mode = sql.first_row("PRAGMA journal_mode", vec![]).await.unwrap().unwrap();
        assert_eq!(mode.get("journal_mode").and_then(Value::as_str), Some("wal"));
        let fk = sql.first_row("PRAGMA foreign_keys", vec![]).await.unwrap().unwrap();
        assert_eq!(fk.get("foreign_keys"), Some(&Value::Integer(1)));

        sql.run("CREATE TABLE m_notes (body TEXT)", vec![]).await.unwrap();
        sql.run("INSERT INTO m_notes VALUES (?)", params!["kept"])
            .await
            .unwrap();
        use miti99bot_core::kv::KvStore;
        db.kv().put("m:k", "v", None).await.unwrap();
    }
    assert!(path.exists());
    let db = SqliteDb::open(&path, TestClock::new(T0)).unwrap();
    let sql = module_sql(&db, "m");
    let row = sql
        .first_row("SELECT body FROM m_notes", vec![])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.get("body").and_then(Value::as_str), Some("kept"));
    use miti99bot_core::kv::KvStore;
    assert_eq!(db.kv().get("m:k").await.unwrap().as_deref(), Some("v"));
    // One file: the KV table is visible to SQL on the same database.
    let kv_row = sql
        .first_row("SELECT value FROM _kv WHERE key = 'm:k'", vec![])
        .await
        .unwrap();
    assert!(kv_row.is_some());
}

#[tokio::test]
async fn two_handles_on_one_file_see_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.db");
    let a = SqliteDb::open(&path, TestClock::new(T0)).unwrap();
    let b = SqliteDb::open(&path, TestClock::new(T0)).unwrap();
    module_sql(&a, "m").run("CREATE TABLE m_t (x)", vec![]).await.unwrap();
    module_sql(&a, "m")
        .run("INSERT INTO m_t VALUES (1)", vec![])
        .await
        .unwrap();
    let rows = module_sql(&b, "m").all_rows("SELECT x FROM m_t", vec![]).await.unwrap();
    assert_eq!(rows.len(), 1);
}

#[tokio::test]
async fn open_fails_cleanly_where_no_file_can_be() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let err = SqliteDb::open(blocker.join("bot.db"), TestClock::new(T0)).unwrap_err();
    assert!(err.to_string().contains("cannot create directory"), "{err}");

    let not_sqlite = dir.path().join("garbage.db");
    std::fs::write(&not_sqlite, vec![b'x'; 4096]).unwrap();
    let err = SqliteDb::open(&not_sqlite, TestClock::new(T0)).unwrap_err();
    assert!(err.to_string().contains("garbage.db"), "{err}");
}
