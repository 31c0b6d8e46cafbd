//! The HTTP surface: `GET /`, `POST /webhook`, 404 for everything else.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use miti99bot_core::telegram::TelegramApi;
use miti99bot_core::webhook::{parse_update_body, BodyError, HEALTH_BODY, SECRET_HEADER};

use super::reply_capture::ReplyCapture;
use super::WebhookState;
use crate::updates::Outcome;

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

/// `GET /`: unauthenticated health check.
async fn health() -> Response {
    text(StatusCode::OK, HEALTH_BODY)
}

/// Any other route or method.
async fn not_found() -> Response {
    text(StatusCode::NOT_FOUND, "not found")
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// `POST /webhook`: secret, body, update; then apply it and answer once it is applied.
async fn webhook(State(state): State<Arc<WebhookState>>, request: Request) -> Response {
    let started = Instant::now();
    let given = request.headers().get(SECRET_HEADER).map(|v| v.as_bytes());
    if !state.secret.matches(given) {
        tracing::warn!("webhook call with a wrong or missing secret refused");
        return text(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    // After the secret: nobody unauthenticated makes the server buffer a body.
    let body = match Bytes::from_request(request, &()).await {
        Ok(body) => body,
        Err(rejection) => {
            tracing::warn!(status = rejection.status().as_u16(), "webhook body refused");
            return (rejection.status(), rejection.body_text()).into_response();
        }
    };
    let update = match parse_update_body(&body) {
        Ok(update) => update,
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
            return match error {
                // Redelivering it would fail the same way: acknowledge and log.
                BodyError::Unreadable { update_id, .. } => {
                    tracing::warn!(update_id, %error, "malformed update skipped");
                    status.into_response()
                }
                _ => {
                    tracing::warn!(%error, "webhook body refused");
                    text(status, error.body())
                }
            };
        }
    };
    let update_id = update.update_id;
    let permit = match tokio::time::timeout(state.options.admission_wait, state.admission.clone().acquire_owned()).await
    {
        Ok(Ok(permit)) => permit,
        _ => {
            tracing::warn!(update_id, "saturated: answering 503 so Telegram retries later");
            return text(StatusCode::SERVICE_UNAVAILABLE, "busy");
        }
    };
    let capture = state.options.reply_in_response.then(|| {
        let chat = update.command_message().map(|m| m.chat.clone());
        Arc::new(ReplyCapture::new(
            state.telegram.clone(),
            chat,
            state.clock.now_ms() / 1000,
        ))
    });
    let telegram: Arc<dyn TelegramApi> = match &capture {
        Some(capture) => capture.clone(),
        None => state.telegram.clone(),
    };
    let processor = state.processor.clone();
    // Its own task: if Telegram hangs up, the update is still applied in full (and the permit
    // is held until then, so shutdown waits for it).
    let task = tokio::spawn(async move {
        let outcome = processor.process(update, telegram).await;
        drop(permit);
        outcome
    });
    let outcome = match task.await {
        Ok(outcome) => outcome,
        Err(error) => {
            tracing::error!(update_id, %error, "update task failed");
            Outcome::Panicked
        }
    };
    tracing::info!(
        update_id,
        outcome = outcome.label(),
        ms = started.elapsed().as_millis() as u64,
        "webhook update"
    );
    if !outcome.acknowledged() {
        return text(StatusCode::SERVICE_UNAVAILABLE, "try again later");
    }
    match capture.and_then(|c| c.take_response()) {
        Some(reply) => axum::Json(reply).into_response(),
        None => StatusCode::OK.into_response(),
    }
}
