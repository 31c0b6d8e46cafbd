//! One update's claim, shared by everything its handler touches.
//!
//! The rule (docs/using-sql.md states it for module authors):
//! - nothing is written for an update until its handler's first *effect*;
//! - a first effect that is a SQL write ([`ModuleSql::run`](crate::sql::ModuleSql::run) or
//!   [`batch`](crate::sql::ModuleSql::batch)) carries the claim in the same batch: both commit
//!   or neither does;
//! - a first effect that is a KV write or a Bot API call is preceded by the claim on its own;
//! - once claimed, later effects run as they are; once found taken (a redelivery), every later
//!   effect fails with "already applied" and the update counts as a duplicate;
//! - a reply held for the webhook answer is no effect: Telegram carries it out only when it
//!   receives the answer, and then it delivers the update no more;
//! - an update whose handler declared its effects safe to repeat
//!   ([`Command::idempotent`](crate::command::Command::idempotent)) is never claimed
//!   ([`waive`](UpdateClaim::waive)): a redelivery runs it again, and its effects cost no ledger
//!   write.
//!
//! Effects of one handler that run concurrently wait for the first one's claim to settle, so
//! one delivery never races itself.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};

use super::{Claim, UpdateLedger};
use crate::clock::Clock;
use crate::sql::{BatchResult, SqlError, SqlStore, Statement};

/// Why an effect may not run.
#[derive(Debug)]
pub enum ClaimError {
    /// Another delivery of the update has claimed it: it is applied already.
    AlreadyApplied(i64),
    /// The ledger could not be written: nothing was applied, the update should come again.
    Unavailable(SqlError),
}

impl std::fmt::Display for ClaimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AlreadyApplied(id) => write!(f, "update {id} was already applied by another delivery"),
            Self::Unavailable(error) => write!(f, "the update ledger is unavailable: {error}"),
        }
    }
}

impl std::error::Error for ClaimError {}

#[derive(Debug)]
enum State {
    /// Not claimed; the next effect claims.
    Open,
    /// An effect is claiming; others wait.
    Claiming(Vec<Waker>),
    /// Claimed by this delivery.
    Claimed,
    /// Claimed by another delivery.
    Duplicate,
    /// Not to be claimed: effects run as they are.
    Waived,
}

/// The claim of one update (see the [ledger module docs](crate::ledger)).
pub struct UpdateClaim {
    update_id: i64,
    ledger: Arc<dyn UpdateLedger>,
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
    unavailable: Mutex<Option<String>>,
}

impl std::fmt::Debug for UpdateClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateClaim")
            .field("update_id", &self.update_id)
            .field("state", &*self.lock())
            .finish_non_exhaustive()
    }
}

/// What the claim ended as, for the acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClaimStatus {
    /// No effect was attempted (or every attempt was rolled back).
    Unclaimed,
    /// This delivery applied effects.
    Claimed,
    /// Another delivery had claimed it.
    Duplicate,
    /// An effect could not claim because the ledger failed.
    Unavailable(String),
}

/// The right to claim, held by the one effect that is claiming. Dropping it unresolved (the
/// effect failed before committing, or was cancelled) reopens the claim for the next effect.
struct Claiming<'a> {
    claim: &'a UpdateClaim,
    resolved: bool,
}

impl Claiming<'_> {
    fn resolve(mut self, state: State) {
        self.resolved = true;
        self.claim.settle(state);
    }
}

impl Drop for Claiming<'_> {
    fn drop(&mut self) {
        if !self.resolved {
            self.claim.settle(State::Open);
        }
    }
}

impl UpdateClaim {
    /// The claim of `update_id`, recorded in `ledger` at `clock`'s time.
    pub fn new(update_id: i64, ledger: Arc<dyn UpdateLedger>, clock: Arc<dyn Clock>) -> Self {
        Self {
            update_id,
            ledger,
            clock,
            state: Mutex::new(State::Open),
            unavailable: Mutex::new(None),
        }
    }

    /// The update's id.
    pub fn update_id(&self) -> i64 {
        self.update_id
    }

    /// Declares that this update's effects are safe to apply twice: none of them claims it, and
    /// a handler failure leaves it as if nothing was applied (a transient one is delivered
    /// again). Only before the first effect; afterwards it changes nothing.
    pub fn waive(&self) {
        let mut state = self.lock();
        if matches!(*state, State::Open) {
            *state = State::Waived;
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn settle(&self, next: State) {
        let previous = std::mem::replace(&mut *self.lock(), next);
        if let State::Claiming(wakers) = previous {
            wakers.into_iter().for_each(Waker::wake);
        }
    }

    fn note_unavailable(&self, error: &SqlError) {
        *self.unavailable.lock().unwrap_or_else(PoisonError::into_inner) = Some(error.to_string());
    }

    /// `Ok(None)` when already claimed by this delivery, `Ok(Some(token))` when the caller must
    /// claim now, after waiting for a concurrent effect's claim to settle.
    async fn begin(&self) -> Result<Option<Claiming<'_>>, ClaimError> {
        std::future::poll_fn(|cx| {
            let mut state = self.lock();
            match &mut *state {
                State::Claimed | State::Waived => Poll::Ready(Ok(None)),
                State::Duplicate => Poll::Ready(Err(ClaimError::AlreadyApplied(self.update_id))),
                State::Open => {
                    *state = State::Claiming(Vec::new());
                    Poll::Ready(Ok(Some(Claiming {
                        claim: self,
                        resolved: false,
                    })))
                }
                State::Claiming(wakers) => {
                    wakers.push(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }

    /// Claims before an effect that cannot carry the claim (a KV write, a Bot API call).
    pub async fn before_effect(&self) -> Result<(), ClaimError> {
        let Some(token) = self.begin().await? else {
            return Ok(());
        };
        let now = self.clock.now_ms();
        let claimed = match self.ledger.claim(self.update_id, now).await {
            Err(error) => match self.ledger.repair(&error).await {
                Ok(true) => self.ledger.claim(self.update_id, now).await,
                Ok(false) => Err(error),
                Err(repair) => Err(repair),
            },
            claimed => claimed,
        };
        match claimed {
            Ok(Claim::First) => {
                token.resolve(State::Claimed);
                Ok(())
            }
            Ok(Claim::Duplicate) => {
                token.resolve(State::Duplicate);
                Err(ClaimError::AlreadyApplied(self.update_id))
            }
            Err(error) => {
                self.note_unavailable(&error);
                Err(ClaimError::Unavailable(error))
            }
        }
    }

    /// Runs `statements` as one batch on `sql`, with the claim in it when this is the update's
    /// first effect and the ledger lives in that store. The results are the caller's statements'
    /// only. A batch that fails on the claim is [`SqlError::AlreadyApplied`].
    pub async fn batch(&self, sql: &dyn SqlStore, statements: &[Statement]) -> Result<Vec<BatchResult>, SqlError> {
        let token = match self.begin().await {
            Ok(Some(token)) => token,
            Ok(None) => return sql.batch(statements).await,
            Err(error) => return Err(error.into()),
        };
        let now = self.clock.now_ms();
        let Some(mut claimed) = self.ledger.claim_statements(self.update_id, now) else {
            // The ledger is elsewhere: claim on its own, then write.
            drop(token);
            self.before_effect().await?;
            return sql.batch(statements).await;
        };
        let skip = claimed.len();
        claimed.extend_from_slice(statements);
        let result = match sql.batch(&claimed).await {
            // The ledger table did not exist yet: created, so the batch runs once more.
            Err(error) => match self.ledger.repair(&error).await {
                Ok(true) => sql.batch(&claimed).await,
                Ok(false) => Err(error),
                Err(repair) => {
                    self.note_unavailable(&repair);
                    Err(error)
                }
            },
            done => done,
        };
        match result {
            Ok(results) => {
                token.resolve(State::Claimed);
                Ok(results.into_iter().skip(skip).collect())
            }
            Err(error) => match self.ledger.is_claimed(self.update_id).await {
                Ok(true) => {
                    token.resolve(State::Duplicate);
                    Err(SqlError::AlreadyApplied {
                        update_id: self.update_id,
                    })
                }
                // The module's own statement failed; the claim was rolled back with it.
                Ok(false) => Err(error),
                Err(lookup) => {
                    self.note_unavailable(&lookup);
                    Err(error)
                }
            },
        }
    }

    /// How the claim ended.
    pub(crate) fn status(&self) -> ClaimStatus {
        match &*self.lock() {
            State::Claimed => ClaimStatus::Claimed,
            State::Duplicate => ClaimStatus::Duplicate,
            State::Open | State::Claiming(_) | State::Waived => {
                match self.unavailable.lock().unwrap_or_else(PoisonError::into_inner).clone() {
                    Some(reason) => ClaimStatus::Unavailable(reason),
                    None => ClaimStatus::Unclaimed,
                }
            }
        }
    }
}

impl From<ClaimError> for SqlError {
    fn from(error: ClaimError) -> Self {
        match error {
            ClaimError::AlreadyApplied(update_id) => SqlError::AlreadyApplied { update_id },
            ClaimError::Unavailable(error) => error,
        }
    }
}
