//! Plain-text and JSON responses.

use miti99bot_core::ingress::WebhookAnswer;
use worker::{Headers, Response};

/// A `text/plain` response.
pub fn text(status: u16, body: &str) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "text/plain; charset=utf-8")?;
    Ok(Response::ok(body)?.with_status(status).with_headers(headers))
}

/// A JSON response.
pub fn json(status: u16, body: &serde_json::Value) -> worker::Result<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// Core's webhook answer as a response.
pub fn answer(answer: WebhookAnswer) -> worker::Result<Response> {
    let headers = Headers::new();
    if let Some(content_type) = answer.body.content_type() {
        headers.set("content-type", content_type)?;
    }
    Ok(Response::from_bytes(answer.body.as_bytes().to_vec())?
        .with_status(answer.status)
        .with_headers(headers))
}
