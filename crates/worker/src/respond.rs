//! Plain-text and JSON responses.

use miti99bot_core::ingress::{AnswerBody, WebhookAnswer};
use wasm_bindgen::JsValue;

use crate::js_http::{response, HttpResponse};

/// A `text/plain` response.
pub fn text(status: u16, body: &str) -> Result<HttpResponse, JsValue> {
    response(status, Some(body), Some("text/plain; charset=utf-8"))
}

/// A JSON response.
#[cfg(feature = "e2e")]
pub fn json(status: u16, body: &serde_json::Value) -> Result<HttpResponse, JsValue> {
    let body = serde_json::to_string(body).map_err(|e| JsValue::from_str(&e.to_string()))?;
    response(status, Some(&body), Some("application/json"))
}

/// Core's webhook answer as a response.
pub fn answer(answer: WebhookAnswer) -> Result<HttpResponse, JsValue> {
    let content_type = answer.body.content_type();
    let body = match &answer.body {
        AnswerBody::Empty => None,
        AnswerBody::Text(text) => Some(*text),
        AnswerBody::Json(json) => Some(json.as_str()),
    };
    response(answer.status, body, content_type)
}
