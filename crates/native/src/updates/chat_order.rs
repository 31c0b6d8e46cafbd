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

/// A place in one chat's queue: counted against that chat's bound from the moment it is taken,
/// before its turn comes. Dropping it (a caller that gave up) leaves the queue.
#[derive(Debug)]
pub struct ChatPlace {
    order: ChatOrder,
    chat: i64,
    lock: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// The right to handle an update of one chat; dropping it lets the next update of that chat in.
#[derive(Debug)]
pub struct ChatTurn {
    guard: Option<OwnedMutexGuard<()>>,
    // Dropped after the guard (fields drop after `Drop::drop`): the map entry goes last.
    _place: ChatPlace,
}

/// A chat already has as many updates queued as it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatBusy {
    /// The chat.
    pub chat: i64,
    /// Its updates in flight or waiting.
    pub queued: usize,
}

impl std::fmt::Display for ChatBusy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chat {} already has {} updates queued", self.chat, self.queued)
    }
}

impl std::error::Error for ChatBusy {}

impl ChatOrder {
    /// A map with no chats.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits for the turn of `chat`, however many are queued (first come, first served:
    /// tokio's mutex is fair).
    pub async fn turn(&self, chat: i64) -> ChatTurn {
        self.place(chat).0.turn().await
    }

    /// A place in `chat`'s queue, unless `max_queued` updates of it are already in flight or
    /// waiting. Taking it does not wait; [`ChatPlace::turn`] does.
    pub fn enter(&self, chat: i64, max_queued: usize) -> Result<ChatPlace, ChatBusy> {
        let (place, queued) = self.place(chat);
        if queued >= max_queued.max(1) {
            // Dropping the place leaves the queue as it was.
            return Err(ChatBusy { chat, queued });
        }
        Ok(place)
    }

    /// A new place in `chat`'s queue and how many were there before it.
    fn place(&self, chat: i64) -> (ChatPlace, usize) {
        let mut map = self.map();
        let lock = map.entry(chat).or_default();
        // Every place holds one reference, the map one more.
        let queued = Arc::strong_count(lock) - 1;
        let lock = lock.clone();
        drop(map);
        let place = ChatPlace {
            order: self.clone(),
            chat,
            lock: Some(lock),
        };
        (place, queued)
    }

    /// Chats with an update in flight or waiting.
    pub fn tracked(&self) -> usize {
        self.map().len()
    }

    /// Updates of `chat` in flight or waiting.
    pub fn queued(&self, chat: i64) -> usize {
        self.map().get(&chat).map_or(0, |lock| Arc::strong_count(lock) - 1)
    }

    /// The map; a poisoned lock still yields it (the map itself is always consistent).
    fn map(&self) -> MutexGuard<'_, Locks> {
        self.locks.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl ChatPlace {
    /// Waits for this place's turn.
    pub async fn turn(mut self) -> ChatTurn {
        // The place's one reference moves into the guard, so the count stays one per place.
        let guard = match self.lock.take() {
            Some(lock) => Some(lock.lock_owned().await),
            None => None,
        };
        ChatTurn { guard, _place: self }
    }
}

impl Drop for ChatPlace {
    fn drop(&mut self) {
        // Release ours first, so that the map's reference is the only one left when nobody
        // else holds or waits.
        drop(self.lock.take());
        let mut map = self.order.map();
        if map.get(&self.chat).is_some_and(|lock| Arc::strong_count(lock) == 1) {
            map.remove(&self.chat);
        }
    }
}

impl Drop for ChatTurn {
    fn drop(&mut self) {
        drop(self.guard.take());
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

    #[tokio::test]
    async fn a_chat_is_bounded_on_its_own_and_a_refusal_changes_nothing() {
        let order = ChatOrder::new();
        let running = order.enter(1, 2).unwrap().turn().await;
        let waiting = order.enter(1, 2).unwrap();
        assert_eq!(order.queued(1), 2);
        assert_eq!(order.enter(1, 2).unwrap_err(), ChatBusy { chat: 1, queued: 2 });
        assert_eq!(order.queued(1), 2, "the refused place left no trace");
        // Another chat is not affected.
        let other = order.enter(2, 2).unwrap().turn().await;
        drop(running);
        let next = waiting.turn().await;
        assert_eq!(order.queued(1), 1);
        drop((next, other));
        assert_eq!(order.tracked(), 0);
        // A place given up before its turn leaves the queue.
        let held = order.enter(3, 1).unwrap();
        drop(held);
        assert_eq!(order.tracked(), 0);
    }
}
