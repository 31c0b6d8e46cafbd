//! Applying one update through core's ingress, in chat order.

use std::sync::Arc;

use miti99bot_core::ingress::{Applied, Ingress, Outcome};
use miti99bot_core::telegram::Update;
use miti99bot_core::Bot;

use super::chat_order::{ChatBusy, ChatOrder, ChatPlace};

/// What `serve` and `poll` share: the ingress (bot, update ledger, Bot API client) and the
/// per-chat order. Cheap to clone.
#[derive(Clone)]
pub struct UpdateProcessor {
    ingress: Arc<Ingress>,
    chats: ChatOrder,
}

impl std::fmt::Debug for UpdateProcessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateProcessor")
            .field("chats_in_flight", &self.chats.tracked())
            .finish_non_exhaustive()
    }
}

impl UpdateProcessor {
    /// A processor over `ingress`.
    pub fn new(ingress: Ingress) -> Self {
        Self {
            ingress: Arc::new(ingress),
            chats: ChatOrder::new(),
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

    /// Chats with an update in flight (bounded by the callers' concurrency).
    pub fn chats_in_flight(&self) -> usize {
        self.chats.tracked()
    }

    /// A place for `update` in its chat's queue (`None` for an update with no order key), unless
    /// `max_per_chat` updates of that chat are already in flight or waiting: a slow chat is
    /// bounded on its own and holds nothing other chats need while it waits.
    pub fn enter(&self, update: &Update, max_per_chat: usize) -> Result<Option<ChatPlace>, ChatBusy> {
        update
            .order_key()
            .map(|chat| self.chats.enter(chat, max_per_chat))
            .transpose()
    }

    /// Applies an update that came by webhook (the reply held for the answer when webhook
    /// reply is on). The caller holds its chat turn and runs this on a task of its own when it
    /// may be cancelled (a webhook request whose client went away), so the update is still
    /// applied in full.
    pub fn apply_webhook(&self, update: Update) -> impl std::future::Future<Output = Applied> + '_ {
        // A plain function, not another async layer holding a copy of the update.
        self.ingress.apply_webhook_update(update)
    }

    /// Applies a polled update, in its chat's turn.
    pub async fn process(&self, update: Update) -> Outcome {
        let _turn = self.turn(&update).await;
        self.ingress.apply(update).await
    }

    async fn turn(&self, update: &Update) -> Option<super::chat_order::ChatTurn> {
        match update.order_key() {
            Some(chat) => Some(self.chats.turn(chat).await),
            None => None,
        }
    }
}
