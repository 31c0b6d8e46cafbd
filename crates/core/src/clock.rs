//! Wall-clock time, supplied by the runtime.
//!
//! `std::time::SystemTime::now()` panics on `wasm32-unknown-unknown`, so the core never calls
//! it: the native runtime passes a system clock, the Worker passes `Date.now()`, tests pass a
//! clock they control.

use crate::maybe_send::{MaybeSend, MaybeSync};

/// A source of the current time in Unix milliseconds.
pub trait Clock: MaybeSend + MaybeSync {
    /// Milliseconds since the Unix epoch, UTC.
    fn now_ms(&self) -> i64;
}

/// A clock that always answers the same instant (tests, replays).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now_ms(&self) -> i64 {
        self.0
    }
}
