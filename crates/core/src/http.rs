//! Outbound HTTP, supplied by the runtime like the clock.
//!
//! Modules build for wasm32 and carry no HTTP client of their own: the native runtime implements
//! [`HttpGet`] with reqwest, the Worker with `fetch`, tests with whatever fake they need. The
//! runtime puts its client into [`Services`](crate::Services) with
//! [`Services::with_http`](crate::Services::with_http), and handlers, crons and inits reach it
//! through `ctx.http()`. A runtime that sets none leaves [`NoHttp`], whose every request fails.

use std::fmt;
use std::time::Duration;

use crate::maybe_send::{MaybeSend, MaybeSync};

/// An HTTP answer: status and body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// Why an HTTP request produced no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// No complete answer within the timeout.
    Timeout,
    /// Anything else (no client, connection refused, DNS, TLS, body not text or too large).
    Failed(String),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("HTTP request timed out"),
            Self::Failed(reason) => write!(f, "HTTP request failed: {reason}"),
        }
    }
}

impl std::error::Error for HttpError {}

/// An HTTP `GET`, the outbound call modules need. Runtimes implement it.
///
/// An implementation must give up after `timeout` (connecting, sending and reading the whole
/// body) with [`HttpError::Timeout`], and report every other failure as [`HttpError::Failed`]
/// rather than panicking. A non-2xx status is an answer, not an error.
#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
pub trait HttpGet: MaybeSend + MaybeSync {
    /// `GET url`.
    async fn get(&self, url: &str, timeout: Duration) -> Result<HttpResponse, HttpError>;
}

/// The client of a runtime without HTTP (the default of [`Services`](crate::Services)): every
/// request fails with "this runtime provides no HTTP client".
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHttp;

/// What [`NoHttp`] answers every request with.
pub const NO_HTTP_CLIENT: &str = "this runtime provides no HTTP client";

#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
impl HttpGet for NoHttp {
    async fn get(&self, _url: &str, _timeout: Duration) -> Result<HttpResponse, HttpError> {
        Err(HttpError::Failed(NO_HTTP_CLIENT.to_owned()))
    }
}
