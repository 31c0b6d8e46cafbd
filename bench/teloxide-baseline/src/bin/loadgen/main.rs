//! Loopback load generator: `miti99bot serve` against the teloxide baseline, as separate
//! processes, one fake Bot API, rounds alternating the targets. See docs/benchmarks.md §3.
//!
//! ```text
//! loadgen --ours target/release/miti99bot --teloxide target/teloxide-baseline/release/teloxide-baseline \
//!   [--rounds 3] [--updates 2000] [--concurrency 32] [--e2e-updates 50000] [--one-chat-updates 5000] \
//!   [--rate 2000] [--duration 5] [--quick] [--only ping,e2e-ping,e2e-buy,one-chat,rate-ping,rate-buy]
//!   [--targets ours,ours-reply,teloxide,teloxide-ledger]
//! ```
//!
//! Scenarios, each on a fresh server process and a fresh SQLite file (warm-up: 200 sequential
//! `/ping`, and a `/trade_topup` per chat that buys):
//!
//! - `ping`: N sequential `/ping`, then N from C concurrent clients each on its own chat;
//! - `e2e-ping`, `e2e-buy`: 64 closed-loop clients, each on its own chat, `/ping` or
//!   `/trade_buy 1 VNM`, updates/s until the last reply was seen;
//! - `one-chat`: 64 clients all on one chat, `/ping`; a 503 (ours bounds a chat's queue) is
//!   retried after a backoff (5 ms, doubling, at most 200 ms) and counted;
//! - `rate-ping`, `rate-buy`: open loop at R requests/s for D seconds over 64 chats, one task
//!   per request; latency from each request's intended send time.
//!
//! A reply counts when the fake Bot API got its `sendMessage`, or, for "ours (webhook reply)",
//! when the webhook answer carried it (`{"method":"sendMessage",...}`, chat and text checked).

mod fake;
mod server;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake::FakeTelegram;
use serde_json::{json, Value};
use server::Server;

const TOKEN: &str = "123456:TEST-token-must-never-leak";
const SECRET: &str = "test_secret-42";
const USERNAME: &str = "test_bot";
/// The price both servers get (`TRADING_PRICES`).
const PRICES: &str = "VNM=65000";
const BUY_REPLY: &str = "Bought 1 VNM @ 65.000 VND\nCost: 65.000 VND";
const TOP_UP_REPLY: &str = "Topped up 1.000.000.000.000 VND.\nBalance: 1.000.000.000.000 VND";
/// The longest one update may take before the run is declared broken.
const UPDATE_TIMEOUT: Duration = Duration::from_secs(30);
/// Clients of the 64-chat and one-chat scenarios, chats of the fixed-rate ones.
const CLIENTS: usize = 64;
/// The first backoff after a 503, doubling up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(5);
const MAX_BACKOFF: Duration = Duration::from_millis(200);

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

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Target {
    Ours,
    OursReply,
    Teloxide,
    TeloxideLedger,
}

impl Target {
    const ALL: [Target; 4] = [
        Target::Ours,
        Target::OursReply,
        Target::Teloxide,
        Target::TeloxideLedger,
    ];

    fn name(self) -> &'static str {
        match self {
            Target::Ours => "ours",
            Target::OursReply => "ours (webhook reply)",
            Target::Teloxide => "teloxide",
            Target::TeloxideLedger => "teloxide+ledger",
        }
    }

    /// The name `--targets` takes.
    fn key(self) -> &'static str {
        match self {
            Target::Ours => "ours",
            Target::OursReply => "ours-reply",
            Target::Teloxide => "teloxide",
            Target::TeloxideLedger => "teloxide-ledger",
        }
    }

    /// The reply travels back in the webhook answer.
    fn replies_in_body(self) -> bool {
        self == Target::OursReply
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cmd {
    Ping,
    Buy,
    TopUp,
}

impl Cmd {
    fn text(self) -> &'static str {
        match self {
            Cmd::Ping => "/ping",
            Cmd::Buy => "/trade_buy 1 VNM",
            Cmd::TopUp => "/trade_topup 1000000000000",
        }
    }

    fn reply(self) -> &'static str {
        match self {
            Cmd::Ping => "pong",
            Cmd::Buy => BUY_REPLY,
            Cmd::TopUp => TOP_UP_REPLY,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scenario {
    /// N sequential, then N from C clients on their own chats (`/ping`).
    Ping,
    E2e(Cmd),
    OneChat,
    Rate(Cmd),
}

impl Scenario {
    const ALL: [Scenario; 6] = [
        Scenario::Ping,
        Scenario::E2e(Cmd::Ping),
        Scenario::E2e(Cmd::Buy),
        Scenario::OneChat,
        Scenario::Rate(Cmd::Ping),
        Scenario::Rate(Cmd::Buy),
    ];

    fn key(self) -> &'static str {
        match self {
            Scenario::Ping => "ping",
            Scenario::E2e(Cmd::Buy) => "e2e-buy",
            Scenario::E2e(_) => "e2e-ping",
            Scenario::OneChat => "one-chat",
            Scenario::Rate(Cmd::Buy) => "rate-buy",
            Scenario::Rate(_) => "rate-ping",
        }
    }

    fn title(self, o: &Options) -> String {
        match self {
            Scenario::Ping => format!(
                "/ping: {} sequential, then {} from {} concurrent clients on their own chats",
                o.updates, o.updates, o.concurrency
            ),
            Scenario::E2e(cmd) => format!(
                "64 chats end to end: `{}`, {} updates, {CLIENTS} closed-loop clients each on its own chat",
                cmd.text(),
                o.e2e_updates
            ),
            Scenario::OneChat => format!(
                "one chat: `/ping`, {} updates, {CLIENTS} clients on one chat, 503 retried",
                o.one_chat_updates
            ),
            Scenario::Rate(cmd) => format!(
                "fixed rate: `{}`, {} req/s for {} s over {CLIENTS} chats, latency from the intended send time",
                cmd.text(),
                o.rate,
                o.duration
            ),
        }
    }

    /// The chats whose users need a balance before the scenario.
    fn buyers(self) -> std::ops::Range<i64> {
        match self {
            Scenario::E2e(Cmd::Buy) => 3_000..3_000 + CLIENTS as i64,
            Scenario::Rate(Cmd::Buy) => 6_000..6_000 + CLIENTS as i64,
            _ => 0..0,
        }
    }
}

/// The times of one update, from just before its first POST.
#[derive(Clone, Copy)]
struct Sample {
    /// Both seen: the webhook answer and the reply (the client's next update goes out then).
    done: Duration,
    /// The (last) webhook answer read.
    answered: Duration,
    /// The reply seen: at the fake, or in the webhook answer.
    replied: Duration,
    /// 503s retried.
    retries: u32,
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    ms(sorted[i])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn sorted(mut v: Vec<Duration>) -> Vec<Duration> {
    v.sort();
    v
}

/// What one server did: updates answered 200 per command, replies read in webhook answers.
#[derive(Default)]
struct Tally {
    ping: AtomicU64,
    buy: AtomicU64,
    top_up: AtomicU64,
    body_replies: AtomicU64,
    retries: AtomicU64,
}

impl Tally {
    fn applied(&self, cmd: Cmd) {
        let counter = match cmd {
            Cmd::Ping => &self.ping,
            Cmd::Buy => &self.buy,
            Cmd::TopUp => &self.top_up,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self, cmd: Cmd) -> u64 {
        match cmd {
            Cmd::Ping => self.ping.load(Ordering::Relaxed),
            Cmd::Buy => self.buy.load(Ordering::Relaxed),
            Cmd::TopUp => self.top_up.load(Ordering::Relaxed),
        }
    }

    fn total(&self) -> u64 {
        self.get(Cmd::Ping) + self.get(Cmd::Buy) + self.get(Cmd::TopUp)
    }
}

/// One server under load: where it listens, what it is, what it did.
struct Bench {
    http: reqwest::Client,
    fake: FakeTelegram,
    url: String,
    target: Target,
    tally: Tally,
}

/// A webhook answer: its status and body.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Bench {
    async fn post(&self, body: &str) -> Answer {
        let response = self
            .http
            .post(&self.url)
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: POST /webhook failed: {e}", self.target.name()));
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("{}: reading the webhook answer failed: {e}", self.target.name()))
            .to_vec();
        Answer { status, body }
    }

    /// POSTs `update` until it is answered 200 (a 503 is retried after a backoff); the answer's
    /// body and the retries.
    async fn deliver(&self, update_id: i64, body: &str) -> (Vec<u8>, u32) {
        let mut retries = 0;
        let mut backoff = FIRST_BACKOFF;
        loop {
            let answer = self.post(body).await;
            match answer.status {
                200 => return (answer.body, retries),
                503 if retries < 1_000 => {
                    retries += 1;
                    self.tally.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
                status => panic!(
                    "{}: update {update_id} answered HTTP {status} ({retries} retries): {}",
                    self.target.name(),
                    String::from_utf8_lossy(&answer.body)
                ),
            }
        }
    }

    /// Whether `body` is a webhook reply to `chat` with `cmd`'s reply; panics on a wrong one, on
    /// a missing one where the target replies in the body, and on one where it does not.
    fn body_reply(&self, body: &[u8], update_id: i64, chat: i64, cmd: Cmd) -> bool {
        let name = self.target.name();
        let reply: Option<Value> = serde_json::from_slice(body)
            .ok()
            .filter(|v: &Value| v.get("method").is_some());
        match (reply, self.target.replies_in_body()) {
            (Some(reply), true) => {
                let ok = reply["method"] == "sendMessage" && reply["chat_id"] == chat && reply["text"] == cmd.reply();
                assert!(
                    ok,
                    "{name}: update {update_id}: webhook reply {reply} is not sendMessage {:?} to chat {chat}",
                    cmd.reply()
                );
                self.tally.body_replies.fetch_add(1, Ordering::Relaxed);
                true
            }
            (None, true) => panic!(
                "{name}: update {update_id}: no reply in the webhook answer: {}",
                String::from_utf8_lossy(body)
            ),
            (Some(reply), false) => panic!("{name}: update {update_id}: unexpected webhook reply {reply}"),
            (None, false) => false,
        }
    }

    /// Sends one update for `chat` and waits for its answer and its reply.
    async fn send(&self, update_id: i64, chat: i64, cmd: Cmd) -> Sample {
        let mut replies = self.fake.replies_to(chat);
        let before = *replies.borrow_and_update();
        let body = text_update(update_id, chat, cmd.text()).to_string();
        let started = Instant::now();
        let in_body = self.target.replies_in_body();
        let answer = async {
            let (body, retries) = self.deliver(update_id, &body).await;
            let replied = self.body_reply(&body, update_id, chat, cmd);
            self.tally.applied(cmd);
            (started.elapsed(), retries, replied)
        };
        let reply = async {
            if in_body {
                return None;
            }
            tokio::time::timeout(UPDATE_TIMEOUT, replies.wait_for(|n| *n > before))
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "{}: update {update_id}: no sendMessage to chat {chat} within {UPDATE_TIMEOUT:?}",
                        self.target.name()
                    )
                })
                .expect("fake telegram alive");
            Some(started.elapsed())
        };
        let ((answered, retries, _), replied) = tokio::join!(answer, reply);
        let replied = replied.unwrap_or(answered);
        Sample {
            done: answered.max(replied),
            answered,
            replied,
            retries,
        }
    }

    async fn sequential(
        &self,
        first_id: i64,
        n: usize,
        cmd: Cmd,
        chats: std::ops::Range<i64>,
    ) -> (Vec<Sample>, Duration) {
        let started = Instant::now();
        let mut samples = Vec::with_capacity(n);
        let span = (chats.end - chats.start).max(1);
        for i in 0..n as i64 {
            samples.push(self.send(first_id + i, chats.start + i % span, cmd).await);
        }
        (samples, started.elapsed())
    }

    /// `workers` closed-loop clients, each on its own chat from `first_chat`, `n / workers`
    /// updates each.
    async fn concurrent(
        self: &Arc<Self>,
        first_id: i64,
        n: usize,
        workers: usize,
        first_chat: i64,
        cmd: Cmd,
    ) -> (Vec<Sample>, Duration) {
        let per_worker = n / workers;
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for w in 0..workers {
            let bench = self.clone();
            tasks.spawn(async move {
                let mut samples = Vec::with_capacity(per_worker);
                for i in 0..per_worker {
                    let id = first_id + (w * per_worker + i) as i64;
                    samples.push(bench.send(id, first_chat + w as i64, cmd).await);
                }
                samples
            });
        }
        let samples = tasks.join_all().await.into_iter().flatten().collect();
        (samples, started.elapsed())
    }

    /// `CLIENTS` clients all on `chat`, `n` `/ping` in all; a client sends its next update once
    /// its last one was answered 200. Done when the last reply was seen.
    async fn one_chat(self: &Arc<Self>, first_id: i64, n: usize, chat: i64) -> (Duration, u64) {
        let replies = self.fake.replies_to(chat);
        let before = *replies.borrow();
        let retries_before = self.tally.retries.load(Ordering::Relaxed);
        let body_before = self.tally.body_replies.load(Ordering::Relaxed);
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..CLIENTS {
            let bench = self.clone();
            let next = next.clone();
            tasks.spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let id = first_id + i as i64;
                    let body = text_update(id, chat, Cmd::Ping.text()).to_string();
                    let (answer, _) = bench.deliver(id, &body).await;
                    bench.body_reply(&answer, id, chat, Cmd::Ping);
                    bench.tally.applied(Cmd::Ping);
                }
            });
        }
        tasks.join_all().await;
        let in_body = self.tally.body_replies.load(Ordering::Relaxed) - body_before;
        let expected = before + n as u64 - in_body;
        let mut replies = replies;
        tokio::time::timeout(Duration::from_secs(120), replies.wait_for(|c| *c >= expected))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "{}: one chat: {} of {} replies after 120 s",
                    self.target.name(),
                    *self.fake.replies_to(chat).borrow() - before,
                    n as u64 - in_body
                )
            })
            .expect("fake telegram alive");
        (
            started.elapsed(),
            self.tally.retries.load(Ordering::Relaxed) - retries_before,
        )
    }

    /// Open loop: `rate` requests/s for `seconds` over `CLIENTS` chats from `first_chat`, one task
    /// per request. Per request: (HTTP answer, reply seen), both from its intended send time.
    async fn fixed_rate(
        self: &Arc<Self>,
        first_id: i64,
        rate: u64,
        seconds: u64,
        first_chat: i64,
        cmd: Cmd,
    ) -> RateRun {
        let n = (rate * seconds) as usize;
        let chats = || (0..CLIENTS).map(|c| first_chat + c as i64);
        let before: Vec<u64> = chats().map(|chat| *self.fake.replies_to(chat).borrow()).collect();
        // The warm-up's replies to these chats (the fake keeps their times too).
        let offset: Vec<usize> = chats().map(|chat| self.fake.reply_times(chat).len()).collect();
        let retries_before = self.tally.retries.load(Ordering::Relaxed);
        let interval = 1.0 / rate as f64;
        let start = Instant::now() + Duration::from_millis(20);
        // A thread of its own paces the requests: tokio's timer has a 1 ms resolution, so
        // `sleep_until` fired up to ~1 ms after each intended time and every latency counted
        // that (both servers' p50 at 2,000/s was > 1 ms while one update takes 0.1 ms). A
        // thread's sleep is good to tens of microseconds. Each request is a task on the runtime.
        let runtime = tokio::runtime::Handle::current();
        let bench = self.clone();
        let pacer = std::thread::Builder::new()
            .name("pacer".into())
            .spawn(move || {
                let mut tasks = Vec::with_capacity(n);
                let mut behind = Duration::ZERO;
                for j in 0..n {
                    let intended = start + Duration::from_secs_f64(j as f64 * interval);
                    let now = Instant::now();
                    if intended > now {
                        std::thread::sleep(intended - now);
                    } else {
                        behind = behind.max(now - intended);
                    }
                    let bench = bench.clone();
                    let chat = first_chat + (j % CLIENTS) as i64;
                    let id = first_id + j as i64;
                    tasks.push(runtime.spawn(async move {
                        let body = text_update(id, chat, cmd.text()).to_string();
                        let (answer, _) = tokio::time::timeout(UPDATE_TIMEOUT, bench.deliver(id, &body))
                            .await
                            .unwrap_or_else(|_| {
                                panic!(
                                    "{}: update {id} not answered within {UPDATE_TIMEOUT:?}",
                                    bench.target.name()
                                )
                            });
                        let answered = intended.elapsed();
                        let in_body = bench.body_reply(&answer, id, chat, cmd);
                        bench.tally.applied(cmd);
                        (j, answered, in_body)
                    }));
                }
                (tasks, behind)
            })
            .expect("start the pacer thread");
        let (tasks, behind) = tokio::task::spawn_blocking(move || pacer.join().expect("the pacer thread"))
            .await
            .expect("join the pacer");
        let mut answers = Vec::with_capacity(n);
        for task in tasks {
            answers.push(task.await.expect("a request task"));
        }
        answers.sort_by_key(|a: &(usize, Duration, bool)| a.0);
        // Each chat's replies arrive in its updates' order (both servers keep a chat in order):
        // the k-th reply to a chat is its k-th request's.
        let deadline = Instant::now() + UPDATE_TIMEOUT;
        let mut replied = Vec::with_capacity(n);
        for c in 0..CLIENTS {
            let chat = first_chat + c as i64;
            let mine: Vec<&(usize, Duration, bool)> = answers.iter().filter(|a| a.0 % CLIENTS == c).collect();
            let via_fake = mine.iter().filter(|a| !a.2).count();
            let mut watch = self.fake.replies_to(chat);
            let wait = deadline.saturating_duration_since(Instant::now());
            tokio::time::timeout(wait, watch.wait_for(|k| *k >= before[c] + via_fake as u64))
                .await
                .unwrap_or_else(|_| panic!("{}: fixed rate: chat {chat} missed replies", self.target.name()))
                .expect("fake telegram alive");
            let times = self.fake.reply_times(chat);
            let mut k = offset[c];
            for &&(j, answered, in_body) in &mine {
                if in_body {
                    replied.push(answered);
                } else {
                    let intended = start + Duration::from_secs_f64(j as f64 * interval);
                    replied.push(times[k].saturating_duration_since(intended));
                    k += 1;
                }
            }
        }
        RateRun {
            answered: sorted(answers.iter().map(|a| a.1).collect()),
            replied: sorted(replied),
            retries: self.tally.retries.load(Ordering::Relaxed) - retries_before,
            behind,
        }
    }
}

struct RateRun {
    answered: Vec<Duration>,
    replied: Vec<Duration>,
    retries: u64,
    /// How far the generator fell behind its schedule at worst.
    behind: Duration,
}

#[derive(Clone)]
struct Options {
    ours: PathBuf,
    teloxide: PathBuf,
    rounds: usize,
    updates: usize,
    concurrency: usize,
    e2e_updates: usize,
    one_chat_updates: usize,
    rate: u64,
    duration: u64,
    only: Vec<Scenario>,
    targets: Vec<Target>,
}

fn options() -> Options {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let mut o = Options {
        ours: PathBuf::from("target/release/miti99bot"),
        teloxide: PathBuf::from("target/teloxide-baseline/release/teloxide-baseline"),
        rounds: 3,
        updates: env("BENCH_UPDATES", 2000),
        concurrency: env("BENCH_CONCURRENCY", 32),
        e2e_updates: 50_000,
        one_chat_updates: 5_000,
        rate: 2_000,
        duration: 5,
        only: Scenario::ALL.to_vec(),
        targets: Target::ALL.to_vec(),
    };
    let mut it = std::env::args().skip(1);
    let number =
        |arg: &str, v: String| -> u64 { v.parse().unwrap_or_else(|_| panic!("{arg}: a whole number, not {v:?}")) };
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--ours" => o.ours = value().into(),
            "--teloxide" => o.teloxide = value().into(),
            "--rounds" => o.rounds = number(&arg, value()) as usize,
            "--updates" => o.updates = number(&arg, value()) as usize,
            "--concurrency" => o.concurrency = number(&arg, value()) as usize,
            "--e2e-updates" => o.e2e_updates = number(&arg, value()) as usize,
            "--one-chat-updates" => o.one_chat_updates = number(&arg, value()) as usize,
            "--rate" => o.rate = number(&arg, value()),
            "--duration" => o.duration = number(&arg, value()),
            "--quick" => {
                o.rounds = 1;
                o.updates = 300;
                o.e2e_updates = 3_000;
                o.one_chat_updates = 500;
                o.duration = 1;
            }
            "--only" => {
                let list = value();
                o.only = Scenario::ALL
                    .into_iter()
                    .filter(|s| list.split(',').any(|k| k.trim() == s.key()))
                    .collect();
                assert!(!o.only.is_empty(), "--only: none of {list:?} is a scenario");
            }
            "--targets" => {
                let list = value();
                o.targets = Target::ALL
                    .into_iter()
                    .filter(|t| list.split(',').any(|k| k.trim() == t.key()))
                    .collect();
                assert!(
                    !o.targets.is_empty(),
                    "--targets: none of {list:?} is ours, ours-reply, teloxide, teloxide-ledger"
                );
            }
            other => panic!("unknown argument {other}"),
        }
    }
    o.rounds = o.rounds.clamp(1, 20);
    o.updates = o.updates.clamp(32, 100_000);
    o.concurrency = o.concurrency.clamp(1, o.updates);
    o.e2e_updates = o.e2e_updates.clamp(CLIENTS, 1_000_000);
    o.one_chat_updates = o.one_chat_updates.clamp(CLIENTS, 1_000_000);
    o.rate = o.rate.clamp(1, 100_000);
    o.duration = o.duration.clamp(1, 120);
    o
}

/// Starts `target` on a fresh database `db`.
async fn start(target: Target, o: &Options, fake: &FakeTelegram, db: PathBuf) -> Server {
    let mut env = vec![
        ("TELEGRAM_BOT_TOKEN", TOKEN.to_owned()),
        ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_owned()),
        ("TELEGRAM_API_BASE", fake.base_url()),
        ("TELEGRAM_BOT_USERNAME", USERNAME.to_owned()),
        ("MODULES", "misc,trading".to_owned()),
        ("TRADING_PRICES", PRICES.to_owned()),
    ];
    if target.replies_in_body() {
        env.push(("WEBHOOK_REPLY", "true".to_owned()));
    }
    let db_arg = db.display().to_string();
    let (program, args) = match target {
        Target::Ours | Target::OursReply => (
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

/// After the server stopped: every update got exactly its one reply, and the rows are there.
fn check(bench: &Bench, texts: &HashMap<String, u64>, sent: u64, db: &Path) {
    let name = bench.target.name();
    let t = &bench.tally;
    let total = t.total();
    if bench.target.replies_in_body() {
        assert_eq!(
            sent, 0,
            "{name}: sendMessage calls though every reply was in the webhook answer"
        );
        assert_eq!(t.body_replies.load(Ordering::Relaxed), total, "{name}: webhook replies");
    } else {
        assert_eq!(sent, total, "{name}: one sendMessage per update");
        for cmd in [Cmd::Ping, Cmd::Buy, Cmd::TopUp] {
            assert_eq!(
                texts.get(cmd.reply()).copied().unwrap_or(0),
                t.get(cmd),
                "{name}: replies {:?} (all texts: {texts:?})",
                cmd.reply()
            );
        }
    }
    let conn = rusqlite::Connection::open(db).expect("open the server's database");
    let count = |sql: &str| -> i64 {
        conn.query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
            .unwrap_or_else(|e| panic!("{name}: {sql}: {e}"))
            .unwrap_or(0)
    };
    let value: String = conn
        .query_row("SELECT value FROM _kv WHERE key = 'misc:last_ping'", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{name}: misc:last_ping missing: {e}"));
    assert!(value.starts_with("{\"at\":"), "{name}: misc:last_ping = {value}");
    let ledger = count("SELECT count(*) FROM _updates");
    match bench.target {
        Target::Teloxide => assert_eq!(ledger, 0, "{name}: rows in _updates"),
        Target::TeloxideLedger => assert_eq!(ledger, total as i64, "{name}: rows in _updates"),
        // Ours may take no claim for an idempotent command or a reply held for the answer.
        Target::Ours | Target::OursReply => assert!(
            ledger <= total as i64,
            "{name}: {ledger} rows in _updates for {total} updates"
        ),
    }
    let buys = t.get(Cmd::Buy) as i64;
    assert_eq!(
        count("SELECT count(*) FROM trading_trades WHERE side = 'buy' AND qty = 1 AND price_vnd = 65000"),
        buys,
        "{name}: trades"
    );
    assert_eq!(count("SELECT count(*) FROM trading_trades"), buys, "{name}: trades");
    assert_eq!(
        count("SELECT sum(qty) FROM trading_holdings"),
        buys,
        "{name}: shares held"
    );
    assert_eq!(
        count("SELECT count(*) FROM trading_accounts"),
        t.get(Cmd::TopUp) as i64,
        "{name}: accounts"
    );
    assert_eq!(
        count("SELECT sum(1000000000000 - vnd) FROM trading_accounts"),
        buys * 65_000,
        "{name}: VND spent"
    );
}

/// One scenario's numbers on one server: (metric, decimals, value).
type Metrics = Vec<(&'static str, usize, f64)>;

async fn measure(
    target: Target,
    scenario: Scenario,
    o: &Options,
    fake: &FakeTelegram,
    http: &reqwest::Client,
    dir: &Path,
) -> Metrics {
    let db = dir.join(format!(
        "{}-{}.db",
        target.name().replace([' ', '(', ')'], "_"),
        scenario.key()
    ));
    fake.clear();
    let (sent_before, _, _) = fake.counts();
    let server = start(target, o, fake, db).await;
    let bench = Arc::new(Bench {
        http: http.clone(),
        fake: fake.clone(),
        url: format!("http://{}/webhook", server.addr),
        target,
        tally: Tally::default(),
    });
    // Warm-up: 200 sequential /ping on chats 1-100, and each buyer's balance.
    bench.sequential(1, 200, Cmd::Ping, 1..101).await;
    let buyers = scenario.buyers();
    let n_buyers = (buyers.end - buyers.start) as usize;
    bench.sequential(500, n_buyers, Cmd::TopUp, buyers).await;
    let mut m: Metrics = Vec::new();
    match scenario {
        Scenario::Ping => {
            let (seq, seq_wall) = bench.sequential(1_000_000, o.updates, Cmd::Ping, 1..101).await;
            let (conc, conc_wall) = bench
                .concurrent(2_000_000, o.updates, o.concurrency, 1_000, Cmd::Ping)
                .await;
            for (label, samples, wall) in [("sequential", seq, seq_wall), ("concurrent", conc, conc_wall)] {
                let done = sorted(samples.iter().map(|s| s.done).collect());
                let answered = sorted(samples.iter().map(|s| s.answered).collect());
                let replied = sorted(samples.iter().map(|s| s.replied).collect());
                let rate = samples.len() as f64 / wall.as_secs_f64();
                let sequential = label == "sequential";
                m.extend([
                    (
                        if sequential {
                            "sequential p50 (ms)"
                        } else {
                            "concurrent own chats p50 (ms)"
                        },
                        3,
                        pct(&done, 0.5),
                    ),
                    (
                        if sequential {
                            "sequential p90 (ms)"
                        } else {
                            "concurrent own chats p90 (ms)"
                        },
                        3,
                        pct(&done, 0.9),
                    ),
                    (
                        if sequential {
                            "sequential p99 (ms)"
                        } else {
                            "concurrent own chats p99 (ms)"
                        },
                        3,
                        pct(&done, 0.99),
                    ),
                    (
                        if sequential {
                            "sequential updates/s"
                        } else {
                            "concurrent own chats updates/s"
                        },
                        0,
                        rate,
                    ),
                    (
                        if sequential {
                            "sequential: webhook answered p50 (ms)"
                        } else {
                            "concurrent: webhook answered p50 (ms)"
                        },
                        3,
                        pct(&answered, 0.5),
                    ),
                    (
                        if sequential {
                            "sequential: reply seen p50 (ms)"
                        } else {
                            "concurrent: reply seen p50 (ms)"
                        },
                        3,
                        pct(&replied, 0.5),
                    ),
                ]);
            }
        }
        Scenario::E2e(cmd) => {
            let (samples, wall) = bench.concurrent(3_000_000, o.e2e_updates, CLIENTS, 3_000, cmd).await;
            let done = sorted(samples.iter().map(|s| s.done).collect());
            let replied = sorted(samples.iter().map(|s| s.replied).collect());
            m.extend([
                ("updates/s", 0, samples.len() as f64 / wall.as_secs_f64()),
                ("done p50 (ms)", 3, pct(&done, 0.5)),
                ("done p99 (ms)", 3, pct(&done, 0.99)),
                ("reply seen p50 (ms)", 3, pct(&replied, 0.5)),
                ("503 retries", 0, samples.iter().map(|s| f64::from(s.retries)).sum()),
            ]);
        }
        Scenario::OneChat => {
            let (wall, retries) = bench.one_chat(5_000_000, o.one_chat_updates, 5_000).await;
            m.extend([
                ("updates/s", 0, o.one_chat_updates as f64 / wall.as_secs_f64()),
                ("503 retries", 0, retries as f64),
            ]);
        }
        Scenario::Rate(cmd) => {
            let run = bench.fixed_rate(6_000_000, o.rate, o.duration, 6_000, cmd).await;
            if run.behind > Duration::from_millis(100) {
                eprintln!(
                    "{}: the generator fell {:.1} ms behind its schedule (the latencies count it; the machine is too busy for this rate)",
                    target.name(),
                    ms(run.behind)
                );
            }
            m.extend([
                ("HTTP answer p50 (ms)", 3, pct(&run.answered, 0.5)),
                ("HTTP answer p99 (ms)", 3, pct(&run.answered, 0.99)),
                (
                    "HTTP answer max (ms)",
                    3,
                    run.answered.last().map_or(f64::NAN, |d| ms(*d)),
                ),
                ("reply seen p50 (ms)", 3, pct(&run.replied, 0.5)),
                ("reply seen p99 (ms)", 3, pct(&run.replied, 0.99)),
                ("503 retries", 0, run.retries as f64),
                ("generator behind schedule, max (ms)", 1, ms(run.behind)),
            ]);
        }
    }
    let rss_kib = server.peak_rss_kib();
    let db = server.db.clone();
    let log = server.stop().await;
    assert!(
        log.errors.is_empty(),
        "{}: errors on the server's stderr: {:#?}",
        target.name(),
        log.errors
    );
    if !log.other.is_empty() {
        eprintln!("{} ({}): on stderr: {:#?}", target.name(), scenario.key(), log.other);
    }
    if let Some(first) = &log.first_warning {
        eprintln!(
            "{} ({}): {} warnings on stderr, the first: {first}",
            target.name(),
            scenario.key(),
            log.warnings
        );
    }
    let (sent_after, _, _) = fake.counts();
    check(&bench, &fake.texts(), sent_after - sent_before, &db);
    let _ = std::fs::remove_file(&db);
    m.push(("peak RSS (MiB)", 1, rss_kib as f64 / 1024.0));
    m
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.is_empty() {
        f64::NAN
    } else if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

fn size_mib(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(f64::NAN, |m| m.len() as f64 / (1024.0 * 1024.0))
}

fn ratio(a: f64, b: f64) -> String {
    if b == 0.0 || !a.is_finite() || !b.is_finite() {
        "–".to_owned()
    } else {
        format!("{:.2}", a / b)
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let o = options();
    println!(
        "loadgen: {} rounds, scenarios {}, {} threads here",
        o.rounds,
        o.only.iter().map(|s| s.key()).collect::<Vec<_>>().join(","),
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );
    let fake = FakeTelegram::start().await.expect("start the fake Bot API");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1_024)
        .timeout(UPDATE_TIMEOUT)
        .build()
        .expect("HTTP client");
    let dir = std::env::temp_dir().join(format!("teloxide-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let started = Instant::now();
    let mut results: HashMap<(usize, Target), Vec<Metrics>> = HashMap::new();
    for round in 1..=o.rounds {
        for (s, &scenario) in o.only.iter().enumerate() {
            for &target in &o.targets {
                let m = measure(target, scenario, &o, &fake, &http, &dir).await;
                let line: Vec<String> = m.iter().map(|(k, p, v)| format!("{k} {v:.p$}")).collect();
                println!(
                    "round {round} {:<9} {:<21} {}",
                    scenario.key(),
                    target.name(),
                    line.join(", ")
                );
                results.entry((s, target)).or_default().push(m);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (_, get_me, other) = fake.counts();
    println!(
        "fake Bot API: {get_me} getMe, {other} other calls (setWebhook/deleteWebhook) in all; {:.0} s",
        started.elapsed().as_secs_f64()
    );

    for (s, scenario) in o.only.iter().enumerate() {
        println!();
        println!("### {} (medians of {} rounds)", scenario.title(&o), o.rounds);
        println!();
        println!("| metric | ours | ours (webhook reply) | teloxide | teloxide+ledger | ours/teloxide | ours (webhook reply)/teloxide | ours/(teloxide+ledger) |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        let names: Vec<(&str, usize)> = results[&(s, o.targets[0])][0]
            .iter()
            .map(|(k, p, _)| (*k, *p))
            .collect();
        for (i, (name, p)) in names.into_iter().enumerate() {
            let [a, r, b, c] = Target::ALL.map(|t| {
                let runs = results.get(&(s, t)).map_or(&[][..], Vec::as_slice);
                median(runs.iter().map(|m| m[i].2).collect())
            });
            // A count or the generator's own lag: no ratio.
            let ratios = if name.contains("retries") || name.contains("generator") {
                ["–".to_owned(), "–".to_owned(), "–".to_owned()]
            } else {
                [ratio(a, b), ratio(r, b), ratio(a, c)]
            };
            println!(
                "| {name} | {a:.p$} | {r:.p$} | {b:.p$} | {c:.p$} | {} | {} | {} |",
                ratios[0], ratios[1], ratios[2]
            );
        }
    }
    let (a, b) = (size_mib(&o.ours), size_mib(&o.teloxide));
    println!();
    println!("release binaries: ours {a:.2} MiB, teloxide {b:.2} MiB ({:.2})", a / b);
}
