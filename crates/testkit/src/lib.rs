//! # miti99bot-testkit
//!
//! What tests share: an in-memory [`MemoryKv`], a [`RecordingTelegram`] that records every Bot
//! API call, a [`TestClock`] tests move by hand, and update builders. With the `fake-server`
//! feature, [`FakeTelegram`] is a fake Bot API HTTP server on loopback for end-to-end tests, and
//! [`FakeHttp`] a scripted HTTP server for other clients (price APIs, `HttpGet`). With the
//! `harness` feature, [`TestBot`] is the module authors' harness: a bot over in-memory SQLite,
//! migrations applied before inits, a pinned clock, driven through the real ingress.

#![forbid(unsafe_code)]

#[cfg(feature = "fake-server")]
mod fake_http;
#[cfg(feature = "fake-server")]
mod fake_telegram;
mod memory_kv;
mod recording_telegram;
mod shared_buffer;
#[cfg(feature = "harness")]
mod test_bot;
mod test_clock;

#[cfg(feature = "fake-server")]
pub use fake_http::{FakeHttp, FakeReply};
#[cfg(feature = "fake-server")]
pub use fake_telegram::{Failure, FakeCall, FakeOptions, FakeTelegram};
pub use memory_kv::MemoryKv;
pub use miti99bot_core::telegram::synthetic::{callback_update, private_text_update};
pub use recording_telegram::{RecordedCall, RecordingTelegram};
pub use shared_buffer::SharedBuffer;
#[cfg(feature = "harness")]
pub use test_bot::{
    BotMessage, MessageBuilder, PressBuilder, Sent, StartError, TestBot, TestBotBuilder, DEFAULT_USER, T0,
};
pub use test_clock::TestClock;
