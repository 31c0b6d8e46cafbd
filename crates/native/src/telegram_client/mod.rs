//! The Bot API over HTTPS: reqwest (rustls) behind the core's [`TelegramApi`] trait.
//!
//! Every call is `POST {base}/bot{token}/{method}` with a JSON body. A 429 is retried after
//! Telegram's `retry_after` within a [`RetryPolicy`], then reported as
//! [`TelegramError::RateLimited`]; any other non-2xx or `ok: false` answer is
//! [`TelegramError::Api`]; connection failures and timeouts are [`TelegramError::Network`].
//! Nothing the client logs or returns contains the token: reqwest's errors carry the request
//! URL, so the URL is stripped from them and the text scrubbed once more.

mod redact;
mod response;
mod retry;

use std::time::{Duration, Instant};

use miti99bot_core::telegram::{TelegramApi, TelegramError};
use serde_json::Value;

pub use redact::{describe_reqwest_error, describe_without_url, BotToken};
pub use retry::RetryPolicy;

use response::{body_excerpt, read_answer, Answer};

/// The Bot API's address when `TELEGRAM_API_BASE` is not set.
pub const DEFAULT_API_BASE: &str = "https://api.telegram.org";

/// Settings of an [`HttpTelegram`].
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Scheme and host (and optional path prefix) of the Bot API, without a trailing `/`.
    pub base_url: String,
    /// Timeout of one request (except `getUpdates`).
    pub request_timeout: Duration,
    /// Timeout of connecting.
    pub connect_timeout: Duration,
    /// Added to a `getUpdates` long-poll `timeout` to get that request's timeout.
    pub long_poll_grace: Duration,
    /// How 429 answers are retried.
    pub retry: RetryPolicy,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_API_BASE.to_owned(),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            long_poll_grace: Duration::from_secs(15),
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientOptions {
    /// Default options against `base_url` (one trailing `/` is ignored).
    pub fn with_base(base_url: &str) -> Self {
        Self {
            base_url: base_url.trim().trim_end_matches('/').to_owned(),
            ..Self::default()
        }
    }
}

/// A failed call with the raw body Telegram answered, when there was one (for `register`,
/// which prints it).
#[derive(Debug)]
pub struct CallFailure {
    /// The error.
    pub error: TelegramError,
    /// The body of the last answer, cut to a few hundred characters.
    pub body: Option<String>,
}

/// The Bot API client.
#[derive(Clone)]
pub struct HttpTelegram {
    http: reqwest::Client,
    token: BotToken,
    options: ClientOptions,
}

impl std::fmt::Debug for HttpTelegram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTelegram")
            .field("base_url", &self.options.base_url)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

impl HttpTelegram {
    /// A client for the bot with `token`.
    pub fn new(token: &str, options: ClientOptions) -> Result<Self, TelegramError> {
        let token = BotToken::new(token);
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .user_agent(concat!("miti99bot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TelegramError::Network {
                method: "(client)".into(),
                reason: describe_reqwest_error(e, &token),
            })?;
        Ok(Self { http, token, options })
    }

    /// The options in use.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Calls `method`, retrying 429 answers within the policy; failures keep the answer's body.
    pub async fn call_detailed(&self, method: &str, payload: Value) -> Result<Value, CallFailure> {
        let mut attempts = 0;
        let mut waited = Duration::ZERO;
        loop {
            attempts += 1;
            let (status, body) = self
                .attempt(method, &payload)
                .await
                .map_err(|error| CallFailure { error, body: None })?;
            let failure = |error| CallFailure {
                error,
                body: Some(self.token.scrub(&body_excerpt(&body))),
            };
            match read_answer(status, &body) {
                Answer::Result(result) => return Ok(result),
                Answer::RateLimited { retry_after } => {
                    let wait = Duration::from_secs(retry_after);
                    if !self.options.retry.should_retry(attempts, waited, wait) {
                        tracing::warn!(method, retry_after, attempts, "telegram rate limit: giving up");
                        return Err(failure(TelegramError::RateLimited {
                            method: method.to_owned(),
                            retry_after,
                            attempts,
                        }));
                    }
                    tracing::warn!(method, retry_after, attempts, "telegram rate limit: retrying");
                    tokio::time::sleep(wait).await;
                    waited += wait;
                }
                Answer::Failed { status, description } => {
                    return Err(failure(TelegramError::Api {
                        method: method.to_owned(),
                        status,
                        description: self.token.scrub(&description),
                    }))
                }
                Answer::Malformed(reason) => {
                    return Err(failure(TelegramError::Decode {
                        method: method.to_owned(),
                        reason: self.token.scrub(&reason),
                    }))
                }
            }
        }
    }

    /// One HTTP exchange: the status and the body.
    async fn attempt(&self, method: &str, payload: &Value) -> Result<(u16, Vec<u8>), TelegramError> {
        let url = format!("{}/bot{}/{}", self.options.base_url, self.token.expose(), method);
        let timeout = match payload.get("timeout").and_then(Value::as_u64) {
            Some(seconds) if method == "getUpdates" => Duration::from_secs(seconds) + self.options.long_poll_grace,
            _ => self.options.request_timeout,
        };
        let network = |e: reqwest::Error| TelegramError::Network {
            method: method.to_owned(),
            reason: describe_reqwest_error(e, &self.token),
        };
        let started = Instant::now();
        tracing::debug!(method, "telegram call");
        let response = self
            .http
            .post(url)
            .timeout(timeout)
            .json(payload)
            .send()
            .await
            .map_err(network)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(network)?;
        tracing::debug!(
            method,
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "telegram answer"
        );
        Ok((status, body.to_vec()))
    }
}

#[async_trait::async_trait]
impl TelegramApi for HttpTelegram {
    async fn call(&self, method: &str, payload: Value) -> Result<Value, TelegramError> {
        self.call_detailed(method, payload).await.map_err(|f| f.error)
    }
}
