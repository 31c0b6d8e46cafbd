//! Updates of one chat handled one at a time, in arrival order; other chats in parallel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::OwnedMutexGuard;

type Locks = HashMap<i64, Arc<tokio::sync::Mutex<()>>>;

/// One async mutex per chat that has an update in flight; an entry is removed when its last
/// holder or waiter is done, so the map holds only chats with work in progress.
#[derive(Debug, Clone, Default)]
pub struct ChatOrder {
    locks: Arc<Mutex<Locks>>,
}

/// The right to handle an update of one chat; dropping it lets the next update of that chat in.
#[derive(Debug)]
pub struct ChatTurn {
    order: ChatOrder,
    chat: i64,
    guard: Option<OwnedMutexGuard<()>>,
}

impl ChatOrder {
    /// A map with no chats.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits for the turn of `chat` (first come, first served: tokio's mutex is fair).
    pub async fn turn(&self, chat: i64) -> ChatTurn {
        let lock = self.map().entry(chat).or_default().clone();
        let guard = lock.lock_owned().await;
        ChatTurn {
            order: self.clone(),
            chat,
            guard: Some(guard),
        }
    }

    /// Chats with an update in flight or waiting.
    pub fn tracked(&self) -> usize {
        self.map().len()
    }

    /// The map; a poisoned lock still yields it (the map itself is always consistent).
    fn map(&self) -> MutexGuard<'_, Locks> {
        self.locks.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for ChatTurn {
    fn drop(&mut self) {
        // Release first, so that the map's reference is the only one left when nobody waits.
        drop(self.guard.take());
        let mut map = self.order.map();
        if map.get(&self.chat).is_some_and(|lock| Arc::strong_count(lock) == 1) {
            map.remove(&self.chat);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn one_chat_in_order_and_entries_cleaned_up() {
        let order = ChatOrder::new();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let first = order.turn(1).await;
        let mut waiters = Vec::new();
        for i in 0..5 {
            let order = order.clone();
            let seen = seen.clone();
            waiters.push(tokio::spawn(async move {
                let _turn = order.turn(1).await;
                seen.lock().unwrap().push(i);
            }));
            // Let each waiter queue before the next one.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let other = order.turn(2).await;
        assert_eq!(order.tracked(), 2);
        assert!(seen.lock().unwrap().is_empty());
        drop(other);
        drop(first);
        for w in waiters {
            w.await.unwrap();
        }
        assert_eq!(*seen.lock().unwrap(), vec![0, 1, 2, 3, 4]);
        assert_eq!(order.tracked(), 0);
    }
}
