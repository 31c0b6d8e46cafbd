//! `POST /webhook`: HTTP translated to and from core's [`Ingress`](miti99bot_core::ingress::Ingress),
//! which decides everything (secret, body, claim, acknowledgement, webhook reply).

use std::rc::Rc;

use miti99bot_core::telegram::Update;
use miti99bot_core::webhook::SECRET_HEADER;
use wasm_bindgen::JsValue;

use crate::env_vars::Env;
use crate::isolate::{isolate, Isolate};
use crate::js_http::{HttpRequest, HttpResponse};
use crate::panic_slot::InSlot;
use crate::respond::{answer, text};

/// An applied update, for the request's log line: its id and what became of it.
pub type Applied = (i64, &'static str);

/// Handles one webhook delivery: the update is applied before the answer, which carries the
/// first reply when `WEBHOOK_REPLY=true`. `slot` is the entry's number for this request (see
/// [`crate::panic_slot`]). Besides the response: the update that was applied, if one was (the
/// caller logs it in the request's one line).
pub async fn handle(
    req: &HttpRequest,
    env: &Env,
    slot: Option<u32>,
) -> (Result<HttpResponse, JsValue>, Option<Applied>) {
    let (isolate, update) = match read(req, env).await {
        Ok(read) => read,
        Err(refused) => return (refused, None),
    };
    let update_id = update.update_id;
    let applied = InSlot::new(slot, isolate.ingress.apply_webhook_update(update)).await;
    let outcome = applied.outcome.label();
    (answer(applied.answer()), Some((update_id, outcome)))
}

/// The isolate and the update of a delivery that passed every check, or the refusal.
async fn read(req: &HttpRequest, env: &Env) -> Result<(Rc<Isolate>, Update), Result<HttpResponse, JsValue>> {
    let isolate = match isolate(env).await {
        Ok(isolate) => isolate,
        Err(reason) => {
            miti99bot_core::error!(%reason, "bot start-up failed");
            return Err(text(500, "internal error"));
        }
    };
    let ingress = &isolate.ingress;
    let given = req.header(SECRET_HEADER);
    if let Err(refused) = ingress.authorize(given.as_deref().map(str::as_bytes)) {
        return Err(answer(refused));
    }
    if !isolate.has_token {
        miti99bot_core::error!("webhook refused: TELEGRAM_BOT_TOKEN is not set");
        return Err(text(500, "internal error"));
    }
    let declared = req.header("content-length");
    if let Err(refused) = ingress.check_length(declared.as_deref()) {
        return Err(answer(refused));
    }
    let body = match req.bytes().await {
        Ok(body) => body,
        Err(error) => {
            miti99bot_core::warn!(%error, "webhook body unreadable");
            return Err(text(400, "bad request"));
        }
    };
    match ingress.read(&body) {
        Ok(update) => Ok((isolate.clone(), update)),
        Err(refused) => Err(answer(refused)),
    }
}
