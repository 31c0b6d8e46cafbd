//! The portfolio in SQL (`trading_accounts`, `trading_holdings`, migration `0002_portfolio.sql`):
//! reading it in one query, and the statements of one change (top-up, buy, sell), which run as
//! **one** batch together with the history row.
//!
//! The batch leans on the tables' `CHECK`s instead of a read-modify-write: `vnd - cost` below
//! zero, a holding below zero or past [`MAX_QTY`](super::portfolio::MAX_QTY), a balance past [`MAX_VND`] fail the statement,
//! and with it the whole batch (and the update's claim it carries), so nothing is written. The
//! caller then reads the state once to word the reply. Every change starts with a guard that
//! fails when the user has no account yet, so a first use never writes half a change: the
//! caller carries the user's KV portfolio over first ([`super::carry_over`]).

use miti99bot_core::params;
use miti99bot_core::sql::{BatchResult, ModuleSql, SqlError, Statement};
use serde::Deserialize;

use super::history::{Side, INSERT_TRADE};
use super::portfolio::{order_value, Portfolio, TradeError, MAX_VND};

/// Fails (the CHECK on `vnd`) when `user_id` (bound twice) has no account: nothing of the batch
/// is written.
pub const REQUIRE_ACCOUNT: &str = "INSERT INTO trading_accounts (user_id, vnd, invested) \
     SELECT ?, -1, 0 WHERE NOT EXISTS (SELECT 1 FROM trading_accounts WHERE user_id = ?)";

/// Fails (the CHECK on `qty`) when `user_id` holds no `symbol` (bound as user, symbol, user,
/// symbol).
pub const REQUIRE_HOLDING: &str = "INSERT INTO trading_holdings (user_id, symbol, qty) \
     SELECT ?, ?, -1 WHERE NOT EXISTS (SELECT 1 FROM trading_holdings WHERE user_id = ? AND symbol = ?)";

/// A top-up: adds `?` VND to the balance and to the total invested; returns the balance.
pub const TOP_UP: &str = "UPDATE trading_accounts SET vnd = vnd + ?, invested = invested + ? \
     WHERE user_id = ? RETURNING vnd";

/// Takes a buy's cost from the balance (the CHECK refuses an overdraft).
pub const DEBIT: &str = "UPDATE trading_accounts SET vnd = vnd - ? WHERE user_id = ?";

/// Adds a sale's revenue to the balance (the CHECK refuses a balance past the limit).
pub const CREDIT: &str = "UPDATE trading_accounts SET vnd = vnd + ? WHERE user_id = ?";

/// Adds bought shares to a holding, creating it (the CHECK refuses more than [`MAX_QTY`](super::portfolio::MAX_QTY)).
pub const ADD_SHARES: &str = "INSERT INTO trading_holdings (user_id, symbol, qty) VALUES (?, ?, ?) \
     ON CONFLICT (user_id, symbol) DO UPDATE SET qty = qty + excluded.qty";

/// Takes sold shares from a holding (the CHECK refuses selling more than held).
pub const REMOVE_SHARES: &str = "UPDATE trading_holdings SET qty = qty - ? WHERE user_id = ? AND symbol = ?";

/// Deletes a holding sold to zero.
pub const DROP_EMPTY_HOLDING: &str = "DELETE FROM trading_holdings WHERE user_id = ? AND symbol = ? AND qty = 0";

/// A user's account and holdings in one query: one row per holding (symbol order), or one row
/// with a NULL symbol when there are none; no row when the user has no account.
pub const LOAD_ACCOUNT: &str = "SELECT a.vnd AS vnd, a.invested AS invested, h.symbol AS symbol, h.qty AS qty \
     FROM trading_accounts a LEFT JOIN trading_holdings h ON h.user_id = a.user_id AND h.qty > 0 \
     WHERE a.user_id = ? ORDER BY h.symbol";

/// One change to a portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Adds VND to the balance and to the total invested.
    TopUp {
        /// VND, 1 to [`MAX_VND`].
        amount: i64,
    },
    /// Buys or sells shares at a price.
    Trade {
        /// Buy or sell.
        side: Side,
        /// Upper-case ticker.
        symbol: String,
        /// Shares, 1 to [`MAX_QTY`](super::portfolio::MAX_QTY).
        qty: i64,
        /// Unit price, VND.
        price: i64,
    },
}

impl Change {
    /// What the change would do to `portfolio` (the reply's wording when the batch was
    /// refused): the VND moved, or why it cannot happen.
    pub fn check(&self, portfolio: &Portfolio) -> Result<i64, TradeError> {
        let mut p = portfolio.clone();
        match self {
            Change::TopUp { amount } => p.top_up(*amount).map(|()| *amount),
            Change::Trade {
                side: Side::Buy,
                symbol,
                qty,
                price,
            } => p.buy(symbol, *qty, *price),
            Change::Trade {
                side: Side::Sell,
                symbol,
                qty,
                price,
            } => {
                p.deduct_shares(symbol, *qty)?;
                p.credit_sale(*qty, *price)
            }
        }
    }

    /// The VND the change moves, or the error when it is past the limits before any state is
    /// looked at (an order worth more than [`MAX_VND`]).
    pub fn value(&self) -> Result<i64, TradeError> {
        let value = match self {
            Change::TopUp { amount } => *amount,
            Change::Trade { qty, price, .. } => order_value(*qty, *price)?,
        };
        if value > MAX_VND {
            return Err(match self {
                Change::TopUp { .. } => TradeError::BalanceTooLarge,
                Change::Trade { side: Side::Buy, .. } => TradeError::OrderTooLarge,
                Change::Trade { side: Side::Sell, .. } => TradeError::BalanceTooLarge,
            });
        }
        Ok(value)
    }

    /// The change's statements for `user_id` at `ts` (Unix ms): the account guard, the balance
    /// and holding updates and, for a trade, the history row. `value` is [`value`](Self::value).
    pub fn statements(&self, sql: &ModuleSql, user_id: i64, value: i64, ts: i64) -> Vec<Statement> {
        let mut statements = vec![sql.prepare(REQUIRE_ACCOUNT, params![user_id, user_id])];
        match self {
            Change::TopUp { amount } => {
                statements.push(sql.prepare(TOP_UP, params![*amount, *amount, user_id]));
            }
            Change::Trade {
                side,
                symbol,
                qty,
                price,
            } => {
                let symbol = symbol.as_str();
                match side {
                    Side::Buy => {
                        statements.push(sql.prepare(DEBIT, params![value, user_id]));
                        statements.push(sql.prepare(ADD_SHARES, params![user_id, symbol, *qty]));
                    }
                    Side::Sell => {
                        statements.push(sql.prepare(REQUIRE_HOLDING, params![user_id, symbol, user_id, symbol]));
                        statements.push(sql.prepare(REMOVE_SHARES, params![*qty, user_id, symbol]));
                        statements.push(sql.prepare(DROP_EMPTY_HOLDING, params![user_id, symbol]));
                        statements.push(sql.prepare(CREDIT, params![value, user_id]));
                    }
                }
                statements.push(sql.prepare(INSERT_TRADE, params![user_id, symbol, side.as_str(), *qty, *price, ts]));
            }
        }
        statements
    }
}

/// The balance a top-up's batch returned (`RETURNING vnd`), if it is among `results`.
pub fn returned_balance(results: &[BatchResult]) -> Option<i64> {
    results
        .iter()
        .flat_map(|r| &r.rows)
        .find_map(|row| row.get("vnd").and_then(|v| v.as_i64()))
}

#[derive(Deserialize)]
struct AccountRow {
    vnd: i64,
    invested: i64,
    symbol: Option<String>,
    qty: Option<i64>,
}

/// The portfolio of `user_id` from SQL in one query; `None` when the user has no account.
pub async fn load_account(sql: &ModuleSql, user_id: i64) -> Result<Option<Portfolio>, SqlError> {
    let rows: Vec<AccountRow> = sql.all(LOAD_ACCOUNT, params![user_id]).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut portfolio = Portfolio::default();
    portfolio.currency.vnd = first.vnd;
    portfolio.totalvnd = first.invested;
    for row in rows {
        if let (Some(symbol), Some(qty)) = (row.symbol, row.qty) {
            portfolio.assets.insert(symbol, qty);
        }
    }
    Ok(Some(portfolio))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked_before_any_statement_is_bound() {
        let buy = |qty, price| Change::Trade {
            side: Side::Buy,
            symbol: "VNM".into(),
            qty,
            price,
        };
        assert_eq!(buy(10, 65_000).value(), Ok(650_000));
        assert_eq!(
            buy(super::super::portfolio::MAX_QTY, 1_000_000_000).value(),
            Err(TradeError::OrderTooLarge)
        );
        let sell = Change::Trade {
            side: Side::Sell,
            symbol: "VNM".into(),
            qty: super::super::portfolio::MAX_QTY,
            price: 1_000_000_000,
        };
        assert_eq!(sell.value(), Err(TradeError::BalanceTooLarge));
        assert_eq!(Change::TopUp { amount: MAX_VND }.value(), Ok(MAX_VND));
    }
}
