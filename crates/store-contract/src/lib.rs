//! # miti99bot-store-contract
//!
//! The behaviour every store backend must show, written once and run against each of them:
//! SQLite natively (a test in this crate) and D1 / Workers KV inside workerd (a test-only route
//! of the Worker). Each case is an async function over the backend traits of `miti99bot-core`,
//! so this crate builds for `wasm32-unknown-unknown` and for the host alike.
//!
//! - [`run_kv_contract`]: prefixing, round trips, list paging, TTL rules, list limits.
//! - [`run_sql_contract`]: typed rows, Telegram-size ids, the ±2^53 rule, batch atomicity,
//!   the 100-parameter limit, run metadata, no explicit transactions.
//!
//! Cases never panic: a failure is reported as [`CaseReport`] with a reason.

#![forbid(unsafe_code)]

mod kv_cases;
mod report;
mod sql_cases;

pub use kv_cases::run_kv_contract;
pub use report::{summarize, CaseReport, Summary};
pub use sql_cases::{run_sql_contract, TELEGRAM_GROUP_ID, TELEGRAM_USER_ID};

/// Fails the surrounding case with a formatted reason when `cond` is false.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}
pub(crate) use ensure;
