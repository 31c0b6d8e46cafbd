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

use miti99bot_core::kv::KvStore;
use miti99bot_core::sql::SqlStore;
use miti99bot_core::telegram::{lookup_username, TelegramApi};
use miti99bot_core::{Bot, Services};

use crate::d1_store::D1Store;
use crate::date_clock::DateClock;
use crate::env_vars::config_from_env;
use crate::fetch_http::FetchHttp;
use crate::fetch_telegram::FetchTelegram;
use crate::kv_store::WorkersKv;
use crate::update_ledger::RecentIds;
use miti99bot_core::webhook::update_ledger::ensure_ledger;

/// The D1 binding's name.
pub const DB_BINDING: &str = "DB";
/// The KV binding's name.
pub const KV_BINDING: &str = "KV";

/// The started bot and its backends.
pub struct Isolate {
    /// The bot, registry built and inits run.
    pub bot: Bot,
    /// The raw D1 store (also the update ledger's), when bound.
    pub sql: Option<Arc<dyn SqlStore>>,
    /// The raw KV store.
    pub kv: Arc<dyn KvStore>,
}

impl Isolate {
    /// A Telegram client from the configuration (`TELEGRAM_API_BASE`, `TELEGRAM_BOT_TOKEN`).
    pub fn telegram(&self) -> Arc<dyn TelegramApi> {
        let config = &self.bot.services().config;
        Arc::new(FetchTelegram::new(
            config.get("TELEGRAM_API_BASE"),
            config.get("TELEGRAM_BOT_TOKEN").unwrap_or(""),
        ))
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Isolate>>> = const { RefCell::new(None) };
    static RECENT: RefCell<RecentIds> = RefCell::new(RecentIds::default());
}

/// The fallback duplicate check of an isolate without D1.
pub fn claim_recent(update_id: i64) -> miti99bot_core::webhook::update_ledger::Claim {
    RECENT.with(|recent| recent.borrow_mut().claim(update_id))
}

/// The isolate's bot, started on first use.
pub async fn isolate(env: &worker::Env) -> Result<Rc<Isolate>, String> {
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
pub fn stores(env: &worker::Env) -> Result<Backends, String> {
    let kv: Arc<dyn KvStore> = Arc::new(WorkersKv::from_env(env, KV_BINDING).map_err(|e| e.to_string())?);
    let sql = D1Store::from_env(env, DB_BINDING).map(|d1| Arc::new(d1) as Arc<dyn SqlStore>);
    Ok(Backends { kv, sql })
}

async fn start(env: &worker::Env) -> Result<Isolate, String> {
    let config = config_from_env(env).map_err(|e| format!("configuration: {e}"))?;
    let Backends { kv, sql } = stores(env)?;
    if sql.is_none() {
        tracing::warn!("no D1 binding {DB_BINDING}: modules get no SQL store, duplicates are caught per isolate only");
    }
    let services = Services::new(config, kv.clone(), sql.clone(), Arc::new(DateClock)).with_http(Arc::new(FetchHttp));
    let bot = Bot::start(&miti99bot_modules::catalog(), services)
        .await
        .map_err(|e| format!("start-up: {e}"))?;
    if let Some(sql) = &sql {
        ensure_ledger(sql.as_ref())
            .await
            .map_err(|e| format!("update ledger: {e}"))?;
    }
    let mut isolate = Isolate { bot, sql, kv };
    if isolate.bot.username().is_none() && isolate.bot.services().config.get("TELEGRAM_BOT_TOKEN").is_some() {
        match lookup_username(isolate.telegram().as_ref()).await {
            Ok(username) => isolate.bot.set_username(username),
            Err(error) => tracing::warn!(%error, "getMe failed: /cmd@bot addressed commands will not match"),
        }
    }
    tracing::info!(modules = %isolate.bot.registry().modules().join(","), "bot started");
    Ok(isolate)
}
