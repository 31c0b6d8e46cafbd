//! Configuration from the process environment and an optional `.env` file.

use std::path::PathBuf;

use miti99bot_core::{Config, ConfigError};

/// The database file when neither `--db` nor `MITI99BOT_DB` is given.
pub const DEFAULT_DB_PATH: &str = "./data/miti99bot.db";

/// Loads `.env` from the working directory when present (the environment wins over it), then
/// builds the configuration (`MODULES` unset: every built-in module).
pub fn load_config() -> Result<Config, ConfigError> {
    // A missing .env is normal; a malformed one is reported by the variables it lacks.
    if let Err(error) = dotenvy::dotenv() {
        if !error.not_found() {
            tracing::warn!(%error, ".env could not be read");
        }
    }
    config_from(std::env::vars())
}

/// The configuration from `vars`. `MODULES` unset means every built-in module: core's
/// `select_modules` reads it so, here as on the Worker.
pub fn config_from(vars: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
    Config::from_vars(vars)
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

/// The bot token (serve, poll, register).
pub const TOKEN_VAR: &str = "TELEGRAM_BOT_TOKEN";
/// The webhook secret (serve, register).
pub const SECRET_VAR: &str = "TELEGRAM_WEBHOOK_SECRET";
/// The public base URL the webhook is reached at; `/webhook` is appended (register).
pub const WEBHOOK_URL_VAR: &str = "WEBHOOK_URL";
/// Overrides the Bot API base URL (tests point it at a fake server).
pub const API_BASE_VAR: &str = "TELEGRAM_API_BASE";
/// `true`: the first reply of an update travels back in the webhook response (serve).
pub const WEBHOOK_REPLY_VAR: &str = "WEBHOOK_REPLY";

/// Updates of one chat queued in `serve` at most (`WebhookOptions::max_per_chat`).
pub const MAX_PER_CHAT_VAR: &str = "WEBHOOK_MAX_PER_CHAT";
/// Milliseconds a request head (and then its body) may take to arrive (`serve`).
pub const HEADER_TIMEOUT_VAR: &str = "HTTP_HEADER_TIMEOUT_MS";
/// Milliseconds a keep-alive connection may stay idle (`serve`).
pub const IDLE_TIMEOUT_VAR: &str = "HTTP_IDLE_TIMEOUT_MS";
/// Open connections at most (`serve`).
pub const MAX_CONNECTIONS_VAR: &str = "HTTP_MAX_CONNECTIONS";
/// Milliseconds shutdown lets a connection with no request being answered linger (`serve`).
pub const SHUTDOWN_GRACE_VAR: &str = "HTTP_SHUTDOWN_GRACE_MS";

/// A positive whole number variable, `default` when unset.
pub fn positive(config: &Config, name: &str, default: u64) -> Result<u64, ConfigError> {
    let Some(raw) = config.get(name) else {
        return Ok(default);
    };
    match raw.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(ConfigError {
            name: name.to_owned(),
            reason: format!("{raw:?} is not a positive whole number"),
        }),
    }
}

/// The webhook server's settings from the environment, over `options`' defaults.
pub fn webhook_options(config: &Config, options: &mut crate::webhook::WebhookOptions) -> Result<(), ConfigError> {
    let ms = |name: &str, default: std::time::Duration| -> Result<std::time::Duration, ConfigError> {
        let default = u64::try_from(default.as_millis()).unwrap_or(u64::MAX);
        positive(config, name, default).map(std::time::Duration::from_millis)
    };
    let count = |name: &str, default: usize| -> Result<usize, ConfigError> {
        positive(config, name, default as u64).map(|n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    options.reply_in_response = flag(config, WEBHOOK_REPLY_VAR)?;
    options.max_per_chat = count(MAX_PER_CHAT_VAR, options.max_per_chat)?;
    let connection = &mut options.connection;
    connection.header_timeout = ms(HEADER_TIMEOUT_VAR, connection.header_timeout)?;
    connection.idle_timeout = ms(IDLE_TIMEOUT_VAR, connection.idle_timeout)?;
    connection.max_connections = count(MAX_CONNECTIONS_VAR, connection.max_connections)?;
    connection.shutdown_grace = ms(SHUTDOWN_GRACE_VAR, connection.shutdown_grace)?;
    Ok(())
}

/// A boolean variable: `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off` (any case); unset is false.
pub fn flag(config: &Config, name: &str) -> Result<bool, ConfigError> {
    let Some(raw) = config.get(name) else {
        return Ok(false);
    };
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(ConfigError {
            name: name.to_owned(),
            reason: format!("{raw:?} is not a boolean (use true or false)"),
        }),
    }
}

/// The webhook secret, checked against Telegram's alphabet (1 to 256 of `A-Z a-z 0-9 _ -`).
/// The value never appears in the error.
pub fn webhook_secret(config: &Config) -> Result<String, ConfigError> {
    let secret = config.get(SECRET_VAR).unwrap_or_default();
    if miti99bot_core::webhook::is_valid_secret(secret) {
        Ok(secret.to_owned())
    } else {
        Err(ConfigError {
            name: SECRET_VAR.to_owned(),
            reason: "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)".to_owned(),
        })
    }
}

/// `WEBHOOK_URL` without its trailing `/`, plus `/webhook`.
pub fn webhook_endpoint(config: &Config) -> Option<String> {
    config
        .get(WEBHOOK_URL_VAR)
        .map(|url| format!("{}/webhook", url.trim_end_matches('/')))
}

/// Client options from `TELEGRAM_API_BASE` (default: Telegram's).
pub fn client_options(config: &Config) -> crate::telegram_client::ClientOptions {
    crate::telegram_client::ClientOptions::with_base(
        config
            .get(API_BASE_VAR)
            .unwrap_or(crate::telegram_client::DEFAULT_API_BASE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        Config::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string()))).unwrap()
    }

    #[test]
    fn flags_urls_and_secrets() {
        assert!(!flag(&config(&[]), WEBHOOK_REPLY_VAR).unwrap());
        assert!(flag(&config(&[(WEBHOOK_REPLY_VAR, "TRUE")]), WEBHOOK_REPLY_VAR).unwrap());
        assert!(!flag(&config(&[(WEBHOOK_REPLY_VAR, "0")]), WEBHOOK_REPLY_VAR).unwrap());
        assert!(flag(&config(&[(WEBHOOK_REPLY_VAR, "maybe")]), WEBHOOK_REPLY_VAR).is_err());
        assert_eq!(
            webhook_endpoint(&config(&[(WEBHOOK_URL_VAR, "https://x.example/")])).as_deref(),
            Some("https://x.example/webhook")
        );
        assert!(webhook_secret(&config(&[(SECRET_VAR, "ok_secret-1")])).is_ok());
        let err = webhook_secret(&config(&[(SECRET_VAR, "bad secret!")])).unwrap_err();
        assert!(!err.to_string().contains("bad secret"), "{err}");
        assert_eq!(client_options(&config(&[])).base_url, "https://api.telegram.org");
        assert_eq!(
            client_options(&config(&[(API_BASE_VAR, "http://127.0.0.1:9/")])).base_url,
            "http://127.0.0.1:9"
        );
        let mut options = crate::webhook::WebhookOptions::new("s");
        webhook_options(
            &config(&[(IDLE_TIMEOUT_VAR, "1500"), (MAX_PER_CHAT_VAR, "3")]),
            &mut options,
        )
        .unwrap();
        assert_eq!(options.connection.idle_timeout, std::time::Duration::from_millis(1500));
        assert_eq!(options.connection.header_timeout, std::time::Duration::from_secs(10));
        assert_eq!(options.max_per_chat, 3);
        assert!(webhook_options(&config(&[(MAX_CONNECTIONS_VAR, "0")]), &mut options).is_err());
        assert!(webhook_options(&config(&[(HEADER_TIMEOUT_VAR, "soon")]), &mut options).is_err());
        let missing = require(&config(&[]), &[TOKEN_VAR, SECRET_VAR]).unwrap_err();
        assert!(
            missing.contains("TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET"),
            "{missing}"
        );
    }
}
