//! The Bot API over HTTPS: reqwest (rustls) behind the core's [`TelegramApi`] trait.
//!
//! Every call is `POST {base}/bot{token}/{method}` with the request's JSON body, and every
//! answer is read by the core's [`decode_answer`]. A 429 is retried after Telegram's
//! `retry_after` within a [`RetryPolicy`], then reported as [`TelegramError::RateLimited`]; any
//! other non-2xx or `ok: false` answer is [`TelegramError::Api`]; connection failures and
//! timeouts are [`TelegramError::Network`]. Nothing the client logs or returns contains the
//! token: reqwest's errors carry the request URL, so the URL is stripped from them, and every
//! error text is scrubbed with [`BotToken::scrub_error`].

mod method_urls;
mod reqwest_error;
mod retry;

use std::time::{Duration, Instant};

use miti99bot_core::telegram::{body_excerpt, decode_answer, ApiRequest, TelegramApi, TelegramError};
use serde_json::Value;

use method_urls::MethodUrls;

pub use miti99bot_core::telegram::{BotToken, DEFAULT_API_BASE};
pub use reqwest_error::{describe_reqwest_error, describe_without_url};
pub use retry::RetryPolicy;

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
    /// The body of the last answer, cut to
    /// [`MAX_ERROR_TEXT`](miti99bot_core::telegram::MAX_ERROR_TEXT) characters, token scrubbed.
    pub body: Option<String>,
}

/// The Bot API client.
#[derive(Clone)]
pub struct HttpTelegram {
    http: reqwest::Client,
    token: BotToken,
    options: ClientOptions,
    urls: MethodUrls,
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
        Ok(Self {
            http,
            token,
            options,
            urls: MethodUrls::default(),
        })
    }

    /// The options in use.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Sends `request`, retrying 429 answers within the policy; failures keep the answer's body.
    pub async fn call_detailed(&self, request: &ApiRequest) -> Result<Value, CallFailure> {
        let method = request.method();
        let mut attempts = 0;
        let mut waited = Duration::ZERO;
        loop {
            attempts += 1;
            let (status, body) = self
                .attempt(request)
                .await
                .map_err(|error| CallFailure { error, body: None })?;
            let failure = |error| CallFailure {
                error: self.token.scrub_error(error),
                body: Some(self.token.scrub(&body_excerpt(&body))),
            };
            match decode_answer(method, status, &body) {
                Ok(result) => return Ok(result),
                Err(TelegramError::RateLimited { retry_after, .. }) => {
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
                Err(error) => return Err(failure(error)),
            }
        }
    }

    /// How long `request` may take: a long poll's `timeout` plus the grace, else the request
    /// timeout.
    fn timeout_of(&self, request: &ApiRequest) -> Duration {
        let long_poll = match request {
            ApiRequest::GetUpdates(updates) => Some(u64::from(updates.timeout)),
            ApiRequest::Raw { method, payload } if method == "getUpdates" => {
                payload.get("timeout").and_then(Value::as_u64)
            }
            _ => None,
        };
        match long_poll {
            Some(seconds) => Duration::from_secs(seconds) + self.options.long_poll_grace,
            None => self.options.request_timeout,
        }
    }

    /// One HTTP exchange: the status and the body.
    async fn attempt(&self, request: &ApiRequest) -> Result<(u16, Vec<u8>), TelegramError> {
        let method = request.method();
        let url = self.urls.get(&self.options.base_url, &self.token, method);
        let network = |e: reqwest::Error| TelegramError::Network {
            method: method.to_owned(),
            reason: describe_reqwest_error(e, &self.token),
        };
        let started = Instant::now();
        tracing::debug!(method, "telegram call");
        let post = match url {
            Ok(url) => self.http.post(url),
            Err(text) => self.http.post(text),
        };
        let response = post
            .timeout(self.timeout_of(request))
            .json(request)
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
    async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
        self.call_detailed(request).await.map_err(|f| f.error)
    }
}
