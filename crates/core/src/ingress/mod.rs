//! The one update pipeline every runtime uses. It does no I/O of its own: the axum handler and
//! the Worker's `fetch` translate HTTP to and from it, polling and the chat console hand it
//! parsed updates.
//!
//! ```text
//! webhook request ─► authorize (secret) ─► check_length ─► read (size, JSON, id) ─┐
//! polling, console ──────────────────────────────────────────────────────────────┴► apply
//!   apply: route ─► (no handler: Ignored, nothing written)
//!          handler with per-update stores and Bot API: the first effect claims the update
//!          (same SQL batch as the first SQL write; just before a KV write or Bot API call)
//!          ─► Outcome ─► WebhookAnswer (200, 200 + inline reply, or 503)
//! ```
//!
//! | request | answer |
//! |---|---|
//! | secret wrong or missing | 401 |
//! | body over [`MAX_BODY_BYTES`] | 413 |
//! | body not JSON, or JSON without an `update_id` | 400 |
//! | an `update_id` whose update does not parse, or that no store can hold (beyond ±(2^53−1), beyond 64 bits, fractional) | 200, logged: a redelivery would fail alike |
//! | an update no handler takes | 200, nothing written |
//! | an update another delivery applied | 200, nothing more done |
//! | handled | 200 (with the first reply inline when webhook reply is on) |
//! | the handler failed or panicked after its first effect | 200, logged: a retry could apply a trade twice |
//! | the handler failed before any effect, of something permanent | 200, logged |
//! | a dependency failed before the first effect (ledger, database, network) | 503: Telegram delivers it again |

pub(crate) mod catch_panic;
mod outcome;
mod update_api;

use std::sync::Arc;

pub use outcome::{AnswerBody, Outcome, WebhookAnswer};

use self::catch_panic::CatchPanic;
use self::update_api::UpdateApi;
use crate::bot::{Bot, Dispatch};
use crate::ledger::{ClaimStatus, UpdateClaim, UpdateLedger};
use crate::sql::MAX_SAFE_INTEGER;
use crate::telegram::{TelegramApi, Update};
use crate::webhook::{parse_update_body, BodyError, WebhookSecret, MAX_BODY_BYTES};

/// One update's result: how it ended and, in webhook-reply mode, the reply to answer inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// How it ended.
    pub outcome: Outcome,
    /// The webhook answer's JSON body (`{"method":"sendMessage",...}`), when a reply is held.
    pub inline_reply: Option<String>,
}

impl Applied {
    /// The webhook's answer.
    pub fn answer(self) -> WebhookAnswer {
        if !self.outcome.acknowledged() {
            return WebhookAnswer::retry_later();
        }
        match self.inline_reply {
            Some(json) => WebhookAnswer::inline(json),
            None => WebhookAnswer::ok(),
        }
    }
}

/// The pipeline: a started bot, its update ledger and its Bot API client, and the webhook's
/// settings. Built once per process (or isolate), shared by every request.
pub struct Ingress {
    bot: Arc<Bot>,
    ledger: Arc<dyn UpdateLedger>,
    telegram: Arc<dyn TelegramApi>,
    secret: Option<WebhookSecret>,
    reply_inline: bool,
}

impl std::fmt::Debug for Ingress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ingress")
            .field("bot", &self.bot)
            .field("secret", &self.secret)
            .field("reply_inline", &self.reply_inline)
            .finish_non_exhaustive()
    }
}

impl Ingress {
    /// A pipeline for `bot`, claiming in `ledger` and calling Telegram through `telegram`. No
    /// webhook secret is set: [`authorize`](Self::authorize) refuses every request until
    /// [`webhook`](Self::webhook) sets one.
    pub fn new(bot: Arc<Bot>, ledger: Arc<dyn UpdateLedger>, telegram: Arc<dyn TelegramApi>) -> Self {
        Self {
            bot,
            ledger,
            telegram,
            secret: None,
            reply_inline: false,
        }
    }

    /// Serves the webhook: `secret` is the `X-Telegram-Bot-Api-Secret-Token` every request must
    /// carry; with `reply_inline` (`WEBHOOK_REPLY=true`) an update's first `sendMessage` goes
    /// back in the webhook answer instead of as a request of its own.
    pub fn webhook(mut self, secret: WebhookSecret, reply_inline: bool) -> Self {
        self.secret = Some(secret);
        self.reply_inline = reply_inline;
        self
    }

    /// The bot.
    pub fn bot(&self) -> &Arc<Bot> {
        &self.bot
    }

    /// The Bot API client replies go through.
    pub fn telegram(&self) -> &Arc<dyn TelegramApi> {
        &self.telegram
    }

    /// Checks the secret header (constant time). Runs before the body is read, so nobody
    /// unauthenticated makes the server buffer one.
    pub fn authorize(&self, header: Option<&[u8]>) -> Result<(), WebhookAnswer> {
        match &self.secret {
            Some(secret) if secret.matches(header) => Ok(()),
            Some(_) => {
                crate::warn!("webhook call with a wrong or missing secret refused");
                Err(WebhookAnswer::text(401, "unauthorized"))
            }
            None => {
                crate::error!("webhook call refused: no webhook secret is configured");
                Err(WebhookAnswer::text(500, "internal error"))
            }
        }
    }

    /// Refuses a declared `Content-Length` over [`MAX_BODY_BYTES`] before the body is read.
    pub fn check_length(&self, declared: Option<&str>) -> Result<(), WebhookAnswer> {
        match declared.and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(n) if n > MAX_BODY_BYTES as u64 => {
                crate::warn!(declared = n, "webhook body over 1 MiB refused");
                Err(WebhookAnswer::text(413, "payload too large"))
            }
            _ => Ok(()),
        }
    }

    /// The update in a webhook body, or the answer that refuses it (logged here).
    pub fn read(&self, body: &[u8]) -> Result<Update, WebhookAnswer> {
        let update = match parse_update_body(body) {
            Ok(update) => update,
            // Redelivering it would fail the same way: acknowledge and log.
            Err(error @ (BodyError::Unreadable { .. } | BodyError::UnstorableId(_))) => {
                crate::warn!(%error, "malformed update acknowledged and skipped");
                return Err(WebhookAnswer::ok());
            }
            Err(error) => {
                crate::warn!(%error, "webhook body refused");
                return Err(WebhookAnswer::text(error.status(), error.body()));
            }
        };
        if update.update_id.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
            crate::warn!(
                update_id = update.update_id,
                "update id beyond ±(2^53 − 1) cannot be recorded; acknowledged and skipped"
            );
            return Err(WebhookAnswer::ok());
        }
        Ok(update)
    }

    /// A whole webhook delivery: [`authorize`](Self::authorize), [`read`](Self::read) and
    /// [`apply_webhook_update`](Self::apply_webhook_update). For runtimes that run the update
    /// in the request itself (the Worker).
    pub async fn handle_webhook(&self, header: Option<&[u8]>, body: &[u8]) -> WebhookAnswer {
        if let Err(answer) = self.authorize(header) {
            return answer;
        }
        match self.read(body) {
            Ok(update) => self.apply_webhook_update(update).await.answer(),
            Err(answer) => answer,
        }
    }

    /// Applies an update that came by webhook (the reply held for the answer when configured).
    ///
    /// Not an `async fn` on purpose: another layer of async would keep a second copy of the
    /// (two-kilobyte) update in its future, copied whenever the caller's future moves.
    pub fn apply_webhook_update(&self, update: Update) -> impl std::future::Future<Output = Applied> + '_ {
        self.run(Box::new(update), self.reply_inline)
    }

    /// Applies an update that came another way (polling, the console): replies are sent.
    pub fn apply(&self, update: Update) -> impl std::future::Future<Output = Outcome> + '_ {
        let run = self.run(Box::new(update), false);
        async move { run.await.outcome }
    }

    // Not `Send`/`Sync` on wasm32 by design (the ledger and client hold JS values; see maybe_send).
    #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
    // The update comes boxed: an async fn keeps its by-value arguments twice in its future.
    async fn run(&self, update: Box<Update>, reply_inline: bool) -> Applied {
        let update_id = update.update_id;
        // No pre-check for "does a handler take it": the claim is written only by an effect,
        // so an update dispatch ignores costs two small allocations and no write.
        let services = self.bot.services();
        let claim = Arc::new(UpdateClaim::new(update_id, self.ledger.clone(), services.clock.clone()));
        let api = Arc::new(UpdateApi::new(
            self.telegram.clone(),
            claim.clone(),
            reply_inline,
            update.chat().cloned(),
            update.date(),
        ));
        // Boxed: the dispatch future holds every handler's state (kilobytes), and unboxed it was
        // copied whole each time a caller moved its own future (a spawn, a poll's stage change),
        // which measured as the top symbol (memmove) of a native /ping profile.
        let dispatch = Box::pin(self.bot.dispatch(update, api.clone(), Some(&claim)));
        let dispatched = CatchPanic::new(dispatch).await;
        let outcome = outcome_of(update_id, dispatched, &claim);
        // A duplicate's held reply was answered by the first delivery (or never taken by Telegram,
        // which then redelivers again): never inline it.
        let inline_reply = if outcome.acknowledged() && outcome != Outcome::Duplicate {
            api.take_inline()
        } else {
            None
        };
        Applied { outcome, inline_reply }
    }
}

fn outcome_of(
    update_id: i64,
    dispatched: Result<Result<Dispatch, crate::bot::HandlerFailure>, ()>,
    claim: &UpdateClaim,
) -> Outcome {
    let status = claim.status();
    match (dispatched, status) {
        (_, ClaimStatus::Duplicate) => {
            crate::info!(update_id, "redelivered update skipped");
            Outcome::Duplicate
        }
        (Ok(Ok(dispatch)), _) => Outcome::Applied(dispatch),
        (Err(()), _) => {
            crate::error!(update_id, "handler panicked; update acknowledged, not retried");
            Outcome::Panicked
        }
        (Ok(Err(failure)), ClaimStatus::Claimed) => {
            crate::error!(update_id, error = %failure, "handler failed; update acknowledged, not retried");
            Outcome::Failed(failure.to_string())
        }
        (Ok(Err(failure)), ClaimStatus::Unavailable(reason)) => {
            crate::error!(update_id, error = %failure, %reason, "update ledger unavailable; nothing applied, not acknowledged");
            Outcome::Unavailable(reason)
        }
        (Ok(Err(failure)), ClaimStatus::Unclaimed) if failure.source.is_transient() => {
            crate::error!(update_id, error = %failure, "handler failed before any effect; not acknowledged so it comes again");
            Outcome::Unavailable(failure.to_string())
        }
        (Ok(Err(failure)), ClaimStatus::Unclaimed) => {
            crate::error!(update_id, error = %failure, "handler failed before any effect; acknowledged");
            Outcome::Rejected(failure.to_string())
        }
    }
}
