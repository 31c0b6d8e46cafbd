//! Prices from an HTTP API, through an [`HttpGet`] client the runtime provides.
//!
//! Modules build for wasm32 and carry no HTTP client: natively the runtime implements
//! [`HttpGet`] with reqwest, on Workers with `fetch`, and tests with a few lines over a tokio
//! socket. The module only builds URLs and reads answers.
//!
//! ## The price API
//!
//! `GET <TRADING_PRICE_API>/<SYMBOL>` (the base URL without a trailing slash, the ticker upper
//! case), answered with:
//!
//! | status | body | meaning |
//! |---|---|---|
//! | 200 | `{"symbol":"VNM","price_vnd":65000}` | the last price, whole VND per share |
//! | 200 | `{"symbol":"VNM","price_vnd":null}` | a listed ticker without a price now |
//! | 404 | anything | not a ticker the API knows |
//! | other | anything | the API failed: "Could not fetch price" |
//!
//! `price_vnd` must be a whole number from 1 to [`MAX_PRICE_VND`]; `symbol`, when present,
//! must be the ticker asked for. Anything else is [`PriceError::Malformed`].

use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::maybe_send::{MaybeSend, MaybeSync};
use serde::Deserialize;

use super::args::is_valid_ticker;
use super::portfolio::MAX_PRICE_VND;
use super::prices::{PriceError, PriceProvider, Quote};

/// The default time a price request may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

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
    /// Anything else (connection refused, DNS, TLS, body not text).
    Failed(String),
}

/// The one HTTP call the trading module needs. Runtimes implement it.
///
/// An implementation must give up after `timeout` (connecting, sending and reading the whole
/// body) with [`HttpError::Timeout`].
#[cfg_attr(not(target_arch = "wasm32"), miti99bot_core::async_trait)]
#[cfg_attr(target_arch = "wasm32", miti99bot_core::async_trait(?Send))]
pub trait HttpGet: MaybeSend + MaybeSync {
    /// `GET url`.
    async fn get(&self, url: &str, timeout: Duration) -> Result<HttpResponse, HttpError>;
}

/// The client of a runtime without HTTP: every request fails.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHttp;

#[cfg_attr(not(target_arch = "wasm32"), miti99bot_core::async_trait)]
#[cfg_attr(target_arch = "wasm32", miti99bot_core::async_trait(?Send))]
impl HttpGet for NoHttp {
    async fn get(&self, _url: &str, _timeout: Duration) -> Result<HttpResponse, HttpError> {
        Err(HttpError::Failed(
            "this runtime provides no HTTP client to the trading module".to_owned(),
        ))
    }
}

/// A [`PriceProvider`] over the price API described in the [module docs](self).
#[derive(Clone)]
pub struct HttpPrices {
    base_url: String,
    timeout: Duration,
    client: Arc<dyn HttpGet>,
}

impl std::fmt::Debug for HttpPrices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpPrices")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct PriceBody {
    symbol: Option<String>,
    price_vnd: Option<serde_json::Number>,
}

impl HttpPrices {
    /// Prices from `base_url` (a trailing `/` is dropped) through `client`, with the default
    /// timeout.
    pub fn new(base_url: &str, client: Arc<dyn HttpGet>) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            timeout: DEFAULT_TIMEOUT,
            client,
        }
    }

    /// Sets how long one request may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The URL of `symbol`'s price.
    pub fn url(&self, symbol: &str) -> String {
        format!("{}/{symbol}", self.base_url)
    }
}

/// Reads an answer of the price API.
pub fn parse_price_response(symbol: &str, response: &HttpResponse) -> Result<Quote, PriceError> {
    match response.status {
        200 => {}
        404 => return Ok(Quote::UnknownSymbol),
        status => return Err(PriceError::Status(status)),
    }
    let body: PriceBody = serde_json::from_str(&response.body).map_err(|e| PriceError::Malformed(e.to_string()))?;
    if let Some(answered) = &body.symbol {
        if !answered.eq_ignore_ascii_case(symbol) {
            return Err(PriceError::Malformed(format!(
                "asked for {symbol}, got the price of {answered}"
            )));
        }
    }
    match body.price_vnd {
        None => Ok(Quote::NoPrice),
        Some(number) => number
            .as_i64()
            .filter(|p| (1..=MAX_PRICE_VND).contains(p))
            .map(Quote::Price)
            .ok_or_else(|| {
                PriceError::Malformed(format!(
                    "price_vnd {number} is not a whole number from 1 to {MAX_PRICE_VND}"
                ))
            }),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), miti99bot_core::async_trait)]
#[cfg_attr(target_arch = "wasm32", miti99bot_core::async_trait(?Send))]
impl PriceProvider for HttpPrices {
    async fn quote(&self, symbol: &str) -> Result<Quote, PriceError> {
        // Only [A-Z0-9] reaches the URL, so nothing needs escaping.
        if !is_valid_ticker(symbol) {
            return Ok(Quote::UnknownSymbol);
        }
        let response = self
            .client
            .get(&self.url(symbol), self.timeout)
            .await
            .map_err(|e| match e {
                HttpError::Timeout => PriceError::Timeout,
                HttpError::Failed(reason) => PriceError::Network(reason),
            })?;
        parse_price_response(symbol, &response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            body: body.to_owned(),
        }
    }

    #[test]
    fn reads_the_documented_answers() {
        let ok = answer(200, r#"{"symbol":"VNM","price_vnd":65000}"#);
        assert_eq!(parse_price_response("VNM", &ok), Ok(Quote::Price(65_000)));
        let bare = answer(200, r#"{"price_vnd":1}"#);
        assert_eq!(parse_price_response("VNM", &bare), Ok(Quote::Price(1)));
        let none = answer(200, r#"{"symbol":"VNM","price_vnd":null}"#);
        assert_eq!(parse_price_response("VNM", &none), Ok(Quote::NoPrice));
        assert_eq!(parse_price_response("VNM", &answer(404, "")), Ok(Quote::UnknownSymbol));
        assert_eq!(
            parse_price_response("VNM", &answer(503, "")),
            Err(PriceError::Status(503))
        );
        for body in [
            "not json",
            r#"{"symbol":"FPT","price_vnd":5}"#,
            r#"{"price_vnd":65000.5}"#,
            r#"{"price_vnd":0}"#,
            r#"{"price_vnd":"65000"}"#,
            r#"{"price_vnd":1e300}"#,
        ] {
            assert!(
                matches!(
                    parse_price_response("VNM", &answer(200, body)),
                    Err(PriceError::Malformed(_))
                ),
                "{body}"
            );
        }
    }
}
