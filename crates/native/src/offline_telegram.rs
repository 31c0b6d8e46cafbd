//! The Bot API when no token is configured: every call fails with a clear message.

use miti99bot_core::telegram::{ApiRequest, TelegramApi, TelegramError};

/// A [`TelegramApi`] for commands run without `TELEGRAM_BOT_TOKEN` (e.g. `cron run` offline):
/// jobs that only touch storage work, jobs that message users fail clearly.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfflineTelegram;

#[async_trait::async_trait]
impl TelegramApi for OfflineTelegram {
    async fn call(&self, request: &ApiRequest) -> Result<serde_json::Value, TelegramError> {
        Err(TelegramError::Network {
            method: request.method().to_owned(),
            reason: "TELEGRAM_BOT_TOKEN is not set, so the Bot API cannot be called".to_owned(),
        })
    }
}
