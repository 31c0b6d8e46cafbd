//! Applying one update: in chat order, at most once, with failures and panics contained.

use std::sync::Arc;

use miti99bot_core::telegram::{TelegramApi, Update};
use miti99bot_core::{Bot, Dispatch};

use super::chat_order::ChatOrder;
use super::dedup::UpdateLog;

/// How applying an update ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Dispatched (handled, refused or ignored).
    Applied(Dispatch),
    /// The id was already taken: a redelivery, not applied again.
    Duplicate,
    /// The handler returned an error (logged). The update counts as processed.
    Failed(String),
    /// The handler panicked (logged). The update counts as processed.
    Panicked,
    /// The id could not be recorded, so nothing ran; the update should be delivered again.
    Unavailable(String),
}

impl Outcome {
    /// Whether the update may be acknowledged (everything but [`Outcome::Unavailable`]).
    pub fn acknowledged(&self) -> bool {
        !matches!(self, Outcome::Unavailable(_))
    }

    /// A short label for logs and metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Applied(Dispatch::Handled { .. }) => "handled",
            Outcome::Applied(Dispatch::Refused { .. }) => "refused",
            Outcome::Applied(Dispatch::Ignored) => "ignored",
            Outcome::Duplicate => "duplicate",
            Outcome::Failed(_) => "failed",
            Outcome::Panicked => "panicked",
            Outcome::Unavailable(_) => "unavailable",
        }
    }
}

/// What `serve` and `poll` share: the bot, the processed-ids log and the per-chat order.
#[derive(Clone)]
pub struct UpdateProcessor {
    bot: Arc<Bot>,
    log: Arc<UpdateLog>,
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
    /// A processor dispatching to `bot` and recording ids in `log`.
    pub fn new(bot: Arc<Bot>, log: UpdateLog) -> Self {
        Self {
            bot,
            log: Arc::new(log),
            chats: ChatOrder::new(),
        }
    }

    /// The bot.
    pub fn bot(&self) -> &Arc<Bot> {
        &self.bot
    }

    /// Chats with an update in flight (bounded by the callers' concurrency).
    pub fn chats_in_flight(&self) -> usize {
        self.chats.tracked()
    }

    /// Applies `update` once, replying through `telegram`.
    ///
    /// Waits for the turn of the update's chat, claims the update id (a redelivery stops here),
    /// then runs the handler on its own task so that a panic is caught and logged instead of
    /// taking the caller down. Call it from a spawned task when the caller may be cancelled
    /// (a webhook request whose client went away): the update is then still applied in full.
    pub async fn process(&self, update: Update, telegram: Arc<dyn TelegramApi>) -> Outcome {
        let update_id = update.update_id;
        let _turn = match chat_of(&update) {
            Some(chat) => Some(self.chats.turn(chat).await),
            None => None,
        };
        match self.log.claim(update_id).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!(update_id, "redelivered update skipped");
                return Outcome::Duplicate;
            }
            Err(error) => {
                tracing::error!(update_id, %error, "could not record the update id; not applied");
                return Outcome::Unavailable(error.to_string());
            }
        }
        let bot = self.bot.clone();
        let handler = tokio::spawn(async move { bot.handle_update(update, telegram).await });
        match handler.await {
            Ok(Ok(dispatch)) => Outcome::Applied(dispatch),
            Ok(Err(failure)) => {
                tracing::error!(update_id, error = %failure, "handler failed; update acknowledged, not retried");
                Outcome::Failed(failure.to_string())
            }
            Err(join) if join.is_panic() => {
                tracing::error!(update_id, "handler panicked; update acknowledged, not retried");
                Outcome::Panicked
            }
            Err(join) => {
                tracing::error!(update_id, error = %join, "handler task cancelled");
                Outcome::Failed(join.to_string())
            }
        }
    }
}

/// The chat an update belongs to, for ordering.
pub fn chat_of(update: &Update) -> Option<i64> {
    update
        .command_message()
        .or(update.edited_message.as_ref())
        .map(|m| m.chat.id)
}
