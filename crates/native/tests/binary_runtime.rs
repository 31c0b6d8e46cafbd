//! The real `miti99bot` binary as a subprocess against the fake Telegram server: `serve`,
//! `poll` and `register`, configuration checks, SIGTERM, and logs that never hold the token.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::text_update;
use miti99bot_testkit::{Failure, FakeTelegram};
use serde_json::{json, Value};

const TOKEN: &str = "987654:BINARY-token-must-never-leak";
const SECRET: &str = "binary_secret";
const WAIT: Duration = Duration::from_secs(10);

/// The binary with a clean environment (no inherited TELEGRAM_* or .env) in `dir`.
fn binary(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_miti99bot"));
    command
        .args(args)
        .env_clear()
        .current_dir(dir)
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    command
}

/// Runs to completion: (stdout, stderr, exit code).
fn run(command: &mut Command) -> (String, String, Option<i32>) {
    let out = command.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

/// A running `serve` or `poll`, its stderr collected on a thread.
struct Running {
    child: Child,
    stderr: mpsc::Receiver<String>,
    stdout_lines: mpsc::Receiver<String>,
}

impl Running {
    fn spawn(mut command: Command) -> Self {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut err_pipe = child.stderr.take().unwrap();
        let out_pipe = child.stdout.take().unwrap();
        let (err_tx, stderr) = mpsc::channel();
        thread::spawn(move || {
            let mut all = String::new();
            let _ = err_pipe.read_to_string(&mut all);
            let _ = err_tx.send(all);
        });
        let (out_tx, stdout_lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines() {
                let Ok(line) = line else { break };
                if out_tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            stderr,
            stdout_lines,
        }
    }

    /// The address `serve` prints once it listens.
    fn listening_addr(&self) -> String {
        let line = self.stdout_lines.recv_timeout(WAIT).expect("serve prints its address");
        let start = line.find("http://").expect(&line) + "http://".len();
        line[start..].split_whitespace().next().unwrap().to_owned()
    }

    /// Sends SIGTERM and returns (exit code, stderr).
    fn terminate(mut self) -> (Option<i32>, String) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = std::time::Instant::now() + WAIT;
        let code = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status.code();
            }
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the process did not stop on SIGTERM");
            }
            thread::sleep(Duration::from_millis(20));
        };
        (code, self.stderr.recv_timeout(WAIT).unwrap_or_default())
    }
}

/// A temporary directory, a fake Bot API, and `serve` on a free port over `serve.db` in that
/// directory with the test token and secret and `env` besides.
async fn serve(env: &[(&str, &str)]) -> (tempfile::TempDir, FakeTelegram, Running) {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    let base = fake.base_url();
    let db = dir.path().join("serve.db");
    let mut vars = vec![
        ("TELEGRAM_BOT_TOKEN", TOKEN),
        ("TELEGRAM_WEBHOOK_SECRET", SECRET),
        ("TELEGRAM_API_BASE", base.as_str()),
    ];
    vars.extend_from_slice(env);
    let args = ["serve", "--addr", "127.0.0.1:0", "--db", db.to_str().unwrap()];
    let running = Running::spawn(binary(dir.path(), &args, &vars));
    (dir, fake, running)
}

async fn post(addr: &str, secret: &str, update: &Value) -> u16 {
    reqwest::Client::new()
        .post(format!("http://{addr}/webhook"))
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .body(update.to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_round_trip_then_sigterm() {
    let (_dir, fake, running) = serve(&[
        ("MODULES", "util,misc,trading"),
        ("TRADING_PRICES", "VNM=65000"),
        ("RUST_LOG", "debug"),
    ])
    .await;
    let addr = running.listening_addr();
    // The username came from getMe, once.
    assert_eq!(fake.calls_of("getMe").len(), 1);
    let health = reqwest::get(format!("http://{addr}/")).await.unwrap();
    assert_eq!(health.text().await.unwrap(), "miti99bot ok");
    assert_eq!(post(&addr, "wrong", &text_update(1, 42, "/ping")).await, 401);
    assert_eq!(post(&addr, SECRET, &text_update(1, 42, "/ping")).await, 200);
    assert_eq!(post(&addr, SECRET, &text_update(2, 42, "/ping@fake_bot")).await, 200);
    assert_eq!(post(&addr, SECRET, &text_update(3, 42, "/help")).await, 200);
    // A redelivery is applied once (/help is claimed; /ping is idempotent and takes no claim).
    assert_eq!(post(&addr, SECRET, &text_update(3, 42, "/help")).await, 200);
    let sent = fake.calls_of("sendMessage");
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent[0].payload, json!({ "chat_id": 42, "text": "pong" }));
    assert!(sent[2].text().unwrap().contains("/ping"));
    assert!(sent.iter().all(|c| c.token == TOKEN));
    let (code, stderr) = running.terminate();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    assert!(stderr.contains("DEBUG"), "debug logging was on: {stderr}");
    // The cron scheduler ran beside the server and stopped with it.
    assert!(
        stderr.contains("cron scheduled") && stderr.contains("trading/trim-trades"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN), "{stderr}");
}

/// SIGTERM with a part-sent request and an idle connection open (the header timeout far away):
/// the process stops within its shutdown grace (10 s bound here; before issue 13, > 45 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_stops_on_sigterm_with_a_half_sent_request_open() {
    use std::io::Write as _;
    let (_dir, _fake, running) = serve(&[
        ("MODULES", "misc"),
        ("HTTP_HEADER_TIMEOUT_MS", "600000"),
        ("HTTP_IDLE_TIMEOUT_MS", "600000"),
        ("HTTP_SHUTDOWN_GRACE_MS", "300"),
    ])
    .await;
    let addr = running.listening_addr();
    assert_eq!(post(&addr, SECRET, &text_update(1, 42, "/ping")).await, 200);
    let mut half = std::net::TcpStream::connect(&addr).unwrap();
    half.write_all(b"POST /webhook HTTP/1.1\r\nhost: x\r\ncontent-le")
        .unwrap();
    let _idle = std::net::TcpStream::connect(&addr).unwrap();
    thread::sleep(Duration::from_millis(100));
    let started = std::time::Instant::now();
    let (code, stderr) = running.terminate();
    println!("SIGTERM with a half-sent request: exited in {:?}", started.elapsed());
    assert_eq!(code, Some(0), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_logs_failed_calls_without_the_token() {
    let dir = tempfile::tempdir().unwrap();
    // Nobody listens there: reqwest's error names the URL, which holds the token.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let fake = FakeTelegram::start().await.unwrap();
    fake.fail_next("sendMessage", 1, Failure::Status(500));
    let fake_base = fake.base_url();
    let db = dir.path().join("serve.db");
    for (api_base, expect) in [(base.as_str(), "could not connect"), (fake_base.as_str(), "HTTP 500")] {
        let running = Running::spawn(binary(
            dir.path(),
            &["serve", "--addr", "127.0.0.1:0", "--db", db.to_str().unwrap()],
            &[
                ("TELEGRAM_BOT_TOKEN", TOKEN),
                ("TELEGRAM_WEBHOOK_SECRET", SECRET),
                ("TELEGRAM_BOT_USERNAME", "some_bot"),
                ("TELEGRAM_API_BASE", api_base),
                ("MODULES", "util,misc"),
                ("RUST_LOG", "trace"),
            ],
        ));
        let addr = running.listening_addr();
        let id = if expect == "HTTP 500" { 2 } else { 1 };
        // /help claims the update before its reply, so the failed reply is a logged failure
        // after the first effect, acknowledged.
        assert_eq!(post(&addr, SECRET, &text_update(id, 42, "/help")).await, 200);
        let (code, stderr) = running.terminate();
        assert_eq!(code, Some(0), "{stderr}");
        assert!(stderr.contains("sendMessage") && stderr.contains(expect), "{stderr}");
        assert!(stderr.contains("handler failed"), "{stderr}");
        assert!(!stderr.contains(TOKEN), "{stderr}");
        assert!(!stderr.contains("BINARY-token"), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_drives_the_same_modules() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    fake.push_update(text_update(5, 43, "/ping"));
    fake.push_update(text_update(6, 43, "/info"));
    let base = fake.base_url();
    let db = dir.path().join("poll.db");
    let running = Running::spawn(binary(
        dir.path(),
        &["poll", "--db", db.to_str().unwrap()],
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN),
            ("TELEGRAM_API_BASE", &base),
            ("MODULES", "util,misc,trading"),
            ("TRADING_PRICES", "VNM=65000"),
            ("RUST_LOG", "debug"),
        ],
    ));
    let sent = fake.wait_for_calls("sendMessage", 2, WAIT).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].text(), Some("pong"));
    assert!(sent[1].text().unwrap().contains("chat id: 43"));
    assert_eq!(fake.calls()[0].method, "getMe");
    assert_eq!(fake.calls()[1].method, "deleteWebhook");
    let (code, stderr) = running.terminate();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("2 applied"), "{stderr}");
    assert!(
        stderr.contains("cron scheduled") && stderr.contains("trading/trim-trades"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN), "{stderr}");
}

#[test]
fn each_command_reports_everything_missing_at_once() {
    let dir = tempfile::tempdir().unwrap();
    for (args, missing) in [
        (&["serve"][..], "TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET"),
        (&["poll"][..], "TELEGRAM_BOT_TOKEN"),
        (
            &["register"][..],
            "TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, WEBHOOK_URL",
        ),
        (&["register", "--dry-run"][..], "TELEGRAM_WEBHOOK_SECRET, WEBHOOK_URL"),
    ] {
        let (_, stderr, code) = run(&mut binary(dir.path(), args, &[]));
        assert_eq!(code, Some(1), "{args:?}");
        assert!(
            stderr.contains(&format!("missing required configuration: {missing} ")),
            "{args:?}: {stderr}"
        );
    }
    // An invalid secret is named, its value is not shown.
    let (_, stderr, code) = run(&mut binary(
        dir.path(),
        &["serve"],
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN),
            ("TELEGRAM_WEBHOOK_SECRET", "no spaces allowed"),
        ],
    ));
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("TELEGRAM_WEBHOOK_SECRET") && !stderr.contains("no spaces"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_dry_run_prints_both_payloads_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    let base = fake.base_url();
    let (stdout, stderr, code) = run(&mut binary(
        dir.path(),
        &["register", "--dry-run"],
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN),
            ("TELEGRAM_WEBHOOK_SECRET", SECRET),
            ("WEBHOOK_URL", "https://bot.example/"),
            ("TELEGRAM_API_BASE", &base),
            ("MODULES", "util,misc"),
        ],
    ));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains(SECRET) && !stdout.contains(TOKEN), "{stdout}");
    let expected = r#"dry run: nothing is sent

setWebhook
{
  "url": "https://bot.example/webhook",
  "secret_token": "<redacted>",
  "allowed_updates": [
    "message",
    "channel_post"
  ],
  "drop_pending_updates": false
}

setMyCommands
{
  "commands": [
    {
      "command": "help",
      "description": "Show all available commands"
    },
    {
      "command": "info",
      "description": "Show the chat, thread and sender ids"
    },
    {
      "command": "ping",
      "description": "Check the bot is alive"
    }
  ]
}
"#;
    assert_eq!(stdout, expected);
    assert!(fake.calls().is_empty(), "a dry run calls nothing");
    assert!(!dir.path().join("data").exists(), "register touches no database");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_sends_set_webhook_then_set_my_commands() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeTelegram::start().await.unwrap();
    let base = fake.base_url();
    let env = [
        ("TELEGRAM_BOT_TOKEN", TOKEN),
        ("TELEGRAM_WEBHOOK_SECRET", SECRET),
        ("WEBHOOK_URL", "https://bot.example"),
        ("TELEGRAM_API_BASE", base.as_str()),
        ("MODULES", "misc,util"),
    ];
    let (stdout, stderr, code) = run(&mut binary(dir.path(), &["register"], &env));
    assert_eq!(code, Some(0), "{stderr}");
    let calls = fake.calls();
    let methods: Vec<&str> = calls.iter().map(|c| c.method.as_str()).collect();
    assert_eq!(methods, ["setWebhook", "setMyCommands"]);
    assert_eq!(
        calls[0].payload,
        json!({
            "url": "https://bot.example/webhook",
            "secret_token": SECRET,
            "allowed_updates": ["message", "channel_post"],
            "drop_pending_updates": false,
        })
    );
    // Public commands only, in MODULES order.
    let names: Vec<&str> = calls[1].payload["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ping", "help", "info"]);
    assert!(stdout.contains("webhook set: https://bot.example/webhook"), "{stdout}");
    assert!(stdout.contains("/ping — Check the bot is alive"), "{stdout}");
    assert!(!dir.path().join("data").exists(), "register touches no database");

    // A refusal: method, status and body, non-zero exit, nothing after it.
    fake.clear_calls();
    fake.fail_next(
        "setWebhook",
        1,
        Failure::Api {
            code: 400,
            description: "Bad Request: bad webhook: HTTPS url must be provided for webhook".into(),
        },
    );
    let (_, stderr, code) = run(&mut binary(dir.path(), &["register"], &env));
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("register: setWebhook failed: HTTP 400: ")
            && stderr.contains(r#""description":"Bad Request: bad webhook: HTTPS url must be provided for webhook""#),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN));
    assert_eq!(fake.calls().len(), 1, "setMyCommands is not sent after a failure");

    fake.clear_calls();
    fake.fail_next("setMyCommands", 1, Failure::Status(502));
    let (_, stderr, code) = run(&mut binary(dir.path(), &["register"], &env));
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("setMyCommands failed: HTTP 502: fake upstream failure"),
        "{stderr}"
    );
}
