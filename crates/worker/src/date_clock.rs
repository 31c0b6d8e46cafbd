//! The Worker's clock: `Date.now()` (`SystemTime::now()` panics on wasm32).

use miti99bot_core::Clock;

/// Milliseconds from JavaScript's `Date.now()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateClock;

impl Clock for DateClock {
    fn now_ms(&self) -> i64 {
        // Date.now() is an integral number of milliseconds, far inside i64.
        #[allow(clippy::cast_possible_truncation)]
        let now = js_sys::Date::now() as i64;
        now
    }
}
