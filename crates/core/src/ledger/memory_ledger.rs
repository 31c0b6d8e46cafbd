//! The ledger of one process: the ids it has seen lately.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use super::{Claim, UpdateLedger};
use crate::sql::{SqlError, Statement};

/// The last [`MemoryLedger::CAPACITY`] update ids claimed in this process. Used where no SQL
/// store is bound (a Worker without D1: redeliveries are caught only when they reach the same
/// isolate) and by the offline console, whose ids start afresh every run.
#[derive(Debug, Default)]
pub struct MemoryLedger {
    ids: Mutex<VecDeque<i64>>,
}

impl MemoryLedger {
    /// How many ids are remembered.
    pub const CAPACITY: usize = 1024;

    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    fn claim_now(&self, update_id: i64) -> Claim {
        let mut ids = self.ids.lock().unwrap_or_else(PoisonError::into_inner);
        if ids.contains(&update_id) {
            return Claim::Duplicate;
        }
        if ids.len() == Self::CAPACITY {
            ids.pop_front();
        }
        ids.push_back(update_id);
        Claim::First
    }
}

#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
impl UpdateLedger for MemoryLedger {
    async fn claim(&self, update_id: i64, _now_ms: i64) -> Result<Claim, SqlError> {
        Ok(self.claim_now(update_id))
    }

    fn claim_statements(&self, _update_id: i64, _now_ms: i64) -> Option<Vec<Statement>> {
        None
    }

    async fn is_claimed(&self, update_id: i64) -> Result<bool, SqlError> {
        Ok(self
            .ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&update_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_a_bounded_window() {
        let ledger = MemoryLedger::new();
        assert_eq!(ledger.claim_now(1), Claim::First);
        assert_eq!(ledger.claim_now(1), Claim::Duplicate);
        for id in 2..=(MemoryLedger::CAPACITY as i64 + 1) {
            assert_eq!(ledger.claim_now(id), Claim::First);
        }
        assert_eq!(
            ledger.claim_now(1),
            Claim::First,
            "the oldest id falls out of the window"
        );
    }
}
