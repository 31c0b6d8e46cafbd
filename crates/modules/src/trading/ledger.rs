//! Applying a trade to both stores without letting them silently diverge.
//!
//! The portfolio lives in KV, the history in SQL, and the two cannot share a transaction. A
//! trade is applied in this order:
//!
//! 1. insert the history row (SQL). If that fails, stop: nothing was changed, the user is told
//!    so, and the failure is logged;
//! 2. save the portfolio (KV). If that fails, delete the row inserted in step 1 again, so the
//!    history does not show a trade the portfolio never made, and tell the user nothing changed;
//! 3. only then reply with the trade's result.
//!
//! The one case left is step 2 failing *and* the undo failing: the history then holds a row the
//! portfolio does not reflect. That is logged as an error naming the row id (never swallowed),
//! and the user is told the trade was not applied, which is what the portfolio shows.
//!
//! Without a SQL store, step 1 is skipped: trading works, history is not kept.
//!
//! What this does not cover: KV has no compare-and-swap and Workers KV is eventually
//! consistent, so two trades of the *same user* processed at the same moment (or within KV's
//! propagation delay on Workers) can both start from the same portfolio; the last save wins
//! while both rows are recorded. The history then shows what was executed, the portfolio lost
//! one update. Closing that gap needs the portfolio in SQL, updated in the same batch as the
//! history insert.

use miti99bot_core::kv::{KvError, PrefixedKv};
use miti99bot_core::sql::{ModuleSql, SqlError};

use super::history::{delete_trade, record_trade, NewTrade};
use super::portfolio::{save_portfolio, Portfolio};

/// Why a trade was not applied.
#[derive(Debug)]
pub enum CommitError {
    /// The history row could not be inserted; nothing was written.
    Record(SqlError),
    /// The portfolio could not be saved; the history row was removed again (or, when
    /// `orphan_row` is set, could not be, and that row is the only trace of the trade).
    Save {
        /// The KV error.
        error: KvError,
        /// The id of a history row that could not be removed again.
        orphan_row: Option<i64>,
    },
}

impl std::fmt::Display for CommitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Record(e) => write!(f, "recording the trade failed: {e}"),
            Self::Save {
                error,
                orphan_row: None,
            } => write!(f, "saving the portfolio failed (history row removed): {error}"),
            Self::Save {
                error,
                orphan_row: Some(id),
            } => write!(
                f,
                "saving the portfolio failed and history row {id} could not be removed: {error}"
            ),
        }
    }
}

impl std::error::Error for CommitError {}

/// Records `trade` (when there is a SQL store) and saves `portfolio`, in the order above.
pub async fn commit_trade(
    kv: &PrefixedKv,
    sql: Option<&ModuleSql>,
    portfolio: &Portfolio,
    trade: &NewTrade,
) -> Result<(), CommitError> {
    let row = match sql {
        Some(sql) => Some(record_trade(sql, trade).await.map_err(CommitError::Record)?),
        None => None,
    };
    let Err(error) = save_portfolio(kv, trade.user_id, portfolio).await else {
        return Ok(());
    };
    let orphan_row = match (sql, row) {
        (Some(sql), Some(id)) => match delete_trade(sql, id).await {
            Ok(()) => None,
            Err(undo) => {
                tracing::error!(
                    trade_id = id,
                    user_id = trade.user_id,
                    %undo,
                    "trading: portfolio save failed and the history row could not be removed; \
                     trading_trades row {id} records a trade the portfolio does not hold"
                );
                Some(id)
            }
        },
        _ => None,
    };
    Err(CommitError::Save { error, orphan_row })
}
