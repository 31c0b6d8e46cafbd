//! The fallback of the processed-update ledger when no D1 is bound.
//!
//! With D1 the Worker claims update ids in core's
//! [`update_ledger`](miti99bot_core::webhook::update_ledger) (the same `_updates` table as the
//! native runtime). Without a database it falls back to [`RecentIds`], which only catches
//! redeliveries reaching the same isolate.

use std::collections::VecDeque;

use miti99bot_core::webhook::update_ledger::Claim;

/// The last few update ids one isolate has seen (the fallback when no database is bound).
#[derive(Debug, Default)]
pub struct RecentIds {
    ids: VecDeque<i64>,
}

impl RecentIds {
    /// How many ids are remembered.
    pub const CAPACITY: usize = 1024;

    /// Records `update_id`; [`Claim::Duplicate`] when it was seen already.
    pub fn claim(&mut self, update_id: i64) -> Claim {
        if self.ids.contains(&update_id) {
            return Claim::Duplicate;
        }
        if self.ids.len() == Self::CAPACITY {
            self.ids.pop_front();
        }
        self.ids.push_back(update_id);
        Claim::First
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_ids_remember_a_bounded_window() {
        let mut recent = RecentIds::default();
        assert_eq!(recent.claim(1), Claim::First);
        assert_eq!(recent.claim(1), Claim::Duplicate);
        for id in 2..=(RecentIds::CAPACITY as i64 + 1) {
            assert_eq!(recent.claim(id), Claim::First);
        }
        assert_eq!(recent.claim(1), Claim::First, "the oldest id falls out of the window");
    }
}
