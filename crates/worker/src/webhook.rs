//! `POST /webhook`: HTTP translated to and from core's [`Ingress`](miti99bot_core::ingress::Ingress),
//! which decides everything (secret, body, claim, acknowledgement, webhook reply).

use miti99bot_core::webhook::SECRET_HEADER;
use wasm_bindgen::JsValue;

use crate::env_vars::Env;
use crate::isolate::isolate;
use crate::js_http::{HttpRequest, HttpResponse};
use crate::panic_slot::InSlot;
use crate::respond::{answer, text};

/// Handles one webhook delivery: the update is applied before the answer, which carries the
/// first reply when `WEBHOOK_REPLY=true`. `slot` is the entry's number for this request (see
/// [`crate::panic_slot`]).
pub async fn handle(req: &HttpRequest, env: &Env, slot: Option<u32>) -> Result<HttpResponse, JsValue> {
    let isolate = match isolate(env).await {
        Ok(isolate) => isolate,
        Err(reason) => {
            tracing::error!(%reason, "bot start-up failed");
            return text(500, "internal error");
        }
    };
    let ingress = &isolate.ingress;
    let given = req.header(SECRET_HEADER);
    if let Err(refused) = ingress.authorize(given.as_deref().map(str::as_bytes)) {
        return answer(refused);
    }
    if !isolate.has_token {
        tracing::error!("webhook refused: TELEGRAM_BOT_TOKEN is not set");
        return text(500, "internal error");
    }
    let declared = req.header("content-length");
    if let Err(refused) = ingress.check_length(declared.as_deref()) {
        return answer(refused);
    }
    let body = match req.bytes().await {
        Ok(body) => body,
        Err(error) => {
            tracing::warn!(%error, "webhook body unreadable");
            return text(400, "bad request");
        }
    };
    let update = match ingress.read(&body) {
        Ok(update) => update,
        Err(refused) => return answer(refused),
    };
    let update_id = update.update_id;
    let applied = InSlot::new(slot, ingress.apply_webhook_update(update)).await;
    tracing::info!(update_id, outcome = applied.outcome.label(), "webhook update");
    answer(applied.answer())
}
