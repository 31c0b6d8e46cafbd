//! The HTTP surface: `GET /`, `POST /webhook`, 404 for everything else. Every decision about a
//! webhook request is core's ([`Ingress`](miti99bot_core::ingress::Ingress)); this file only
//! moves bytes and statuses.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use miti99bot_core::ingress::{Outcome, WebhookAnswer};
use miti99bot_core::webhook::{HEALTH_BODY, SECRET_HEADER};

use super::WebhookState;
use crate::updates::Queued;

/// The router over `state`.
pub(crate) fn router(state: Arc<WebhookState>) -> Router {
    let body_limit = state.options.body_limit;
    Router::new()
        .route("/", get(health).fallback(not_found))
        .route("/webhook", post(webhook).fallback(not_found))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// `GET /`: unauthenticated health check; 503 when the database is gone or failing.
async fn health(State(state): State<Arc<WebhookState>>) -> Response {
    match state.database_ok() {
        Ok(()) => respond(WebhookAnswer::text(200, HEALTH_BODY)),
        Err(answer) => respond(answer),
    }
}

/// Any other route or method.
async fn not_found() -> Response {
    respond(WebhookAnswer::text(404, "not found"))
}

/// Core's answer as an axum response.
fn respond(answer: WebhookAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = Bytes::copy_from_slice(answer.body.as_bytes());
    match answer.body.content_type() {
        Some(content_type) => (status, [(header::CONTENT_TYPE, content_type)], bytes).into_response(),
        None => status.into_response(),
    }
}

/// `POST /webhook`: secret, body, update; then apply it and answer once it is applied.
async fn webhook(State(state): State<Arc<WebhookState>>, request: Request) -> Response {
    let started = Instant::now();
    let ingress = state.processor.ingress();
    let given = request.headers().get(SECRET_HEADER).map(|v| v.as_bytes());
    if let Err(answer) = ingress.authorize(given) {
        return respond(answer);
    }
    // After the secret: nobody unauthenticated makes the server buffer a body, and a declared
    // length over the limit is refused before any of it is read.
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok());
    if let Err(answer) = ingress.check_length(declared) {
        return respond(answer);
    }
    let read = tokio::time::timeout(
        state.options.connection.header_timeout,
        Bytes::from_request(request, &()),
    );
    let body = match read.await {
        Ok(Ok(body)) => body,
        Ok(Err(rejection)) => {
            tracing::warn!(status = rejection.status().as_u16(), "webhook body refused");
            return (rejection.status(), rejection.body_text()).into_response();
        }
        Err(_) => {
            tracing::warn!("webhook body not received in time; answering 408");
            return respond(WebhookAnswer::text(408, "request timeout"));
        }
    };
    let update = match ingress.read(&body) {
        Ok(update) => update,
        Err(answer) => return respond(answer),
    };
    let update_id = update.update_id;
    if let Err(answer) = state.database_ok() {
        tracing::warn!(
            update_id,
            "database unavailable; answering 503 so Telegram retries later"
        );
        return respond(answer);
    }
    // Queue in the chat first, holding no global slot while the chat's earlier updates run: a
    // slow chat delays only itself, and past its bound only it is refused.
    let queued = match state
        .processor
        .submit(update, state.options.max_per_chat, &state.admission)
    {
        Ok(queued) => queued,
        Err(busy) => {
            tracing::warn!(update_id, %busy, "chat saturated: answering 503 so Telegram retries later");
            return respond(WebhookAnswer::text(503, "busy"));
        }
    };
    // The update runs on its chat's task: if Telegram hangs up, an update already started is
    // still applied in full (and holds its slot until then, so shutdown waits for it).
    let applied = match queued.await {
        Queued::Applied(applied) => applied,
        Queued::Saturated => {
            tracing::warn!(update_id, "saturated: answering 503 so Telegram retries later");
            return respond(WebhookAnswer::text(503, "busy"));
        }
        Queued::Dropped => {
            // Core contains handler panics; this is the chat's task itself failing.
            tracing::error!(
                update_id,
                "update dropped unapplied: answering 503 so Telegram retries later"
            );
            return respond(WebhookAnswer::text(503, "busy"));
        }
    };
    let label = applied.outcome.label();
    tracing::info!(
        update_id,
        outcome = label,
        ms = started.elapsed().as_millis() as u64,
        "webhook update"
    );
    if matches!(applied.outcome, Outcome::Unavailable(_)) {
        tracing::warn!(update_id, "not applied; answering 503 so Telegram delivers it again");
    }
    respond(applied.answer())
}
