//! Moving a portfolio still in KV (`trading:user:<id>`, the shape of [`Portfolio`]) into SQL,
//! exactly once, on the user's first top-up or trade after the upgrade.
//!
//! The move is part of that change's batch: the holdings are inserted only while the user has
//! no account (`WHERE NOT EXISTS`), then the account is inserted `ON CONFLICT DO NOTHING`, then
//! the change runs as usual. Two updates of the user racing through their first use (two chats,
//! two isolates) both read the KV value and both send a batch; SQLite and D1 run batches one
//! after the other, so the second batch finds the account and its carry-over statements write
//! nothing: the money arrives once. Only after its batch committed does a carrier delete the KV
//! key; a failed delete is logged and harmless, because KV is read only for a user without an
//! account, and an account is never removed.
//!
//! Workers KV is eventually consistent (a read can be up to a minute stale, and a delete takes as
//! long to be seen everywhere). That matters only while the user has no account: a stale read
//! that still shows the deleted key comes after the account exists, so it is never acted on; a
//! read that misses a value written moments before (possible only while a pre-upgrade Worker
//! still serves and writes KV) would start the account empty. A deploy replaces every isolate
//! within seconds, and the next first use reads the key again only if the account is still
//! missing; KV values written by an old isolate after the account exists are ignored.

use miti99bot_core::kv::{KvError, PrefixedKv};
use miti99bot_core::params;
use miti99bot_core::sql::{ModuleSql, Statement};

use super::portfolio::{portfolio_key, Portfolio};

/// Inserts one carried holding (user, symbol, qty, user) while the user has no account.
pub const CARRY_HOLDING: &str = "INSERT INTO trading_holdings (user_id, symbol, qty) \
     SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM trading_accounts WHERE user_id = ?) \
     ON CONFLICT (user_id, symbol) DO NOTHING";

/// Creates the account with the carried balance and total invested; a no-op when it exists.
pub const CARRY_ACCOUNT: &str = "INSERT INTO trading_accounts (user_id, vnd, invested) VALUES (?, ?, ?) \
     ON CONFLICT (user_id) DO NOTHING";

/// The portfolio of `user_id` still in KV, if any.
///
/// A stored value that is not a portfolio is an error, so it is never taken for empty.
pub async fn load_kv_portfolio(kv: &PrefixedKv, user_id: i64) -> Result<Option<Portfolio>, KvError> {
    kv.get_json(&portfolio_key(user_id)).await
}

/// The statements that create `user_id`'s account from `portfolio` (empty for a new user),
/// writing nothing when the account exists. They go first in the change's batch.
pub fn carry_over_statements(sql: &ModuleSql, user_id: i64, portfolio: &Portfolio) -> Vec<Statement> {
    let mut statements: Vec<Statement> = portfolio
        .assets
        .iter()
        .filter(|(_, qty)| **qty > 0)
        .map(|(symbol, qty)| sql.prepare(CARRY_HOLDING, params![user_id, symbol.as_str(), *qty, user_id]))
        .collect();
    statements.push(sql.prepare(
        CARRY_ACCOUNT,
        params![user_id, portfolio.currency.vnd, portfolio.totalvnd],
    ));
    statements
}

/// Deletes the KV portfolio of `user_id` once it is in SQL; a failure is logged, not returned
/// (the key is never read again for a user with an account).
pub async fn forget_kv_portfolio(kv: &PrefixedKv, user_id: i64) {
    if let Err(error) = kv.delete(&portfolio_key(user_id)).await {
        miti99bot_core::warn!(user_id, %error, "trading: the KV portfolio is in SQL but its key could not be deleted");
    }
}
