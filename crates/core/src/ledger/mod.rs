//! The update ledger: which updates have been applied, so a redelivery is applied once.
//!
//! Telegram redelivers an update when it saw no 200 in time, possibly while the first delivery
//! is still running (another task, another isolate). An update is *claimed* in the ledger at its
//! first effect, never before (see [`UpdateClaim`] for the exact rule): the
//! claim travels in the same SQL batch as the handler's first SQL write, or is written just
//! before its first KV write or Bot API call. A delivery whose claim finds the id taken applies
//! nothing more. An update no handler takes is never claimed and costs no write.
//!
//! Implementations: [`SqlLedger`] (the `_updates` table, shared by SQLite and D1) and
//! [`MemoryLedger`] (ids one process has seen: the console, a Worker without D1).

mod memory_ledger;
mod sql_ledger;
mod update_claim;

pub use memory_ledger::MemoryLedger;
pub use sql_ledger::{SqlLedger, CREATE_LEDGER};
pub(crate) use update_claim::ClaimStatus;
pub use update_claim::{ClaimError, UpdateClaim};

use crate::maybe_send::{MaybeSend, MaybeSync};
use crate::sql::{SqlError, Statement};

/// How long a processed id is remembered: two days (Telegram stops redelivering within one).
pub const RETENTION_MS: i64 = 2 * 24 * 60 * 60 * 1000;

/// Whether this delivery may apply the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// First delivery: apply it.
    First,
    /// Already claimed by an earlier or concurrent delivery: skip it.
    Duplicate,
}

/// Where claims are recorded.
#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
pub trait UpdateLedger: MaybeSend + MaybeSync {
    /// Claims `update_id` on its own (before a KV write or a Bot API call).
    async fn claim(&self, update_id: i64, now_ms: i64) -> Result<Claim, SqlError>;

    /// The statements that claim `update_id` inside a module's SQL batch, when the ledger lives
    /// in the same SQL store as the modules' tables (`None` otherwise). The first statement
    /// fails the batch when the id is already claimed, so the batch then applies nothing.
    fn claim_statements(&self, update_id: i64, now_ms: i64) -> Option<Vec<Statement>>;

    /// Whether `update_id` is claimed (to tell a batch that failed on its claim from one that
    /// failed on the module's own statements).
    async fn is_claimed(&self, update_id: i64) -> Result<bool, SqlError>;

    /// When `error` (of a claim, or of a batch carrying one) says the ledger's storage does not
    /// exist yet, creates it and returns `Ok(true)`: the caller then tries once more. `Ok(false)`
    /// for any other error. A ledger whose storage always exists keeps this default.
    async fn repair(&self, error: &SqlError) -> Result<bool, SqlError> {
        let _ = error;
        Ok(false)
    }
}
