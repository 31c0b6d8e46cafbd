//! Loopback load generator for `POST /webhook` (not part of CI).
//!
//! Starts the webhook server in-process over a SQLite file, with the fake Telegram server as
//! the Bot API, and sends `/ping` updates: one at a time, then from concurrent clients (each
//! on its own chat, and all on one chat). Every update is applied in full before its answer:
//! claim in `_updates`, the `misc` module's KV write, then `sendMessage` to the fake server.
//!
//! ```text
//! cargo bench -p miti99bot --bench webhook
//! BENCH_UPDATES=5000 BENCH_CONCURRENCY=64 cargo bench -p miti99bot --bench webhook
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{text_update, Harness, SECRET};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Latencies (sorted) and wall time of one scenario.
struct Run {
    name: String,
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Run {
    /// A finished run; `latencies` are sorted here.
    fn new(name: &str, mut latencies: Vec<Duration>, wall: Duration) -> Self {
        latencies.sort();
        Self {
            name: name.to_owned(),
            latencies,
            wall,
        }
    }

    fn percentile(&self, p: f64) -> Duration {
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }

    fn print(&self) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<34} n={:<6} p50={:>7.3} ms  p90={:>7.3} ms  p99={:>7.3} ms  {:>8.0} updates/s",
            self.name,
            self.latencies.len(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.90)),
            ms(self.percentile(0.99)),
            self.latencies.len() as f64 / self.wall.as_secs_f64(),
        );
    }
}

/// Sends one update and returns how long the answer took.
async fn send(http: &reqwest::Client, url: &str, body: String) -> Duration {
    let started = Instant::now();
    let response = http
        .post(url)
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let _ = response.bytes().await.unwrap();
    started.elapsed()
}

async fn sequential(h: &Harness, name: &str, first_id: i64, n: usize) -> Run {
    let url = h.url("/webhook");
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(n);
    for i in 0..n as i64 {
        let body = text_update(first_id + i, 1 + i % 100, "/ping").to_string();
        latencies.push(send(&h.http, &url, body).await);
    }
    Run::new(name, latencies, started.elapsed())
}

async fn concurrent(h: &Harness, name: &str, first_id: i64, n: usize, workers: usize, one_chat: bool) -> Run {
    let url = Arc::new(h.url("/webhook"));
    let per_worker = n / workers;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..workers {
        let http = h.http.clone();
        let url = url.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(per_worker);
            for i in 0..per_worker {
                let id = first_id + (w * per_worker + i) as i64;
                let chat = if one_chat { 7 } else { 1_000 + w as i64 };
                latencies.push(send(&http, &url, text_update(id, chat, "/ping").to_string()).await);
            }
            latencies
        });
    }
    let latencies: Vec<Duration> = tasks.join_all().await.into_iter().flatten().collect();
    Run::new(name, latencies, started.elapsed())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run a smoke size.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let n = if smoke { 20 } else { env_usize("BENCH_UPDATES", 2000) };
    let workers = env_usize("BENCH_CONCURRENCY", 32).clamp(1, n.max(1));
    println!(
        "webhook load: {n} updates per scenario, {workers} concurrent clients, {} threads",
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );

    // The one-chat scenario queues every client on one chat: let them all wait their turn.
    let h = Harness::start_with(|o| {
        o.max_in_flight = workers.max(32);
        o.max_per_chat = workers.max(8);
    })
    .await;
    sequential(&h, "warm-up", 1, n.min(200)).await;
    let mut next = 1_000_000;
    let runs = [
        sequential(&h, "sequential", next, n).await,
        {
            next += 1_000_000;
            concurrent(
                &h,
                &format!("concurrent x{workers}, own chats"),
                next,
                n,
                workers,
                false,
            )
            .await
        },
        {
            next += 1_000_000;
            concurrent(&h, &format!("concurrent x{workers}, one chat"), next, n, workers, true).await
        },
    ];
    for run in &runs {
        run.print();
    }
    let sent = h.fake.calls_of("sendMessage").len();
    assert!(sent >= 3 * (n / workers) * workers, "every update replied ({sent})");

    let reply = Harness::start_with(|o| o.reply_in_response = true).await;
    sequential(&reply, "warm-up", 1, n.min(200)).await;
    sequential(&reply, "sequential, WEBHOOK_REPLY=true", 1_000_000, n)
        .await
        .print();
}
