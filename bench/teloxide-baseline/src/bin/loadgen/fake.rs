//! A minimal fake Bot API on loopback that tells the generator when each chat got its reply.
//!
//! miti99bot-testkit's `FakeTelegram` answers the same way, but it can only wait for a total
//! count of calls (cloning its whole call log on every check). teloxide answers the webhook
//! *before* handling the update, so the generator must wait for each update's `sendMessage`,
//! per chat, cheaply: hence this one. Its answers have the testkit's shapes. It also keeps, per
//! chat, when each `sendMessage` arrived (the fixed-rate scenario matches them to its requests)
//! and how often each text was sent (the checks after a run).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::any;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::watch;

struct Chat {
    /// `sendMessage` calls so far.
    count: watch::Sender<u64>,
    /// When each arrived (since the last [`FakeTelegram::clear`]).
    times: Vec<Instant>,
}

#[derive(Default)]
struct Log {
    chats: HashMap<i64, Chat>,
    /// `sendMessage` texts (since the last [`FakeTelegram::clear`]).
    texts: HashMap<String, u64>,
}

impl Log {
    fn chat(&mut self, chat: i64) -> &mut Chat {
        self.chats.entry(chat).or_insert_with(|| Chat {
            count: watch::channel(0).0,
            times: Vec::new(),
        })
    }
}

#[derive(Default)]
struct Shared {
    log: Mutex<Log>,
    send_message: AtomicU64,
    get_me: AtomicU64,
    other: AtomicU64,
    next_message_id: AtomicU64,
}

impl Shared {
    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The running fake (it lives as long as the generator).
#[derive(Clone)]
pub struct FakeTelegram {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl FakeTelegram {
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/{bot}/{method}", any(bot_method))
            .with_state(shared.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("fake telegram failed: {error}");
            }
        });
        Ok(Self { addr, shared })
    }

    /// The value for `TELEGRAM_API_BASE`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A watch on the number of replies `chat` got so far.
    pub fn replies_to(&self, chat: i64) -> watch::Receiver<u64> {
        self.shared.log().chat(chat).count.subscribe()
    }

    /// When `chat`'s replies since the last [`clear`](Self::clear) arrived, in order.
    pub fn reply_times(&self, chat: i64) -> Vec<Instant> {
        self.shared.log().chat(chat).times.clone()
    }

    /// The texts sent since the last [`clear`](Self::clear), with their counts.
    pub fn texts(&self) -> HashMap<String, u64> {
        self.shared.log().texts.clone()
    }

    /// Forgets the reply times and texts (the counts stay).
    pub fn clear(&self) {
        let mut log = self.shared.log();
        log.texts.clear();
        for chat in log.chats.values_mut() {
            chat.times = Vec::new();
        }
    }

    /// (`sendMessage`, `getMe`, other) calls so far.
    pub fn counts(&self) -> (u64, u64, u64) {
        let s = &self.shared;
        (
            s.send_message.load(Ordering::Relaxed),
            s.get_me.load(Ordering::Relaxed),
            s.other.load(Ordering::Relaxed),
        )
    }
}

async fn bot_method(
    State(shared): State<Arc<Shared>>,
    Path((_bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Json<Value> {
    let payload: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    // Telegram matches method names case-insensitively; teloxide sends `GetMe`.
    let result = match method.to_ascii_lowercase().as_str() {
        "sendmessage" => {
            let at = Instant::now();
            let chat = payload.get("chat_id").and_then(Value::as_i64).unwrap_or(0);
            let text = payload.get("text").and_then(Value::as_str).unwrap_or_default();
            let message_id = shared.next_message_id.fetch_add(1, Ordering::Relaxed) + 1;
            let message = json!({
                "message_id": message_id,
                "from": { "id": 4242, "is_bot": true, "first_name": "Fake Bot", "username": "test_bot" },
                "chat": { "id": chat, "type": "private" },
                "date": 1_700_000_000,
                "text": text,
            });
            shared.send_message.fetch_add(1, Ordering::Relaxed);
            let mut log = shared.log();
            *log.texts.entry(text.to_owned()).or_default() += 1;
            let entry = log.chat(chat);
            entry.times.push(at);
            entry.count.send_modify(|n| *n += 1);
            message
        }
        "getme" => {
            shared.get_me.fetch_add(1, Ordering::Relaxed);
            // teloxide's `Me` requires the bot-only fields Telegram sends.
            json!({
                "id": 4242, "is_bot": true, "first_name": "Fake Bot", "username": "test_bot",
                "can_join_groups": true, "can_read_all_group_messages": false,
                "supports_inline_queries": false, "can_connect_to_business": false,
                "has_main_web_app": false,
            })
        }
        _ => {
            shared.other.fetch_add(1, Ordering::Relaxed);
            Value::Bool(true)
        }
    };
    Json(json!({ "ok": true, "result": result }))
}
