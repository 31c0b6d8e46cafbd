//! Configuration from the process environment and an optional `.env` file.

use std::path::PathBuf;

use miti99bot_core::{Config, ConfigError};

/// The database file when neither `--db` nor `MITI99BOT_DB` is given.
pub const DEFAULT_DB_PATH: &str = "./data/miti99bot.db";

/// Loads `.env` from the working directory when present (the environment wins over it), then
/// builds the configuration. `MODULES` defaults to every built-in module.
pub fn load_config() -> Result<Config, ConfigError> {
    // A missing .env is normal; a malformed one is reported by the variables it lacks.
    if let Err(error) = dotenvy::dotenv() {
        if !error.not_found() {
            tracing::warn!(%error, ".env could not be read");
        }
    }
    config_from(std::env::vars())
}

/// The configuration from `vars`, with defaults applied.
pub fn config_from(vars: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
    let mut config = Config::from_vars(vars)?;
    if config.get("MODULES").is_none() {
        config.set("MODULES", miti99bot_modules::default_module_list())?;
    }
    Ok(config)
}

/// The database path: `--db`, else `MITI99BOT_DB`, else [`DEFAULT_DB_PATH`].
pub fn db_path(flag: Option<PathBuf>, config: &Config) -> PathBuf {
    flag.or_else(|| config.get("MITI99BOT_DB").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DB_PATH))
}

/// Names every variable in `required` that is unset, in one message, or `Ok`.
pub fn require(config: &Config, required: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|name| config.get(name).is_none())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "missing required configuration: {} (set them in the environment or in .env)",
            missing.join(", ")
        ))
    }
}
