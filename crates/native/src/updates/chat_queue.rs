//! Updates of one chat applied one at a time, in arrival order, by one task per chat with work
//! queued; other chats in parallel.
//!
//! The first update of an idle chat starts that chat's task; later ones join its queue, and the
//! task goes from one to the next without handing over to another task in between (teloxide and
//! grammY's runner work the same way). The task ends, and the chat's entry goes, when its queue
//! is empty, so the map holds only chats with work in progress.
//!
//! A chat's queue is bounded on its own; past its bound, [`ChatQueues::submit`] refuses at once
//! and changes nothing (the webhook answers 503 and Telegram delivers the update again later).
//! The bound is a count (`WEBHOOK_MAX_PER_CHAT`) for a chat whose updates are slow or whose
//! speed is not known yet, so that a chat whose replies hang holds few of Telegram's
//! connections. A chat that has shown it keeps up, whose queue is estimated to drain within
//! [`DRAIN_BUDGET`] at the pace of its finished updates (and of the one running, if that is
//! slower), may queue up to [`BURST_PER_CHAT`]: a burst in a busy group is applied in
//! milliseconds instead of being refused and redelivered seconds later.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// The most updates a chat that keeps up may have running or waiting.
pub const BURST_PER_CHAT: usize = 64;
/// How long a chat's queue may be estimated to take to drain for it to go past its bound.
pub const DRAIN_BUDGET: Duration = Duration::from_millis(100);

/// One unit of a chat's work: run to completion before the chat's next one starts.
pub type ChatJob = Pin<Box<dyn Future<Output = ()> + Send>>;

#[derive(Default)]
struct ChatQueue {
    /// Jobs waiting for their turn.
    waiting: VecDeque<ChatJob>,
    /// When the chat's task took the job it runs out of `waiting` (that job counts against the
    /// bound until the task takes the next one or the entry goes).
    running_since: Option<Instant>,
    /// How long the chat's finished jobs took, smoothed; `None` until one finished.
    pace: Option<Duration>,
}

impl ChatQueue {
    fn queued(&self) -> usize {
        self.waiting.len() + usize::from(self.running_since.is_some())
    }

    /// Whether one more job may queue, under a bound of `bound` jobs for a chat not known to keep
    /// up (see the module's documentation).
    fn admits(&self, bound: usize) -> bool {
        let queued = self.queued();
        if queued < bound.max(1) {
            return true;
        }
        let Some(pace) = self.pace else {
            return false;
        };
        if queued >= BURST_PER_CHAT {
            return false;
        }
        let running = self.running_since.map_or(Duration::ZERO, |since| since.elapsed());
        let ahead = u32::try_from(queued + 1).unwrap_or(u32::MAX);
        pace.max(running).saturating_mul(ahead) <= DRAIN_BUDGET
    }

    /// The task takes the next job (at `now`): the one it ran, if any, is finished.
    fn take(&mut self, now: Instant) -> Option<ChatJob> {
        if let Some(since) = self.running_since.take() {
            let took = now.saturating_duration_since(since);
            self.pace = Some(self.pace.map_or(took, |pace| (pace * 3 + took) / 4));
        }
        let job = self.waiting.pop_front()?;
        self.running_since = Some(now);
        Some(job)
    }
}

type Queues = HashMap<i64, ChatQueue>;

/// The queues of the chats with work in progress. Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct ChatQueues {
    queues: Arc<Mutex<Queues>>,
}

impl std::fmt::Debug for ChatQueues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatQueues")
            .field("chats", &self.tracked())
            .finish_non_exhaustive()
    }
}

/// A chat already has as many updates queued as it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatBusy {
    /// The chat.
    pub chat: i64,
    /// Its updates running or waiting.
    pub queued: usize,
}

impl std::fmt::Display for ChatBusy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chat {} already has {} updates queued", self.chat, self.queued)
    }
}

impl std::error::Error for ChatBusy {}

impl ChatQueues {
    /// No chats.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues `job` behind `chat`'s earlier ones (starting the chat's task on tokio when it is
    /// idle), unless the chat is at its bound: `max_queued` running or waiting, or more for a
    /// chat that keeps up (see the module's documentation). A refusal drops `job` unrun and
    /// leaves the queue as it was.
    pub fn submit(&self, chat: i64, job: ChatJob, max_queued: usize) -> Result<(), ChatBusy> {
        let start = {
            let mut queues = self.lock();
            // An entry exists exactly while the chat's task runs (the task removes it once the
            // queue is empty), so a new entry means a task to start.
            let start = !queues.contains_key(&chat);
            let queue = queues.entry(chat).or_default();
            if !queue.admits(max_queued) {
                // Never a new entry here: a bound admits at least one.
                let queued = queue.queued();
                return Err(ChatBusy { chat, queued });
            }
            queue.waiting.push_back(job);
            start
        };
        if start {
            tokio::spawn(drain(self.clone(), chat));
        }
        Ok(())
    }

    /// Chats with an update running or waiting.
    pub fn tracked(&self) -> usize {
        self.lock().len()
    }

    /// Updates of `chat` running or waiting.
    pub fn queued(&self, chat: i64) -> usize {
        self.lock().get(&chat).map_or(0, ChatQueue::queued)
    }

    /// The next job of `chat`, or `None` (and the chat's entry removed) once it has none.
    fn next(&self, chat: i64) -> Option<ChatJob> {
        let mut queues = self.lock();
        let job = queues.get_mut(&chat)?.take(Instant::now());
        if job.is_none() {
            queues.remove(&chat);
        }
        job
    }

    /// The map; a poisoned lock still yields it (every change to it is a single step).
    fn lock(&self) -> MutexGuard<'_, Queues> {
        self.queues.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A chat's task: its jobs in order until none is left.
async fn drain(queues: ChatQueues, chat: i64) {
    let mut guard = Draining {
        queues,
        chat,
        finished: false,
    };
    while let Some(job) = guard.queues.next(chat) {
        job.await;
    }
    guard.finished = true;
}

/// Removes the chat's entry, dropping the jobs still waiting, if its task ends without emptying
/// its queue (a job panicked): the chat is never left marked as running with nobody to run it.
struct Draining {
    queues: ChatQueues,
    chat: i64,
    finished: bool,
}

impl Drop for Draining {
    fn drop(&mut self) {
        if !self.finished {
            let dropped = self.queues.lock().remove(&self.chat);
            drop(dropped);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use std::time::Duration;

    use tokio::sync::{oneshot, Notify};

    use super::*;

    fn job(f: impl Future<Output = ()> + Send + 'static) -> ChatJob {
        Box::pin(f)
    }

    #[tokio::test]
    async fn one_chat_in_order_others_in_parallel_and_entries_cleaned_up() {
        let queues = ChatQueues::new();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let release = Arc::new(Notify::new());
        let (done_tx, done_rx) = oneshot::channel();
        let (gate, seen1) = (release.clone(), seen.clone());
        queues
            .submit(
                1,
                job(async move {
                    gate.notified().await;
                    seen1.lock().unwrap().push("1a");
                }),
                8,
            )
            .unwrap();
        for name in ["1b", "1c"] {
            let seen = seen.clone();
            queues
                .submit(1, job(async move { seen.lock().unwrap().push(name) }), 8)
                .unwrap();
        }
        let seen2 = seen.clone();
        queues
            .submit(
                2,
                job(async move {
                    seen2.lock().unwrap().push("2a");
                    let _ = done_tx.send(());
                }),
                8,
            )
            .unwrap();
        // Chat 2 does not wait for chat 1's first job.
        done_rx.await.unwrap();
        assert_eq!(*seen.lock().unwrap(), vec!["2a"]);
        assert_eq!(queues.queued(1), 3);
        release.notify_one();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while queues.tracked() > 0 {
            assert!(tokio::time::Instant::now() < deadline, "queues never drained");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(*seen.lock().unwrap(), vec!["2a", "1a", "1b", "1c"]);
    }

    #[tokio::test]
    async fn a_chat_is_bounded_on_its_own_and_a_refusal_changes_nothing() {
        let queues = ChatQueues::new();
        let release = Arc::new(Notify::new());
        let gate = release.clone();
        queues.submit(1, job(async move { gate.notified().await }), 2).unwrap();
        queues.submit(1, job(async {}), 2).unwrap();
        assert_eq!(queues.queued(1), 2);
        let refused = Arc::new(Mutex::new(false));
        let ran = refused.clone();
        let busy = queues
            .submit(1, job(async move { *ran.lock().unwrap() = true }), 2)
            .unwrap_err();
        assert_eq!(busy, ChatBusy { chat: 1, queued: 2 });
        assert_eq!(queues.queued(1), 2, "the refused job left no trace");
        // Another chat is not affected; a bound of 0 still lets one in.
        queues.submit(2, job(async {}), 0).unwrap();
        release.notify_one();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while queues.tracked() > 0 {
            assert!(tokio::time::Instant::now() < deadline, "queues never drained");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(!*refused.lock().unwrap(), "a refused job never runs");
    }

    #[tokio::test(start_paused = true)]
    async fn a_chat_that_keeps_up_may_queue_past_its_bound_and_a_slow_one_may_not() {
        let queues = ChatQueues::new();
        let gate = Arc::new(Notify::new());
        let gated = |started: oneshot::Sender<()>| {
            let gate = gate.clone();
            job(async move {
                let _ = started.send(());
                gate.notified().await;
            })
        };
        for chat in [1, 2] {
            let (started, running) = oneshot::channel();
            queues.submit(chat, job(async {}), 2).unwrap();
            queues.submit(chat, gated(started), 2).unwrap();
            // No update of the chat finished yet: its pace is unknown, the count bound holds.
            assert!(queues.submit(chat, job(async {}), 2).is_err());
            // The first finished at once; the second runs.
            running.await.unwrap();
            assert_eq!(queues.queued(chat), 1);
        }
        // Chat 1 keeps up: it may queue past its bound, up to the burst cap.
        for _ in 1..BURST_PER_CHAT {
            queues.submit(1, job(async {}), 2).unwrap();
        }
        assert_eq!(queues.queued(1), BURST_PER_CHAT);
        let capped = queues.submit(1, job(async {}), 2).unwrap_err();
        assert_eq!(capped.queued, BURST_PER_CHAT);
        // Chat 2's running update has taken half the budget: three queued would take longer
        // than the budget to drain, so only the count bound admits.
        queues.submit(2, job(async {}), 2).unwrap();
        tokio::time::advance(DRAIN_BUDGET / 2).await;
        assert_eq!(
            queues.submit(2, job(async {}), 2).unwrap_err(),
            ChatBusy { chat: 2, queued: 2 }
        );
        gate.notify_waiters();
        for _ in 0..10_000 {
            if queues.tracked() == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        panic!("the queues never drained");
    }

    #[tokio::test]
    async fn a_panicking_job_frees_its_chat() {
        let queues = ChatQueues::new();
        let (dropped_tx, dropped_rx) = oneshot::channel::<()>();
        queues.submit(1, job(async { panic!("a job dies") }), 8).unwrap();
        // Queued behind the panic: dropped unrun, which its sender's drop tells.
        queues
            .submit(
                1,
                job(async move {
                    let _keep = dropped_tx;
                    std::future::pending::<()>().await;
                }),
                8,
            )
            .unwrap();
        assert!(dropped_rx.await.is_err(), "the waiting job was dropped, not run");
        assert_eq!(queues.tracked(), 0);
        // The chat takes work again.
        let (tx, rx) = oneshot::channel();
        queues
            .submit(
                1,
                job(async move {
                    let _ = tx.send(());
                }),
                8,
            )
            .unwrap();
        rx.await.unwrap();
    }
}
