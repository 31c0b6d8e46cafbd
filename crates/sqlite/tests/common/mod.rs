//! What the integration tests share: a clock they control and database constructors.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use miti99bot_core::Clock;
use miti99bot_sqlite::SqliteDb;

/// 2025-01-01T00:00:00Z.
pub const T0: i64 = 1_735_689_600_000;

/// A clock that stands still until told to move.
#[derive(Debug)]
pub struct TestClock(AtomicI64);

impl TestClock {
    pub fn new(now_ms: i64) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(now_ms)))
    }

    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }

    pub fn advance_ms(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// An in-memory database at T0, with its clock.
pub fn memory_db() -> (SqliteDb, Arc<TestClock>) {
    let clock = TestClock::new(T0);
    let db = SqliteDb::open_in_memory(clock.clone()).unwrap();
    (db, clock)
}
