//! How the fake server answers each Bot API method.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::state::{lock, Failure, FakeCall};
use super::Shared;

/// The `date` of every message the fake server sends.
const FAKE_DATE: i64 = 1_700_000_000;

/// `POST|GET /bot<token>/<method>`: records the call, then answers like Telegram.
pub(crate) async fn bot_method(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Some(token) = bot.strip_prefix("bot") else {
        return api_error(404, "Not Found");
    };
    let payload = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(value) => value,
            Err(_) => return api_error(400, "Bad Request: can't parse JSON"),
        }
    };
    let failure = {
        let mut state = lock(&shared.state);
        state.calls.push(FakeCall {
            token: token.to_owned(),
            method: method.clone(),
            payload: payload.clone(),
        });
        state.failure_for(&method, &payload)
    };
    shared.call_recorded.notify_waiters();
    match failure {
        Some(Failure::RateLimited { retry_after }) => {
            let body = json!({
                "ok": false,
                "error_code": 429,
                "description": format!("Too Many Requests: retry after {retry_after}"),
                "parameters": { "retry_after": retry_after },
            });
            return (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
        }
        Some(Failure::Status(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, [(header::CONTENT_TYPE, "text/plain")], "fake upstream failure").into_response();
        }
        Some(Failure::Api { code, description }) => return api_error(code, &description),
        Some(Failure::Delay(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    let result = match method.as_str() {
        "sendMessage" => send_message(&shared, &payload),
        "editMessageText" | "editMessageReplyMarkup" => edit_message(&shared, &payload),
        "getMe" => json!({
            "id": shared.bot_id,
            "is_bot": true,
            "first_name": "Fake Bot",
            "username": shared.username,
        }),
        "getUpdates" => get_updates(&shared, &payload).await,
        "setWebhook" => {
            lock(&shared.state).webhook_url = payload.get("url").and_then(Value::as_str).map(str::to_owned);
            Value::Bool(true)
        }
        "deleteWebhook" => {
            lock(&shared.state).webhook_url = None;
            Value::Bool(true)
        }
        "getWebhookInfo" => {
            let state = lock(&shared.state);
            json!({
                "url": state.webhook_url.clone().unwrap_or_default(),
                "pending_update_count": state.updates.len(),
            })
        }
        _ => Value::Bool(true),
    };
    axum::Json(json!({ "ok": true, "result": result })).into_response()
}

/// Telegram's error shape with `code` as both HTTP status and `error_code`.
fn api_error(code: u16, description: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    let body = json!({ "ok": false, "error_code": code, "description": description });
    (status, axum::Json(body)).into_response()
}

/// A `Message` as Telegram returns it for `sendMessage`.
fn send_message(shared: &Shared, payload: &Value) -> Value {
    let message_id = {
        let mut state = lock(&shared.state);
        state.next_message_id += 1;
        state.next_message_id
    };
    let mut message = json!({
        "message_id": message_id,
        "from": { "id": shared.bot_id, "is_bot": true, "first_name": "Fake Bot", "username": shared.username },
        "chat": { "id": payload.get("chat_id").cloned().unwrap_or(Value::Null), "type": "private" },
        "date": FAKE_DATE,
        "text": payload.get("text").cloned().unwrap_or(Value::Null),
    });
    if let (Some(thread), Some(object)) = (payload.get("message_thread_id"), message.as_object_mut()) {
        object.insert("message_thread_id".into(), thread.clone());
        object.insert("is_topic_message".into(), Value::Bool(true));
    }
    message
}

/// The edited `Message` (its id and chat from the payload, the new `text` if one was sent),
/// or `true` for an inline message, which Telegram edits without returning it.
fn edit_message(shared: &Shared, payload: &Value) -> Value {
    if payload.get("inline_message_id").is_some() {
        return Value::Bool(true);
    }
    let mut message = json!({
        "message_id": payload.get("message_id").cloned().unwrap_or(Value::Null),
        "from": { "id": shared.bot_id, "is_bot": true, "first_name": "Fake Bot", "username": shared.username },
        "chat": { "id": payload.get("chat_id").cloned().unwrap_or(Value::Null), "type": "private" },
        "date": FAKE_DATE,
        "edit_date": FAKE_DATE,
    });
    for field in ["text", "reply_markup"] {
        if let (Some(value), Some(object)) = (payload.get(field), message.as_object_mut()) {
            object.insert(field.into(), value.clone());
        }
    }
    message
}

/// Queued updates from `offset`; when there are none and `timeout` > 0, waits (at most the
/// server's long-poll cap) for one to be pushed.
async fn get_updates(shared: &Shared, payload: &Value) -> Value {
    let offset = payload.get("offset").and_then(Value::as_i64);
    let limit = payload
        .get("limit")
        .and_then(Value::as_u64)
        .map_or(100, |l| l.clamp(1, 100) as usize);
    let timeout = payload.get("timeout").and_then(Value::as_u64).unwrap_or(0);
    let pushed = shared.update_pushed.notified();
    tokio::pin!(pushed);
    pushed.as_mut().enable();
    let first = lock(&shared.state).updates_from(offset, limit);
    if !first.is_empty() || timeout == 0 {
        return Value::Array(first);
    }
    let wait = shared.long_poll_cap.min(Duration::from_secs(timeout));
    let _ = tokio::time::timeout(wait, pushed).await;
    Value::Array(lock(&shared.state).updates_from(offset, limit))
}
