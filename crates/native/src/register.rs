//! `miti99bot register`: point Telegram at the webhook and publish the command menu.
//!
//! Two calls, in this order: `setWebhook` (`WEBHOOK_URL` + `/webhook`, the secret,
//! `allowed_updates` from the registry, pending updates kept) and `setMyCommands` (the public
//! commands in registry order). The registry is built from `MODULES` without running any
//! module's init, so registering touches no database.

use miti99bot_core::bot::select_modules;
use miti99bot_core::telegram::{ApiRequest, BotCommand, SetMyCommands, SetWebhook, TelegramError};
use miti99bot_core::{Config, Registry};

use crate::error::CliError;
use crate::settings::{webhook_endpoint, webhook_secret, WEBHOOK_URL_VAR};
use crate::telegram_client::HttpTelegram;

/// What the secret is shown as in a dry run.
pub const REDACTED: &str = "<redacted>";

/// The two payloads `register` sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterPlan {
    /// `setWebhook`.
    pub set_webhook: SetWebhook,
    /// `setMyCommands`' list.
    pub commands: Vec<BotCommand>,
}

/// A Telegram call of `register` that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterFailure {
    /// The method.
    pub method: String,
    /// The HTTP status, when Telegram answered.
    pub status: Option<u16>,
    /// Telegram's answer (or what went wrong when there was none).
    pub body: String,
}

impl std::fmt::Display for RegisterFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(status) => write!(f, "{} failed: HTTP {status}: {}", self.method, self.body),
            None => write!(f, "{} failed: {}", self.method, self.body),
        }
    }
}

impl RegisterPlan {
    /// The plan for `config`: `MODULES`' registry, `WEBHOOK_URL` and the secret.
    pub fn from_config(config: &Config) -> Result<Self, CliError> {
        let registry = Registry::build(select_modules(&miti99bot_modules::catalog(), config)?)?;
        let url = webhook_endpoint(config)
            .ok_or_else(|| CliError::Config(format!("missing required configuration: {WEBHOOK_URL_VAR}")))?;
        Ok(Self::new(&registry, url, webhook_secret(config)?))
    }

    /// The plan for `registry`, the full webhook `url` and `secret`.
    pub fn new(registry: &Registry, url: String, secret: String) -> Self {
        Self {
            set_webhook: SetWebhook {
                url,
                secret_token: secret,
                allowed_updates: registry.allowed_updates(),
                drop_pending_updates: false,
            },
            commands: registry.menu(),
        }
    }

    /// The two calls, in the order they are sent: `setWebhook`, then `setMyCommands`.
    pub fn requests(&self) -> [ApiRequest; 2] {
        [
            ApiRequest::SetWebhook(self.set_webhook.clone()),
            ApiRequest::SetMyCommands(self.set_my_commands()),
        ]
    }

    /// `setMyCommands` for the default scope.
    pub fn set_my_commands(&self) -> SetMyCommands {
        SetMyCommands::new(self.commands.clone())
    }

    /// Both payloads as pretty JSON, the secret shown as [`REDACTED`].
    pub fn dry_run_text(&self) -> String {
        let webhook = SetWebhook {
            secret_token: REDACTED.to_owned(),
            ..self.set_webhook.clone()
        };
        // From the structs, so fields print in the Bot API's order.
        format!(
            "dry run: nothing is sent\n\nsetWebhook\n{}\n\nsetMyCommands\n{}\n",
            serde_json::to_string_pretty(&webhook).unwrap_or_default(),
            serde_json::to_string_pretty(&self.set_my_commands()).unwrap_or_default()
        )
    }

    /// What a successful run prints: the URL and the menu.
    pub fn summary(&self) -> String {
        let mut out = format!("webhook set: {}\n", self.set_webhook.url);
        out.push_str(&format!("commands ({}):\n", self.commands.len()));
        for command in &self.commands {
            out.push_str(&format!("  /{} — {}\n", command.command, command.description));
        }
        out
    }
}

/// Sends `setWebhook`, then `setMyCommands`; stops at the first failure.
pub async fn register(plan: &RegisterPlan, telegram: &HttpTelegram) -> Result<(), RegisterFailure> {
    for request in plan.requests() {
        telegram.call_detailed(&request).await.map_err(|failure| {
            let status = match &failure.error {
                TelegramError::Api { status, .. } => Some(*status),
                TelegramError::RateLimited { .. } => Some(429),
                _ => None,
            };
            RegisterFailure {
                method: request.method().to_owned(),
                status,
                body: failure.body.unwrap_or_else(|| failure.error.to_string()),
            }
        })?;
    }
    Ok(())
}
