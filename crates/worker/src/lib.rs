//! # miti99bot-worker
//!
//! miti99bot on Cloudflare Workers: the same modules as the native binary, with D1 as the SQL
//! store, Workers KV as the key-value store, Cron Triggers for crons and `fetch` for Telegram.
//!
//! | event | what it does |
//! |---|---|
//! | `fetch` | `GET /` health, `POST /webhook` (secret header, 1 MiB, JSON, duplicate check, dispatch), 404 otherwise (the `e2e` feature adds the test routes, [`http_routes`]) |
//! | `scheduled` | every cron whose schedule equals the trigger's cron string |
//!
//! The logic that needs no JavaScript (routing, request checks, number typing) lives in plain
//! modules tested on the host, and what the webhook shares with the native runtime (secret
//! comparison, body parsing, the update ledger) in core's `webhook`, as reading Bot API answers
//! and redacting the token do in core's `telegram`; the adapters and events touch JavaScript and exist only on `wasm32`, where the
//! end-to-end suite (`scripts/test-worker.sh`) drives them inside workerd.
//!
//! Bindings and variables: `KV` (Workers KV), `DB` (D1, optional), `MODULES`,
//! `TELEGRAM_BOT_TOKEN`, `TELEGRAM_WEBHOOK_SECRET`, optional `TELEGRAM_BOT_USERNAME`,
//! `TELEGRAM_API_BASE`, `BOT_OWNER_ID`, `BOT_ADMIN_IDS`, `WEBHOOK_REPLY`, `LOG_LEVEL`
//! ([`log_level`]) and the modules' own variables.

#![forbid(unsafe_code)]

pub mod http_routes;
pub mod js_number;
pub mod log_level;

#[cfg(target_arch = "wasm32")]
pub mod console_log;
#[cfg(target_arch = "wasm32")]
pub mod crypto_random;
#[cfg(target_arch = "wasm32")]
pub mod d1_store;
#[cfg(target_arch = "wasm32")]
mod d1_sys;
#[cfg(target_arch = "wasm32")]
pub mod date_clock;
#[cfg(feature = "e2e")]
pub mod e2e_module;
#[cfg(target_arch = "wasm32")]
pub mod env_vars;
#[cfg(target_arch = "wasm32")]
pub mod fetch_http;
#[cfg(target_arch = "wasm32")]
pub mod fetch_telegram;
#[cfg(target_arch = "wasm32")]
pub mod isolate;
#[cfg(target_arch = "wasm32")]
pub mod js_fetch;
#[cfg(target_arch = "wasm32")]
pub mod js_http;
#[cfg(target_arch = "wasm32")]
mod js_object;
#[cfg(target_arch = "wasm32")]
pub mod kv_store;
#[cfg(target_arch = "wasm32")]
mod kv_sys;
#[cfg(target_arch = "wasm32")]
pub mod panic_slot;
#[cfg(target_arch = "wasm32")]
pub mod respond;
#[cfg(target_arch = "wasm32")]
pub mod scheduled;
#[cfg(all(target_arch = "wasm32", feature = "e2e"))]
pub mod test_routes;
#[cfg(target_arch = "wasm32")]
pub mod webhook;

#[cfg(target_arch = "wasm32")]
pub mod events {
    //! The Worker's exports, called by the entry (`crates/worker/js/entry.mjs`).

    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::JsValue;

    use crate::env_vars::Env;
    use crate::http_routes::{path_of, route, Route, HEALTH_BODY};
    use crate::js_http::{HttpRequest, HttpResponse};
    use crate::respond::text;

    /// Runs once per instance, before any event.
    #[wasm_bindgen(start, private)]
    fn start() {
        crate::console_log::install();
        crate::panic_slot::install_hook();
    }

    /// The `fetch` event; `slot` is the entry's number for this request (see
    /// [`crate::panic_slot`]). A rejection is answered 500 by the entry.
    #[wasm_bindgen]
    pub async fn fetch(request: HttpRequest, env: Env, slot: u32) -> Result<HttpResponse, JsValue> {
        let started = js_sys::Date::now();
        let method = request.method();
        let url = request.url();
        let path = path_of(&url);
        #[cfg(feature = "e2e")]
        let test_routes = crate::test_routes::enabled(&env);
        #[cfg(not(feature = "e2e"))]
        let test_routes = false;
        let mut applied = None;
        let response = match route(&method, path, test_routes) {
            Route::Health => text(200, HEALTH_BODY),
            Route::Webhook => {
                let (response, update) = crate::webhook::handle(&request, &env, Some(slot)).await;
                applied = update;
                response
            }
            #[cfg(feature = "e2e")]
            Route::TestContract => crate::test_routes::contract(&request, &env).await,
            #[cfg(feature = "e2e")]
            Route::TestMigrate => crate::test_routes::migrate(&request, &env).await,
            Route::NotFound => text(404, "not found"),
        };
        let status = response.as_ref().map_or(500, HttpResponse::status);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let ms = (js_sys::Date::now() - started).max(0.0) as u64;
        // One line per request (each console line is a cost of its own in workerd).
        match applied {
            Some((update_id, outcome)) => miti99bot_core::info!(path, status, ms, update_id, outcome, "webhook update"),
            None => miti99bot_core::info!(method = %method, path, status, ms, "req"),
        }
        response
    }

    /// The `scheduled` event: `cron` is the trigger's cron string, `scheduled_time` its time in
    /// milliseconds since the epoch.
    #[wasm_bindgen]
    pub async fn scheduled(cron: String, scheduled_time: f64, env: Env) {
        #[allow(clippy::cast_possible_truncation)]
        let scheduled_time_ms = scheduled_time as i64;
        crate::scheduled::run(&cron, scheduled_time_ms, &env).await;
    }
}
