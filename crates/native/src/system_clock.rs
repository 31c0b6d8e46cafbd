//! The wall clock natively.

use std::time::{SystemTime, UNIX_EPOCH};

use miti99bot_core::Clock;

/// `SystemTime::now()` in Unix milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }
}
