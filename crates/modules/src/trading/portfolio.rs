//! A user's paper portfolio: VND balance, stock holdings and the total topped up. It lives in
//! SQL ([`super::account`]); this is its in-memory view, the checks that word a refused change,
//! and the JSON shape it had in KV under `user:<telegram id>` ([`super::carry_over`] moves it).
//!
//! Every amount is a whole number (VND has no subunit, stocks trade in whole shares) and every
//! operation uses checked arithmetic within [`MAX_VND`], [`MAX_QTY`] and [`MAX_PRICE_VND`], so an
//! absurd order is a [`TradeError`] the user can read, never an overflow.

use serde::{Deserialize, Serialize};

use super::ticker_map::TickerMap;

/// The largest VND balance, top-up, cost or total invested: 10^15 VND (a quadrillion).
///
/// Below 2^53, so every amount survives a trip through JavaScript (Workers KV readers, D1).
pub const MAX_VND: i64 = 1_000_000_000_000_000;
/// The largest quantity of one stock in one order or one holding: 10^9 shares.
pub const MAX_QTY: i64 = 1_000_000_000;
/// The largest unit price a provider may report: 10^9 VND. `MAX_QTY × MAX_PRICE_VND` fits `i64`.
pub const MAX_PRICE_VND: i64 = 1_000_000_000;

/// The KV key a user's portfolio had before it moved to SQL.
pub fn portfolio_key(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// Cash balances (only VND for now), as the original's `currency` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    /// VND balance.
    #[serde(rename = "VND", default)]
    pub vnd: i64,
}

/// The portfolio, as KV stored it: `{"currency":{"VND":…},"assets":{"VNM":100},"totalvnd":…}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Portfolio {
    /// Cash.
    #[serde(default)]
    pub currency: Currency,
    /// Holdings: ticker → whole shares (never zero: a holding sold to zero is removed).
    #[serde(default)]
    pub assets: TickerMap,
    /// Everything ever topped up, in VND (the P&L baseline).
    #[serde(default)]
    pub totalvnd: i64,
}

/// Why a trade or top-up cannot happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TradeError {
    /// Not enough VND for the order.
    InsufficientVnd {
        /// The cost of the order.
        need: i64,
        /// The balance.
        have: i64,
    },
    /// Selling more shares than held.
    InsufficientShares {
        /// The ticker.
        symbol: String,
        /// Shares held.
        held: i64,
    },
    /// The balance (or the total invested) would pass [`MAX_VND`].
    BalanceTooLarge,
    /// The order's value passes [`MAX_VND`].
    OrderTooLarge,
    /// The holding would pass [`MAX_QTY`] shares.
    HoldingTooLarge {
        /// The ticker.
        symbol: String,
    },
}

impl Portfolio {
    /// The VND balance.
    pub fn vnd(&self) -> i64 {
        self.currency.vnd
    }

    /// Shares of `symbol` held (0 when none).
    pub fn held(&self, symbol: &str) -> i64 {
        self.assets.get(symbol).copied().unwrap_or(0)
    }

    /// Adds `amount` VND to the balance and to the total invested.
    pub fn top_up(&mut self, amount: i64) -> Result<(), TradeError> {
        let vnd = checked_vnd(self.currency.vnd.checked_add(amount))?;
        let invested = checked_vnd(self.totalvnd.checked_add(amount))?;
        self.currency.vnd = vnd;
        self.totalvnd = invested;
        Ok(())
    }

    /// Buys `qty` shares of `symbol` at `price` VND each; returns the cost.
    pub fn buy(&mut self, symbol: &str, qty: i64, price: i64) -> Result<i64, TradeError> {
        let cost = order_value(qty, price)?;
        if cost > MAX_VND {
            return Err(TradeError::OrderTooLarge);
        }
        if self.currency.vnd < cost {
            return Err(TradeError::InsufficientVnd {
                need: cost,
                have: self.currency.vnd,
            });
        }
        let holding = self
            .held(symbol)
            .checked_add(qty)
            .filter(|h| *h <= MAX_QTY)
            .ok_or_else(|| TradeError::HoldingTooLarge {
                symbol: symbol.to_owned(),
            })?;
        self.currency.vnd -= cost;
        self.assets.insert(symbol.to_owned(), holding);
        Ok(cost)
    }

    /// Removes `qty` shares of `symbol` (the holding disappears at zero).
    pub fn deduct_shares(&mut self, symbol: &str, qty: i64) -> Result<(), TradeError> {
        let held = self.held(symbol);
        if qty > held {
            return Err(TradeError::InsufficientShares {
                symbol: symbol.to_owned(),
                held,
            });
        }
        if held == qty {
            self.assets.remove(symbol);
        } else {
            self.assets.insert(symbol.to_owned(), held - qty);
        }
        Ok(())
    }

    /// Credits the revenue of selling `qty` shares at `price`; returns the revenue.
    ///
    /// The shares must already have been taken out with [`deduct_shares`](Self::deduct_shares).
    pub fn credit_sale(&mut self, qty: i64, price: i64) -> Result<i64, TradeError> {
        let revenue = order_value(qty, price)?;
        self.currency.vnd = checked_vnd(self.currency.vnd.checked_add(revenue))?;
        Ok(revenue)
    }
}

/// `qty × price`, or [`TradeError::OrderTooLarge`] when it does not fit.
pub fn order_value(qty: i64, price: i64) -> Result<i64, TradeError> {
    qty.checked_mul(price).ok_or(TradeError::OrderTooLarge)
}

fn checked_vnd(value: Option<i64>) -> Result<i64, TradeError> {
    value.filter(|v| *v <= MAX_VND).ok_or(TradeError::BalanceTooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_matches_the_original() {
        let mut p = Portfolio::default();
        p.top_up(1_000_000).unwrap();
        p.buy("VNM", 10, 65_000).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"currency":{"VND":350000},"assets":{"VNM":10},"totalvnd":1000000}"#
        );
        let back: Portfolio = serde_json::from_str(r#"{"currency":{"VND":5}}"#).unwrap();
        assert_eq!(back.vnd(), 5);
        assert!(back.assets.is_empty());
    }

    #[test]
    fn buy_and_sell_keep_integers_exact() {
        let mut p = Portfolio::default();
        p.top_up(100).unwrap();
        assert_eq!(
            p.buy("FPT", 2, 51),
            Err(TradeError::InsufficientVnd { need: 102, have: 100 })
        );
        assert_eq!(p.buy("FPT", 2, 50), Ok(100));
        assert_eq!(p.vnd(), 0);
        assert_eq!(
            p.deduct_shares("FPT", 3),
            Err(TradeError::InsufficientShares {
                symbol: "FPT".into(),
                held: 2
            })
        );
        p.deduct_shares("FPT", 2).unwrap();
        assert!(p.assets.is_empty(), "a holding sold to zero is removed");
        assert_eq!(p.credit_sale(2, 70), Ok(140));
        assert_eq!(p.vnd(), 140);
        assert_eq!(p.totalvnd, 100);
    }

    #[test]
    fn limits_are_errors_not_overflows() {
        let mut p = Portfolio::default();
        assert_eq!(p.top_up(MAX_VND), Ok(()));
        assert_eq!(p.top_up(1), Err(TradeError::BalanceTooLarge));
        assert_eq!(p.vnd(), MAX_VND, "a failed top-up changes nothing");
        assert_eq!(p.buy("VNM", i64::MAX, 2), Err(TradeError::OrderTooLarge));
        assert_eq!(p.buy("VNM", MAX_QTY, MAX_PRICE_VND), Err(TradeError::OrderTooLarge));
        p.assets.insert("VNM".into(), MAX_QTY);
        assert_eq!(
            p.buy("VNM", 1, 1),
            Err(TradeError::HoldingTooLarge { symbol: "VNM".into() })
        );
        assert_eq!(p.credit_sale(1, 1), Err(TradeError::BalanceTooLarge));
        assert_eq!(order_value(MAX_QTY, MAX_PRICE_VND), Ok(MAX_QTY * MAX_PRICE_VND));
    }
}
