//! kill -9 in the middle of trades, then Telegram's redelivery: every trade is applied exactly
//! once. The claim of an update commits with its first write, so a crash before that write
//! leaves the update to the redelivery, and a crash after it leaves it applied.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::text_update;
use miti99bot_core::sql::{SqlStore, Statement};
use miti99bot_sqlite::SqliteDb;
use miti99bot_testkit::{FakeHttp, FakeReply, FakeTelegram, TestClock};
use serde_json::Value;

const TOKEN: &str = "555:CRASH-token";
const SECRET: &str = "crash_secret";
const USERS: [i64; 5] = [101, 102, 103, 104, 105];

/// `serve` on a free port; returns the child and the address it printed.
fn serve(dir: &std::path::Path, db: &std::path::Path, telegram: &str, prices: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_miti99bot"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db", db.to_str().unwrap()])
        .env_clear()
        .current_dir(dir)
        .envs([
            ("TELEGRAM_BOT_TOKEN", TOKEN),
            ("TELEGRAM_WEBHOOK_SECRET", SECRET),
            ("TELEGRAM_API_BASE", telegram),
            ("TELEGRAM_BOT_USERNAME", "crash_bot"),
            ("MODULES", "trading"),
            ("TRADING_PRICE_API", prices),
            ("TRADING_PRICE_TIMEOUT_MS", "10000"),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let start = line.find("http://").expect(&line) + "http://".len();
    let addr = line[start..].split_whitespace().next().unwrap().to_owned();
    (child, addr)
}

async fn post(addr: &str, update: &Value) -> Result<u16, reqwest::Error> {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/webhook"))
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .body(update.to_string())
        .timeout(Duration::from_secs(20))
        .send()
        .await?;
    Ok(response.status().as_u16())
}

async fn count(db: &std::path::Path, sql: &str) -> i64 {
    let store = SqliteDb::open(db, Arc::new(TestClock::at(0))).unwrap().sql();
    let row = store.first(&Statement::new(sql)).await.unwrap().unwrap();
    row.get("n").and_then(|v| v.as_i64()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_trades_wait_on_prices_then_redelivery_applies_each_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let telegram = FakeTelegram::start().await.unwrap();
    // The price API answers after 2 s: the trades are in flight, before their first write.
    let prices =
        FakeHttp::start(|_| FakeReply::new(200, r#"{"symbol":"VNM","price_vnd":65000}"#).after(Duration::from_secs(2)))
            .await
            .unwrap();
    let topups: Vec<Value> = USERS
        .iter()
        .map(|&user| text_update(user, user, "/trade_topup 1000000"))
        .collect();
    let trades: Vec<Value> = USERS
        .iter()
        .map(|&user| text_update(1000 + user, user, "/trade_buy 1 VNM"))
        .collect();

    let (mut first, addr) = serve(dir.path(), &db, &telegram.base_url(), &prices.base_url());
    for topup in &topups {
        assert_eq!(post(&addr, topup).await.unwrap(), 200);
    }
    let in_flight: Vec<_> = trades
        .iter()
        .map(|trade| {
            let (addr, trade) = (addr.clone(), trade.clone());
            tokio::spawn(async move { post(&addr, &trade).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    for request in in_flight {
        assert!(
            request.await.unwrap().is_err(),
            "no trade was acknowledged before the crash"
        );
    }
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM trading_trades").await, 0);
    let claimed_trades = format!(
        "SELECT COUNT(*) AS n FROM _updates WHERE update_id >= {}",
        1000 + USERS[0]
    );
    assert_eq!(
        count(&db, &claimed_trades).await,
        0,
        "nothing was claimed before its first write"
    );

    // Telegram delivers the five trades again, to a restarted server, twice.
    let (mut second, addr) = serve(dir.path(), &db, &telegram.base_url(), &prices.base_url());
    let started = Instant::now();
    let redelivered: Vec<_> = trades
        .iter()
        .map(|trade| {
            let (addr, trade) = (addr.clone(), trade.clone());
            tokio::spawn(async move { post(&addr, &trade).await })
        })
        .collect();
    for request in redelivered {
        assert_eq!(request.await.unwrap().unwrap(), 200);
    }
    assert!(started.elapsed() < Duration::from_secs(15));
    for trade in &trades {
        assert_eq!(
            post(&addr, trade).await.unwrap(),
            200,
            "a second redelivery is acknowledged"
        );
    }
    second.kill().unwrap();
    second.wait().unwrap();

    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM trading_trades").await, 5);
    for user in USERS {
        let one = format!("SELECT COUNT(*) AS n FROM trading_trades WHERE user_id = {user}");
        assert_eq!(count(&db, &one).await, 1, "user {user} bought once");
    }
    assert_eq!(count(&db, &claimed_trades).await, 5);
    let bought = telegram
        .sent_texts()
        .iter()
        .filter(|t| t.starts_with("Bought 1 VNM"))
        .count();
    assert_eq!(bought, 5, "{:?}", telegram.sent_texts());
}

/// kill -9 in the middle of a load of trades whose price API is slow for every third request:
/// every acknowledged trade is present (claimed, and the portfolio matches the trades), and
/// after Telegram redelivers everything (twice) every trade is applied exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_load_keeps_every_acknowledged_trade_and_applies_the_rest_once() {
    const PER_USER: i64 = 10;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("load.db");
    let telegram = FakeTelegram::start().await.unwrap();
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = served.clone();
    let prices = FakeHttp::start(move |_| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let reply = FakeReply::new(200, r#"{"symbol":"VNM","price_vnd":65000}"#);
        if n % 3 == 0 {
            reply.after(Duration::from_millis(800))
        } else {
            reply
        }
    })
    .await
    .unwrap();
    let trades: Vec<(i64, Value)> = USERS
        .iter()
        .flat_map(|&user| (0..PER_USER).map(move |k| (user, 5000 + user * 100 + k)))
        .map(|(user, id)| (id, text_update(id, user, "/trade_buy 1 VNM")))
        .collect();

    let (mut first, addr) = serve(dir.path(), &db, &telegram.base_url(), &prices.base_url());
    for &user in &USERS {
        let topup = text_update(user, user, "/trade_topup 10000000");
        assert_eq!(post(&addr, &topup).await.unwrap(), 200);
    }
    let load: Vec<_> = trades
        .iter()
        .map(|(id, trade)| {
            let (addr, trade, id) = (addr.clone(), trade.clone(), *id);
            tokio::spawn(async move { (id, post(&addr, &trade).await) })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    first.kill().unwrap(); // SIGKILL, mid-load
    first.wait().unwrap();
    let mut acknowledged = Vec::new();
    for request in load {
        if let (id, Ok(200)) = request.await.unwrap() {
            acknowledged.push(id);
        }
    }
    let check_portfolios = |expect_each: Option<i64>| {
        let db = db.clone();
        async move {
            let mut total = 0;
            for user in USERS {
                let trades = count(
                    &db,
                    &format!("SELECT COUNT(*) AS n FROM trading_trades WHERE user_id = {user}"),
                )
                .await;
                let held = count(
                    &db,
                    &format!("SELECT COALESCE(SUM(qty), 0) AS n FROM trading_holdings WHERE user_id = {user}"),
                )
                .await;
                let vnd = count(
                    &db,
                    &format!("SELECT vnd AS n FROM trading_accounts WHERE user_id = {user}"),
                )
                .await;
                assert_eq!(held, trades, "user {user}: holdings match the trades");
                assert_eq!(
                    vnd,
                    10_000_000 - 65_000 * trades,
                    "user {user}: cash matches the trades"
                );
                if let Some(each) = expect_each {
                    assert_eq!(trades, each, "user {user}");
                }
                total += trades;
            }
            total
        }
    };
    let applied_before = check_portfolios(None).await;
    for id in &acknowledged {
        let claimed = count(
            &db,
            &format!("SELECT COUNT(*) AS n FROM _updates WHERE update_id = {id}"),
        )
        .await;
        assert_eq!(claimed, 1, "acknowledged trade {id} is applied");
    }
    assert!(applied_before >= acknowledged.len() as i64);
    println!(
        "kill -9 mid-load: {} of {} trades acknowledged, {applied_before} applied before the crash, {} price requests",
        acknowledged.len(),
        trades.len(),
        served.load(std::sync::atomic::Ordering::SeqCst)
    );

    // Telegram redelivers every trade (it cannot know which answers were lost), twice.
    let (mut second, addr) = serve(dir.path(), &db, &telegram.base_url(), &prices.base_url());
    for _ in 0..2 {
        for (_, trade) in &trades {
            // A chat at its queue bound answers 503: Telegram would retry it (here, a few times).
            let mut status = post(&addr, trade).await.unwrap();
            for _ in 0..100 {
                if status != 503 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                status = post(&addr, trade).await.unwrap();
            }
            assert_eq!(status, 200);
        }
    }
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(check_portfolios(Some(PER_USER)).await, PER_USER * USERS.len() as i64);
}
