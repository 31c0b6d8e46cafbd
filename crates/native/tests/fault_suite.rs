//! The fault suite (issue 13): a hostile client and a failing Bot API against the webhook
//! server on loopback. Every case is bounded in time; the suite prints `N passed, N failed`
//! and its wall time, and fails if any case did. docs/reliability.md holds the figures.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use common::{text_update, Harness, SECRET};
use miti99bot_core::sql::{SqlStore, Statement};
use miti99bot_testkit::Failure;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long any one wait in the suite may take before the case fails.
const BOUND: Duration = Duration::from_secs(10);
/// The short timeouts the suite's servers use, so slowloris cases end quickly.
const HEADER_TIMEOUT: Duration = Duration::from_millis(400);

type Case = Pin<Box<dyn Future<Output = Result<(), String>>>>;

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// A server with the suite's short timeouts.
async fn harness(adjust: impl FnOnce(&mut miti99bot_native::webhook::WebhookOptions)) -> Harness {
    Harness::start_with(|o| {
        o.connection.header_timeout = HEADER_TIMEOUT;
        o.connection.idle_timeout = Duration::from_millis(800);
        o.connection.shutdown_grace = Duration::from_millis(300);
        adjust(o);
    })
    .await
}

/// The head of an authenticated `POST /webhook` with `length` (or chunked when `None`).
fn head(length: Option<usize>) -> String {
    let framing = match length {
        Some(n) => format!("content-length: {n}"),
        None => "transfer-encoding: chunked".to_owned(),
    };
    format!(
        "POST /webhook HTTP/1.1\r\nhost: x\r\nx-telegram-bot-api-secret-token: {SECRET}\r\n{framing}\r\nconnection: close\r\n\r\n"
    )
}

/// Sends raw bytes and returns the status of the answer (0 when the server closed without one).
async fn raw_status(h: &Harness, bytes: &[u8]) -> Result<u16, String> {
    let mut stream = TcpStream::connect(h.addr).await.map_err(|e| e.to_string())?;
    // The server may answer and close before every byte is written (413): not an error here.
    let _ = stream.write_all(bytes).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(BOUND, stream.read_to_end(&mut answer)).await;
    Ok(status_of(&answer))
}

fn status_of(answer: &[u8]) -> u16 {
    let text = String::from_utf8_lossy(answer);
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// The body as one authenticated request with its length.
fn request(body: &[u8]) -> Vec<u8> {
    [head(Some(body.len())).as_bytes(), body].concat()
}

/// One row of the bad-input table: what is sent and the status it must get.
struct Row {
    name: &'static str,
    bytes: Vec<u8>,
    status: u16,
}

fn bad_input_rows() -> Vec<Row> {
    let valid = text_update(7, 70, "/ping").to_string();
    let deep = format!(
        r#"{{"update_id":8,"message":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let mut chunked = head(None).into_bytes();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..160 {
        // 10 MiB in 64 KiB chunks, no length declared.
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(&chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let odd_entities = |entities: serde_json::Value| {
        let mut update = text_update(20, 70, "/ping 😀 tail");
        update["message"]["entities"] = entities;
        request(update.to_string().as_bytes())
    };
    let huge_id = |id: &str| request(format!(r#"{{"update_id":{id},"message":{{}}}}"#).as_bytes());
    vec![
        Row {
            name: "malformed JSON",
            bytes: request(b"{not json"),
            status: 400,
        },
        Row {
            name: "empty body",
            bytes: request(b""),
            status: 400,
        },
        Row {
            name: "truncated update",
            bytes: request(&valid.as_bytes()[..valid.len() / 2]),
            status: 400,
        },
        Row {
            name: "JSON, no update_id",
            bytes: request(br#"{"message":{}}"#),
            status: 400,
        },
        Row {
            name: "update_id a string",
            bytes: request(br#"{"update_id":"9"}"#),
            status: 400,
        },
        Row {
            name: "nested 100k deep",
            bytes: request(deep.as_bytes()),
            status: 400,
        },
        Row {
            name: "10 MB chunked",
            bytes: chunked,
            status: 413,
        },
        Row {
            name: "declared 2 MiB",
            bytes: head(Some(2 << 20)).into_bytes(),
            status: 413,
        },
        Row {
            name: "invalid UTF-8",
            bytes: request(b"{\"update_id\":10,\"x\":\"\xff\xfe\"}"),
            status: 400,
        },
        Row {
            name: "bytes, not text",
            bytes: request(&[0xc3, 0x28, 0xa0, 0xa1, 0x00, 0xff]),
            status: 400,
        },
        Row {
            name: "unparsable message, known id",
            bytes: request(br#"{"update_id":11,"message":"garbage"}"#),
            status: 200,
        },
        Row {
            name: "message chat of a wrong type",
            bytes: request(br#"{"update_id":12,"message":{"message_id":1,"date":0,"chat":[]}}"#),
            status: 200,
        },
        Row {
            name: "entity past the text",
            bytes: odd_entities(json!([{"type":"bot_command","offset":0,"length":500}])),
            status: 200,
        },
        Row {
            name: "entity inside a surrogate pair",
            bytes: odd_entities(json!([{"type":"bot_command","offset":0,"length":7}])),
            status: 200,
        },
        Row {
            name: "entity of length 0",
            bytes: odd_entities(json!([{"type":"bot_command","offset":0,"length":0}])),
            status: 200,
        },
        Row {
            name: "negative entity offset",
            bytes: odd_entities(json!([{"type":"bot_command","offset":-1,"length":5}])),
            status: 200,
        },
        Row {
            name: "entities not a list",
            bytes: odd_entities(json!({"type":"bot_command"})),
            status: 200,
        },
        Row {
            name: "id 2^53 (beyond the safe range)",
            bytes: huge_id("9007199254740992"),
            status: 200,
        },
        Row {
            name: "id -(2^53)",
            bytes: huge_id("-9007199254740992"),
            status: 200,
        },
        Row {
            name: "id 2^63 - 1",
            bytes: huge_id("9223372036854775807"),
            status: 200,
        },
        Row {
            name: "id 2^64 - 1 (beyond i64)",
            bytes: huge_id("18446744073709551615"),
            status: 200,
        },
        Row {
            name: "id -(2^63) - 1 (beyond i64)",
            bytes: huge_id("-9223372036854775809"),
            status: 200,
        },
        Row {
            name: "id 1.5",
            bytes: huge_id("1.5"),
            status: 200,
        },
        Row {
            name: "id 1e300",
            bytes: huge_id("1e300"),
            status: 200,
        },
        Row {
            name: "secret missing",
            bytes: format!(
                "POST /webhook HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{valid}",
                valid.len()
            )
            .into_bytes(),
            status: 401,
        },
        Row {
            name: "not HTTP",
            bytes: b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage\r\n\r\n".to_vec(),
            status: 400,
        },
    ]
}

/// Every row gets its status, nothing is sent to Telegram, and the server still answers.
async fn bad_input_table(counts: &mut Counts) -> Result<(), String> {
    let h = harness(|_| {}).await;
    let mut failures = Vec::new();
    let rows = bad_input_rows();
    let total = rows.len();
    for row in rows {
        let got = raw_status(&h, &row.bytes).await?;
        if got != row.status {
            failures.push(format!("{}: {got}, expected {}", row.name, row.status));
        }
    }
    println!(
        "bad-input table: {} passed, {} failed",
        total - failures.len(),
        failures.len()
    );
    counts.rows += total;
    ensure!(
        h.fake.calls_of("sendMessage").is_empty(),
        "a bad input made the bot send"
    );
    let (status, _) = h.post(&text_update(99, 70, "/ping")).await;
    ensure!(
        status == 200 && h.fake.sent_texts() == vec!["pong"],
        "server unwell after the table"
    );
    ensure!(failures.is_empty(), "{failures:?}");
    Ok(())
}

/// A body that never finishes arriving gets 408 within the header timeout, not a held task.
fn slow_body() -> Case {
    Box::pin(async {
        let h = harness(|_| {}).await;
        let mut stream = TcpStream::connect(h.addr).await.map_err(|e| e.to_string())?;
        stream
            .write_all(head(Some(100)).as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        stream.write_all(b"{\"update_id\":").await.map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        tokio::time::timeout(BOUND, stream.read_to_end(&mut answer))
            .await
            .map_err(|_| "slow body never answered".to_owned())?
            .map_err(|e| e.to_string())?;
        ensure!(
            status_of(&answer) == 408,
            "slow body: {}",
            String::from_utf8_lossy(&answer)
        );
        Ok(())
    })
}

/// Connections that dribble a head byte by byte are closed at the header timeout, while a
/// normal client is served.
fn slowloris() -> Case {
    Box::pin(async {
        let h = harness(|_| {}).await;
        let started = Instant::now();
        let mut attackers = tokio::task::JoinSet::new();
        for _ in 0..200 {
            let addr = h.addr;
            attackers.spawn(async move {
                let Ok(mut stream) = TcpStream::connect(addr).await else {
                    return true; // refused counts as not held
                };
                for byte in b"POST /webhook HTTP/1.1\r\nhost: x\r\nx-slow: "
                    .iter()
                    .cycle()
                    .take(200)
                {
                    if stream.write_all(&[*byte]).await.is_err() {
                        return true;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let mut probe = [0u8; 1];
                    if let Ok(Ok(0) | Err(_)) =
                        tokio::time::timeout(Duration::from_millis(1), stream.read(&mut probe)).await
                    {
                        return true; // closed by the server
                    }
                }
                false
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (status, _) = h.post(&text_update(1, 1, "/ping")).await;
        ensure!(status == 200, "ping during slowloris: {status}");
        let closed = attackers.join_all().await;
        let held = closed.iter().filter(|c| !**c).count();
        ensure!(held == 0, "{held} of 200 slowloris connections were never closed");
        println!("slowloris: 200 connections closed within {:?}", started.elapsed());
        ensure!(started.elapsed() < BOUND, "slowloris took {:?}", started.elapsed());
        Ok(())
    })
}

/// Beyond the cap new connections are closed at once; idle ones time out and the server
/// answers again.
fn idle_socket_cap() -> Case {
    Box::pin(async {
        let h = harness(|o| o.connection.max_connections = 50).await;
        let mut idle = Vec::new();
        for _ in 0..50 {
            idle.push(TcpStream::connect(h.addr).await.map_err(|e| e.to_string())?);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut refused = 0;
        for _ in 0..200 {
            let mut extra = TcpStream::connect(h.addr).await.map_err(|e| e.to_string())?;
            let mut probe = [0u8; 1];
            if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(BOUND, extra.read(&mut probe)).await {
                refused += 1;
            }
        }
        ensure!(
            refused == 200,
            "{refused} of 200 connections beyond the cap were refused"
        );
        // The idle ones never sent a head: closed at the header timeout; then a client is served.
        for mut stream in idle {
            let mut probe = [0u8; 1];
            let read = tokio::time::timeout(BOUND, stream.read(&mut probe)).await;
            ensure!(matches!(read, Ok(Ok(0) | Err(_))), "an idle connection was kept");
        }
        let (status, _) = h.post(&text_update(2, 1, "/ping")).await;
        ensure!(status == 200, "after the idle sockets: {status}");
        // A keep-alive connection left idle after a request is closed at the idle timeout.
        let mut stream = TcpStream::connect(h.addr).await.map_err(|e| e.to_string())?;
        let body = text_update(3, 1, "/ping").to_string();
        let keep = format!(
            "POST /webhook HTTP/1.1\r\nhost: x\r\nx-telegram-bot-api-secret-token: {SECRET}\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(keep.as_bytes()).await.map_err(|e| e.to_string())?;
        let mut answer = vec![0u8; 4096];
        let n = stream.read(&mut answer).await.map_err(|e| e.to_string())?;
        ensure!(status_of(&answer[..n]) == 200, "keep-alive request");
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(BOUND, stream.read_to_end(&mut rest)).await;
        ensure!(closed.is_ok(), "an idle keep-alive connection was kept");
        Ok(())
    })
}

/// One chat whose replies hang (or are rate-limited) with many updates queued: its excess is
/// refused with 503, every other chat's /ping answers 200 while its first update still hangs.
fn slow_chat_fairness(failure: Failure, label: &'static str) -> Case {
    Box::pin(async move {
        let h = harness(|_| {}).await;
        h.fake.fail_chat(1, failure);
        let mut slow = tokio::task::JoinSet::new();
        for id in 0..40 {
            let request = h
                .http
                .post(h.url("/webhook"))
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .body(text_update(1000 + id, 1, "/ping").to_string())
                .timeout(Duration::from_secs(60));
            slow.spawn(async move { request.send().await.map(|r| r.status().as_u16()).unwrap_or(0) });
        }
        // Let the slow chat's updates queue first.
        h.fake.wait_for_calls("sendMessage", 1, BOUND).await;
        let started = Instant::now();
        let mut others = tokio::task::JoinSet::new();
        for chat in 2..=31 {
            let request = h
                .http
                .post(h.url("/webhook"))
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .body(text_update(chat, chat, "/ping").to_string())
                .timeout(BOUND);
            others.spawn(async move { request.send().await.map(|r| r.status().as_u16()).unwrap_or(0) });
        }
        let statuses = others.join_all().await;
        let answered = started.elapsed();
        let ok = statuses.iter().filter(|s| **s == 200).count();
        ensure!(ok == 30, "{label}: {ok} of 30 other chats answered 200: {statuses:?}");
        let pongs = h.fake.sent_texts().iter().filter(|t| *t == "pong").count();
        ensure!(pongs >= 30, "{label}: {pongs} pongs sent");
        println!("slow chat ({label}): 30 other chats answered 200 in {answered:?}");
        // The slow chat's own excess is refused promptly (its bound), the rest still waits.
        h.fake.clear_chat(1);
        let slow = tokio::time::timeout(Duration::from_secs(60), slow.join_all())
            .await
            .map_err(|_| format!("{label}: the slow chat's requests never ended"))?;
        let refused = slow.iter().filter(|s| **s == 503).count();
        ensure!(
            refused >= 30,
            "{label}: only {refused} of the slow chat's 40 were refused: {slow:?}"
        );
        Ok(())
    })
}

/// SIGTERM's path (the shutdown flag) with a part-sent request and an idle connection open:
/// the server stops within the grace, and a request being answered still completes.
fn shutdown_with_a_half_sent_request() -> Case {
    Box::pin(async {
        let mut h = harness(|_| {}).await;
        let mut half = TcpStream::connect(h.addr).await.map_err(|e| e.to_string())?;
        half.write_all(b"POST /webhook HTTP/1.1\r\nhost: x\r\ncontent-le")
            .await
            .map_err(|e| e.to_string())?;
        let _idle = TcpStream::connect(h.addr).await.map_err(|e| e.to_string())?;
        let update = text_update(5, 5, "/slow 300");
        let answered = h.post(&update);
        let stop = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let started = Instant::now();
            h.shutdown.trigger();
            started
        };
        let ((status, _), started) = tokio::join!(answered, stop);
        ensure!(status == 200, "the request being answered got {status}");
        let server = h.server.take().ok_or("no server")?;
        tokio::time::timeout(BOUND, server)
            .await
            .map_err(|_| "the server did not stop with a half-sent request open".to_owned())?
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        println!("shutdown with a half-sent request: stopped in {:?}", started.elapsed());
        ensure!(h.fake.sent_texts() == vec!["slow 300"], "{:?}", h.fake.sent_texts());
        Ok(())
    })
}

/// The database file deleted under the running server: `GET /` and the webhook answer 503 and
/// nothing is acknowledged.
fn database_gone() -> Case {
    Box::pin(async {
        let h = harness(|_| {}).await;
        let (status, _) = h.post(&text_update(1, 1, "/count")).await;
        ensure!(status == 200, "before: {status}");
        let path = h.db.path().ok_or("in memory")?.to_path_buf();
        std::fs::remove_file(&path).map_err(|e| e.to_string())?;
        let health = h.http.get(h.url("/")).send().await.map_err(|e| e.to_string())?;
        ensure!(health.status() == 503, "GET / said {}", health.status());
        let (status, _) = h.post(&text_update(2, 1, "/count")).await;
        ensure!(status == 503, "webhook into a deleted file: {status}");
        ensure!(h.fake.sent_texts() == vec!["count 1"], "{:?}", h.fake.sent_texts());
        Ok(())
    })
}

/// A 90,625-character reply arrives whole, in order, in parts Telegram accepts.
fn long_reply() -> Case {
    Box::pin(async {
        let h = harness(|_| {}).await;
        let (status, _) = h.post(&text_update(1, 1, "/long 3125")).await;
        ensure!(status == 200, "{status}");
        let parts = h.fake.sent_texts();
        let longest = parts.iter().map(|p| p.encode_utf16().count()).max().unwrap_or(0);
        ensure!(longest <= 4096, "a part of {longest} units");
        let expected: String = (0..3125).map(|i| format!("line {i:05} of the long reply\n")).collect();
        ensure!(parts.concat() == expected, "the parts are not the reply in order");
        println!("long reply: {} characters in {} parts", expected.len(), parts.len());
        Ok(())
    })
}

/// The database full (SQLite's page cap at the file's size: the error a full disk gives):
/// nothing crashes, no failed write is reported done, `GET /` stays up; once there is room
/// again every update refused with 503 is applied on redelivery and the bot works as before.
///
/// A KV write that fails after its update was claimed (the claim is a write of its own, just
/// before the KV write) is acknowledged and logged, not retried: that gap belongs to the
/// one-pipeline issue (claim before apply); docs/reliability.md counts it.
fn disk_full() -> Case {
    Box::pin(async {
        let h = harness(|_| {}).await;
        let (status, _) = h.post(&text_update(1, 1, "/count")).await;
        ensure!(status == 200, "before: {status}");
        let sql = h.db.sql();
        let pages = sql
            .first(&Statement::new("PRAGMA page_count"))
            .await
            .map_err(|e| e.to_string())?
            .and_then(|row| row.get("page_count").and_then(|v| v.as_i64()))
            .ok_or("no page_count")?;
        sql.run(&Statement::new(format!("PRAGMA max_page_count = {pages}")))
            .await
            .map_err(|e| e.to_string())?;
        let mut acknowledged_without_reply = 0;
        for id in 2..5 {
            // A big KV value: its write fails, after the update's claim (a small row) fitted.
            let (status, _) = h.post(&text_update(id, 1, "/fill 64")).await;
            match status {
                200 => acknowledged_without_reply += 1,
                other => return Err(format!("/fill on a full disk: {other}")),
            }
        }
        // Small updates until the claims themselves no longer fit: those are refused, 503.
        // (`/slow 0` only replies, so its one write is the claim; `/ping` takes no claim.)
        let mut refused = Vec::new();
        let mut replied = 0;
        for id in 100..2000 {
            let (status, _) = h.post(&text_update(id, 1, "/slow 0")).await;
            match status {
                503 => refused.push(id),
                200 => replied += 1,
                other => return Err(format!("/slow on a full disk: {other}")),
            }
            if refused.len() == 5 {
                break;
            }
        }
        ensure!(
            refused.len() == 5,
            "the claims never hit the full database ({replied} replies fitted)"
        );
        let health = h.http.get(h.url("/")).send().await.map_err(|e| e.to_string())?;
        ensure!(health.status() == 200, "GET / on a full disk: {}", health.status());
        ensure!(
            !h.fake.sent_texts().iter().any(|t| t.starts_with("filled")),
            "a write that failed was reported done"
        );
        // Room again.
        sql.run(&Statement::new("PRAGMA max_page_count = 1073741823"))
            .await
            .map_err(|e| e.to_string())?;
        let replies_before = h.fake.sent_texts().iter().filter(|t| *t == "slow 0").count();
        for id in &refused {
            let (status, _) = h.post(&text_update(*id, 1, "/slow 0")).await;
            ensure!(status == 200, "redelivered {id} after the disk freed: {status}");
        }
        let replies = h.fake.sent_texts().iter().filter(|t| *t == "slow 0").count();
        ensure!(
            replies == replies_before + refused.len(),
            "{replies} replies, {replies_before} before the redeliveries"
        );
        let (status, _) = h.post(&text_update(5000, 1, "/fill 64")).await;
        ensure!(status == 200, "a fill after: {status}");
        let (status, _) = h.post(&text_update(5001, 1, "/count")).await;
        ensure!(status == 200, "after: {status}");
        ensure!(
            h.fake.sent_texts().last().map(String::as_str) == Some("count 2"),
            "{:?}",
            h.fake.sent_texts()
        );
        let check = sql
            .first(&Statement::new("PRAGMA integrity_check"))
            .await
            .map_err(|e| e.to_string())?
            .and_then(|row| row.get("integrity_check").and_then(|v| v.as_str().map(str::to_owned)));
        ensure!(check.as_deref() == Some("ok"), "integrity_check: {check:?}");
        println!(
            "disk full: {replied} small updates fitted, {} refused with 503 and applied after redelivery, {acknowledged_without_reply} of 3 big KV writes acknowledged unapplied (failed after the claim, logged)",
            refused.len()
        );
        Ok(())
    })
}

#[derive(Default)]
struct Counts {
    rows: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fault_suite() {
    let started = Instant::now();
    let mut counts = Counts::default();
    let mut results: Vec<(&str, Result<(), String>)> = Vec::new();
    results.push(("bad-input table", bad_input_table(&mut counts).await));
    let cases: Vec<(&str, Case)> = vec![
        ("slow body", slow_body()),
        ("slowloris", slowloris()),
        ("idle-socket cap", idle_socket_cap()),
        (
            "slow chat: hanging sendMessage",
            slow_chat_fairness(Failure::Delay(Duration::from_secs(30)), "hang 30 s"),
        ),
        (
            "slow chat: 429 retry_after 5",
            slow_chat_fairness(Failure::RateLimited { retry_after: 5 }, "429"),
        ),
        ("shutdown with a half-sent request", shutdown_with_a_half_sent_request()),
        ("database gone", database_gone()),
        ("long reply", long_reply()),
        ("disk full", disk_full()),
    ];
    for (name, case) in cases {
        let case_started = Instant::now();
        let result = case.await;
        println!(
            "{name}: {} in {:?}",
            if result.is_ok() { "ok" } else { "FAILED" },
            case_started.elapsed()
        );
        results.push((name, result));
    }
    let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    println!(
        "fault suite: {} passed, {} failed ({} bad-input rows), wall {:.1} s",
        results.len() - failed.len(),
        failed.len(),
        counts.rows,
        started.elapsed().as_secs_f64()
    );
    assert!(failed.is_empty(), "{failed:?}");
}
