//! # miti99bot-testkit
//!
//! What tests share: an in-memory [`MemoryKv`], a [`RecordingTelegram`] that records every Bot
//! API call, a [`TestClock`] tests move by hand, and update builders.

#![forbid(unsafe_code)]

mod memory_kv;
mod recording_telegram;
mod test_clock;

pub use memory_kv::MemoryKv;
pub use miti99bot_core::telegram::synthetic::private_text_update;
pub use recording_telegram::{RecordedCall, RecordingTelegram};
pub use test_clock::TestClock;
