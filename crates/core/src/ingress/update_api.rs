//! The Bot API as one update's handler sees it: every call claims the update first, and in
//! webhook-reply mode the first `sendMessage` is held for the webhook answer.

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value};

use crate::ledger::{ClaimError, UpdateClaim};
use crate::telegram::{Chat, Message, TelegramApi, TelegramError};

#[derive(Debug, Default)]
enum Capture {
    /// Nothing sent yet: the next `sendMessage` is held.
    #[default]
    Open,
    /// The held payload.
    Held(Map<String, Value>),
    /// Taken, or never enabled: every call goes to Telegram.
    Closed,
}

/// A per-update [`TelegramApi`] (see the [module docs](self)). When the handler makes another
/// call while a reply is held, the held reply is sent first, so messages keep their order (and
/// the answer then carries none).
pub(crate) struct UpdateApi {
    inner: Arc<dyn TelegramApi>,
    claim: Arc<UpdateClaim>,
    chat: Option<Chat>,
    date: i64,
    capture: Mutex<Capture>,
}

impl UpdateApi {
    /// Calls through `inner` after claiming `claim`; `capture` holds the first reply.
    pub(crate) fn new(
        inner: Arc<dyn TelegramApi>,
        claim: Arc<UpdateClaim>,
        capture: bool,
        chat: Option<Chat>,
        date: i64,
    ) -> Self {
        Self {
            inner,
            claim,
            chat,
            date,
            capture: Mutex::new(if capture { Capture::Open } else { Capture::Closed }),
        }
    }

    /// The held reply as a webhook answer body, `{"method":"sendMessage", ...payload}`, if one is
    /// still held. Afterwards every call goes to Telegram.
    pub(crate) fn take_inline(&self) -> Option<String> {
        let mut capture = self.capture.lock().unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut *capture, Capture::Closed) {
            Capture::Held(payload) => {
                let mut body = Map::new();
                body.insert("method".into(), Value::String("sendMessage".into()));
                body.extend(payload);
                serde_json::to_string(&Value::Object(body)).ok()
            }
            _ => None,
        }
    }

    /// The message Telegram would return, as far as it is known before it is sent.
    fn synthetic_message(&self, payload: &Map<String, Value>) -> Result<Value, TelegramError> {
        let chat = match &self.chat {
            Some(chat) => chat.clone(),
            None => Chat {
                id: payload.get("chat_id").and_then(Value::as_i64).unwrap_or_default(),
                kind: "private".to_owned(),
                title: None,
                username: None,
                first_name: None,
            },
        };
        let message = Message {
            message_id: 0,
            message_thread_id: payload.get("message_thread_id").and_then(Value::as_i64),
            is_topic_message: None,
            from: None,
            chat,
            date: self.date,
            text: payload.get("text").and_then(Value::as_str).map(str::to_owned),
            entities: None,
            caption: None,
            caption_entities: None,
            reply_to_message: None,
        };
        serde_json::to_value(message).map_err(|e| TelegramError::Decode {
            method: "sendMessage".into(),
            reason: e.to_string(),
        })
    }
}

#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
impl TelegramApi for UpdateApi {
    async fn call(&self, method: &str, payload: Value) -> Result<Value, TelegramError> {
        self.claim.before_effect().await.map_err(|error| match error {
            ClaimError::AlreadyApplied(update_id) => TelegramError::AlreadyApplied {
                method: method.to_owned(),
                update_id,
            },
            ClaimError::Unavailable(error) => TelegramError::LedgerUnavailable {
                method: method.to_owned(),
                reason: error.to_string(),
            },
        })?;
        let held = {
            let mut capture = self.capture.lock().unwrap_or_else(PoisonError::into_inner);
            match (&*capture, method, &payload) {
                (Capture::Open, "sendMessage", Value::Object(object)) => {
                    let message = self.synthetic_message(object)?;
                    *capture = Capture::Held(object.clone());
                    return Ok(message);
                }
                (Capture::Held(_), _, _) => match std::mem::replace(&mut *capture, Capture::Closed) {
                    Capture::Held(held) => Some(held),
                    _ => None,
                },
                _ => None,
            }
        };
        if let Some(held) = held {
            // A later call must not overtake the held reply: send that one first.
            self.inner.call("sendMessage", Value::Object(held)).await?;
        }
        self.inner.call(method, payload).await
    }
}
