//! The Bot API over the Workers Fetch API.

use std::time::Duration;

use miti99bot_core::telegram::{
    decode_answer, method_url, ApiRequest, BotToken, TelegramApi, TelegramError, DEFAULT_API_BASE,
};

use crate::js_fetch::{fetch_text, FetchFailure, Method};

/// How long one Bot API call may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// A Telegram client using `fetch`, reading answers with the core's [`decode_answer`]. The
/// token never appears in its errors or logs.
#[derive(Clone)]
pub struct FetchTelegram {
    base: String,
    token: BotToken,
}

impl std::fmt::Debug for FetchTelegram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchTelegram")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl FetchTelegram {
    /// A client for `token` against `base` (`TELEGRAM_API_BASE`; the public Bot API when `None`).
    pub fn new(base: Option<&str>, token: &str) -> Self {
        Self {
            base: base.unwrap_or(DEFAULT_API_BASE).to_owned(),
            token: BotToken::new(token),
        }
    }
}

#[async_trait::async_trait(?Send)]
impl TelegramApi for FetchTelegram {
    async fn call(&self, request: &ApiRequest) -> Result<serde_json::Value, TelegramError> {
        let method = request.method();
        let network = |reason: String| TelegramError::Network {
            method: method.to_owned(),
            reason,
        };
        if self.token.is_empty() {
            return Err(network("TELEGRAM_BOT_TOKEN is not set".into()));
        }
        let url = method_url(&self.base, &self.token, method);
        let (status, body) = fetch_text(Method::Post, &url, Some(request.to_json()), CALL_TIMEOUT)
            .await
            .map_err(|failure| match failure {
                FetchFailure::Timeout => network(format!("no answer within {} s", CALL_TIMEOUT.as_secs())),
                FetchFailure::Failed(reason) => network(self.token.scrub(&reason)),
            })?;
        // One attempt: inside a Worker the request's time is too precious to sleep
        // `retry_after` away, so a 429 is the caller's `RateLimited` error at once.
        let result = decode_answer(method, status, body.as_bytes()).map_err(|error| self.token.scrub_error(error));
        if let Err(TelegramError::RateLimited { retry_after, .. }) = &result {
            miti99bot_core::warn!(
                method,
                retry_after,
                "telegram rate limited: giving up, a Worker does not sleep on retry_after"
            );
        }
        result
    }
}
