//! A fake Telegram Bot API server on loopback, for end-to-end tests.
//!
//! [`FakeTelegram::start`] binds `127.0.0.1:0` (a free port) and serves
//! `/bot<token>/<method>` until it is dropped. Point a client at [`FakeTelegram::base_url`]
//! (`TELEGRAM_API_BASE`). It records every call, answers like Telegram (`sendMessage` returns a
//! `Message`, `editMessageText`/`editMessageReplyMarkup` the edited `Message` (`true` for an
//! `inline_message_id`), `getMe` a bot user, `setWebhook`/`deleteWebhook`/`setMyCommands`/
//! `answerCallbackQuery` `true`), fails
//! the next calls of a method when told to ([`FakeTelegram::fail_next`]), and serves
//! `getUpdates` from a queue ([`FakeTelegram::push_update`]) honouring `offset`, `limit` and a
//! short long-poll wait.

mod answers;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::routing::any;
use axum::Router;
use serde_json::Value;
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;

pub use state::{Failure, FakeCall};

use state::{lock, State};

/// Settings of a [`FakeTelegram`].
#[derive(Debug, Clone)]
pub struct FakeOptions {
    /// The bot's username `getMe` answers.
    pub username: String,
    /// The longest a `getUpdates` with a timeout waits on an empty queue (keeps tests fast).
    pub long_poll_cap: Duration,
}

impl Default for FakeOptions {
    fn default() -> Self {
        Self {
            username: "fake_bot".to_owned(),
            long_poll_cap: Duration::from_millis(200),
        }
    }
}

/// What the request handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    pub(crate) update_pushed: Notify,
    pub(crate) call_recorded: Notify,
    pub(crate) username: String,
    pub(crate) bot_id: i64,
    pub(crate) long_poll_cap: Duration,
}

/// A running fake Bot API server; it stops when dropped.
#[derive(Debug)]
pub struct FakeTelegram {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl FakeTelegram {
    /// Starts a server with default options on a free loopback port.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(FakeOptions::default()).await
    }

    /// Starts a server with `options` on a free loopback port.
    pub async fn start_with(options: FakeOptions) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            update_pushed: Notify::new(),
            call_recorded: Notify::new(),
            username: options.username,
            bot_id: 4242,
            long_poll_cap: options.long_poll_cap,
        });
        let app = Router::new()
            .route("/{bot}/{method}", any(answers::bot_method))
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                eprintln!("fake telegram server failed: {error}");
            }
        });
        Ok(Self {
            addr,
            shared,
            stop: Some(stop),
            task,
        })
    }

    /// `http://127.0.0.1:<port>`: the value for `TELEGRAM_API_BASE`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every call so far, in arrival order.
    pub fn calls(&self) -> Vec<FakeCall> {
        lock(&self.shared.state).calls.clone()
    }

    /// The calls of one method so far.
    pub fn calls_of(&self, method: &str) -> Vec<FakeCall> {
        lock(&self.shared.state)
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// The texts of every `sendMessage` so far.
    pub fn sent_texts(&self) -> Vec<String> {
        self.calls_of("sendMessage")
            .iter()
            .filter_map(|c| c.text().map(str::to_owned))
            .collect()
    }

    /// Forgets the calls so far.
    pub fn clear_calls(&self) {
        lock(&self.shared.state).calls.clear();
    }

    /// Makes the next `times` calls of `method` answer with `failure` (after any failures
    /// already queued for it).
    pub fn fail_next(&self, method: &str, times: usize, failure: Failure) {
        let mut state = lock(&self.shared.state);
        let queue = state.failures.entry(method.to_owned()).or_default();
        queue.extend(std::iter::repeat_n(failure, times));
    }

    /// Makes every `sendMessage` to `chat_id` answer with `failure` (a [`Failure::Delay`] hangs
    /// it) until [`clear_chat`](Self::clear_chat); other chats answer as usual.
    pub fn fail_chat(&self, chat_id: i64, failure: Failure) {
        lock(&self.shared.state).chat_failures.insert(chat_id, failure);
    }

    /// Ends [`fail_chat`](Self::fail_chat) for `chat_id`.
    pub fn clear_chat(&self, chat_id: i64) {
        lock(&self.shared.state).chat_failures.remove(&chat_id);
    }

    /// Queues an update for `getUpdates` (any JSON: tests may queue malformed updates).
    pub fn push_update(&self, update: Value) {
        lock(&self.shared.state).updates.push_back(update);
        self.shared.update_pushed.notify_waiters();
    }

    /// Updates queued and not yet confirmed by a later `offset`.
    pub fn pending_updates(&self) -> usize {
        lock(&self.shared.state).updates.len()
    }

    /// The URL of the last `setWebhook` (cleared by `deleteWebhook`).
    pub fn webhook_url(&self) -> Option<String> {
        lock(&self.shared.state).webhook_url.clone()
    }

    /// Waits until at least `count` calls of `method` were received, or `timeout` passed, and
    /// returns the calls of `method` received by then.
    pub async fn wait_for_calls(&self, method: &str, count: usize, timeout: Duration) -> Vec<FakeCall> {
        let deadline = Instant::now() + timeout;
        loop {
            let recorded = self.shared.call_recorded.notified();
            tokio::pin!(recorded);
            recorded.as_mut().enable();
            let calls = self.calls_of(method);
            let left = deadline.saturating_duration_since(Instant::now());
            if calls.len() >= count || left.is_zero() {
                return calls;
            }
            let _ = tokio::time::timeout(left.min(Duration::from_millis(50)), recorded).await;
        }
    }
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.abort();
    }
}
