//! The table-prefix rule: a module's migration that creates, alters or drops a schema object
//! outside `<module>_` stops start-up with a wiring error naming the module and the file.

mod common;

use common::start;
use miti99bot_core::migrate::Migration;
use miti99bot_core::{Module, WiringError};

/// Starts a bot whose module `trading` has one migration `0002_x.sql` holding `sql`: the
/// wiring error's message, or "started".
async fn wire(sql: &str) -> String {
    let module = Module::new("trading").migrations([Migration::new("trading", "0002_x.sql", sql)]);
    match start(vec![module], &[]).await {
        Ok(_) => "started".into(),
        Err(e) => e.to_string(),
    }
}

/// The message for `what` without the prefix.
fn unprefixed(what: &str) -> String {
    format!("module \"trading\" migration 0002_x.sql: {what} without the prefix \"trading_\"")
}

#[tokio::test]
async fn every_object_kind_needs_the_prefix() {
    for (sql, what) in [
        ("CREATE TABLE trades (id INTEGER)", "creates table \"trades\""),
        ("CREATE TEMP TABLE scratch (x)", "creates table \"scratch\""),
        ("create temporary table scratch (x)", "creates table \"scratch\""),
        (
            "CREATE VIRTUAL TABLE search USING fts5(body)",
            "creates table \"search\"",
        ),
        ("CREATE VIEW recent AS SELECT 1", "creates view \"recent\""),
        (
            "CREATE INDEX by_user ON trading_trades (user_id)",
            "creates index \"by_user\"",
        ),
        (
            "CREATE UNIQUE INDEX by_id ON trading_trades (id)",
            "creates index \"by_id\"",
        ),
        (
            "CREATE TRIGGER audit AFTER INSERT ON trading_trades BEGIN SELECT 1; END",
            "creates trigger \"audit\"",
        ),
    ] {
        assert_eq!(wire(sql).await, unprefixed(what), "{sql}");
    }
}

#[tokio::test]
async fn quoted_qualified_and_if_not_exists_names_are_read() {
    for (sql, what) in [
        ("CREATE TABLE \"trades\" (x)", "creates table \"trades\""),
        ("CREATE TABLE `trades` (x)", "creates table \"trades\""),
        ("CREATE TABLE [trades] (x)", "creates table \"trades\""),
        ("CREATE TABLE IF NOT EXISTS trades (x)", "creates table \"trades\""),
        ("create table if not exists main.trades (x)", "creates table \"trades\""),
        ("CREATE TABLE \"main\".\"trades\" (x)", "creates table \"trades\""),
        (
            "CREATE VIEW IF NOT EXISTS [recent view] AS SELECT 1",
            "creates view \"recent view\"",
        ),
        ("CREATE TABLE \"trading\"\"s\" (x)", "creates table \"trading\\\"s\""),
    ] {
        assert_eq!(wire(sql).await, unprefixed(what), "{sql}");
    }
}

#[tokio::test]
async fn comments_before_and_inside_a_statement_are_skipped() {
    let sql =
        "-- trades of the module\n/* a block; with a semicolon */ CREATE /* inline */ TABLE\n-- the name:\ntrades (x);";
    assert_eq!(wire(sql).await, unprefixed("creates table \"trades\""));
    // The second statement is the culprit.
    let sql = "CREATE TABLE trading_ok (x);\n-- then\nCREATE INDEX oops ON trading_ok (x);";
    assert_eq!(wire(sql).await, unprefixed("creates index \"oops\""));
}

#[tokio::test]
async fn an_index_or_trigger_must_be_on_a_table_of_the_module() {
    assert_eq!(
        wire("CREATE INDEX trading_x ON other_table (x)").await,
        unprefixed("creates index \"trading_x\" on table \"other_table\"")
    );
    assert_eq!(
        wire("CREATE INDEX IF NOT EXISTS trading_x ON main.\"other\" (x)").await,
        unprefixed("creates index \"trading_x\" on table \"other\"")
    );
    assert_eq!(
        wire("CREATE TRIGGER trading_t BEFORE UPDATE OF a, b ON misc_notes BEGIN SELECT 1; END").await,
        unprefixed("creates trigger \"trading_t\" on table \"misc_notes\"")
    );
}

#[tokio::test]
async fn alter_and_drop_touch_only_the_module_s_tables() {
    for (sql, what) in [
        (
            "ALTER TABLE misc_notes ADD COLUMN x INTEGER",
            "alters table \"misc_notes\"",
        ),
        (
            "ALTER TABLE trading_trades RENAME TO trades",
            "renames table \"trading_trades\" to \"trades\"",
        ),
        ("alter table \"other\" rename column a to b", "alters table \"other\""),
        ("DROP TABLE misc_notes", "drops table \"misc_notes\""),
        ("DROP INDEX IF EXISTS by_user", "drops index \"by_user\""),
        ("DROP VIEW main.recent", "drops view \"recent\""),
        ("DROP TRIGGER audit", "drops trigger \"audit\""),
    ] {
        assert_eq!(wire(sql).await, unprefixed(what), "{sql}");
    }
}

#[tokio::test]
async fn prefixed_objects_pass() {
    let sql = r#"
        -- every form the rule reads, all within the module
        CREATE TABLE trading_a (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'CREATE TABLE x');
        CREATE TABLE IF NOT EXISTS "trading_b" (x);
        create temp table [Trading_C] (x);
        CREATE VIRTUAL TABLE trading_search USING fts5(body);
        CREATE VIEW `trading_v` AS SELECT * FROM trading_a;
        CREATE UNIQUE INDEX IF NOT EXISTS trading_a_note ON trading_a (note);
        CREATE INDEX idx_trading_a_id ON main.trading_a (id);
        CREATE TRIGGER trading_a_audit AFTER UPDATE OF note ON trading_a BEGIN
          UPDATE trading_b SET x = CASE WHEN new.note IS NULL THEN 0 ELSE 1 END;
        END;
        ALTER TABLE trading_a ADD COLUMN extra INTEGER;
        ALTER TABLE trading_b RENAME TO trading_b2;
        ALTER TABLE trading_a RENAME COLUMN extra TO more;
        DROP INDEX IF EXISTS trading_a_note;
        DROP TABLE trading_b2;
        INSERT INTO trading_a (note) VALUES ('seed');
    "#;
    assert_eq!(wire(sql).await, "started");
}

#[tokio::test]
async fn the_trading_migration_passes() {
    let sql = include_str!("../../modules/src/trading/migrations/0001_trades.sql");
    let module = Module::new("trading").migrations([Migration::new("trading", "0001_trades.sql", sql)]);
    assert!(start(vec![module], &[]).await.is_ok());
}

#[tokio::test]
async fn the_error_is_a_wiring_error_of_its_own() {
    let module = Module::new("trading").migrations([Migration::new("trading", "0002_x.sql", "CREATE TABLE t (x)")]);
    match start(vec![module], &[]).await {
        Err(WiringError::UnprefixedSchemaObject {
            module,
            file,
            what,
            prefix,
        }) => {
            assert_eq!(
                (module.as_str(), file.as_str(), what.as_str(), prefix.as_str()),
                ("trading", "0002_x.sql", "creates table \"t\"", "trading_")
            );
        }
        other => panic!("expected UnprefixedSchemaObject, got {:?}", other.err()),
    }
    // A file the splitter cannot read is an invalid migration.
    let module = Module::new("trading").migrations([Migration::new(
        "trading",
        "0002_x.sql",
        "CREATE TABLE trading_x (a TEXT DEFAULT 'open",
    )]);
    let e = start(vec![module], &[])
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.starts_with("module \"trading\" migration \"0002_x.sql\": cannot be split into statements"),
        "{e}"
    );
}
