//! `poll` end to end against the fake server: deleteWebhook first, updates applied, offset
//! stored after each, resumed after a restart, malformed updates skipped, errors backed off.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{client, processor, test_bot, text_update};
use miti99bot_core::ledger::{Claim, SqlLedger, UpdateLedger};
use miti99bot_core::telegram::TelegramApi;
use miti99bot_native::error::CliError;
use miti99bot_native::poll::{PollOptions, PollState, PollStats, Poller};
use miti99bot_native::shutdown::Shutdown;
use miti99bot_native::system_clock::SystemClock;
use miti99bot_sqlite::SqliteDb;
use miti99bot_testkit::{Failure, FakeTelegram};
use serde_json::json;
use tokio::task::JoinHandle;

const WAIT: Duration = Duration::from_secs(5);

fn options() -> PollOptions {
    let mut options = PollOptions::new(vec!["message".into(), "channel_post".into()]);
    options.backoff_min = Duration::from_millis(10);
    options.backoff_max = Duration::from_millis(50);
    options
}

async fn state(db: &SqliteDb) -> PollState {
    PollState::open(Arc::new(db.sql()), Arc::new(SystemClock))
        .await
        .unwrap()
}

/// Starts a poller over the bot in `dir` against `fake`.
async fn start(
    dir: &std::path::Path,
    fake: &FakeTelegram,
) -> (Shutdown, JoinHandle<Result<PollStats, CliError>>, SqliteDb) {
    let (bot, db) = test_bot(dir).await;
    let telegram: Arc<dyn TelegramApi> = Arc::new(client(fake));
    let processor = processor(bot, &db, telegram.clone()).await;
    let poller = Poller::new(processor, telegram, state(&db).await, options());
    let shutdown = Shutdown::new();
    let task = tokio::spawn(poller.run_until_shutdown(shutdown.clone()));
    (shutdown, task, db)
}

async fn stop(shutdown: Shutdown, task: JoinHandle<Result<PollStats, CliError>>) -> PollStats {
    shutdown.trigger();
    tokio::time::timeout(WAIT, task).await.unwrap().unwrap().unwrap()
}

#[tokio::test]
async fn deletes_the_webhook_then_applies_updates_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    for (id, text) in [(1, "/count"), (2, "/ping"), (3, "/count")] {
        fake.push_update(text_update(id, 50, text));
    }
    let (shutdown, task, db) = start(dir.path(), &fake).await;
    assert_eq!(fake.wait_for_calls("sendMessage", 3, WAIT).await.len(), 3);
    let stats = stop(shutdown, task).await;
    assert_eq!(stats.applied, 3);
    assert_eq!(fake.sent_texts(), vec!["count 1", "pong", "count 2"]);
    let calls = fake.calls();
    assert_eq!(calls[0].method, "deleteWebhook");
    assert_eq!(calls[0].payload, json!({ "drop_pending_updates": false }));
    let first_poll = &calls[1];
    assert_eq!(first_poll.method, "getUpdates");
    assert_eq!(first_poll.payload["timeout"], 30);
    assert_eq!(
        first_poll.payload["allowed_updates"],
        json!(["message", "channel_post"])
    );
    assert!(first_poll.payload.get("offset").is_none());
    assert_eq!(state(&db).await.load().await.unwrap(), Some(4));
}

#[tokio::test]
async fn restart_resumes_from_the_stored_offset() {
    let dir = tempfile::tempdir().unwrap();
    {
        let fake = FakeTelegram::start().await.unwrap();
        for id in 1..=3 {
            fake.push_update(text_update(id, 60, "/count"));
        }
        let (shutdown, task, _db) = start(dir.path(), &fake).await;
        assert_eq!(fake.wait_for_calls("sendMessage", 3, WAIT).await.len(), 3);
        stop(shutdown, task).await;
    }
    // A new process; Telegram still holds every update it was not told to forget by an offset
    // (here: all of them, the worst case), plus two new ones.
    let fake = FakeTelegram::start().await.unwrap();
    for id in 1..=5 {
        fake.push_update(text_update(id, 60, "/count"));
    }
    let (shutdown, task, db) = start(dir.path(), &fake).await;
    assert_eq!(fake.wait_for_calls("sendMessage", 2, WAIT).await.len(), 2);
    let stats = stop(shutdown, task).await;
    assert_eq!(fake.sent_texts(), vec!["count 4", "count 5"]);
    assert_eq!(fake.calls_of("getUpdates")[0].payload["offset"], 4);
    assert_eq!(stats.applied, 2);
    assert_eq!(state(&db).await.load().await.unwrap(), Some(6));
}

#[tokio::test]
async fn update_applied_but_offset_not_stored_is_not_applied_again() {
    let dir = tempfile::tempdir().unwrap();
    {
        // A crash between applying update 7 and storing offset 8.
        let (_bot, db) = test_bot(dir.path()).await;
        let ledger = SqlLedger::new(Arc::new(db.sql()));
        ledger.ensure().await.unwrap();
        assert_eq!(ledger.claim(7, 0).await.unwrap(), Claim::First);
        state(&db).await.store(7).await.unwrap();
    }
    let fake = FakeTelegram::start().await.unwrap();
    fake.push_update(text_update(7, 70, "/count"));
    fake.push_update(text_update(8, 70, "/count"));
    let (shutdown, task, db) = start(dir.path(), &fake).await;
    assert_eq!(fake.wait_for_calls("sendMessage", 1, WAIT).await.len(), 1);
    let stats = stop(shutdown, task).await;
    assert_eq!(fake.sent_texts(), vec!["count 1"]);
    assert_eq!((stats.duplicates, stats.applied), (1, 1));
    assert_eq!(state(&db).await.load().await.unwrap(), Some(9));
}

#[tokio::test]
async fn malformed_and_failing_updates_are_skipped_and_the_offset_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    fake.push_update(json!({ "update_id": 10, "message": "not a message" }));
    fake.push_update(text_update(11, 80, "/fail"));
    fake.push_update(text_update(12, 80, "/boom"));
    fake.push_update(text_update(13, 80, "/ping"));
    let (shutdown, task, db) = start(dir.path(), &fake).await;
    assert_eq!(fake.wait_for_calls("sendMessage", 1, WAIT).await.len(), 1);
    let stats = stop(shutdown, task).await;
    assert_eq!(
        stats,
        PollStats {
            applied: 1,
            duplicates: 0,
            failed: 2,
            skipped: 1
        }
    );
    assert_eq!(fake.sent_texts(), vec!["pong"]);
    assert_eq!(state(&db).await.load().await.unwrap(), Some(14));
}

#[tokio::test]
async fn network_and_server_errors_back_off_and_recover() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    fake.fail_next("deleteWebhook", 1, Failure::Status(502));
    fake.fail_next("getUpdates", 2, Failure::Status(500));
    fake.fail_next("getUpdates", 1, Failure::RateLimited { retry_after: 0 });
    fake.push_update(text_update(20, 90, "/ping"));
    let (shutdown, task, _db) = start(dir.path(), &fake).await;
    assert_eq!(fake.wait_for_calls("sendMessage", 1, WAIT).await.len(), 1);
    stop(shutdown, task).await;
    assert_eq!(fake.calls_of("deleteWebhook").len(), 2);
    assert!(fake.calls_of("getUpdates").len() >= 3);
}

#[tokio::test]
async fn a_rejected_token_stops_the_poller() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    fake.fail_next(
        "deleteWebhook",
        1,
        Failure::Api {
            code: 401,
            description: "Unauthorized".into(),
        },
    );
    let (_shutdown, task, _db) = start(dir.path(), &fake).await;
    let err = tokio::time::timeout(WAIT, task).await.unwrap().unwrap().unwrap_err();
    assert!(err.to_string().contains("401"), "{err}");
    assert!(!err.to_string().contains(common::TOKEN));
}

#[tokio::test]
async fn shutdown_interrupts_an_idle_long_poll() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    let (shutdown, task, _db) = start(dir.path(), &fake).await;
    fake.wait_for_calls("getUpdates", 1, WAIT).await;
    let stats = stop(shutdown, task).await;
    assert_eq!(stats, PollStats::default());
}
