//! `trading`: paper trading of Vietnamese stocks: portfolio and trade history in SQL, every trade one
//! atomic batch, and a retention cron.
//!
//! | command | what it does |
//! |---|---|
//! | `/trade_topup <amount>` | adds VND to the account (and to the total invested) |
//! | `/trade_buy <qty> <TICKER>` | buys whole shares at the current price |
//! | `/trade_sell <qty> <TICKER>` | sells whole shares at the current price |
//! | `/trade_convert` | currency exchange: not available yet |
//! | `/trade_stats` | cash, holdings at current prices, total value, P&L; a Refresh button edits it in place |
//! | `/history [n]` | your newest `n` trades (default 10, at most 50), HTML; Older/Newer buttons page in place ([`buttons`]) |
//!
//! The cron `trim-trades` (`0 17 * * *`, 17:00 UTC) keeps each user's newest 1000 trades and the
//! newest 10000 overall ([`retention`]).
//!
//! ## Where things are
//!
//! - **Portfolio** ([`account`]): SQL, `trading_accounts` (balance, total invested) and
//!   `trading_holdings` (shares per ticker), created by `migrations/0002_portfolio.sql`. All
//!   amounts are whole numbers in `i64`, capped at [`portfolio::MAX_VND`] VND,
//!   [`portfolio::MAX_QTY`] shares and [`portfolio::MAX_PRICE_VND`] VND per share, both in the
//!   checks of [`portfolio`] and in the tables' `CHECK`s: an absurd number is a reply, never an
//!   overflow. A first-time user has no row until the first successful top-up or trade.
//! - **History** ([`history`]): one row per buy or sell in `trading_trades`, created by
//!   `migrations/0001_trades.sql`.
//! - **Prices** ([`prices`], [`http_prices`]): a [`PriceProvider`] chosen
//!   from the configuration (below).
//! - **Texts** ([`render`]) and **formatting** ([`format`](mod@format)): `15.000.000 VND`.
//!
//! ## Every change is one batch
//!
//! A top-up, buy or sell is **one** [`batch`](miti99bot_core::sql::ModuleSql::batch): the
//! balance update, the holding upsert and the history row together, atomic. Nothing is read
//! first: `vnd = vnd - cost` runs against the table's `CHECK (vnd >= 0)`, a sale's
//! `qty = qty - n` against `CHECK (qty >= 0)`, so an overdraft or an oversell fails the
//! statement and the whole batch writes nothing. Only then is the state read, once, to word the
//! original's reply ("Insufficient VND. Need …, have …."). Concurrent trades of one user (two
//! chats, two isolates) are serialised by the database: none is lost, none double-spends, and
//! there is no undo code because there is nothing to undo.
//!
//! The batch is the handler's first write, so it carries the update's claim (docs/using-sql.md,
//! "Applied once"): a trade on Workers is one D1 round trip plus the price fetch, and a
//! redelivered update fails on the claim, writes nothing and is not answered again.
//!
//! Without a SQL store trading refuses every change and `/trade_stats` with "Trading needs a
//! database; it is not available here." (`/help` still lists the commands; the console and the
//! binary always have SQLite).
//!
//! ## Portfolios that were in KV
//!
//! Before `0002_portfolio.sql` the portfolio was JSON in the module's KV under `user:<id>`,
//! `{"currency":{"VND":…},"assets":{"VNM":100},"totalvnd":…}`. Every change starts with a guard
//! that fails when the user has no account; the handler then reads that KV value and repeats the
//! change with the carry-over in front, in one batch ([`carry_over`]): holdings inserted only
//! while no account exists, the account `INSERT … ON CONFLICT DO NOTHING`. Two first uses racing
//! each other both carry, but the database runs their batches one after the other and the
//! second one's carry-over writes nothing, so the money arrives exactly once. The KV key is
//! deleted after the batch commits. Workers KV is eventually consistent; the race that remains
//! and why it is harmless is in [`carry_over`]. `/trade_stats` shows a portfolio still in KV
//! without moving it. A corrupt KV value is never overwritten: the user is told the portfolio
//! cannot be read.
//!
//! ## Configuration
//!
//! | variable | meaning |
//! |---|---|
//! | `TRADING_PRICES` | static prices, `VNM=65000,FPT=120000` (whole VND); wins over the API |
//! | `TRADING_PRICE_API` | base URL of the price API ([`http_prices`] documents it) |
//! | `TRADING_PRICE_TIMEOUT_MS` | timeout of one price request, default 5000 |
//! | `TRADING_KEEP_PER_USER` / `TRADING_KEEP_TOTAL` | retention caps, default 1000 / 10000 |
//!
//! With neither price variable set every price lookup fails ("Could not fetch price"). A
//! malformed value stops start-up with an error naming the variable. The price source in use
//! (or its absence) is logged once when the bot starts, by the module's init, not every time
//! the module is built (`migrate` and `register` build it without serving).
//!
//! The HTTP provider fetches through the runtime's client, `ctx.http()`: reqwest natively,
//! `fetch` on Workers. A runtime without one answers every request with an error, which a
//! trade reports as "Could not fetch price" and logs.

pub mod account;
pub mod args;
pub mod buttons;
pub mod carry_over;
#[cfg(doctest)]
mod docs_doctests;
mod float_literal;
pub mod format;
pub mod handlers;
pub mod history;
pub mod http_prices;
pub mod join_all;
pub mod portfolio;
pub mod prices;
pub mod render;
pub mod retention;
pub mod ticker_map;

use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::config::ConfigError;
use miti99bot_core::{Command, Config, Cron, Module};

use self::http_prices::HttpPrices;
use self::prices::{NoPrices, PriceProvider, StaticPrices};
use self::retention::RetentionCaps;

/// The module's name (and KV prefix `trading:`, table prefix `trading_`).
pub const NAME: &str = "trading";

/// The `trading` module as configured (the catalog's constructor). A malformed setting is an
/// error naming the variable, which stops start-up.
pub fn module(config: &Config) -> Result<Module, ConfigError> {
    Ok(Trading::from_config(config)?.module())
}

/// What the handlers and the cron read with `ctx.state::<TradingState>()`.
pub struct TradingState {
    /// Where prices come from.
    pub prices: Arc<dyn PriceProvider>,
    /// How many trades the retention cron keeps.
    pub caps: RetentionCaps,
}

/// Where the configured prices come from, for the start-up log line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PriceSource {
    /// A provider handed to [`Trading::new`]: nothing to report.
    Given,
    /// `TRADING_PRICES`, with this many tickers; `api_ignored` when `TRADING_PRICE_API` is
    /// set too.
    Static { tickers: usize, api_ignored: bool },
    /// `TRADING_PRICE_API`.
    Api { base_url: String, timeout: Duration },
    /// Neither variable.
    Missing,
}

impl PriceSource {
    /// Logs the source once, when the bot starts.
    fn log(&self) {
        match self {
            Self::Given => {}
            Self::Static { tickers, api_ignored } => {
                miti99bot_core::info!(tickers, "trading: prices from TRADING_PRICES");
                if *api_ignored {
                    miti99bot_core::warn!("trading: TRADING_PRICES is set, so TRADING_PRICE_API is ignored");
                }
            }
            Self::Api { base_url, timeout } => {
                let timeout_ms = timeout.as_millis() as u64;
                miti99bot_core::info!(%base_url, timeout_ms, "trading: prices from TRADING_PRICE_API");
            }
            Self::Missing => {
                miti99bot_core::warn!(
                    "trading: no price source (TRADING_PRICES or TRADING_PRICE_API); trades will fail"
                );
            }
        }
    }
}

/// The trading module's parts: where prices come from and how many trades to keep.
#[derive(Clone)]
pub struct Trading {
    prices: Arc<dyn PriceProvider>,
    source: PriceSource,
    caps: RetentionCaps,
}

impl std::fmt::Debug for Trading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trading")
            .field("source", &self.source)
            .field("caps", &self.caps)
            .finish_non_exhaustive()
    }
}

impl Trading {
    /// Trading with `prices` and the default retention caps.
    pub fn new(prices: Arc<dyn PriceProvider>) -> Self {
        Self {
            prices,
            source: PriceSource::Given,
            caps: RetentionCaps::default(),
        }
    }

    /// Reads the configuration (see the [module docs](self)). Logs nothing: the source is
    /// logged by the module's init, once the bot starts.
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let caps = RetentionCaps::from_config(config)?;
        let (prices, source): (Arc<dyn PriceProvider>, PriceSource) =
            match (config.get("TRADING_PRICES"), config.get("TRADING_PRICE_API")) {
                (Some(spec), api) => {
                    let prices = StaticPrices::parse(spec).map_err(|reason| ConfigError {
                        name: "TRADING_PRICES".to_owned(),
                        reason,
                    })?;
                    let source = PriceSource::Static {
                        tickers: prices.len(),
                        api_ignored: api.is_some(),
                    };
                    (Arc::new(prices), source)
                }
                (None, Some(base)) => {
                    let prices = HttpPrices::new(base).timeout(price_timeout(config)?);
                    let source = PriceSource::Api {
                        base_url: prices.base_url().to_owned(),
                        timeout: prices.request_timeout(),
                    };
                    (Arc::new(prices), source)
                }
                (None, None) => (Arc::new(NoPrices), PriceSource::Missing),
            };
        Ok(Self { prices, source, caps })
    }

    /// Sets the retention caps.
    pub fn caps(mut self, caps: RetentionCaps) -> Self {
        self.caps = caps;
        self
    }

    /// The module: commands, the retention cron, the migrations of `migrations/` and an init
    /// that logs the price source once at start-up.
    pub fn module(self) -> Module {
        let Trading { prices, source, caps } = self;
        Module::new(NAME)
            .state(TradingState { prices, caps })
            .command(
                Command::public("trade_topup", "Top up VND to your trading account", handlers::topup)
                    .usage(render::USAGE_TOPUP),
            )
            .command(
                Command::public("trade_buy", "Buy VN stock at market price", handlers::buy).usage(render::USAGE_BUY),
            )
            .command(
                Command::public("trade_sell", "Sell VN stock back to VND", handlers::sell).usage(render::USAGE_SELL),
            )
            .command(Command::public(
                "trade_convert",
                "Currency exchange (coming soon)",
                handlers::convert,
            ))
            .command(Command::public(
                "trade_stats",
                "Show portfolio summary with P&L",
                handlers::stats,
            ))
            .command(Command::public(
                "history",
                "Show your recent trades: /history [n]",
                handlers::history,
            ))
            .callback(buttons::REFRESH.handle(buttons::refresh))
            .callback(buttons::PAGE.handle(buttons::page))
            .cron(Cron::new(retention::CRON_NAME, retention::SCHEDULE, retention::run))
            .migrations(crate::migrations_of(NAME))
            .init(move |_ctx| {
                source.log();
                async { Ok(()) }
            })
    }
}

fn price_timeout(config: &Config) -> Result<Duration, ConfigError> {
    match config.get("TRADING_PRICE_TIMEOUT_MS") {
        None => Ok(http_prices::DEFAULT_TIMEOUT),
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|ms| (1..=60_000).contains(ms))
            .map(Duration::from_millis)
            .ok_or_else(|| ConfigError {
                name: "TRADING_PRICE_TIMEOUT_MS".to_owned(),
                reason: format!("{raw:?} is not a timeout in milliseconds (1 to 60000)"),
            }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn source(vars: &[(&str, &str)]) -> PriceSource {
        let config = Config::from_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))).unwrap();
        Trading::from_config(&config).unwrap().source
    }

    #[test]
    fn the_configured_source_is_kept_for_the_start_up_log() {
        assert_eq!(source(&[]), PriceSource::Missing);
        assert_eq!(
            source(&[("TRADING_PRICES", "VNM=65000,FPT=120000")]),
            PriceSource::Static {
                tickers: 2,
                api_ignored: false
            }
        );
        assert_eq!(
            source(&[("TRADING_PRICES", "VNM=65000"), ("TRADING_PRICE_API", "http://x")]),
            PriceSource::Static {
                tickers: 1,
                api_ignored: true
            }
        );
        assert_eq!(
            source(&[
                ("TRADING_PRICE_API", "http://x/p/"),
                ("TRADING_PRICE_TIMEOUT_MS", "250")
            ]),
            PriceSource::Api {
                base_url: "http://x/p".to_owned(),
                timeout: Duration::from_millis(250)
            }
        );
        assert_eq!(Trading::new(Arc::new(NoPrices)).source, PriceSource::Given);
    }
}
