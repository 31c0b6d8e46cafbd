//! Every reply text of the trading module, in one place (the original's wording where it had one).
//! A ticker the user typed is quoted through [`echo`]: at most 32 characters, a cut marked `…`.

use miti99bot_core::args::echo;

use super::args::NumberError;
use super::format::{format_pnl, format_vnd, group_thousands};
use super::portfolio::{Portfolio, TradeError, MAX_QTY, MAX_VND};

/// `/trade_topup` without arguments.
pub const USAGE_TOPUP: &str = "Usage: /trade_topup <amount>\nExample: /trade_topup 5000000";
/// `/trade_buy` with fewer than two arguments.
pub const USAGE_BUY: &str = "Usage: /trade_buy <qty> <TICKER>\nExample: /trade_buy 100 TCB";
/// `/trade_sell` with fewer than two arguments.
pub const USAGE_SELL: &str = "Usage: /trade_sell <qty> <TICKER>\nExample: /trade_sell 100 TCB";
/// The amount or quantity is not a positive number.
pub const NOT_POSITIVE: &str = "Amount must be a positive number.";
/// A fractional share quantity.
pub const QTY_NOT_WHOLE: &str = "Stock quantities must be whole numbers.";
/// A fractional top-up (VND has no subunit).
pub const AMOUNT_NOT_WHOLE: &str = "Amount must be a whole number of VND.";
/// What is not supported yet.
pub const COMING_SOON: &str = "Crypto, gold & currency exchange coming soon!";
/// The price source failed (timeout, HTTP error, malformed answer, not configured).
pub const PRICE_FAILED: &str = "Could not fetch price. Try again later.";
/// `/history` without a sender.
pub const NO_USER: &str = "Could not identify user.";
/// `/history` without a SQL database.
pub const HISTORY_UNAVAILABLE: &str = "Trade history is not available: no SQL database is configured.";
/// The portfolio could not be read (a database error, or a KV portfolio that is corrupt or cannot
/// be carried into SQL).
pub const PORTFOLIO_UNREADABLE: &str = "Could not read your portfolio, so nothing was changed. Try again later.";
/// The trade's batch failed for another reason than the user's balance or holdings: nothing was
/// applied.
pub const RECORD_FAILED: &str = "Could not record the trade, so nothing was changed. Try again later.";
/// A top-up's batch failed for another reason than the limits: nothing was applied.
pub const SAVE_FAILED: &str = "Could not save your portfolio, so nothing was changed. Try again later.";
/// Trading without a SQL database: the portfolio lives in SQL.
pub const NO_DATABASE: &str = "Trading needs a database; it is not available here.";
/// `/history` could not query the database.
pub const HISTORY_FAILED: &str = "Could not load your trade history. Try again later.";

/// A trading command run without a sender.
pub fn no_sender(command: &str) -> String {
    format!("Cannot identify user — /{command} needs a sender.")
}

/// `/trade_convert`'s reply.
pub fn convert() -> String {
    format!("Currency exchange is not available yet.\n{COMING_SOON}")
}

/// A refused top-up amount.
pub fn bad_amount(error: NumberError) -> String {
    match error {
        NumberError::NotPositive => NOT_POSITIVE.to_owned(),
        NumberError::NotWhole => AMOUNT_NOT_WHOLE.to_owned(),
        NumberError::TooLarge => format!("Amount is too large. The most is {}.", format_vnd(MAX_VND.into())),
    }
}

/// A refused share quantity.
pub fn bad_qty(error: NumberError) -> String {
    match error {
        NumberError::NotPositive => NOT_POSITIVE.to_owned(),
        NumberError::NotWhole => QTY_NOT_WHOLE.to_owned(),
        NumberError::TooLarge => format!(
            "Quantity is too large. The most is {} shares.",
            group_thousands(MAX_QTY.into())
        ),
    }
}

/// A ticker the price source does not list.
pub fn unknown_ticker(symbol: &str) -> String {
    format!("Unknown stock ticker \"{}\".\n{COMING_SOON}", echo(symbol))
}

/// A listed ticker without a price.
pub fn no_price(symbol: &str) -> String {
    format!("No price available for {}.", echo(symbol))
}

/// A refused trade or top-up.
pub fn trade_error(error: &TradeError) -> String {
    match error {
        TradeError::InsufficientVnd { need, have } => format!(
            "Insufficient VND. Need {}, have {}.",
            format_vnd((*need).into()),
            format_vnd((*have).into())
        ),
        TradeError::InsufficientShares { symbol, held } => format!("Insufficient {}. You have: {held}", echo(symbol)),
        TradeError::BalanceTooLarge => format!(
            "That would take your balance past the most an account can hold, {}.",
            format_vnd(MAX_VND.into())
        ),
        TradeError::OrderTooLarge => format!(
            "Order is too large. One order can be worth at most {}.",
            format_vnd(MAX_VND.into())
        ),
        TradeError::HoldingTooLarge { symbol } => format!(
            "You cannot hold more than {} shares of {}.",
            group_thousands(MAX_QTY.into()),
            echo(symbol)
        ),
    }
}

/// `/trade_topup`'s success reply.
pub fn topped_up(amount: i64, balance: i64) -> String {
    format!(
        "Topped up {}.\nBalance: {}",
        format_vnd(amount.into()),
        format_vnd(balance.into())
    )
}

/// `/trade_topup`'s success reply when the new balance could not be read back.
pub fn topped_up_without_balance(amount: i64) -> String {
    format!("Topped up {}.", format_vnd(amount.into()))
}

/// `/trade_buy`'s success reply.
pub fn bought(qty: i64, symbol: &str, price: i64, cost: i64) -> String {
    format!(
        "Bought {qty} {symbol} @ {}\nCost: {}",
        format_vnd(price.into()),
        format_vnd(cost.into())
    )
}

/// `/trade_sell`'s success reply.
pub fn sold(qty: i64, symbol: &str, price: i64, revenue: i64) -> String {
    format!(
        "Sold {qty} {symbol} @ {}\nRevenue: {}",
        format_vnd(price.into()),
        format_vnd(revenue.into())
    )
}

/// One holding with its price, if the source had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuedHolding {
    /// Ticker.
    pub symbol: String,
    /// Shares.
    pub qty: i64,
    /// Unit price, when known.
    pub price: Option<i64>,
}

/// `/trade_stats`'s reply: cash, holdings at current prices, total value, invested and P&L.
///
/// Sums are `i128`, so no holding can overflow them.
pub fn stats(portfolio: &Portfolio, holdings: &[ValuedHolding]) -> String {
    let mut lines = vec!["📊 Portfolio Summary\n".to_owned()];
    let mut total: i128 = 0;
    let vnd = portfolio.vnd();
    if vnd > 0 {
        total += i128::from(vnd);
        lines.push(format!("VND: {}", format_vnd(vnd.into())));
    }
    if !holdings.is_empty() {
        lines.push("\nStocks:".to_owned());
        for h in holdings {
            match h.price {
                None => lines.push(format!("  {} x{} (no price)", h.symbol, h.qty)),
                Some(price) => {
                    let value = i128::from(h.qty) * i128::from(price);
                    total += value;
                    lines.push(format!(
                        "  {} x{} @ {} = {}",
                        h.symbol,
                        h.qty,
                        format_vnd(price.into()),
                        format_vnd(value)
                    ));
                }
            }
        }
    }
    let invested = i128::from(portfolio.totalvnd);
    lines.push(format!("\nTotal value: {}", format_vnd(total)));
    lines.push(format!("Invested: {}", format_vnd(invested)));
    lines.push(format!("P&L: {}", format_pnl(total, invested)));
    lines.join("\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stats_layout() {
        let mut p = Portfolio::default();
        p.top_up(10_000_000).unwrap();
        p.buy("VNM", 100, 65_000).unwrap();
        p.assets.insert("XYZ".into(), 3);
        let holdings = [
            ValuedHolding {
                symbol: "VNM".into(),
                qty: 100,
                price: Some(70_000),
            },
            ValuedHolding {
                symbol: "XYZ".into(),
                qty: 3,
                price: None,
            },
        ];
        assert_eq!(
            stats(&p, &holdings),
            "📊 Portfolio Summary\n\nVND: 3.500.000 VND\n\nStocks:\n  VNM x100 @ 70.000 VND = 7.000.000 VND\n  XYZ x3 (no price)\n\nTotal value: 10.500.000 VND\nInvested: 10.000.000 VND\nP&L: +500.000 VND (+5.00%)"
        );
        assert_eq!(
            stats(&Portfolio::default(), &[]),
            "📊 Portfolio Summary\n\n\nTotal value: 0 VND\nInvested: 0 VND\nP&L: +0 VND (+0.00%)"
        );
    }
}
