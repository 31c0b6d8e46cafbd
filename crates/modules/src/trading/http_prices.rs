//! Prices from an HTTP API, through the runtime's HTTP client (`ctx.http()`).
//!
//! Modules build for wasm32 and carry no HTTP client: the runtime provides one
//! ([`HttpGet`]: reqwest natively, `fetch` on Workers, fakes in tests) and the handlers pass it
//! to [`PriceProvider::quote`]. [`HttpPrices`] only builds URLs and reads answers.
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

use std::time::Duration;

use miti99bot_core::http::{HttpError, HttpGet, HttpResponse};
use serde::Deserialize;

use super::args::is_valid_ticker;
use super::portfolio::MAX_PRICE_VND;
use super::prices::{PriceError, PriceProvider, Quote};

/// The default time a price request may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`PriceProvider`] over the price API described in the [module docs](self): a base URL and
/// a timeout; the requests go through the client the handler passes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpPrices {
    base_url: String,
    timeout: Duration,
}

#[derive(Deserialize)]
struct PriceBody {
    symbol: Option<String>,
    price_vnd: Option<serde_json::Number>,
}

impl HttpPrices {
    /// Prices from `base_url` (a trailing `/` is dropped), with the default timeout.
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Sets how long one request may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long one request may take.
    pub fn request_timeout(&self) -> Duration {
        self.timeout
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
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
    let body: PriceBody =
        miti99bot_core::json::from_slice(response.body.as_bytes()).map_err(|e| PriceError::Malformed(e.to_string()))?;
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
    async fn quote(&self, http: &dyn HttpGet, symbol: &str) -> Result<Quote, PriceError> {
        // Only [A-Z0-9] reaches the URL, so nothing needs escaping.
        if !is_valid_ticker(symbol) {
            return Ok(Quote::UnknownSymbol);
        }
        let response = http.get(&self.url(symbol), self.timeout).await.map_err(|e| match e {
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
