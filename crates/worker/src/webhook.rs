//! `POST /webhook`: secret, size and JSON checks, the duplicate claim, then dispatch.

use miti99bot_core::Dispatch;
use worker::{Env, Request, Response};

use crate::date_clock::DateClock;
use crate::env_vars::env_string;
use crate::http_routes::{check_declared_length, check_secret, Rejection, SECRET_HEADER};
use crate::isolate::{claim_recent, isolate};
use crate::respond::text;
use miti99bot_core::webhook::parse_update_body;
use miti99bot_core::webhook::update_ledger::{claim, Claim, RETENTION_MS};
use miti99bot_core::webhook::BodyError;
use miti99bot_core::Clock;

fn reject(rejection: &Rejection) -> worker::Result<Response> {
    match rejection {
        Rejection::Misconfigured(reason) => tracing::error!(%reason, "webhook refused: misconfigured Worker"),
        Rejection::BadRequest(reason) => tracing::warn!(%reason, "webhook refused: not an update"),
        Rejection::Unauthorized => tracing::warn!("webhook refused: wrong or missing secret header"),
        Rejection::TooLarge => tracing::warn!("webhook refused: body over 1 MiB"),
    }
    text(rejection.status(), rejection.body())
}

/// Checks the secret header; shared by the webhook and the test routes.
pub fn authorize(req: &Request, env: &Env) -> Result<(), Rejection> {
    let given = req.headers().get(SECRET_HEADER).ok().flatten();
    check_secret(env_string(env, "TELEGRAM_WEBHOOK_SECRET").as_deref(), given.as_deref())
}

/// Handles one webhook delivery. A handler's failure is logged and answered 200 so that
/// Telegram does not redeliver (and apply twice) what may have half-run.
pub async fn handle(mut req: Request, env: &Env) -> worker::Result<Response> {
    if let Err(rejection) = authorize(&req, env) {
        return reject(&rejection);
    }
    if env_string(env, "TELEGRAM_BOT_TOKEN").is_none() {
        return reject(&Rejection::Misconfigured("TELEGRAM_BOT_TOKEN is not set".into()));
    }
    let declared = req.headers().get("content-length").ok().flatten();
    if let Err(rejection) = check_declared_length(declared.as_deref()) {
        return reject(&rejection);
    }
    let body = match req.bytes().await {
        Ok(body) => body,
        Err(error) => return reject(&Rejection::BadRequest(format!("unreadable body: {error}"))),
    };
    let update = match parse_update_body(&body) {
        Ok(update) => update,
        // Redelivering it would fail the same way: acknowledge and log.
        Err(error @ BodyError::Unreadable { .. }) => {
            tracing::warn!(%error, "malformed update skipped");
            return text(200, "ok");
        }
        Err(error) => {
            tracing::warn!(%error, "webhook body refused");
            return text(error.status(), error.body());
        }
    };
    let isolate = match isolate(env).await {
        Ok(isolate) => isolate,
        Err(reason) => {
            tracing::error!(%reason, "bot start-up failed");
            return text(500, "internal error");
        }
    };
    let update_id = update.update_id;
    let claimed = match &isolate.sql {
        Some(sql) => match claim(sql.as_ref(), update_id, DateClock.now_ms(), RETENTION_MS).await {
            Ok(claimed) => claimed,
            Err(error) => {
                // Nothing ran: a 500 makes Telegram deliver it again later.
                tracing::error!(update_id, %error, "could not record the update id");
                return text(500, "internal error");
            }
        },
        None => claim_recent(update_id),
    };
    if claimed == Claim::Duplicate {
        tracing::info!(update_id, "duplicate update skipped");
        return text(200, "ok");
    }
    match isolate.bot.handle_update(update, isolate.telegram()).await {
        Ok(Dispatch::Ignored) => {}
        Ok(Dispatch::Handled { module, command }) => tracing::info!(update_id, %module, %command, "handled"),
        Ok(Dispatch::Refused { module, command }) => tracing::info!(update_id, %module, %command, "refused"),
        Err(failure) => tracing::error!(update_id, error = %failure, "handler failed"),
    }
    text(200, "ok")
}
