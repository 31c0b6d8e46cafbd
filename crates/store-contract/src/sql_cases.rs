//! SQL cases: what every [`SqlStore`] backend must do, with D1's rules.

use std::sync::Arc;

use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, SqlError, SqlStore, Statement, Value, MAX_SAFE_INTEGER};
use serde::Deserialize;

use crate::ensure;
use crate::report::CaseReport;

type CaseResult = Result<(), String>;

/// A Telegram user id beyond `i32` (ids above 2^32 are real).
pub const TELEGRAM_USER_ID: i64 = 7_123_456_789;
/// A supergroup chat id (negative, beyond `i32`).
pub const TELEGRAM_GROUP_ID: i64 = -1_001_234_567_890;

/// Runs every SQL case against `sql`. `tag` (lowercase letters and digits) names this run's
/// tables, which are dropped again at the end of each case.
pub async fn run_sql_contract(sql: Arc<dyn SqlStore>, tag: &str) -> Vec<CaseReport> {
    let db = ModuleSql::new(&format!("ct{tag}"), sql.clone());
    let t = |name: &str| format!("ct{tag}_{name}");
    vec![
        CaseReport::new("sql", "typed_rows", typed_rows(&db, &t("typed")).await),
        CaseReport::new("sql", "telegram_ids", telegram_ids(&db, &t("ids")).await),
        CaseReport::new("sql", "unsafe_integers_rejected", unsafe_integers(&db, &sql).await),
        CaseReport::new("sql", "batch_atomic", batch_atomic(&db, &t("batch")).await),
        CaseReport::new("sql", "batch_results", batch_results(&db, &t("batchres")).await),
        CaseReport::new("sql", "parameter_limit", parameter_limit(&db, &sql).await),
        CaseReport::new("sql", "run_metadata", run_metadata(&db, &t("meta")).await),
        CaseReport::new("sql", "no_transaction_control", no_transactions(&db).await),
        CaseReport::new("sql", "first_and_decode", first_and_decode(&db, &t("first")).await),
        CaseReport::new("sql", "database_errors", database_errors(&db, &t("errors")).await),
    ]
}

fn err<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> String + '_ {
    move |e| format!("{what}: {e}")
}

async fn fresh_table(db: &ModuleSql, table: &str, columns: &str) -> CaseResult {
    db.run(&format!("DROP TABLE IF EXISTS {table}"), vec![])
        .await
        .map_err(err("drop"))?;
    db.run(&format!("CREATE TABLE {table} ({columns})"), vec![])
        .await
        .map_err(err("create"))?;
    Ok(())
}

async fn drop_table(db: &ModuleSql, table: &str) -> CaseResult {
    db.run(&format!("DROP TABLE IF EXISTS {table}"), vec![])
        .await
        .map(drop)
        .map_err(err("drop"))
}

async fn typed_rows(db: &ModuleSql, table: &str) -> CaseResult {
    fresh_table(
        db,
        table,
        "id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n TEXT",
    )
    .await?;
    db.run(
        &format!("INSERT INTO {table} (id, i, r, s, b, n) VALUES (?, ?, ?, ?, ?, ?)"),
        params![
            1,
            TELEGRAM_USER_ID,
            2.5,
            "héllo 'quoted'",
            vec![0u8, 1, 255],
            Option::<i64>::None
        ],
    )
    .await
    .map_err(err("insert"))?;
    let row = db
        .first_row(
            &format!(
                "SELECT i, r, s, b, n, typeof(i) AS ti, typeof(r) AS tr, typeof(b) AS tb FROM {table} WHERE id = ?"
            ),
            params![1],
        )
        .await
        .map_err(err("select"))?
        .ok_or("no row")?;
    drop_table(db, table).await?;
    let columns: Vec<&str> = row.columns().iter().map(String::as_str).collect();
    ensure!(
        columns == ["i", "r", "s", "b", "n", "ti", "tr", "tb"],
        "columns {columns:?}"
    );
    let want = [
        Value::Integer(TELEGRAM_USER_ID),
        Value::Real(2.5),
        Value::Text("héllo 'quoted'".into()),
        Value::Blob(vec![0, 1, 255]),
        Value::Null,
        Value::Text("integer".into()),
        Value::Text("real".into()),
        Value::Text("blob".into()),
    ];
    ensure!(row.values() == want, "row {:?}, want {want:?}", row.values());
    Ok(())
}

#[derive(Debug, Deserialize, PartialEq)]
struct Member {
    user_id: i64,
    chat_id: i64,
    name: String,
}

async fn telegram_ids(db: &ModuleSql, table: &str) -> CaseResult {
    fresh_table(
        db,
        table,
        "user_id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, name TEXT NOT NULL",
    )
    .await?;
    let insert = format!("INSERT INTO {table} (user_id, chat_id, name) VALUES (?, ?, ?)");
    for (user, chat, name) in [
        (TELEGRAM_USER_ID, TELEGRAM_GROUP_ID, "big"),
        (MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, "edge"),
        (42, 42, "small"),
    ] {
        db.run(&insert, params![user, chat, name])
            .await
            .map_err(err("insert"))?;
    }
    let found: Option<Member> = db
        .first(
            &format!("SELECT user_id, chat_id, name FROM {table} WHERE user_id = ?"),
            params![TELEGRAM_USER_ID],
        )
        .await
        .map_err(err("select by id"))?;
    let edge: Option<Member> = db
        .first(
            &format!("SELECT user_id, chat_id, name FROM {table} WHERE chat_id = ?"),
            params![-MAX_SAFE_INTEGER],
        )
        .await
        .map_err(err("select edge"))?;
    let sum = db
        .first_row(
            &format!("SELECT count(*) AS n FROM {table} WHERE user_id > ?"),
            params![i64::from(i32::MAX)],
        )
        .await
        .map_err(err("count"))?;
    drop_table(db, table).await?;
    let want = Member {
        user_id: TELEGRAM_USER_ID,
        chat_id: TELEGRAM_GROUP_ID,
        name: "big".into(),
    };
    ensure!(found.as_ref() == Some(&want), "read {found:?}, want {want:?}");
    ensure!(
        edge.as_ref().map(|m| (m.user_id, m.chat_id)) == Some((MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER)),
        "±(2^53 − 1) read back as {edge:?}"
    );
    let n = sum.and_then(|r| r.get("n").and_then(Value::as_i64));
    ensure!(n == Some(2), "{n:?} ids above i32::MAX, want 2");
    Ok(())
}

async fn unsafe_integers(db: &ModuleSql, raw: &Arc<dyn SqlStore>) -> CaseResult {
    let beyond = (1_i64 << 53) + 1;
    for value in [beyond, -beyond, i64::MAX] {
        match db.first_row("SELECT ? AS v", params![value]).await {
            Err(SqlError::IntegerOutOfRange { value: v, .. }) if v == value => {}
            other => return Err(format!("binding {value} gave {other:?}, want IntegerOutOfRange")),
        }
        match raw.all(&Statement::with_params("SELECT ? AS v", params![value])).await {
            Err(SqlError::IntegerOutOfRange { .. }) => {}
            other => {
                return Err(format!(
                    "backend binding {value} gave {other:?}, want IntegerOutOfRange"
                ))
            }
        }
    }
    match db.first_row("SELECT 9007199254740993 AS v", vec![]).await {
        Err(SqlError::IntegerOutOfRange { .. }) => {}
        other => return Err(format!("reading 2^53 + 1 gave {other:?}, want IntegerOutOfRange")),
    }
    Ok(())
}

async fn count(db: &ModuleSql, table: &str) -> Result<i64, String> {
    let row = db
        .first_row(&format!("SELECT count(*) AS n FROM {table}"), vec![])
        .await
        .map_err(err("count"))?;
    row.and_then(|r| r.get("n").and_then(Value::as_i64))
        .ok_or_else(|| "count returned no integer".to_owned())
}

async fn batch_atomic(db: &ModuleSql, table: &str) -> CaseResult {
    fresh_table(db, table, "id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE").await?;
    let insert = format!("INSERT INTO {table} (id, name) VALUES (?, ?)");
    let failing = [
        db.prepare(&insert, params![1, "a"]),
        db.prepare(&insert, params![2, "b"]),
        db.prepare(&insert, params![3, "a"]),
    ];
    let result = db.batch(&failing).await;
    let after_failure = count(db, table).await?;
    let rule_breaking = [
        db.prepare(&insert, params![4, "c"]),
        db.prepare(&insert, params![5, (1_i64 << 53) + 1]),
    ];
    let rule_result = db.batch(&rule_breaking).await;
    let after_rule = count(db, table).await?;
    drop_table(db, table).await?;
    ensure!(result.is_err(), "a batch with a UNIQUE violation succeeded");
    ensure!(after_failure == 0, "{after_failure} rows applied from a failed batch");
    ensure!(rule_result.is_err(), "a batch with an unsafe integer succeeded");
    ensure!(after_rule == 0, "{after_rule} rows applied from a rejected batch");
    Ok(())
}

async fn batch_results(db: &ModuleSql, table: &str) -> CaseResult {
    fresh_table(db, table, "id INTEGER PRIMARY KEY, v INTEGER NOT NULL").await?;
    let statements = [
        db.prepare(
            format!("INSERT INTO {table} (id, v) VALUES (?, ?)"),
            params![1, TELEGRAM_USER_ID],
        ),
        db.prepare(format!("INSERT INTO {table} (id, v) VALUES (?, ?)"), params![2, 5]),
        db.prepare(format!("UPDATE {table} SET v = v + 1 WHERE id = ?"), params![2]),
        db.prepare(format!("SELECT id, v FROM {table} ORDER BY id"), vec![]),
    ];
    let results = db.batch(&statements).await.map_err(err("batch"));
    drop_table(db, table).await?;
    let results = results?;
    ensure!(results.len() == 4, "{} results for 4 statements", results.len());
    ensure!(
        results[0].changes == 1 && results[2].changes == 1,
        "changes {:?}",
        results.iter().map(|r| r.changes).collect::<Vec<_>>()
    );
    ensure!(
        results[1].last_row_id == 2,
        "last_row_id of the second insert is {}",
        results[1].last_row_id
    );
    let rows: Vec<(Option<i64>, Option<i64>)> = results[3]
        .rows
        .iter()
        .map(|r| (r.get("id").and_then(Value::as_i64), r.get("v").and_then(Value::as_i64)))
        .collect();
    ensure!(
        rows == [(Some(1), Some(TELEGRAM_USER_ID)), (Some(2), Some(6))],
        "select in batch read {rows:?}"
    );
    Ok(())
}

async fn parameter_limit(db: &ModuleSql, raw: &Arc<dyn SqlStore>) -> CaseResult {
    let select = |n: usize| format!("SELECT {}", vec!["?"; n].join(", "));
    let hundred: Vec<Value> = (0..100).map(Value::from).collect();
    let row = db
        .first_row(&select(100), hundred)
        .await
        .map_err(err("100 parameters"))?
        .ok_or("no row")?;
    ensure!(
        row.values().len() == 100 && row.values()[99] == Value::Integer(99),
        "100-parameter row {:?}",
        row.values().last()
    );
    let many: Vec<Value> = (0..101).map(Value::from).collect();
    match db.first_row(&select(101), many.clone()).await {
        Err(SqlError::TooManyParameters { count: 101, .. }) => {}
        other => return Err(format!("101 parameters gave {other:?}, want TooManyParameters")),
    }
    match raw.all(&Statement::with_params(select(101), many)).await {
        Err(SqlError::TooManyParameters { count: 101, .. }) => {}
        other => {
            return Err(format!(
                "backend with 101 parameters gave {other:?}, want TooManyParameters"
            ))
        }
    }
    Ok(())
}

async fn run_metadata(db: &ModuleSql, table: &str) -> CaseResult {
    fresh_table(db, table, "id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER").await?;
    let first = db
        .run(&format!("INSERT INTO {table} (v) VALUES (?)"), params![1])
        .await
        .map_err(err("insert 1"));
    let second = db
        .run(&format!("INSERT INTO {table} (v) VALUES (?)"), params![2])
        .await
        .map_err(err("insert 2"));
    let update = db
        .run(&format!("UPDATE {table} SET v = v * 10"), vec![])
        .await
        .map_err(err("update"));
    let none = db
        .run(&format!("DELETE FROM {table} WHERE v < 0"), vec![])
        .await
        .map_err(err("delete"));
    drop_table(db, table).await?;
    let (first, second, update, none) = (first?, second?, update?, none?);
    ensure!(first.changes == 1 && first.last_row_id == 1, "first insert {first:?}");
    ensure!(
        second.changes == 1 && second.last_row_id == 2,
        "second insert {second:?}"
    );
    ensure!(update.changes == 2, "update changed {}", update.changes);
    ensure!(none.changes == 0, "empty delete changed {}", none.changes);
    Ok(())
}

async fn no_transactions(db: &ModuleSql) -> CaseResult {
    for sql in ["BEGIN", "BEGIN TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT s"] {
        match db.run(sql, vec![]).await {
            Err(SqlError::TransactionControl { .. }) => {}
            other => return Err(format!("{sql:?} gave {other:?}, want TransactionControl")),
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: i64,
    label: Option<String>,
    price: f64,
}

async fn first_and_decode(db: &ModuleSql, table: &str) -> CaseResult {
    fresh_table(db, table, "id INTEGER PRIMARY KEY, label TEXT, price REAL NOT NULL").await?;
    let empty: Option<Item> = db
        .first(&format!("SELECT id, label, price FROM {table}"), vec![])
        .await
        .map_err(err("first on empty"))?;
    db.run(
        &format!("INSERT INTO {table} VALUES (?, ?, ?), (?, ?, ?)"),
        params![1, "one", 1.25, 2, Option::<String>::None, 1000.5],
    )
    .await
    .map_err(err("insert"))?;
    let all: Result<Vec<Item>, _> = db
        .all(&format!("SELECT id, label, price FROM {table} ORDER BY id"), vec![])
        .await;
    let wrong: Result<Vec<Member>, _> = db.all(&format!("SELECT id, label FROM {table}"), vec![]).await;
    drop_table(db, table).await?;
    ensure!(empty.is_none(), "first on an empty table gave {empty:?}");
    let all = all.map_err(err("all"))?;
    let want = vec![
        Item {
            id: 1,
            label: Some("one".into()),
            price: 1.25,
        },
        Item {
            id: 2,
            label: None,
            price: 1000.5,
        },
    ];
    ensure!(all == want, "decoded {all:?}");
    ensure!(
        matches!(wrong, Err(SqlError::Decode(_))),
        "decoding into the wrong type gave {wrong:?}"
    );
    Ok(())
}

async fn database_errors(db: &ModuleSql, table: &str) -> CaseResult {
    match db.run(&format!("INSERT INTO {table}_missing VALUES (1)"), vec![]).await {
        Err(SqlError::Database { message }) if !message.is_empty() => {}
        other => return Err(format!("insert into a missing table gave {other:?}, want Database")),
    }
    match db.all_rows("SELEC nonsense", vec![]).await {
        Err(SqlError::Database { .. }) => {}
        other => return Err(format!("a syntax error gave {other:?}, want Database")),
    }
    Ok(())
}
