//! `serve` end to end over loopback HTTP: the webhook server in-process, replies observed at the
//! fake Telegram server.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{bump_press, text_update, Harness, SECRET};
use miti99bot_testkit::Failure;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn health_and_not_found() {
    let h = Harness::start().await;
    let r = h.http.get(h.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    assert_eq!(r.text().await.unwrap(), "miti99bot ok");
    for (method, path) in [
        ("GET", "/webhook"),
        ("PUT", "/webhook"),
        ("POST", "/"),
        ("GET", "/nope"),
        ("POST", "/webhook/extra"),
        ("DELETE", "/"),
    ] {
        let r = h
            .http
            .request(method.parse().unwrap(), h.url(path))
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{method} {path}");
        assert_eq!(r.text().await.unwrap(), "not found");
    }
    // The query string does not change the route.
    let r = h.http.get(h.url("/?x=1")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn secret_is_required_and_compared_exactly() {
    let h = Harness::start().await;
    let update = text_update(1, 10, "/ping").to_string();
    let missing = h
        .http
        .post(h.url("/webhook"))
        .body(update.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);
    for wrong in ["", "test_secret-4", "test_secret-420", "TEST_SECRET-42"] {
        let r = h
            .http
            .post(h.url("/webhook"))
            .header("X-Telegram-Bot-Api-Secret-Token", wrong)
            .body(update.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{wrong:?}");
    }
    assert!(h.fake.calls().is_empty(), "nothing ran before the secret check");
    let (status, _) = h.post(&text_update(1, 10, "/ping")).await;
    assert_eq!(status, 200);
    assert_eq!(h.fake.sent_texts(), vec!["pong"]);
}

#[tokio::test]
async fn oversized_and_malformed_bodies() {
    let h = Harness::start().await;
    let big = format!(r#"{{"update_id":1,"pad":"{}"}}"#, "x".repeat(1024 * 1024));
    let r = h.post_raw(big).await;
    assert_eq!(r.status(), 413);
    // Exactly at the limit is accepted (a valid update padded with spaces).
    let update = text_update(2, 10, "/ping").to_string();
    let padded = format!("{update}{}", " ".repeat(1024 * 1024 - update.len()));
    assert_eq!(h.post_raw(padded).await.status(), 200);
    assert_eq!(h.post_raw("{not json").await.status(), 400);
    assert_eq!(h.post_raw("").await.status(), 400);
    assert_eq!(h.post_raw(r#"{"no_update_id":true}"#).await.status(), 400);
    // An update Telegram would redeliver forever if refused: acknowledged and skipped.
    assert_eq!(h.post_raw(r#"{"update_id":3,"message":"garbage"}"#).await.status(), 200);
    assert_eq!(h.fake.sent_texts(), vec!["pong"]);
}

#[tokio::test]
async fn oversized_chunked_body_without_length_is_refused() {
    let h = Harness::start().await;
    let mut stream = tokio::net::TcpStream::connect(h.addr).await.unwrap();
    let head = format!(
        "POST /webhook HTTP/1.1\r\nhost: x\r\nx-telegram-bot-api-secret-token: {SECRET}\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut answer = Vec::new();
    for _ in 0..20 {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if stream.write_all(&frame).await.is_err() {
            break; // the server answered and closed
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let _ = tokio::time::timeout(WAIT, stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn help_and_ping_round_trips() {
    let h = Harness::start().await;
    let (status, body) = h.post(&text_update(10, 77, "/ping")).await;
    assert_eq!((status, body.as_str()), (200, ""));
    let (status, _) = h.post(&text_update(11, 77, "/help@test_bot")).await;
    assert_eq!(status, 200);
    let (status, _) = h.post(&text_update(12, 77, "/help@other_bot")).await;
    assert_eq!(status, 200);
    let (status, _) = h.post(&text_update(13, 77, "just text")).await;
    assert_eq!(status, 200);
    let sent = h.fake.calls_of("sendMessage");
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0].token, common::TOKEN);
    assert_eq!(sent[0].payload, json!({ "chat_id": 77, "text": "pong" }));
    let help = sent[1].text().unwrap();
    assert!(help.contains("/ping") && help.contains("/help"), "{help}");
    assert_eq!(sent[1].payload["parse_mode"], "HTML");
}

#[tokio::test]
async fn forum_topic_reply_goes_to_the_topic() {
    let h = Harness::start().await;
    let mut update = text_update(20, -100_200, "/ping");
    update["message"]["message_thread_id"] = json!(5);
    update["message"]["is_topic_message"] = json!(true);
    update["message"]["chat"]["type"] = json!("supergroup");
    assert_eq!(h.post(&update).await.0, 200);
    let sent = h.fake.calls_of("sendMessage");
    assert_eq!(sent[0].payload["message_thread_id"], 5);
    assert_eq!(sent[0].payload["chat_id"], -100_200);
}

#[tokio::test]
async fn duplicate_update_is_applied_once() {
    let h = Harness::start().await;
    let update = text_update(30, 5, "/count");
    assert_eq!(h.post(&update).await.0, 200);
    assert_eq!(h.post(&update).await.0, 200);
    assert_eq!(h.fake.sent_texts(), vec!["count 1"]);
    assert_eq!(h.post(&text_update(31, 5, "/count")).await.0, 200);
    assert_eq!(h.fake.sent_texts(), vec!["count 1", "count 2"]);
}

#[tokio::test]
async fn a_button_press_is_one_edit_and_one_answer_and_a_redelivery_nothing() {
    let h = Harness::start().await;
    let press = bump_press(40, 5);
    assert_eq!(h.post(&press).await, (200, String::new()));
    let methods = |h: &Harness| -> Vec<String> { h.fake.calls().into_iter().map(|c| c.method).collect() };
    assert_eq!(methods(&h), ["editMessageText", "answerCallbackQuery"]);
    let edit = &h.fake.calls_of("editMessageText")[0];
    assert_eq!(
        (
            edit.payload["chat_id"].as_i64(),
            edit.payload["message_id"].as_i64(),
            edit.payload["text"].as_str()
        ),
        (Some(5), Some(77), Some("count 1"))
    );
    let answer = &h.fake.calls_of("answerCallbackQuery")[0];
    assert_eq!(
        answer.payload,
        serde_json::json!({ "callback_query_id": "40", "text": "bumped" })
    );

    // Telegram delivers the same press again: nothing more is edited, answered or counted.
    assert_eq!(h.post(&press).await.0, 200);
    assert_eq!(methods(&h).len(), 2);
    assert_eq!(h.post(&bump_press(41, 5)).await.0, 200);
    assert_eq!(h.fake.calls_of("editMessageText")[1].payload["text"], "count 2");

    // Data no module takes: one answer with the stale toast, nothing else.
    h.fake.clear_calls();
    let mut stale = bump_press(42, 5);
    stale["callback_query"]["data"] = serde_json::json!("test:gone");
    assert_eq!(h.post(&stale).await.0, 200);
    assert_eq!(methods(&h), ["answerCallbackQuery"]);
    assert_eq!(h.fake.calls()[0].payload["text"], miti99bot_core::callback::STALE_TOAST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_copies_are_applied_once() {
    let h = Harness::start().await;
    for id in 40..50 {
        let body = text_update(id, 6, "/count").to_string();
        let mut copies = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let request = h
                .http
                .post(h.url("/webhook"))
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .body(body.clone());
            copies.spawn(async move { request.send().await.unwrap().status().as_u16() });
        }
        let statuses = copies.join_all().await;
        assert_eq!(statuses, vec![200; 4]);
    }
    let expected: Vec<String> = (1..=10).map(|n| format!("count {n}")).collect();
    assert_eq!(h.fake.sent_texts(), expected);
}

#[tokio::test]
async fn failing_and_panicking_handlers_are_acknowledged() {
    let h = Harness::start().await;
    let fail = text_update(50, 8, "/fail");
    assert_eq!(h.post(&fail).await.0, 200);
    let boom = text_update(51, 8, "/boom");
    assert_eq!(h.post(&boom).await, (200, String::new()));
    // Not applied again on redelivery, and the server still works.
    assert_eq!(h.post(&boom).await.0, 200);
    assert_eq!(h.post(&text_update(52, 8, "/ping")).await.0, 200);
    assert_eq!(h.fake.sent_texts(), vec!["pong"]);
}

#[tokio::test]
async fn failed_reply_after_saved_state_is_not_applied_twice() {
    let h = Harness::start().await;
    h.fake.fail_next("sendMessage", 1, Failure::Status(500));
    let update = text_update(60, 9, "/count");
    assert_eq!(h.post(&update).await.0, 200);
    assert_eq!(h.post(&update).await.0, 200);
    assert_eq!(h.post(&text_update(61, 9, "/count")).await.0, 200);
    // The first count was saved once, its reply failed; the redelivery changed nothing.
    assert_eq!(h.fake.sent_texts(), vec!["count 1", "count 2"]);
}

#[tokio::test]
async fn webhook_reply_mode_answers_in_the_response() {
    let h = Harness::start_with(|o| o.reply_in_response = true).await;
    let response = h.post_raw(text_update(70, 12, "/ping").to_string()).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({ "method": "sendMessage", "chat_id": 12, "text": "pong" }));
    let (_, help) = h.post(&text_update(71, 12, "/help")).await;
    let help: Value = serde_json::from_str(&help).unwrap();
    assert_eq!(help["method"], "sendMessage");
    assert_eq!(help["parse_mode"], "HTML");
    // Nothing went to the Bot API; a non-command gets an empty 200.
    assert!(h.fake.calls_of("sendMessage").is_empty());
    assert_eq!(h.post(&text_update(72, 12, "hello")).await, (200, String::new()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_chat_in_order_other_chats_in_parallel() {
    let h = Harness::start().await;
    let update = text_update(80, 1, "/slow 600");
    let first = h.post(&update);
    let second = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        h.post(&text_update(81, 1, "/slow 0")).await
    };
    let other = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        h.post(&text_update(82, 2, "/slow 1")).await
    };
    let (a, b, c) = tokio::join!(first, second, other);
    assert_eq!((a.0, b.0, c.0), (200, 200, 200));
    // Chat 1 in arrival order; chat 2 did not wait for chat 1.
    assert_eq!(h.fake.sent_texts(), vec!["slow 1", "slow 600", "slow 0"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saturation_answers_503_and_never_acknowledges_unapplied() {
    let h = Harness::start_with(|o| {
        o.max_in_flight = 1;
        o.admission_wait = Duration::from_millis(50);
    })
    .await;
    let update = text_update(90, 1, "/slow 800");
    let busy = h.post(&update);
    let refused = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        h.post(&text_update(91, 2, "/count")).await
    };
    let (a, b) = tokio::join!(busy, refused);
    assert_eq!(a.0, 200);
    assert_eq!(b.0, 503);
    assert_eq!(h.fake.sent_texts(), vec!["slow 800"]);
    // Telegram's retry is applied (the 503 did not claim the id).
    assert_eq!(h.post(&text_update(91, 2, "/count")).await.0, 200);
    assert_eq!(h.fake.sent_texts(), vec!["slow 800", "count 1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_finishes_in_flight_updates() {
    let mut h = Harness::start().await;
    let update = text_update(100, 1, "/slow 1000");
    let in_flight = h.post(&update);
    let stop = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        h.shutdown.trigger();
    };
    let ((status, _), ()) = tokio::join!(in_flight, stop);
    assert_eq!(status, 200);
    assert_eq!(h.fake.sent_texts(), vec!["slow 1000"]);
    h.stop().await;
    assert!(h.http.get(h.url("/")).send().await.is_err(), "no longer listening");
}
