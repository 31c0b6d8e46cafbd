//! Trade history in SQL (`trading_trades`, migration `0001_trades.sql`): recording, listing and
//! rendering `/history`.

use miti99bot_core::civil_time::CivilTime;
use miti99bot_core::html::escape_html;
use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, SqlError};
use serde::Deserialize;

use super::format::format_vnd;

/// The table.
pub const TABLE: &str = "trading_trades";

/// Records one trade; binds user, symbol, side, qty, price, ts.
pub const INSERT_TRADE: &str =
    "INSERT INTO trading_trades (user_id, symbol, side, qty, price_vnd, ts) VALUES (?, ?, ?, ?, ?, ?)";

/// A user's newest trades; ties on `ts` newest id first, so the order is total.
pub const LIST_TRADES: &str = "SELECT id, user_id, symbol, side, qty, price_vnd, ts FROM trading_trades \
     WHERE user_id = ? ORDER BY ts DESC, id DESC LIMIT ?";

/// A user's trades older than the trade (`ts`, `id`), newest first (binds user, ts, ts, id,
/// limit).
pub const LIST_OLDER: &str = "SELECT id, user_id, symbol, side, qty, price_vnd, ts FROM trading_trades \
     WHERE user_id = ? AND (ts < ? OR (ts = ? AND id < ?)) ORDER BY ts DESC, id DESC LIMIT ?";

/// A user's trades newer than the trade (`ts`, `id`), oldest first (binds user, ts, ts, id,
/// limit).
pub const LIST_NEWER: &str = "SELECT id, user_id, symbol, side, qty, price_vnd, ts FROM trading_trades \
     WHERE user_id = ? AND (ts > ? OR (ts = ? AND id > ?)) ORDER BY ts ASC, id ASC LIMIT ?";

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Bought shares.
    Buy,
    /// Sold shares.
    Sell,
}

impl Side {
    /// `buy` or `sell`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "buy",
            Side::Sell => "sell",
        }
    }
}

/// A trade about to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTrade {
    /// Telegram user id.
    pub user_id: i64,
    /// Upper-case ticker.
    pub symbol: String,
    /// Buy or sell.
    pub side: Side,
    /// Shares.
    pub qty: i64,
    /// Unit price, VND.
    pub price_vnd: i64,
    /// When, Unix ms.
    pub ts: i64,
}

/// A recorded trade: a row of `trading_trades`, decoded by column name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TradeRow {
    /// Row id (increasing).
    pub id: i64,
    /// Telegram user id.
    pub user_id: i64,
    /// Upper-case ticker.
    pub symbol: String,
    /// Buy or sell.
    pub side: Side,
    /// Shares.
    pub qty: i64,
    /// Unit price, VND.
    pub price_vnd: i64,
    /// When, Unix ms.
    pub ts: i64,
}

/// Inserts `trade` on its own and returns its row id (tests and tools; a trade's row goes into
/// the trade's batch, [`super::account::Change::statements`]).
pub async fn record_trade(sql: &ModuleSql, trade: &NewTrade) -> Result<i64, SqlError> {
    let result = sql
        .run(
            INSERT_TRADE,
            params![
                trade.user_id,
                trade.symbol.as_str(),
                trade.side.as_str(),
                trade.qty,
                trade.price_vnd,
                trade.ts
            ],
        )
        .await?;
    Ok(result.last_row_id)
}

/// The newest `limit` trades of `user_id`, newest first.
pub async fn list_trades(sql: &ModuleSql, user_id: i64, limit: i64) -> Result<Vec<TradeRow>, SqlError> {
    sql.all(LIST_TRADES, params![user_id, limit]).await
}

/// The `/history` reply (Telegram HTML).
///
/// ```
/// use miti99bot_modules::trading::history::{render_history, Side, TradeRow};
/// let trade = TradeRow { id: 1, user_id: 7, symbol: "VNM".into(), side: Side::Buy, qty: 100,
///     price_vnd: 65_000, ts: 1_795_885_200_000 };
/// assert_eq!(
///     render_history(&[trade]),
///     "<b>Trade History</b>\nBUY  <b>100</b> <code>VNM</code> @ 65.000 VND  <i>2026-11-28 17:00</i>"
/// );
/// assert_eq!(render_history(&[]), "No trades recorded yet.");
/// ```
pub fn render_history(trades: &[TradeRow]) -> String {
    if trades.is_empty() {
        return "No trades recorded yet.".to_owned();
    }
    let lines: Vec<String> = trades
        .iter()
        .map(|t| {
            let side = match t.side {
                Side::Buy => "BUY ",
                Side::Sell => "SELL",
            };
            format!(
                "{side} <b>{}</b> <code>{}</code> @ {}  <i>{}</i>",
                t.qty,
                escape_html(&t.symbol),
                format_vnd(i128::from(t.price_vnd)),
                CivilTime::from_unix_ms(t.ts).format_minute()
            )
        })
        .collect();
    format!("<b>Trade History</b>\n{}", lines.join("\n"))
}
