//! The reqwest Bot API client against the fake server: answers, 429 retries within the bound,
//! errors, timeouts, and the token kept out of every error and log line.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{client, TOKEN};
use miti99bot_core::telegram::{
    AnswerCallbackQuery, EditMessageText, EditTarget, Edited, GetUpdates, InlineKeyboardButton, InlineKeyboardMarkup,
    SendMessage, SetMyCommands, TelegramApi, TelegramError,
};
use miti99bot_native::telegram_client::{ClientOptions, HttpTelegram, RetryPolicy};
use miti99bot_testkit::{Failure, FakeTelegram, SharedBuffer};
use serde_json::json;

fn api(client: HttpTelegram) -> Arc<dyn TelegramApi> {
    Arc::new(client)
}

#[tokio::test]
async fn typed_calls_reach_the_server() {
    let fake = FakeTelegram::start().await.unwrap();
    let telegram = api(client(&fake));
    let me = telegram.get_me().await.unwrap();
    assert_eq!(me.username.as_deref(), Some("fake_bot"));
    let sent = telegram
        .send_message(&SendMessage::new(5, "<b>hi</b>").html().in_thread(Some(3)))
        .await
        .unwrap();
    assert_eq!((sent.chat.id, sent.message_thread_id), (5, Some(3)));
    telegram.delete_webhook().await.unwrap();
    telegram.set_my_commands(&SetMyCommands::default()).await.unwrap();
    let calls = fake.calls();
    let methods: Vec<&str> = calls.iter().map(|c| c.method.as_str()).collect();
    assert_eq!(methods, ["getMe", "sendMessage", "deleteWebhook", "setMyCommands"]);
    assert!(calls.iter().all(|c| c.token == TOKEN));
    assert_eq!(
        calls[1].payload,
        json!({ "chat_id": 5, "message_thread_id": 3, "text": "<b>hi</b>", "parse_mode": "HTML",
                "link_preview_options": { "is_disabled": true } })
    );
}

#[tokio::test]
async fn edits_and_callback_answers_reach_the_server() {
    let fake = FakeTelegram::start().await.unwrap();
    let telegram = api(client(&fake));
    let keyboard = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::callback("Again", "again")]]);
    let edit = EditMessageText::new(5, 77, "<i>new</i>").html().with_keyboard(keyboard);
    let Edited::Message(message) = telegram.edit_message_text(&edit).await.unwrap() else {
        panic!("a chat message edit returns the message");
    };
    assert_eq!(
        (message.message_id, message.chat.id, message.text.as_deref()),
        (77, 5, Some("<i>new</i>"))
    );
    let inline = EditMessageText::of(
        EditTarget::Inline {
            inline_message_id: "inl-1".into(),
        },
        "x",
    );
    assert_eq!(telegram.edit_message_text(&inline).await.unwrap(), Edited::Inline);
    telegram
        .answer_callback_query(&AnswerCallbackQuery::new("cb-1").with_text("done"))
        .await
        .unwrap();
    fake.fail_next(
        "editMessageText",
        1,
        Failure::Api {
            code: 400,
            description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message".into(),
        },
    );
    assert_eq!(telegram.edit_message_text(&edit).await.unwrap(), Edited::NotModified);
    let calls = fake.calls();
    assert_eq!(
        calls[0].payload,
        json!({ "chat_id": 5, "message_id": 77, "text": "<i>new</i>", "parse_mode": "HTML",
                "link_preview_options": { "is_disabled": true },
                "reply_markup": { "inline_keyboard": [[{ "text": "Again", "callback_data": "again" }]] } })
    );
    assert_eq!(calls[2].method, "answerCallbackQuery");
    assert_eq!(calls[2].payload, json!({ "callback_query_id": "cb-1", "text": "done" }));
}

#[tokio::test]
async fn get_updates_returns_raw_updates_from_the_offset() {
    let fake = FakeTelegram::start().await.unwrap();
    let telegram = api(client(&fake));
    for id in 1..=3 {
        fake.push_update(json!({ "update_id": id }));
    }
    let request = |offset| GetUpdates {
        offset,
        timeout: 30,
        limit: Some(2),
        allowed_updates: vec!["message".into()],
    };
    let first = telegram.get_updates(&request(None)).await.unwrap();
    assert_eq!(first, vec![json!({"update_id": 1}), json!({"update_id": 2})]);
    let rest = telegram.get_updates(&request(Some(3))).await.unwrap();
    assert_eq!(rest, vec![json!({"update_id": 3})]);
    assert_eq!(fake.pending_updates(), 1);
    // An empty queue answers after the fake's short long-poll cap, not 30 s.
    let started = Instant::now();
    assert!(telegram.get_updates(&request(Some(4))).await.unwrap().is_empty());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn rate_limit_is_retried_then_succeeds() {
    let fake = FakeTelegram::start().await.unwrap();
    let telegram = api(client(&fake));
    fake.fail_next("sendMessage", 2, Failure::RateLimited { retry_after: 0 });
    let sent = telegram.send_message(&SendMessage::new(1, "x")).await.unwrap();
    assert_eq!(sent.text.as_deref(), Some("x"));
    assert_eq!(fake.calls_of("sendMessage").len(), 3);
}

#[tokio::test]
async fn rate_limit_waits_retry_after() {
    let fake = FakeTelegram::start().await.unwrap();
    let telegram = api(client(&fake));
    fake.fail_next("sendMessage", 1, Failure::RateLimited { retry_after: 1 });
    let started = Instant::now();
    telegram.send_message(&SendMessage::new(1, "x")).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.calls_of("sendMessage").len(), 2);
}

#[tokio::test]
async fn rate_limit_gives_up_after_the_bound() {
    let fake = FakeTelegram::start().await.unwrap();
    let telegram = api(client(&fake));
    fake.fail_next("sendMessage", 10, Failure::RateLimited { retry_after: 0 });
    let err = telegram.send_message(&SendMessage::new(1, "x")).await.unwrap_err();
    assert!(
        matches!(err, TelegramError::RateLimited { attempts: 3, retry_after: 0, ref method } if method == "sendMessage"),
        "{err:?}"
    );
    assert_eq!(fake.calls_of("sendMessage").len(), 3);

    // A wait beyond the total bound is not attempted at all.
    fake.clear_calls();
    fake.fail_next("getMe", 1, Failure::RateLimited { retry_after: 3600 });
    let started = Instant::now();
    let err = telegram.get_me().await.unwrap_err();
    assert!(
        matches!(
            err,
            TelegramError::RateLimited {
                attempts: 1,
                retry_after: 3600,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(!err.to_string().contains(TOKEN));
}

#[tokio::test]
async fn server_errors_are_errors_not_retries() {
    let fake = FakeTelegram::start().await.unwrap();
    let telegram = api(client(&fake));
    fake.fail_next("sendMessage", 1, Failure::Status(502));
    let err = telegram.send_message(&SendMessage::new(1, "x")).await.unwrap_err();
    assert!(matches!(err, TelegramError::Api { status: 502, .. }), "{err:?}");
    assert_eq!(fake.calls_of("sendMessage").len(), 1, "a 5xx send is not repeated");
    fake.fail_next(
        "sendMessage",
        1,
        Failure::Api {
            code: 400,
            description: "Bad Request: chat not found".into(),
        },
    );
    let err = telegram.send_message(&SendMessage::new(1, "x")).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "telegram sendMessage failed: HTTP 400: Bad Request: chat not found"
    );
}

#[tokio::test]
async fn network_errors_and_timeouts_hide_the_token() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let telegram = api(HttpTelegram::new(TOKEN, ClientOptions::with_base(&base)).unwrap());
    let err = telegram.get_me().await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, TelegramError::Network { .. }), "{err:?}");
    assert!(text.contains("could not connect"), "{text}");
    assert!(!text.contains(TOKEN) && !format!("{err:?}").contains(TOKEN), "{text}");

    let fake = FakeTelegram::start().await.unwrap();
    fake.fail_next("sendMessage", 1, Failure::Delay(Duration::from_secs(3)));
    let mut options = ClientOptions::with_base(&fake.base_url());
    options.request_timeout = Duration::from_millis(200);
    let client = HttpTelegram::new(TOKEN, options).unwrap();
    assert!(!format!("{client:?}").contains("TEST-token"));
    let telegram = api(client);
    let err = telegram.send_message(&SendMessage::new(1, "x")).await.unwrap_err();
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[tokio::test]
async fn trace_logs_never_contain_the_token() {
    let captured = SharedBuffer::new();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = FakeTelegram::start().await.unwrap();
    let mut options = ClientOptions::with_base(&fake.base_url());
    options.retry = RetryPolicy {
        max_attempts: 2,
        max_total_wait: Duration::from_secs(1),
    };
    let telegram = api(HttpTelegram::new(TOKEN, options).unwrap());
    fake.fail_next("sendMessage", 5, Failure::RateLimited { retry_after: 0 });
    let _ = telegram.send_message(&SendMessage::new(1, "x")).await;
    fake.fail_next("getMe", 1, Failure::Status(500));
    let _ = telegram.get_me().await;
    telegram.get_me().await.unwrap();

    let logs = captured.text().unwrap();
    assert!(logs.contains("telegram call") && logs.contains("rate limit"), "{logs}");
    assert!(!logs.contains(TOKEN), "{logs}");
    assert!(!logs.contains("TEST-token"), "{logs}");
}
