//! `miti99bot register`: point Telegram at the webhook and publish the command menu.
//!
//! In this order: `setWebhook` (`WEBHOOK_URL` + `/webhook`, the secret, `allowed_updates`
//! derived from what the enabled modules handle, pending updates kept), then one
//! `setMyCommands` per menu: the default scope (public commands anyone may run), and each
//! admin's and the owner's private chat when their menu has more (what that person may run;
//! see [`Registry::menus`]). The registry is built from `MODULES` without running any
//! module's init, so registering touches no database.

use miti99bot_core::bot::select_modules;
use miti99bot_core::telegram::{ApiRequest, BotCommandScope, SetMyCommands, SetWebhook, TelegramError};
use miti99bot_core::{Config, Registry};

use crate::error::CliError;
use crate::settings::{webhook_endpoint, webhook_secret, WEBHOOK_URL_VAR};
use crate::telegram_client::HttpTelegram;

/// What the secret is shown as in a dry run.
pub const REDACTED: &str = "<redacted>";

/// The payloads `register` sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterPlan {
    /// `setWebhook`.
    pub set_webhook: SetWebhook,
    /// One `setMyCommands` per menu, the default scope first.
    pub menus: Vec<SetMyCommands>,
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
        Ok(Self::new(&registry, config, url, webhook_secret(config)?))
    }

    /// The plan for `registry` under `config`'s owner and admins, the full webhook `url` and
    /// `secret`.
    pub fn new(registry: &Registry, config: &Config, url: String, secret: String) -> Self {
        Self {
            set_webhook: SetWebhook {
                url,
                secret_token: secret,
                allowed_updates: registry.allowed_updates(),
                drop_pending_updates: false,
            },
            menus: registry.menus(config),
        }
    }

    /// Every call, in the order they are sent: `setWebhook`, then each `setMyCommands`.
    pub fn requests(&self) -> Vec<ApiRequest> {
        std::iter::once(ApiRequest::SetWebhook(self.set_webhook.clone()))
            .chain(self.menus.iter().cloned().map(ApiRequest::SetMyCommands))
            .collect()
    }

    /// Every call as its method and pretty JSON payload, the secret shown as [`REDACTED`].
    pub fn dry_run_text(&self) -> String {
        let mut out = String::from("dry run: nothing is sent\n");
        for request in self.requests() {
            let request = match request {
                ApiRequest::SetWebhook(webhook) => ApiRequest::SetWebhook(SetWebhook {
                    secret_token: REDACTED.to_owned(),
                    ..webhook
                }),
                other => other,
            };
            // From the structs, so fields print in the Bot API's order.
            let payload = match &request {
                ApiRequest::SetWebhook(p) => serde_json::to_string_pretty(p),
                ApiRequest::SetMyCommands(p) => serde_json::to_string_pretty(p),
                other => Ok(other.to_json()),
            };
            out.push_str(&format!("\n{}\n{}\n", request.method(), payload.unwrap_or_default()));
        }
        out
    }

    /// What a successful run prints: the URL and each menu.
    pub fn summary(&self) -> String {
        let mut out = format!("webhook set: {}\n", self.set_webhook.url);
        for menu in &self.menus {
            let whose = match menu.scope {
                Some(BotCommandScope::Chat { chat_id }) => format!("for chat {chat_id}"),
                _ => "for everyone".to_owned(),
            };
            out.push_str(&format!("commands {whose} ({}):\n", menu.commands.len()));
            for command in &menu.commands {
                out.push_str(&format!("  /{} — {}\n", command.command, command.description));
            }
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use miti99bot_core::{Access, Command, Error, Module};

    use super::*;

    #[test]
    fn a_dry_run_prints_every_menu_by_scope() {
        let handler = |_| async { Ok::<_, Error>(()) };
        let registry = Registry::build(vec![Module::new("ops")
            .command(Command::public("status", "Status", handler))
            .command(Command::public("ban", "Ban someone", handler).access(Access::Admins))
            .command(Command::public("deploy", "Deploy", handler).access(Access::Owner))
            .command(Command::private("secret", "Secret", handler).access(Access::Owner))])
        .unwrap();
        let config = Config::from_vars([
            ("BOT_OWNER_ID".to_owned(), "10".to_owned()),
            ("BOT_ADMIN_IDS".to_owned(), "20".to_owned()),
        ])
        .unwrap();
        let plan = RegisterPlan::new(&registry, &config, "https://x/webhook".into(), "s3cret".into());
        let text = plan.dry_run_text();
        assert!(!text.contains("s3cret"), "{text}");
        let methods: Vec<&str> = text.lines().filter(|l| l.starts_with(char::is_alphabetic)).collect();
        assert_eq!(
            methods,
            [
                "dry run: nothing is sent",
                "setWebhook",
                "setMyCommands",
                "setMyCommands",
                "setMyCommands"
            ]
        );
        let payloads: Vec<serde_json::Value> = plan
            .requests()
            .iter()
            .skip(1)
            .map(|r| serde_json::from_str(&r.to_json()).unwrap())
            .collect();
        let names = |p: &serde_json::Value| -> Vec<String> {
            p["commands"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["command"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(names(&payloads[0]), ["status"]);
        assert!(payloads[0].get("scope").is_none());
        assert_eq!(names(&payloads[1]), ["status", "ban"]);
        assert_eq!(
            payloads[1]["scope"],
            serde_json::json!({ "type": "chat", "chat_id": 20 })
        );
        assert_eq!(names(&payloads[2]), ["status", "ban", "deploy"]);
        assert_eq!(
            payloads[2]["scope"],
            serde_json::json!({ "type": "chat", "chat_id": 10 })
        );
        assert!(text.contains(r#""type": "chat""#), "{text}");
        let summary = plan.summary();
        assert!(summary.contains("commands for chat 10 (3):"), "{summary}");
    }
}
