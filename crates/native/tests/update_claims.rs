//! Core's ingress against real SQLite: an update is claimed in `_updates` with its first
//! effect, never before, and a redelivery applies nothing more.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::ingress::{Ingress, Outcome};
use miti99bot_core::ledger::SqlLedger;
use miti99bot_core::params;
use miti99bot_core::sql::{SqlStore, Statement};
use miti99bot_core::telegram::synthetic::private_text_update;
use miti99bot_core::telegram::Update;
use miti99bot_core::{Bot, Command, CommandCtx, Config, Dispatch, Error, HandlerResult, Module, Services};
use miti99bot_sqlite::SqliteDb;
use miti99bot_testkit::{RecordingTelegram, TestClock};

/// Opened for the second delivery: the first one waits forever before its first write (a
/// crash, once its future is dropped).
struct Gate(AtomicBool);

fn notes() -> Module {
    Module::new("notes")
        .state(Gate(AtomicBool::new(false)))
        .command(Command::public("note", "Insert a row", note))
        .command(Command::public("gated", "Wait for the gate, then insert", gated))
        .command(Command::public("two", "Two writes at once", two))
        .command(Command::public("bad", "A write its CHECK refuses, then a reply", bad))
        .command(Command::public("hi", "Reply only", |_ctx| async { Ok("hi") }))
        .command(Command::public("boom", "Panics before any effect", boom))
        .command(Command::public("pingkv", "A KV write, then a reply", pingkv))
        .command(Command::public("mark", "An idempotent KV write, then a reply", pingkv).idempotent())
        .command(Command::public("twice", "Two replies", twice))
        .command(Command::public("replykv", "A reply, then a KV write", replykv))
}

async fn twice(ctx: CommandCtx) -> HandlerResult {
    ctx.reply("one").await?;
    ctx.reply("two").await?;
    Ok(())
}

async fn replykv(ctx: CommandCtx) -> HandlerResult {
    ctx.reply("first").await?;
    ctx.kv().put("after", "1").await?;
    Ok(())
}

async fn insert(ctx: &CommandCtx, v: i64) -> Result<(), Error> {
    let sql = ctx.sql().ok_or_else(|| Error::msg("no sql"))?;
    sql.run("INSERT INTO notes_rows (v) VALUES (?)", params![v]).await?;
    Ok(())
}

async fn note(ctx: CommandCtx) -> Result<String, Error> {
    insert(&ctx, 1).await?;
    Ok("noted".into())
}

async fn gated(ctx: CommandCtx) -> Result<String, Error> {
    while !ctx.state::<Gate>()?.0.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    insert(&ctx, 2).await?;
    Ok("noted after the gate".into())
}

async fn two(ctx: CommandCtx) -> Result<String, Error> {
    let (a, b) = tokio::join!(insert(&ctx, 3), insert(&ctx, 4));
    a?;
    b?;
    Ok("two".into())
}

async fn bad(ctx: CommandCtx) -> Result<String, Error> {
    match insert(&ctx, -1).await {
        Ok(()) => Ok("stored".into()),
        Err(_) => Ok("refused".into()),
    }
}

async fn boom(_ctx: CommandCtx) -> HandlerResult {
    panic!("deliberate panic");
}

async fn pingkv(ctx: CommandCtx) -> Result<String, Error> {
    ctx.kv().put("last", "1").await?;
    Ok("pong".into())
}

struct Fixture {
    ingress: Ingress,
    sql: Arc<dyn SqlStore>,
    telegram: RecordingTelegram,
    gate: Arc<Bot>,
}

async fn fixture() -> Fixture {
    let clock = TestClock::at(1_700_000_000_000);
    let db = SqliteDb::open_in_memory(Arc::new(clock.clone())).unwrap();
    let sql: Arc<dyn SqlStore> = Arc::new(db.sql());
    sql.run(&Statement::new(
        "CREATE TABLE notes_rows (v INTEGER NOT NULL CHECK (v >= 0))",
    ))
    .await
    .unwrap();
    let config = Config::from_vars([("TELEGRAM_BOT_USERNAME", "claims_bot")]).unwrap();
    let services = Services::new(config, Arc::new(db.kv()), Some(sql.clone()), Arc::new(clock));
    let bot = Arc::new(Bot::from_modules(vec![notes()], services).await.unwrap());
    let ledger = SqlLedger::new(sql.clone());
    ledger.ensure().await.unwrap();
    let telegram = RecordingTelegram::new();
    Fixture {
        ingress: Ingress::new(bot.clone(), Arc::new(ledger), Arc::new(telegram.clone())),
        sql,
        telegram,
        gate: bot,
    }
}

fn update(id: i64, text: &str) -> Update {
    private_text_update(id, id, 42, 42, 0, text)
}

async fn n(sql: &Arc<dyn SqlStore>, query: &str) -> i64 {
    let row = sql.first(&Statement::new(query)).await.unwrap().unwrap();
    row.get("n").and_then(|v| v.as_i64()).unwrap()
}

async fn claims(f: &Fixture) -> i64 {
    claims_in(&f.sql).await
}

async fn rows(f: &Fixture) -> i64 {
    rows_in(&f.sql).await
}

async fn claims_in(sql: &Arc<dyn SqlStore>) -> i64 {
    n(sql, "SELECT COUNT(*) AS n FROM _updates").await
}

async fn rows_in(sql: &Arc<dyn SqlStore>) -> i64 {
    n(sql, "SELECT COUNT(*) AS n FROM notes_rows").await
}

fn handled(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Applied(Dispatch::Handled { .. }))
}

#[tokio::test]
async fn an_update_no_handler_takes_writes_nothing() {
    let f = fixture().await;
    for (id, text) in [(1, "hello"), (2, "/nosuch"), (3, "/note@other_bot")] {
        assert_eq!(
            f.ingress.apply(update(id, text)).await,
            Outcome::Applied(Dispatch::Ignored)
        );
    }
    let poll: Update = serde_json::from_str(r#"{"update_id": 4, "poll": {"id": "1"}}"#).unwrap();
    assert_eq!(f.ingress.apply(poll).await, Outcome::Applied(Dispatch::Ignored));
    assert_eq!(claims(&f).await, 0);
    assert!(f.telegram.calls().is_empty());
}

#[tokio::test]
async fn the_claim_commits_with_the_first_sql_write_and_a_redelivery_is_skipped() {
    let f = fixture().await;
    assert!(handled(&f.ingress.apply(update(10, "/note")).await));
    assert_eq!((claims(&f).await, rows(&f).await), (1, 1));
    assert_eq!(f.ingress.apply(update(10, "/note")).await, Outcome::Duplicate);
    assert_eq!((claims(&f).await, rows(&f).await), (1, 1));
    assert_eq!(f.telegram.sent_texts(), ["noted"]);
}

#[tokio::test]
async fn concurrent_deliveries_apply_once() {
    let f = fixture().await;
    let (a, b) = tokio::join!(
        f.ingress.apply(update(11, "/note")),
        f.ingress.apply(update(11, "/note"))
    );
    let outcomes = [a, b];
    assert_eq!(outcomes.iter().filter(|o| handled(o)).count(), 1, "{outcomes:?}");
    assert_eq!(
        outcomes.iter().filter(|o| **o == Outcome::Duplicate).count(),
        1,
        "{outcomes:?}"
    );
    assert_eq!((claims(&f).await, rows(&f).await), (1, 1));
    assert_eq!(f.telegram.sent_texts(), ["noted"]);
}

#[tokio::test]
async fn a_crash_before_the_first_write_leaves_the_update_to_the_redelivery() {
    let f = fixture().await;
    // The first delivery dies while it waits (its future is dropped, as in a crash).
    let first = tokio::time::timeout(Duration::from_millis(50), f.ingress.apply(update(12, "/gated"))).await;
    assert!(first.is_err(), "the first delivery was cut off");
    assert_eq!(
        (claims(&f).await, rows(&f).await),
        (0, 0),
        "nothing claimed, nothing written"
    );
    let gate = f.gate.module_env("notes").unwrap().state::<Gate>().unwrap();
    gate.0.store(true, Ordering::SeqCst);
    assert!(handled(&f.ingress.apply(update(12, "/gated")).await));
    assert_eq!((claims(&f).await, rows(&f).await), (1, 1));
    assert_eq!(f.ingress.apply(update(12, "/gated")).await, Outcome::Duplicate);
    assert_eq!(rows(&f).await, 1);
}

#[tokio::test]
async fn writes_of_one_handler_at_the_same_time_share_one_claim() {
    let f = fixture().await;
    assert!(handled(&f.ingress.apply(update(13, "/two")).await));
    assert_eq!((claims(&f).await, rows(&f).await), (1, 2));
}

#[tokio::test]
async fn a_batch_refused_by_its_own_check_rolls_the_claim_back_and_the_reply_claims() {
    let f = fixture().await;
    assert!(handled(&f.ingress.apply(update(14, "/bad")).await));
    assert_eq!((claims(&f).await, rows(&f).await), (1, 0));
    assert_eq!(f.telegram.sent_texts(), ["refused"]);
    assert_eq!(f.ingress.apply(update(14, "/bad")).await, Outcome::Duplicate);
    assert_eq!(f.telegram.sent_texts(), ["refused"], "the duplicate sent nothing");
}

#[tokio::test]
async fn a_reply_only_handler_is_claimed_when_it_replies() {
    let f = fixture().await;
    assert!(handled(&f.ingress.apply(update(15, "/hi")).await));
    assert_eq!(claims(&f).await, 1);
    assert_eq!(f.ingress.apply(update(15, "/hi")).await, Outcome::Duplicate);
    assert_eq!(f.telegram.sent_texts(), ["hi"]);
}

#[tokio::test]
async fn a_kv_write_claims_before_it_writes() {
    let f = fixture().await;
    assert!(handled(&f.ingress.apply(update(16, "/pingkv")).await));
    assert_eq!(claims(&f).await, 1);
    assert_eq!(f.ingress.apply(update(16, "/pingkv")).await, Outcome::Duplicate);
    assert_eq!(f.telegram.sent_texts(), ["pong"]);
}

#[tokio::test]
async fn a_panicking_handler_is_contained_and_acknowledged() {
    let f = fixture().await;
    let outcome = f.ingress.apply(update(17, "/boom")).await;
    assert_eq!(outcome, Outcome::Panicked);
    assert!(outcome.acknowledged());
    assert_eq!(claims(&f).await, 0);
}

#[tokio::test]
async fn a_ledger_that_cannot_be_written_is_not_acknowledged_and_nothing_is_applied() {
    let f = fixture().await;
    f.sql
        .run(&Statement::new(
            "CREATE TRIGGER refuse_claims BEFORE INSERT ON _updates BEGIN SELECT RAISE(ABORT, 'ledger refused'); END",
        ))
        .await
        .unwrap();
    for (id, text) in [(18, "/note"), (28, "/hi")] {
        let outcome = f.ingress.apply(update(id, text)).await;
        assert!(matches!(outcome, Outcome::Unavailable(_)), "{text}: {outcome:?}");
        assert!(!outcome.acknowledged());
    }
    assert_eq!(rows(&f).await, 0);
    assert!(f.telegram.calls().is_empty());
}

#[tokio::test]
async fn a_missing_ledger_table_is_created_by_the_first_claim() {
    let f = fixture().await;
    f.sql.run(&Statement::new("DROP TABLE _updates")).await.unwrap();
    // In the batch of the first SQL write.
    assert!(handled(&f.ingress.apply(update(29, "/note")).await));
    assert_eq!((claims(&f).await, rows(&f).await), (1, 1));
    assert_eq!(f.ingress.apply(update(29, "/note")).await, Outcome::Duplicate);
    f.sql.run(&Statement::new("DROP TABLE _updates")).await.unwrap();
    // On its own, before a reply.
    assert!(handled(&f.ingress.apply(update(30, "/hi")).await));
    assert_eq!(claims(&f).await, 1);
    assert_eq!(f.ingress.apply(update(30, "/hi")).await, Outcome::Duplicate);
    assert_eq!(f.telegram.sent_texts(), ["noted", "hi"]);
}

#[tokio::test]
async fn webhook_reply_returns_the_first_reply_inline_and_sends_nothing() {
    let Fixture {
        ingress, sql, telegram, ..
    } = fixture().await;
    let ingress = ingress.webhook(miti99bot_core::webhook::WebhookSecret::new("s"), true);
    let applied = ingress.apply_webhook_update(update(19, "/note")).await;
    assert!(handled(&applied.outcome));
    let inline: serde_json::Value = serde_json::from_str(applied.inline_reply.as_deref().unwrap()).unwrap();
    assert_eq!(
        inline,
        serde_json::json!({"method": "sendMessage", "chat_id": 42, "text": "noted"})
    );
    assert!(telegram.calls().is_empty());
    assert_eq!(claims_in(&sql).await, 1);
    let again = ingress.apply_webhook_update(update(19, "/note")).await;
    assert_eq!((again.outcome, again.inline_reply), (Outcome::Duplicate, None));
}

fn inline(ingress: Ingress) -> Ingress {
    ingress.webhook(miti99bot_core::webhook::WebhookSecret::new("s"), true)
}

#[tokio::test]
async fn a_reply_held_for_the_webhook_answer_claims_nothing_and_a_redelivery_answers_again() {
    let Fixture {
        ingress, sql, telegram, ..
    } = fixture().await;
    let ingress = inline(ingress);
    // A redelivery means Telegram never got the answer, so never sent the reply: answer again.
    for _ in 0..2 {
        let applied = ingress.apply_webhook_update(update(21, "/hi")).await;
        assert!(handled(&applied.outcome), "{applied:?}");
        let body: serde_json::Value = serde_json::from_str(applied.inline_reply.as_deref().unwrap()).unwrap();
        assert_eq!(body["text"], "hi");
    }
    assert_eq!(claims_in(&sql).await, 0);
    assert!(telegram.calls().is_empty());
}

#[tokio::test]
async fn a_call_after_the_held_reply_claims_then_sends_both_in_order() {
    let Fixture {
        ingress, sql, telegram, ..
    } = fixture().await;
    let ingress = inline(ingress);
    let applied = ingress.apply_webhook_update(update(22, "/twice")).await;
    assert!(handled(&applied.outcome));
    assert_eq!(applied.inline_reply, None);
    assert_eq!(telegram.sent_texts(), ["one", "two"]);
    assert_eq!(claims_in(&sql).await, 1);
    let again = ingress.apply_webhook_update(update(22, "/twice")).await;
    assert_eq!((again.outcome, again.inline_reply), (Outcome::Duplicate, None));
    assert_eq!(telegram.sent_texts(), ["one", "two"]);
}

#[tokio::test]
async fn a_duplicate_never_answers_with_its_held_reply() {
    let Fixture { ingress, sql, .. } = fixture().await;
    let ingress = inline(ingress);
    let first = ingress.apply_webhook_update(update(23, "/replykv")).await;
    assert!(handled(&first.outcome));
    assert!(first.inline_reply.is_some());
    assert_eq!(claims_in(&sql).await, 1, "the KV write claimed");
    // The second delivery holds its reply before its KV write finds the claim taken.
    let again = ingress.apply_webhook_update(update(23, "/replykv")).await;
    assert_eq!((again.outcome, again.inline_reply), (Outcome::Duplicate, None));
}

#[tokio::test]
async fn an_idempotent_command_takes_no_claim_and_a_redelivery_runs_it_again() {
    let f = fixture().await;
    for _ in 0..2 {
        assert!(handled(&f.ingress.apply(update(24, "/mark")).await));
    }
    assert_eq!(claims(&f).await, 0);
    assert_eq!(f.telegram.sent_texts(), ["pong", "pong"]);
    let stored = f
        .sql
        .first(&Statement::new("SELECT value FROM _kv WHERE key = 'notes:last'"))
        .await
        .unwrap();
    assert!(stored.is_some(), "the write was applied");
}

#[tokio::test]
async fn the_webhook_checks_come_first() {
    let Fixture { ingress, sql, .. } = fixture().await;
    let ingress = ingress.webhook(miti99bot_core::webhook::WebhookSecret::new("s3cret"), false);
    let body = serde_json::to_vec(&update(20, "/note")).unwrap();
    assert_eq!(ingress.handle_webhook(Some(b"wrong"), &body).await.status, 401);
    assert_eq!(ingress.handle_webhook(None, &body).await.status, 401);
    assert_eq!(ingress.handle_webhook(Some(b"s3cret"), b"{nope").await.status, 400);
    assert_eq!(ingress.handle_webhook(Some(b"s3cret"), br#"{"x":1}"#).await.status, 400);
    let huge_id = br#"{"update_id": 9007199254740993, "message": {"message_id": 1, "chat": {"id": 1}}}"#;
    assert_eq!(ingress.handle_webhook(Some(b"s3cret"), huge_id).await.status, 200);
    assert_eq!(ingress.check_length(Some("1048577")).map_err(|a| a.status), Err(413));
    assert_eq!(ingress.handle_webhook(Some(b"s3cret"), &body).await.status, 200);
    assert_eq!(rows_in(&sql).await, 1);
}
