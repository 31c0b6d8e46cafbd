//! Loopback load generator: `miti99bot serve` against the teloxide baseline, as separate
//! processes, the scenarios of `crates/native/benches/webhook.rs` (N sequential `/ping`, then N
//! from concurrent clients each on its own chat), rounds alternating the targets.
//!
//! ```text
//! loadgen --ours target/release/miti99bot --teloxide target/teloxide-baseline/release/teloxide-baseline \
//!   [--rounds 3] [--updates 2000] [--concurrency 32]
//! ```
//!
//! An update counts as done when both its webhook answer and its `sendMessage` (at the fake Bot
//! API) were seen: miti99bot answers after replying, teloxide answers first and replies later.
//! Both times are also reported apart ("answered", "replied": what the user waits for).
//! See docs/benchmarks.md.

mod fake;
mod server;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake::FakeTelegram;
use serde_json::{json, Value};
use server::Server;

const TOKEN: &str = "123456:TEST-token-must-never-leak";
const SECRET: &str = "test_secret-42";
const USERNAME: &str = "test_bot";
/// The longest one update may take before the run is declared broken.
const UPDATE_TIMEOUT: Duration = Duration::from_secs(10);

/// The update `crates/native/tests/common::text_update` builds (private chat, user = chat).
fn text_update(update_id: i64, chat_id: i64, text: &str) -> Value {
    let command_len = text
        .split_whitespace()
        .next()
        .filter(|w| w.starts_with('/'))
        .map_or(0, str::len);
    let mut message = json!({
        "message_id": update_id,
        "from": { "id": chat_id, "is_bot": false, "first_name": "Console", "username": "console_user" },
        "chat": { "id": chat_id, "type": "private", "username": "console_user", "first_name": "Console" },
        "date": 1_700_000_000,
        "text": text,
    });
    if command_len > 0 {
        message["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": command_len }]);
    }
    json!({ "update_id": update_id, "message": message })
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Ours,
    Teloxide,
    TeloxideLedger,
}

impl Target {
    const ALL: [Target; 3] = [Target::Ours, Target::Teloxide, Target::TeloxideLedger];

    fn name(self) -> &'static str {
        match self {
            Target::Ours => "ours",
            Target::Teloxide => "teloxide",
            Target::TeloxideLedger => "teloxide+ledger",
        }
    }
}

/// The times of one update, from just before its POST.
#[derive(Clone, Copy)]
struct Sample {
    /// Both seen: the webhook answer and the `sendMessage` at the fake (the next update of a
    /// client goes out then).
    done: Duration,
    /// The webhook answer read.
    answered: Duration,
    /// The `sendMessage` seen at the fake (what the user waits for).
    replied: Duration,
}

/// One scenario on one server: each time's samples (sorted), wall time.
struct Run {
    done: Vec<Duration>,
    answered: Vec<Duration>,
    replied: Vec<Duration>,
    wall: Duration,
}

impl Run {
    fn from(samples: Vec<Sample>, wall: Duration) -> Self {
        let sorted = |f: fn(&Sample) -> Duration| {
            let mut v: Vec<Duration> = samples.iter().map(f).collect();
            v.sort();
            v
        };
        Self {
            done: sorted(|s| s.done),
            answered: sorted(|s| s.answered),
            replied: sorted(|s| s.replied),
            wall,
        }
    }

    fn stats(&self) -> Stats {
        Stats {
            p50: ms(pct(&self.done, 0.50)),
            p90: ms(pct(&self.done, 0.90)),
            p99: ms(pct(&self.done, 0.99)),
            rate: self.done.len() as f64 / self.wall.as_secs_f64(),
            answer_p50: ms(pct(&self.answered, 0.50)),
            reply_p50: ms(pct(&self.replied, 0.50)),
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Stats {
    p50: f64,
    p90: f64,
    p99: f64,
    rate: f64,
    answer_p50: f64,
    reply_p50: f64,
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// What a target is measured against.
struct Bench {
    http: reqwest::Client,
    fake: FakeTelegram,
}

impl Bench {
    /// Sends one update to `url` for `chat`; waits for its answer and its reply.
    async fn send(&self, url: &str, update_id: i64, chat: i64) -> Sample {
        let mut replies = self.fake.replies_to(chat);
        let before = *replies.borrow_and_update();
        let body = text_update(update_id, chat, "/ping").to_string();
        let started = Instant::now();
        let answer = async {
            let response = self
                .http
                .post(url)
                .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .expect("POST /webhook");
            assert_eq!(response.status(), 200, "webhook answer");
            let _ = response.bytes().await.expect("webhook body");
            started.elapsed()
        };
        let reply = async {
            tokio::time::timeout(UPDATE_TIMEOUT, replies.wait_for(|n| *n > before))
                .await
                .unwrap_or_else(|_| {
                    panic!("update {update_id}: no sendMessage to chat {chat} within {UPDATE_TIMEOUT:?}")
                })
                .expect("fake telegram alive");
            started.elapsed()
        };
        let (answered, replied) = tokio::join!(answer, reply);
        Sample {
            done: answered.max(replied),
            answered,
            replied,
        }
    }

    async fn sequential(&self, url: &str, first_id: i64, n: usize) -> Run {
        let started = Instant::now();
        let mut samples = Vec::with_capacity(n);
        for i in 0..n as i64 {
            samples.push(self.send(url, first_id + i, 1 + i % 100).await);
        }
        Run::from(samples, started.elapsed())
    }

    async fn concurrent(self: &Arc<Self>, url: &str, first_id: i64, n: usize, workers: usize) -> Run {
        let per_worker = n / workers;
        let url: Arc<str> = url.into();
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for w in 0..workers {
            let bench = self.clone();
            let url = url.clone();
            tasks.spawn(async move {
                let mut samples = Vec::with_capacity(per_worker);
                for i in 0..per_worker {
                    let id = first_id + (w * per_worker + i) as i64;
                    samples.push(bench.send(&url, id, 1_000 + w as i64).await);
                }
                samples
            });
        }
        let samples = tasks.join_all().await.into_iter().flatten().collect();
        Run::from(samples, started.elapsed())
    }
}

struct Options {
    ours: PathBuf,
    teloxide: PathBuf,
    rounds: usize,
    updates: usize,
    concurrency: usize,
}

fn options() -> Options {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let mut o = Options {
        ours: PathBuf::from("target/release/miti99bot"),
        teloxide: PathBuf::from("target/teloxide-baseline/release/teloxide-baseline"),
        rounds: 3,
        updates: env("BENCH_UPDATES", 2000),
        concurrency: env("BENCH_CONCURRENCY", 32),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--ours" => o.ours = value().into(),
            "--teloxide" => o.teloxide = value().into(),
            "--rounds" => o.rounds = value().parse().expect("--rounds: a number"),
            "--updates" => o.updates = value().parse().expect("--updates: a number"),
            "--concurrency" => o.concurrency = value().parse().expect("--concurrency: a number"),
            other => panic!("unknown argument {other}"),
        }
    }
    o.rounds = o.rounds.clamp(1, 20);
    o.updates = o.updates.clamp(32, 100_000);
    o.concurrency = o.concurrency.clamp(1, o.updates);
    o
}

/// Starts `target` on a fresh database in `dir`.
async fn start(target: Target, o: &Options, fake: &FakeTelegram, dir: &Path) -> Server {
    let db = dir.join(format!("{}.db", target.name()));
    let env = [
        ("TELEGRAM_BOT_TOKEN", TOKEN.to_owned()),
        ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_owned()),
        ("TELEGRAM_API_BASE", fake.base_url()),
        ("TELEGRAM_BOT_USERNAME", USERNAME.to_owned()),
        ("MODULES", "misc".to_owned()),
    ];
    let db_arg = db.display().to_string();
    let (program, args) = match target {
        Target::Ours => (
            &o.ours,
            vec![
                "serve".into(),
                "--addr".into(),
                "127.0.0.1:0".into(),
                "--db".into(),
                db_arg,
            ],
        ),
        Target::Teloxide => (&o.teloxide, vec!["--db".into(), db_arg]),
        Target::TeloxideLedger => (&o.teloxide, vec!["--db".into(), db_arg, "--ledger".into()]),
    };
    Server::start(program, &args, &env, db).await
}

/// After the server stopped: the work was done (KV row; ledger rows where there is a ledger).
fn check_db(target: Target, db: &Path, updates: usize) {
    let conn = rusqlite::Connection::open(db).expect("open the server's database");
    let value: String = conn
        .query_row("SELECT value FROM _kv WHERE key = 'misc:last_ping'", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{}: misc:last_ping missing: {e}", target.name()));
    assert!(
        value.starts_with("{\"at\":"),
        "{}: misc:last_ping = {value}",
        target.name()
    );
    let ledger: i64 = conn
        .query_row("SELECT count(*) FROM _updates", [], |r| r.get(0))
        .unwrap_or(0);
    let expected = if target == Target::Teloxide { 0 } else { updates as i64 };
    assert_eq!(ledger, expected, "{}: rows in _updates", target.name());
}

struct Measured {
    seq: Stats,
    conc: Stats,
    rss_kib: u64,
}

async fn measure(target: Target, o: &Options, bench: &Arc<Bench>, dir: &Path) -> Measured {
    let (sent_before, _, _) = bench.fake.counts();
    let server = start(target, o, &bench.fake, dir).await;
    let url = format!("http://{}/webhook", server.addr);
    let warm = o.updates.min(200);
    bench.sequential(&url, 1, warm).await;
    let seq = bench.sequential(&url, 1_000_000, o.updates).await;
    let conc = bench.concurrent(&url, 2_000_000, o.updates, o.concurrency).await;
    let rss_kib = server.peak_rss_kib();
    let db = server.db.clone();
    server.stop().await;
    let applied = warm + o.updates + (o.updates / o.concurrency) * o.concurrency;
    let (sent_after, _, _) = bench.fake.counts();
    assert_eq!(
        sent_after - sent_before,
        applied as u64,
        "{}: one sendMessage per update",
        target.name()
    );
    check_db(target, &db, applied);
    Measured {
        seq: seq.stats(),
        conc: conc.stats(),
        rss_kib,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

fn print_run(round: usize, target: Target, m: &Measured, workers: usize) {
    for (name, s) in [
        ("sequential".to_owned(), m.seq),
        (format!("concurrent x{workers}, own chats"), m.conc),
    ] {
        println!(
            "round {round} {:<16} {:<27} p50={:>7.3} p90={:>7.3} p99={:>7.3} ms {:>7.0} updates/s (p50: answered {:.3} ms, replied {:.3} ms)",
            target.name(),
            name,
            s.p50,
            s.p90,
            s.p99,
            s.rate,
            s.answer_p50,
            s.reply_p50
        );
    }
    println!(
        "round {round} {:<16} peak RSS {:.1} MiB",
        target.name(),
        m.rss_kib as f64 / 1024.0
    );
}

fn size_mib(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(f64::NAN, |m| m.len() as f64 / (1024.0 * 1024.0))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let o = options();
    let workers = o.concurrency;
    println!(
        "loadgen: {} updates per scenario, {workers} concurrent clients, {} rounds, {} threads here",
        o.updates,
        o.rounds,
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );
    let fake = FakeTelegram::start().await.expect("start the fake Bot API");
    let bench = Arc::new(Bench {
        http: reqwest::Client::new(),
        fake,
    });
    let dir = std::env::temp_dir().join(format!("teloxide-baseline-{}", std::process::id()));
    let mut results: Vec<(Target, Measured)> = Vec::new();
    for round in 1..=o.rounds {
        for target in Target::ALL {
            let run_dir = dir.join(format!("round{round}"));
            std::fs::create_dir_all(&run_dir).expect("temp dir");
            let m = measure(target, &o, &bench, &run_dir).await;
            print_run(round, target, &m, workers);
            results.push((target, m));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (_, get_me, other) = bench.fake.counts();
    println!("fake Bot API: {get_me} getMe, {other} other calls (setWebhook/deleteWebhook) in all");

    // Medians over rounds.
    let med = |t: Target, f: &dyn Fn(&Measured) -> f64| {
        median(results.iter().filter(|r| r.0 == t).map(|r| f(&r.1)).collect())
    };
    // (name, decimals, value)
    type Metric = (&'static str, usize, Box<dyn Fn(&Measured) -> f64>);
    let metrics: Vec<Metric> = vec![
        ("sequential p50 (ms)", 3, Box::new(|m| m.seq.p50)),
        ("sequential p90 (ms)", 3, Box::new(|m| m.seq.p90)),
        ("sequential p99 (ms)", 3, Box::new(|m| m.seq.p99)),
        ("sequential updates/s", 0, Box::new(|m| m.seq.rate)),
        ("concurrent own chats p50 (ms)", 3, Box::new(|m| m.conc.p50)),
        ("concurrent own chats p90 (ms)", 3, Box::new(|m| m.conc.p90)),
        ("concurrent own chats p99 (ms)", 3, Box::new(|m| m.conc.p99)),
        ("concurrent own chats updates/s", 0, Box::new(|m| m.conc.rate)),
        (
            "sequential: webhook answered p50 (ms)",
            3,
            Box::new(|m| m.seq.answer_p50),
        ),
        (
            "sequential: reply at the fake p50 (ms)",
            3,
            Box::new(|m| m.seq.reply_p50),
        ),
        (
            "concurrent: webhook answered p50 (ms)",
            3,
            Box::new(|m| m.conc.answer_p50),
        ),
        (
            "concurrent: reply at the fake p50 (ms)",
            3,
            Box::new(|m| m.conc.reply_p50),
        ),
        ("peak RSS (MiB)", 1, Box::new(|m| m.rss_kib as f64 / 1024.0)),
    ];
    println!();
    println!(
        "medians of {} rounds ({} updates per scenario, {workers} clients):",
        o.rounds, o.updates
    );
    println!();
    println!("| metric | ours | teloxide | ours/teloxide | teloxide+ledger | ours/(teloxide+ledger) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, p, f) in &metrics {
        let [a, b, c] = Target::ALL.map(|t| med(t, f.as_ref()));
        println!("| {name} | {a:.p$} | {b:.p$} | {:.2} | {c:.p$} | {:.2} |", a / b, a / c);
    }
    let (a, b) = (size_mib(&o.ours), size_mib(&o.teloxide));
    println!(
        "| release binary (MiB) | {a:.2} | {b:.2} | {:.2} | (same binary) | |",
        a / b
    );
}
