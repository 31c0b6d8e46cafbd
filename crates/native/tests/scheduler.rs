//! The cron scheduler with a controllable clock: firing, isolation, no overlap, the run log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use miti99bot_core::sql::ModuleSql;
use miti99bot_core::telegram::TelegramApi;
use miti99bot_core::{Bot, Config, Cron, Error, Module, Services};
use miti99bot_native::scheduler::{CronRunLog, JobRunner, RunRecord, Scheduler};
use miti99bot_sqlite::SqliteDb;
use miti99bot_testkit::{RecordingTelegram, TestClock};
use tokio::task::JoinSet;

// 2026-11-28 16:59:30 UTC.
const BEFORE_17: i64 = 1_795_885_170_000;
const MINUTE: i64 = 60_000;

struct Fixture {
    runner: JobRunner,
    log: CronRunLog,
    clock: TestClock,
}

async fn fixture(modules: Vec<Module>) -> Fixture {
    let clock = TestClock::at(BEFORE_17);
    let db = SqliteDb::open_in_memory(Arc::new(clock.clone())).unwrap();
    let services = Services::new(
        Config::default(),
        Arc::new(db.kv()),
        Some(Arc::new(db.sql())),
        Arc::new(clock.clone()),
    );
    let bot = Bot::from_modules(modules, services.clone()).await.unwrap();
    let log = CronRunLog::open(ModuleSql::unprefixed(services.sql.clone().unwrap()))
        .await
        .unwrap();
    let telegram: Arc<dyn TelegramApi> = Arc::new(RecordingTelegram::new());
    Fixture {
        runner: JobRunner::new(bot, telegram, log.clone()),
        log,
        clock,
    }
}

fn counting(name: &str, schedule: &str, count: Arc<AtomicUsize>) -> Cron {
    Cron::new(name, schedule, move |ctx| {
        let count = count.clone();
        async move {
            count.fetch_add(1, Ordering::SeqCst);
            ctx.kv().put("ran", &ctx.scheduled_time_ms().to_string()).await?;
            Ok(())
        }
    })
}

async fn drain(tasks: &mut JoinSet<RunRecord>) -> Vec<RunRecord> {
    let mut out = Vec::new();
    while let Some(r) = tasks.join_next().await {
        out.push(r.unwrap());
    }
    out.sort_by_key(|r| format!("{r:?}"));
    out
}

#[tokio::test]
async fn fires_due_jobs_once_per_window_and_records_runs() {
    let daily = Arc::new(AtomicUsize::new(0));
    let every5 = Arc::new(AtomicUsize::new(0));
    let f = fixture(vec![Module::new("m")
        .cron(counting("daily", "0 17 * * *", daily.clone()))
        .cron(counting("every5", "*/5 * * * *", every5.clone()))])
    .await;
    let scheduler = Scheduler::new(f.runner.clone());
    let mut tasks = JoinSet::new();

    // 16:59:30 → 16:59:59: nothing due.
    scheduler.tick(BEFORE_17, BEFORE_17 + 29_000, &mut tasks);
    assert!(drain(&mut tasks).await.is_empty());
    // Up to 17:00:00.5: both fire once, with their due time.
    f.clock.set(BEFORE_17 + 30_500);
    scheduler.tick(BEFORE_17 + 29_000, BEFORE_17 + 30_500, &mut tasks);
    let records = drain(&mut tasks).await;
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(RunRecord::succeeded));
    assert_eq!((daily.load(Ordering::SeqCst), every5.load(Ordering::SeqCst)), (1, 1));
    // A long gap (17:00:00.5 → 17:20:30) fires each job at most once.
    scheduler.tick(BEFORE_17 + 30_500, BEFORE_17 + 30_500 + 20 * MINUTE, &mut tasks);
    drain(&mut tasks).await;
    assert_eq!((daily.load(Ordering::SeqCst), every5.load(Ordering::SeqCst)), (1, 2));
    assert_eq!(f.log.count("m/daily").await.unwrap(), 1);
    assert_eq!(f.log.count("m/every5").await.unwrap(), 2);
    let last = f.log.last("m/daily").await.unwrap().unwrap();
    assert_eq!((last.ok, last.error), (1, None));
}

#[tokio::test]
async fn a_failing_or_panicking_job_never_stops_another() {
    let ok = Arc::new(AtomicUsize::new(0));
    let f = fixture(vec![
        Module::new("a")
            .cron(Cron::new("fails", "0 17 * * *", |_| async {
                Err(Error::msg("disk on fire"))
            }))
            .cron(Cron::new("panics", "0 17 * * *", |_| async { panic!("boom") })),
        Module::new("b").cron(counting("fine", "0 17 * * *", ok.clone())),
    ])
    .await;
    let scheduler = Scheduler::new(f.runner.clone());
    let mut tasks = JoinSet::new();
    scheduler.tick(BEFORE_17, BEFORE_17 + MINUTE, &mut tasks);
    let records = drain(&mut tasks).await;
    assert_eq!(records.len(), 3);
    assert_eq!(ok.load(Ordering::SeqCst), 1);
    let fails = f.log.last("a/fails").await.unwrap().unwrap();
    assert_eq!((fails.ok, fails.error.as_deref()), (0, Some("disk on fire")));
    let panics = f.log.last("a/panics").await.unwrap().unwrap();
    assert_eq!(panics.error.as_deref(), Some("handler panicked"));
    assert_eq!(f.log.last("b/fine").await.unwrap().unwrap().ok, 1);
}

#[tokio::test]
async fn run_scheduled_runs_every_match_and_isolates_errors() {
    // The Workers path: exact schedule-string match, fan-out across modules.
    let ok = Arc::new(AtomicUsize::new(0));
    let f = fixture(vec![
        Module::new("a").cron(Cron::new("fails", "0 17 * * *", |_| async { Err(Error::msg("nope")) })),
        Module::new("b")
            .cron(counting("fine", "0 17 * * *", ok.clone()))
            .cron(counting("other", "0 1 * * *", ok.clone())),
    ])
    .await;
    let outcomes = f
        .runner
        .bot()
        .run_scheduled("0 17 * * *", BEFORE_17, Arc::new(RecordingTelegram::new()))
        .await;
    let jobs: Vec<(&str, bool)> = outcomes.iter().map(|o| (o.job.as_str(), o.result.is_ok())).collect();
    assert_eq!(jobs, [("a/fails", false), ("b/fine", true)]);
    assert_eq!(ok.load(Ordering::SeqCst), 1);
    assert!(f
        .runner
        .bot()
        .run_scheduled("0  17 * * *", BEFORE_17, Arc::new(RecordingTelegram::new()))
        .await
        .is_empty());
}

#[tokio::test]
async fn a_job_never_overlaps_itself() {
    let gate = Arc::new(tokio::sync::Notify::new());
    let started = Arc::new(AtomicUsize::new(0));
    let (g, s) = (gate.clone(), started.clone());
    let slow = Cron::new("slow", "* * * * *", move |_| {
        let (g, s) = (g.clone(), s.clone());
        async move {
            s.fetch_add(1, Ordering::SeqCst);
            g.notified().await;
            Ok(())
        }
    });
    let f = fixture(vec![Module::new("m").cron(slow)]).await;
    let cron = f.runner.bot().registry().crons()[0].clone();
    let first = {
        let runner = f.runner.clone();
        let cron = cron.clone();
        tokio::spawn(async move { runner.run(&cron, BEFORE_17).await })
    };
    while started.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    assert_eq!(
        f.runner.run(&cron, BEFORE_17 + MINUTE).await,
        RunRecord::SkippedOverlap { job: "m/slow".into() }
    );
    gate.notify_one();
    assert!(first.await.unwrap().succeeded());
    assert_eq!(started.load(Ordering::SeqCst), 1);
    // Once finished it runs again.
    let again = {
        let runner = f.runner.clone();
        tokio::spawn(async move { runner.run(&cron, BEFORE_17 + 2 * MINUTE).await })
    };
    while started.load(Ordering::SeqCst) == 1 {
        tokio::task::yield_now().await;
    }
    gate.notify_one();
    assert!(again.await.unwrap().succeeded());
}

#[tokio::test(start_paused = true)]
async fn run_until_fires_at_minute_boundaries_and_stops_on_shutdown() {
    // With tokio's paused clock the sleep to the next minute completes at once; the test clock
    // supplies wall time.
    let count = Arc::new(AtomicUsize::new(0));
    let f = fixture(vec![Module::new("m").cron(counting(
        "every",
        "* * * * *",
        count.clone(),
    ))])
    .await;
    f.clock.set(BEFORE_17 + 29_000);
    let scheduler = Scheduler::new(f.runner.clone());
    let clock = f.clock.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(scheduler.run_until(async move {
        let _ = rx.await;
    }));
    // Let the loop start and take its first reading, then move wall time past 17:00.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    clock.set(BEFORE_17 + MINUTE);
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_secs(31)).await;
        if count.load(Ordering::SeqCst) > 0 {
            break;
        }
    }
    tx.send(()).unwrap();
    handle.await.unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 1);
}
