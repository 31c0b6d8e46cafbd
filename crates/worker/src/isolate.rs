//! What one isolate keeps between requests: the started bot, built on first use.
//!
//! Building the registry runs every module's init, so it is done once per isolate and reused
//! by later requests and cron events. A failed build is not kept: the next event retries.
//!
//! Events that arrive while the first build is running build their own (each kept when it
//! finishes; the bots are equivalent). Sharing one start-up future between them was tried and
//! fails in workerd: the waiting requests end up driving I/O (getMe, D1) that belongs to
//! another request's context, which workerd refuses, so they answered 500.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use miti99bot_core::ingress::Ingress;
use miti99bot_core::kv::KvStore;
use miti99bot_core::ledger::{MemoryLedger, SqlLedger, UpdateLedger};
use miti99bot_core::sql::SqlStore;
use miti99bot_core::telegram::{lookup_username, TelegramApi};
use miti99bot_core::webhook::WebhookSecret;
use miti99bot_core::{Bot, Config, Random, SeededRandom, Services};

use crate::crypto_random::CryptoRandom;
use crate::d1_store::D1Store;
use crate::date_clock::DateClock;
use crate::env_vars::{config_from_env, Env};
use crate::fetch_http::FetchHttp;
use crate::fetch_telegram::FetchTelegram;
use crate::kv_store::WorkersKv;
use crate::log_level::{parse_log_level, LOG_LEVEL_VAR};

/// The D1 binding's name.
pub const DB_BINDING: &str = "DB";
/// The KV binding's name.
pub const KV_BINDING: &str = "KV";

/// The started bot, its pipeline and its backends; the secret, the token and `WEBHOOK_REPLY`
/// are read once, here.
pub struct Isolate {
    /// The pipeline: the bot, the update ledger (D1's `_updates`, or this isolate's memory
    /// without D1), the Bot API client and the webhook's secret and reply mode.
    pub ingress: Ingress,
    /// The bot, registry built and inits run.
    pub bot: Arc<Bot>,
    /// The Bot API client (`TELEGRAM_API_BASE`, `TELEGRAM_BOT_TOKEN`).
    pub telegram: Arc<dyn TelegramApi>,
    /// Whether `TELEGRAM_BOT_TOKEN` is set (the webhook needs it; crons do not).
    pub has_token: bool,
    /// The raw D1 store, when bound.
    pub sql: Option<Arc<dyn SqlStore>>,
    /// The raw KV store.
    pub kv: Arc<dyn KvStore>,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Isolate>>> = const { RefCell::new(None) };
}

/// The modules this build knows: the built-in ones, and in the e2e build the test module.
fn catalog() -> miti99bot_core::Catalog {
    let catalog = miti99bot_modules::catalog();
    #[cfg(feature = "e2e")]
    let catalog = catalog.with("e2e", crate::e2e_module::module);
    catalog
}

/// `WEBHOOK_REPLY`: `true`/`1` or `false`/`0`/unset.
fn webhook_reply(env: &Env) -> Result<bool, String> {
    match crate::env_vars::env_string(env, "WEBHOOK_REPLY")
        .as_deref()
        .map(str::trim)
    {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => Err(format!("configuration: WEBHOOK_REPLY: {other:?} is not true or false")),
    }
}

/// The isolate's bot, started on first use.
pub async fn isolate(env: &Env) -> Result<Rc<Isolate>, String> {
    if let Some(current) = CURRENT.with(|c| c.borrow().clone()) {
        return Ok(current);
    }
    let started = Rc::new(start(env).await?);
    CURRENT.with(|c| *c.borrow_mut() = Some(started.clone()));
    Ok(started)
}

/// The raw backends of a Worker.
pub struct Backends {
    /// Workers KV.
    pub kv: Arc<dyn KvStore>,
    /// D1, when bound.
    pub sql: Option<Arc<dyn SqlStore>>,
}

/// The raw stores of `env` (fresh bindings; the test routes use them directly).
pub fn stores(env: &Env) -> Result<Backends, String> {
    let kv: Arc<dyn KvStore> = Arc::new(WorkersKv::from_env(env, KV_BINDING).map_err(|e| e.to_string())?);
    let sql = D1Store::from_env(env, DB_BINDING).map(|d1| Arc::new(d1) as Arc<dyn SqlStore>);
    Ok(Backends { kv, sql })
}

/// `crypto.getRandomValues`, or a [`SeededRandom`] when the var `MITI99BOT_RANDOM_SEED` pins
/// the seed (the e2e suite does, so it knows a game's answer).
fn random_source(config: &Config) -> Result<Arc<dyn Random>, String> {
    match config.get("MITI99BOT_RANDOM_SEED") {
        None => Ok(Arc::new(CryptoRandom)),
        Some(raw) => raw
            .trim()
            .parse::<u64>()
            .map(|seed| Arc::new(SeededRandom::new(seed)) as Arc<dyn Random>)
            .map_err(|_| format!("configuration: MITI99BOT_RANDOM_SEED: {raw:?} is not a whole number")),
    }
}

// The Arcs hold JS values and are never sent across threads (a Worker has one).
#[allow(clippy::arc_with_non_send_sync)]
async fn start(env: &Env) -> Result<Isolate, String> {
    let config = config_from_env(env).map_err(|e| format!("configuration: {e}"))?;
    miti99bot_core::log::set_max_level(parse_log_level(config.get(LOG_LEVEL_VAR))?);
    let reply_inline = webhook_reply(env)?;
    let secret = config.get("TELEGRAM_WEBHOOK_SECRET").map(WebhookSecret::new);
    let token = config.get("TELEGRAM_BOT_TOKEN").unwrap_or("").to_owned();
    let telegram: Arc<dyn TelegramApi> = Arc::new(FetchTelegram::new(config.get("TELEGRAM_API_BASE"), &token));
    let Backends { kv, sql } = stores(env)?;
    if sql.is_none() {
        miti99bot_core::warn!(
            binding = DB_BINDING,
            "no D1 binding: modules get no SQL store, duplicates are caught per isolate only"
        );
    }
    let random = random_source(&config)?;
    let services = Services::new(config, kv.clone(), sql.clone(), Arc::new(DateClock))
        .with_http(Arc::new(FetchHttp))
        .with_random(random);
    let mut bot = Bot::start(&catalog(), services)
        .await
        .map_err(|e| format!("start-up: {e}"))?;
    let ledger: Arc<dyn UpdateLedger> = match &sql {
        // No `CREATE TABLE` here: the first claim creates `_updates` when it is missing, so a
        // fresh isolate spends no D1 round trip on it.
        Some(sql) => Arc::new(SqlLedger::new(sql.clone())),
        None => Arc::new(MemoryLedger::new()),
    };
    if bot.username().is_none() && !token.is_empty() {
        match lookup_username(telegram.as_ref()).await {
            Ok(username) => bot.set_username(username),
            Err(error) => miti99bot_core::warn!(%error, "getMe failed: /cmd@bot addressed commands will not match"),
        }
    }
    miti99bot_core::info!(modules = %bot.registry().modules().join(","), "bot started");
    let bot = Arc::new(bot);
    let ingress = Ingress::new(bot.clone(), ledger, telegram.clone());
    // Without a secret every webhook call is refused with 500 (a misconfiguration, logged).
    let ingress = match secret {
        Some(secret) => ingress.webhook(secret, reply_inline),
        None => ingress,
    };
    Ok(Isolate {
        ingress,
        bot,
        telegram,
        has_token: !token.is_empty(),
        sql,
        kv,
    })
}
