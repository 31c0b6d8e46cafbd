//! What the fake server remembers: calls, scripted failures and the getUpdates queue.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;

/// One call the fake server received.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeCall {
    /// The token from the URL path (`/bot<token>/<method>`).
    pub token: String,
    /// The Bot API method.
    pub method: String,
    /// The JSON body (`{}` when the body was empty or not JSON).
    pub payload: Value,
}

impl FakeCall {
    /// The `text` of a `sendMessage` payload.
    pub fn text(&self) -> Option<&str> {
        self.payload.get("text").and_then(Value::as_str)
    }
}

/// How the fake server answers a call it was told to fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// HTTP 429 with `parameters.retry_after` (seconds).
    RateLimited {
        /// Seconds Telegram asks the client to wait.
        retry_after: u64,
    },
    /// A bare HTTP status with a non-JSON body (e.g. 502 from a proxy).
    Status(u16),
    /// Telegram's error shape: `{"ok":false,"error_code":code,"description":...}` with that status.
    Api {
        /// HTTP status and `error_code`.
        code: u16,
        /// Telegram's `description`.
        description: String,
    },
    /// Answers only after this delay (then succeeds as usual).
    Delay(Duration),
}

/// The mutable state behind the server.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) calls: Vec<FakeCall>,
    /// method -> failures to apply to its next calls, in order.
    pub(crate) failures: HashMap<String, VecDeque<Failure>>,
    /// Updates not yet confirmed by an offset.
    pub(crate) updates: VecDeque<Value>,
    /// chat id -> how every `sendMessage` to it answers, until cleared.
    pub(crate) chat_failures: HashMap<i64, Failure>,
    pub(crate) next_message_id: i64,
    pub(crate) webhook_url: Option<String>,
}

impl State {
    /// The next scripted failure for `method`, if any.
    pub(crate) fn take_failure(&mut self, method: &str) -> Option<Failure> {
        let queue = self.failures.get_mut(method)?;
        let failure = queue.pop_front();
        if queue.is_empty() {
            self.failures.remove(method);
        }
        failure
    }

    /// The scripted failure for a call of `method` with `payload`: the next queued one for the
    /// method, else the standing one for the payload's chat (`sendMessage` only).
    pub(crate) fn failure_for(&mut self, method: &str, payload: &Value) -> Option<Failure> {
        self.take_failure(method).or_else(|| {
            let chat = payload.get("chat_id").and_then(Value::as_i64)?;
            (method == "sendMessage").then(|| self.chat_failures.get(&chat).cloned())?
        })
    }

    /// Drops updates below `offset` (Telegram forgets confirmed updates) and returns up to
    /// `limit` of the rest.
    pub(crate) fn updates_from(&mut self, offset: Option<i64>, limit: usize) -> Vec<Value> {
        if let Some(offset) = offset {
            self.updates
                .retain(|u| u.get("update_id").and_then(Value::as_i64).is_none_or(|id| id >= offset));
        }
        self.updates.iter().take(limit).cloned().collect()
    }
}

/// Locks the state; a poisoned lock (a panicking test thread) still yields the data.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
