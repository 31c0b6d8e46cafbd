//! Routes for the end-to-end tests only, compiled into the e2e build alone (cargo feature `e2e`,
//! `scripts/build-worker.sh --e2e`; the production build has neither this module nor the store
//! contract). Even there they answer 404 unless the Worker runs with `MITI99BOT_TEST_ROUTES=1`
//! (set by the test harness, never by `wrangler.toml`), and they require the webhook secret
//! header like the webhook itself.

use miti99bot_core::ingress::WebhookAnswer;
use miti99bot_core::migrate::MigrationRunner;
use miti99bot_core::sql::ModuleSql;
use miti99bot_core::webhook::{WebhookSecret, SECRET_HEADER};
use miti99bot_core::Clock;
use miti99bot_store_contract::{run_kv_contract, run_sql_contract, summarize};
use wasm_bindgen::JsValue;

use crate::date_clock::DateClock;
use crate::env_vars::{env_string, Env};
use crate::isolate::{isolate, stores, Backends};
use crate::js_http::{HttpRequest, HttpResponse};
use crate::respond::{json, text};

/// Checks the secret header against `TELEGRAM_WEBHOOK_SECRET` without starting the bot (the
/// test routes use it).
fn authorize(req: &HttpRequest, env: &Env) -> Result<(), WebhookAnswer> {
    let given = req.header(SECRET_HEADER);
    let secret = env_string(env, "TELEGRAM_WEBHOOK_SECRET").unwrap_or_default();
    if WebhookSecret::new(&secret).matches(given.as_deref().map(str::as_bytes)) {
        Ok(())
    } else {
        Err(WebhookAnswer::text(401, "unauthorized"))
    }
}

/// The variable that enables these routes.
pub const TEST_ROUTES_VAR: &str = "MITI99BOT_TEST_ROUTES";

/// True when the test routes are enabled.
pub fn enabled(env: &Env) -> bool {
    env_string(env, TEST_ROUTES_VAR).as_deref() == Some("1")
}

/// `POST /__test/contract`: the store contract against this Worker's D1 and KV.
pub async fn contract(req: &HttpRequest, env: &Env) -> Result<HttpResponse, JsValue> {
    if let Err(refused) = authorize(req, env) {
        return crate::respond::answer(refused);
    }
    let Backends { kv, sql } = match stores(env) {
        Ok(backends) => backends,
        Err(reason) => return text(500, &reason),
    };
    let Some(sql) = sql else {
        return text(500, "no D1 binding");
    };
    let tag = format!("w{}", DateClock.now_ms());
    let mut cases = run_kv_contract(kv, &tag).await;
    cases.extend(run_sql_contract(sql, &tag).await);
    let summary = summarize(&cases);
    json(200, &serde_json::json!({ "summary": summary, "cases": cases }))
}

/// `POST /__test/migrate`: applies the enabled modules' migrations to D1, as `miti99bot migrate`
/// does natively (same files, statements and `_migrations` rows, one batch per migration).
pub async fn migrate(req: &HttpRequest, env: &Env) -> Result<HttpResponse, JsValue> {
    if let Err(refused) = authorize(req, env) {
        return crate::respond::answer(refused);
    }
    let sql = match stores(env) {
        Ok(Backends { sql: Some(sql), .. }) => sql,
        Ok(Backends { sql: None, .. }) => return text(500, "no D1 binding"),
        Err(reason) => return text(500, &reason),
    };
    let migrations = match isolate(env).await {
        Ok(isolate) => isolate.bot.registry().migrations(),
        Err(reason) => return text(500, &reason),
    };
    let runner = MigrationRunner::new(ModuleSql::unprefixed(sql));
    match runner.apply(&migrations, DateClock.now_ms()).await {
        Ok(applied) => json(200, &serde_json::json!({ "applied": applied })),
        Err(error) => json(500, &serde_json::json!({ "error": error.to_string() })),
    }
}
