//! Plain-text and JSON responses.

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
