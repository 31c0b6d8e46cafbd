//! Applying one update through core's ingress: webhook updates in their chat's queue, polled
//! ones in the order the poller hands them over.

use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::ingress::{Applied, Ingress, Outcome};
use miti99bot_core::telegram::Update;
use miti99bot_core::Bot;
use tokio::sync::{oneshot, Semaphore};

use super::chat_queue::{ChatBusy, ChatQueues};

/// What `serve` and `poll` share: the ingress (bot, update ledger, Bot API client) and the
/// per-chat queues. Cheap to clone.
#[derive(Clone)]
pub struct UpdateProcessor {
    ingress: Arc<Ingress>,
    chats: ChatQueues,
}

impl std::fmt::Debug for UpdateProcessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateProcessor")
            .field("chats_in_flight", &self.chats.tracked())
            .finish_non_exhaustive()
    }
}

/// How a webhook update submitted with [`UpdateProcessor::submit`] ended.
#[derive(Debug)]
pub enum Queued {
    /// It was applied (whatever its outcome).
    Applied(Applied),
    /// Its turn came but no slot freed up within the admission wait: not applied.
    Saturated,
    /// It was dropped unrun (its chat's task failed): not applied.
    Dropped,
}

/// The global bound a webhook update takes a slot of once its turn comes.
#[derive(Debug, Clone)]
pub struct Admission {
    /// The slots (updates applied at once).
    pub slots: Arc<Semaphore>,
    /// How long an update whose turn came waits for a slot.
    pub wait: Duration,
}

impl UpdateProcessor {
    /// A processor over `ingress`.
    pub fn new(ingress: Ingress) -> Self {
        Self {
            ingress: Arc::new(ingress),
            chats: ChatQueues::new(),
        }
    }

    /// The ingress.
    pub fn ingress(&self) -> &Ingress {
        &self.ingress
    }

    /// The bot.
    pub fn bot(&self) -> &Arc<Bot> {
        self.ingress.bot()
    }

    /// Chats with an update running or waiting (bounded by the callers' concurrency).
    pub fn chats_in_flight(&self) -> usize {
        self.chats.tracked()
    }

    /// Queues a webhook update behind its chat's earlier ones (an update with no chat starts at
    /// once), unless `max_per_chat` of that chat are already running or waiting: a slow chat is
    /// bounded on its own and holds no slot other chats need while its updates wait.
    ///
    /// In its turn the update takes a slot of `admission`, is applied in full on a task of its
    /// own (the reply held for the answer when webhook reply is on), and gives the slot back;
    /// the returned future tells how it ended. Dropping that future (a webhook request whose
    /// client went away) does not stop an update already started; one still waiting is skipped
    /// when its turn comes, so Telegram's redelivery finds it not applied.
    pub fn submit(
        &self,
        update: Update,
        max_per_chat: usize,
        admission: &Admission,
    ) -> Result<impl std::future::Future<Output = Queued>, ChatBusy> {
        let (answer, answered) = oneshot::channel();
        let chat = update.order_key();
        let ingress = self.ingress.clone();
        let Admission { slots, wait } = admission.clone();
        let job = Box::pin(async move {
            if answer.is_closed() {
                return;
            }
            let Ok(Ok(slot)) = tokio::time::timeout(wait, slots.acquire_owned()).await else {
                let _ = answer.send(Queued::Saturated);
                return;
            };
            let applied = ingress.apply_webhook_update(update).await;
            drop(slot);
            let _ = answer.send(Queued::Applied(applied));
        });
        match chat {
            Some(chat) => self.chats.submit(chat, job, max_per_chat)?,
            None => drop(tokio::spawn(job)),
        }
        Ok(async move { answered.await.unwrap_or(Queued::Dropped) })
    }

    /// Applies a polled update. The poller hands updates over one at a time, in order, so each
    /// chat's come in arrival order without a queue.
    pub fn process(&self, update: Update) -> impl std::future::Future<Output = Outcome> + '_ {
        self.ingress.apply(update)
    }
}
