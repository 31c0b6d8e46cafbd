//! Where prices come from: the [`PriceProvider`] trait, a static provider from configuration
//! and a provider for when none is configured. The HTTP provider is in [`super::http_prices`].

use std::fmt;

use miti99bot_core::http::HttpGet;
use miti99bot_core::maybe_send::{MaybeSend, MaybeSync};

use super::args::is_valid_ticker;
use super::portfolio::MAX_PRICE_VND;
use super::ticker_map::TickerMap;

/// What a provider knows about a ticker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// The last price, whole VND per share (1..=[`MAX_PRICE_VND`]).
    Price(i64),
    /// A listed ticker with no price right now.
    NoPrice,
    /// Not a ticker the provider lists.
    UnknownSymbol,
}

/// Why a provider could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceError {
    /// The provider did not answer in time.
    Timeout,
    /// The request failed (connection refused, DNS, TLS, ...).
    Network(String),
    /// The provider answered with an unexpected HTTP status.
    Status(u16),
    /// The provider's answer was not the expected JSON.
    Malformed(String),
    /// No price source is configured.
    NotConfigured,
}

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("price request timed out"),
            Self::Network(reason) => write!(f, "price request failed: {reason}"),
            Self::Status(status) => write!(f, "price API answered HTTP {status}"),
            Self::Malformed(reason) => write!(f, "price API answer is malformed: {reason}"),
            Self::NotConfigured => f.write_str("no price source configured (set TRADING_PRICES or TRADING_PRICE_API)"),
        }
    }
}

impl std::error::Error for PriceError {}

/// A source of stock prices. Runs natively and on wasm32 (no `Send` there).
///
/// A provider holds no HTTP client: the handler passes the runtime's (`ctx.http()`), and a
/// provider that needs none ignores it.
#[cfg_attr(not(target_arch = "wasm32"), miti99bot_core::async_trait)]
#[cfg_attr(target_arch = "wasm32", miti99bot_core::async_trait(?Send))]
pub trait PriceProvider: MaybeSend + MaybeSync {
    /// The quote of `symbol` (upper-case ticker), fetched through `http` when the provider
    /// calls out.
    async fn quote(&self, http: &dyn HttpGet, symbol: &str) -> Result<Quote, PriceError>;
}

/// Fixed prices from configuration: `TRADING_PRICES=VNM=65000,FPT=120000` (whole VND).
///
/// Tickers not in the list are [`Quote::UnknownSymbol`]. Used by the offline chat console and by
/// tests; it never changes, so P&L stays at zero unless the configuration changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticPrices {
    prices: TickerMap,
}

impl StaticPrices {
    /// Parses `SYMBOL=PRICE` pairs separated by commas (blank pairs are skipped).
    ///
    /// ```
    /// use miti99bot_modules::trading::prices::StaticPrices;
    /// let prices = StaticPrices::parse("VNM=65000, fpt=120000").unwrap();
    /// assert_eq!(prices.get("FPT"), Some(120_000));
    /// assert!(StaticPrices::parse("VNM=12.5").is_err());
    /// ```
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut prices = TickerMap::new();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (symbol, price) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} is not SYMBOL=PRICE"))?;
            let symbol = symbol.trim().to_ascii_uppercase();
            if !is_valid_ticker(&symbol) {
                return Err(format!("{symbol:?} is not a ticker (1 to 10 letters or digits)"));
            }
            let price = price
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=MAX_PRICE_VND).contains(p))
                .ok_or_else(|| format!("price of {symbol} must be a whole number of VND from 1 to {MAX_PRICE_VND}"))?;
            prices.insert(symbol, price);
        }
        Ok(Self { prices })
    }

    /// The static prices of `pairs`.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, i64)>) -> Self {
        Self {
            prices: pairs.into_iter().map(|(s, p)| (s.to_ascii_uppercase(), p)).collect(),
        }
    }

    /// How many tickers are listed.
    pub fn len(&self) -> usize {
        self.prices.len()
    }

    /// True when no ticker is listed.
    pub fn is_empty(&self) -> bool {
        self.prices.is_empty()
    }

    /// The price of `symbol`, if listed.
    pub fn get(&self, symbol: &str) -> Option<i64> {
        self.prices.get(symbol).copied()
    }
}

#[cfg_attr(not(target_arch = "wasm32"), miti99bot_core::async_trait)]
#[cfg_attr(target_arch = "wasm32", miti99bot_core::async_trait(?Send))]
impl PriceProvider for StaticPrices {
    async fn quote(&self, _http: &dyn HttpGet, symbol: &str) -> Result<Quote, PriceError> {
        Ok(self.get(symbol).map_or(Quote::UnknownSymbol, Quote::Price))
    }
}

/// The provider used when no price source is configured: every quote fails, so trades are
/// refused with the "could not fetch price" reply instead of pretending tickers do not exist.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPrices;

#[cfg_attr(not(target_arch = "wasm32"), miti99bot_core::async_trait)]
#[cfg_attr(target_arch = "wasm32", miti99bot_core::async_trait(?Send))]
impl PriceProvider for NoPrices {
    async fn quote(&self, _http: &dyn HttpGet, _symbol: &str) -> Result<Quote, PriceError> {
        Err(PriceError::NotConfigured)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_static_prices() {
        let p = StaticPrices::parse(" VNM=65000 ,FPT = 120000,, ").unwrap();
        assert_eq!(p.get("VNM"), Some(65_000));
        assert_eq!(p.get("FPT"), Some(120_000));
        assert_eq!(p.get("HPG"), None);
        assert_eq!(StaticPrices::parse("").unwrap(), StaticPrices::default());
        for bad in ["VNM", "VNM=", "VNM=0", "VNM=-5", "VNM=1e3", "<b>=5", "VNM=1000000001"] {
            assert!(StaticPrices::parse(bad).is_err(), "{bad}");
        }
    }
}
