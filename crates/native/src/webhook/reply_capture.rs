//! `WEBHOOK_REPLY=true`: the first `sendMessage` of an update travels back in the webhook's
//! response body instead of as a separate request.

use std::sync::{Arc, Mutex, PoisonError};

use miti99bot_core::telegram::synthetic::sent_message;
use miti99bot_core::telegram::{ApiRequest, Chat, SendMessage, TelegramApi, TelegramError};
use serde_json::{Map, Value};

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
    /// The captured request, not yet taken.
    Held(SendMessage),
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
            Capture::Held(message) => {
                let request = ApiRequest::SendMessage(message);
                let mut body = Map::new();
                body.insert("method".into(), Value::String(request.method().to_owned()));
                if let Value::Object(payload) = request.payload() {
                    body.extend(payload);
                }
                Some(Value::Object(body))
            }
            _ => None,
        }
    }
}

#[async_trait::async_trait]
impl TelegramApi for ReplyCapture {
    async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
        let held = {
            let mut captured = self.captured.lock().unwrap_or_else(PoisonError::into_inner);
            match (&*captured, request) {
                (Capture::Open, ApiRequest::SendMessage(message)) => {
                    // The message Telegram would return, as far as it is known before it is sent.
                    let reply = sent_message(message, self.chat.clone(), 0, self.date);
                    *captured = Capture::Held(message.clone());
                    return serde_json::to_value(reply).map_err(|e| TelegramError::Decode {
                        method: request.method().to_owned(),
                        reason: e.to_string(),
                    });
                }
                (Capture::Held(_), _) => match std::mem::replace(&mut *captured, Capture::Closed) {
                    Capture::Held(held) => Some(held),
                    _ => None,
                },
                _ => None,
            }
        };
        if let Some(held) = held {
            // A later call must not overtake the captured reply: send that one first.
            self.inner.call(&ApiRequest::SendMessage(held)).await?;
        }
        self.inner.call(request).await
    }
}

#[cfg(test)]
mod tests {
    use miti99bot_core::telegram::EditMessageText;
    use miti99bot_testkit::RecordingTelegram;
    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn captures_the_first_send_message() {
        let real = RecordingTelegram::new();
        let capture = ReplyCapture::new(Arc::new(real.clone()), None, 5);
        let api: &dyn TelegramApi = &capture;
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
        let api: &dyn TelegramApi = &capture;
        api.send_message(&SendMessage::new(9, "one")).await.unwrap();
        api.send_message(&SendMessage::new(9, "two")).await.unwrap();
        assert_eq!(real.sent_texts(), vec!["one", "two"]);
        assert!(capture.take_response().is_none());
    }

    #[tokio::test]
    async fn the_held_request_is_typed_and_answered_with_a_typed_message() {
        let real = RecordingTelegram::new();
        let chat = Chat {
            id: -100,
            kind: "supergroup".into(),
            title: Some("Group".into()),
            username: None,
            first_name: None,
        };
        let capture = ReplyCapture::new(Arc::new(real.clone()), Some(chat.clone()), 42);
        let request = SendMessage::new(-100, "<b>hi</b>")
            .html()
            .in_thread(Some(7))
            .replying_to(3);
        let answer = capture.call(&ApiRequest::SendMessage(request.clone())).await.unwrap();
        assert_eq!(
            answer,
            json!({ "message_id": 0, "message_thread_id": 7, "date": 42, "text": "<b>hi</b>",
                    "chat": { "id": -100, "type": "supergroup", "title": "Group" } })
        );
        assert!(matches!(&*capture.captured.lock().unwrap(), Capture::Held(held) if *held == request));
        assert_eq!(
            capture.take_response().unwrap(),
            json!({ "method": "sendMessage", "chat_id": -100, "message_thread_id": 7, "text": "<b>hi</b>",
                    "parse_mode": "HTML", "link_preview_options": { "is_disabled": true },
                    "reply_parameters": { "message_id": 3 } })
        );
    }

    #[tokio::test]
    async fn only_send_message_is_captured() {
        let real = RecordingTelegram::new();
        let capture = ReplyCapture::new(Arc::new(real.clone()), None, 5);
        let api: &dyn TelegramApi = &capture;
        api.edit_message_text(&EditMessageText::new(9, 1, "edited"))
            .await
            .unwrap();
        api.send_message(&SendMessage::new(9, "after")).await.unwrap();
        assert_eq!(real.calls().len(), 1, "the edit went through; the send is held");
        assert_eq!(
            real.requests()[0],
            ApiRequest::EditMessageText(EditMessageText::new(9, 1, "edited"))
        );
        assert_eq!(capture.take_response().unwrap()["text"], "after");
    }
}
