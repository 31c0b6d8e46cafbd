//! The Bot API as one update's handler sees it: every call claims the update first, and in
//! webhook-reply mode the first `sendMessage` (or, for a button press whose handler sent no
//! message, the framework's `answerCallbackQuery`) is held for the webhook answer. A held
//! request claims nothing: Telegram carries it out only with the answer it acknowledges, so it
//! cannot be applied twice (a redelivery means the answer, and so the reply, never arrived).
//! When it has to be sent as a call after all, the call that displaces it claims first.

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use crate::ledger::{ClaimError, UpdateClaim};
use crate::telegram::synthetic::sent_message_json;
use crate::telegram::{ApiRequest, Chat, TelegramApi, TelegramError};

#[derive(Debug, Default)]
enum Capture {
    /// Nothing sent yet: the next `sendMessage` or `answerCallbackQuery` is held.
    #[default]
    Open,
    /// The held request.
    Held(ApiRequest),
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
    /// Calls through `inner` after claiming `claim`; with `capture` the first reply is held.
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

    /// The held request as a webhook answer body, `{"method":"sendMessage", ...parameters}`,
    /// if one is still held. Afterwards every call goes to Telegram.
    pub(crate) fn take_inline(&self) -> Option<String> {
        let mut capture = self.capture.lock().unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut *capture, Capture::Closed) {
            Capture::Held(request) => {
                // `{"method":"…",` then the parameters' own members: one serialisation.
                let method = request.method();
                let parameters = request.to_json();
                let members = parameters.strip_prefix('{').unwrap_or("}").trim_start();
                Some(if members.starts_with('}') {
                    format!(r#"{{"method":"{method}"}}"#)
                } else {
                    format!(r#"{{"method":"{method}",{members}"#)
                })
            }
            _ => None,
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
impl TelegramApi for UpdateApi {
    async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
        let method = request.method();
        {
            let mut capture = self.capture.lock().unwrap_or_else(PoisonError::into_inner);
            match (&*capture, request) {
                (Capture::Open, ApiRequest::SendMessage(send)) => {
                    // What Telegram would answer, as far as it is known before it is sent.
                    let message = sent_message_json(send, self.chat.clone(), 0, self.date);
                    *capture = Capture::Held(request.clone());
                    return Ok(message);
                }
                (Capture::Open, ApiRequest::AnswerCallbackQuery(_)) => {
                    *capture = Capture::Held(request.clone());
                    return Ok(Value::Bool(true));
                }
                _ => {}
            }
        }
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
            match std::mem::replace(&mut *capture, Capture::Closed) {
                Capture::Held(held) => Some(held),
                other => {
                    *capture = other;
                    None
                }
            }
        };
        if let Some(held) = held {
            // A later call must not overtake the held reply: send that one first.
            self.inner.call(&held).await?;
        }
        self.inner.call(request).await
    }
}
