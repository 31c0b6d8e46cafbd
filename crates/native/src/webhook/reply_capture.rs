//! `WEBHOOK_REPLY=true`: the first `sendMessage` of an update travels back in the webhook's
//! response body instead of as a separate request.

use std::sync::{Arc, Mutex, PoisonError};

use miti99bot_core::telegram::{Chat, TelegramApi, TelegramError};
use serde_json::{json, Map, Value};

/// A per-update [`TelegramApi`]: the first `sendMessage` is kept (and answered with a synthetic
/// message) for the webhook response; every other call goes to the real client. When the
/// handler makes another call while the reply is held, the held reply is sent first, so
/// messages keep their order (and the response then carries none).
pub struct ReplyCapture {
    inner: Arc<dyn TelegramApi>,
    chat: Option<Chat>,
    date: i64,
    captured: Mutex<Capture>,
}

#[derive(Debug, Default)]
enum Capture {
    /// Nothing sent yet: the next `sendMessage` is captured.
    #[default]
    Open,
    /// The captured payload, not yet taken.
    Held(Map<String, Value>),
    /// Taken (or closed): later calls go to Telegram.
    Closed,
}

impl std::fmt::Debug for ReplyCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplyCapture").finish_non_exhaustive()
    }
}

impl ReplyCapture {
    /// Wraps `inner` for one update of `chat` (used in the synthetic reply), at `date` (Unix s).
    pub fn new(inner: Arc<dyn TelegramApi>, chat: Option<Chat>, date: i64) -> Self {
        Self {
            inner,
            chat,
            date,
            captured: Mutex::new(Capture::Open),
        }
    }

    /// The webhook response body for the captured call, `{"method":"sendMessage", ...payload}`,
    /// if one is still held. Afterwards every call goes to Telegram.
    pub fn take_response(&self) -> Option<Value> {
        let mut captured = self.captured.lock().unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut *captured, Capture::Closed) {
            Capture::Held(payload) => {
                let mut body = Map::new();
                body.insert("method".into(), Value::String("sendMessage".into()));
                body.extend(payload);
                Some(Value::Object(body))
            }
            _ => None,
        }
    }

    /// The message Telegram would have returned, as far as it is known before it is sent.
    fn synthetic_message(&self, payload: &Map<String, Value>) -> Value {
        let chat = match &self.chat {
            Some(chat) => serde_json::to_value(chat).unwrap_or(Value::Null),
            None => json!({ "id": payload.get("chat_id").cloned().unwrap_or(Value::Null), "type": "private" }),
        };
        let mut message = json!({
            "message_id": 0,
            "date": self.date,
            "chat": chat,
            "text": payload.get("text").cloned().unwrap_or(Value::Null),
        });
        if let (Some(thread), Some(object)) = (payload.get("message_thread_id"), message.as_object_mut()) {
            object.insert("message_thread_id".into(), thread.clone());
        }
        message
    }
}

#[async_trait::async_trait]
impl TelegramApi for ReplyCapture {
    async fn call(&self, method: &str, payload: Value) -> Result<Value, TelegramError> {
        let held = {
            let mut captured = self.captured.lock().unwrap_or_else(PoisonError::into_inner);
            match (&*captured, method, &payload) {
                (Capture::Open, "sendMessage", Value::Object(object)) => {
                    let message = self.synthetic_message(object);
                    *captured = Capture::Held(object.clone());
                    return Ok(message);
                }
                (Capture::Held(_), _, _) => match std::mem::replace(&mut *captured, Capture::Closed) {
                    Capture::Held(held) => Some(held),
                    _ => None,
                },
                _ => None,
            }
        };
        if let Some(held) = held {
            // A later call must not overtake the captured reply: send that one first.
            self.inner.call("sendMessage", Value::Object(held)).await?;
        }
        self.inner.call(method, payload).await
    }
}

#[cfg(test)]
mod tests {
    use miti99bot_core::telegram::SendMessage;
    use miti99bot_testkit::RecordingTelegram;

    use super::*;

    #[tokio::test]
    async fn captures_the_first_send_message() {
        let real = RecordingTelegram::new();
        let capture = ReplyCapture::new(Arc::new(real.clone()), None, 5);
        let api: &(dyn TelegramApi + 'static) = &capture;
        let first = api.send_message(&SendMessage::new(9, "one").html()).await.unwrap();
        assert_eq!(first.chat.id, 9);
        assert_eq!(first.text.as_deref(), Some("one"));
        assert!(real.calls().is_empty());
        let body = capture.take_response().unwrap();
        assert_eq!(body["method"], "sendMessage");
        assert_eq!(body["text"], "one");
        assert_eq!(body["parse_mode"], "HTML");
        assert!(capture.take_response().is_none());
        api.send_message(&SendMessage::new(9, "two")).await.unwrap();
        assert_eq!(real.sent_texts(), vec!["two"]);
    }

    #[tokio::test]
    async fn a_second_call_flushes_the_held_reply_first() {
        let real = RecordingTelegram::new();
        let capture = ReplyCapture::new(Arc::new(real.clone()), None, 5);
        let api: &(dyn TelegramApi + 'static) = &capture;
        api.send_message(&SendMessage::new(9, "one")).await.unwrap();
        api.send_message(&SendMessage::new(9, "two")).await.unwrap();
        assert_eq!(real.sent_texts(), vec!["one", "two"]);
        assert!(capture.take_response().is_none());
    }
}
