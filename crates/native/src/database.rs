//! Opening the SQLite file, applying migrations and starting the bot on it.

use std::path::Path;
use std::sync::Arc;

use miti99bot_core::bot::select_modules;
use miti99bot_core::migrate::{Migration, MigrationRunner};
use miti99bot_core::sql::{ModuleSql, SqlStore};
use miti99bot_core::{Bot, Clock, Config, Module, Services};
use miti99bot_sqlite::SqliteDb;

use crate::error::CliError;
use crate::http_client::ReqwestHttp;
use crate::os_random::random_from_config;
use crate::system_clock::SystemClock;

/// An open database and the services over it.
pub struct Opened {
    /// The SQLite database (KV and SQL in one file).
    pub db: SqliteDb,
    /// Services for [`Bot`]: config, KV, SQL, clock and the reqwest HTTP client.
    pub services: Services,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").finish_non_exhaustive()
    }
}

/// Opens (creating it and its folder when missing) the database at `path`.
pub fn open(path: &Path, config: Config) -> Result<Opened, CliError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let db = SqliteDb::open(path, clock.clone()).map_err(|e| CliError::Database {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    with_db(db, config, clock)
}

/// Services over an already open database, with the native HTTP client ([`ReqwestHttp`]), so
/// every command that starts the bot (`chat`, `serve`, `poll`, `cron`) hands modules a working
/// `ctx.http()`, and the native random source (seeded from the OS, or `MITI99BOT_RANDOM_SEED`).
pub fn with_db(db: SqliteDb, config: Config, clock: Arc<dyn Clock>) -> Result<Opened, CliError> {
    let http = ReqwestHttp::new().map_err(|e| CliError::Other(format!("HTTP client: {e}")))?;
    let random = random_from_config(&config)?;
    let sql: Arc<dyn SqlStore> = Arc::new(db.sql());
    let services = Services::new(config, Arc::new(db.kv()), Some(sql), clock)
        .with_http(Arc::new(http))
        .with_random(Arc::new(random));
    Ok(Opened { db, services })
}

/// The migrations of `modules`, in apply order.
pub fn migrations_of(modules: &[Module]) -> Vec<Migration> {
    let mut all: Vec<Migration> = modules
        .iter()
        .flat_map(|m| m.migration_list().iter().cloned())
        .collect();
    all.sort_by(|a, b| (&a.module, &a.file).cmp(&(&b.module, &b.file)));
    all
}

/// An unprefixed SQL handle for framework tables (`_migrations`, `_cron_runs`, ...).
pub fn runner_sql(services: &Services) -> Result<ModuleSql, CliError> {
    let sql = services
        .sql
        .clone()
        .ok_or_else(|| CliError::Other("no SQL store configured".into()))?;
    Ok(ModuleSql::unprefixed(sql))
}

/// A migration runner over the database's SQL store.
pub fn runner(services: &Services) -> Result<MigrationRunner, CliError> {
    let sql = services
        .sql
        .clone()
        .ok_or_else(|| CliError::Other("no SQL store configured".into()))?;
    Ok(MigrationRunner::new(ModuleSql::unprefixed(sql)))
}

/// Selects the modules of `MODULES`, applies their pending migrations, then starts the bot
/// (inits run after migrations, so they can rely on their tables).
pub async fn start_bot(opened: &Opened) -> Result<(Bot, Vec<String>), CliError> {
    let services = opened.services.clone();
    let modules = select_modules(&miti99bot_modules::catalog(), &services.config)?;
    let applied = runner(&services)?
        .apply(&migrations_of(&modules), services.clock.now_ms())
        .await?;
    let bot = Bot::from_modules(modules, services).await?;
    Ok((bot, applied))
}
