use thiserror::Error;

/// A failed Bot API call. Messages never contain the bot token.
#[derive(Debug, Error)]
pub enum TelegramError {
    /// Telegram answered `ok: false` or a non-2xx status.
    #[error("telegram {method} failed: HTTP {status}: {description}")]
    Api {
        /// The Bot API method.
        method: String,
        /// HTTP status.
        status: u16,
        /// Telegram's `description`, or the body (cut to
        /// [`MAX_ERROR_TEXT`](super::MAX_ERROR_TEXT) characters).
        description: String,
        /// `parameters.migrate_to_chat_id`: the group became this supergroup; resend there.
        migrate_to_chat_id: Option<i64>,
    },
    /// Telegram kept answering 429 beyond the retry bound.
    #[error("telegram {method} rate limited (retry after {retry_after} s), gave up after {attempts} attempt(s)")]
    RateLimited {
        /// The Bot API method.
        method: String,
        /// The last `retry_after`, seconds.
        retry_after: u64,
        /// Attempts made.
        attempts: u32,
    },
    /// The request did not complete (connection, timeout).
    #[error("telegram {method}: network error: {reason}")]
    Network {
        /// The Bot API method.
        method: String,
        /// What failed (token redacted).
        reason: String,
    },
    /// The update this call belongs to was already applied by another delivery (see
    /// [`UpdateClaim`](crate::ledger::UpdateClaim)): nothing was sent.
    #[error("telegram {method}: update {update_id} was already applied by another delivery")]
    AlreadyApplied {
        /// The Bot API method.
        method: String,
        /// The update's id.
        update_id: i64,
    },
    /// The update ledger could not be written before the call, so it was not made.
    #[error("telegram {method}: not sent, the update ledger is unavailable: {reason}")]
    LedgerUnavailable {
        /// The Bot API method.
        method: String,
        /// The ledger's error.
        reason: String,
    },
    /// The answer was not the expected JSON.
    #[error("telegram {method}: unexpected response: {reason}")]
    Decode {
        /// The Bot API method.
        method: String,
        /// The decoder's message.
        reason: String,
    },
}

impl TelegramError {
    /// Whether a later attempt may succeed (network, rate limit, ledger), as opposed to a
    /// refusal of the request itself.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            TelegramError::Network { .. } | TelegramError::RateLimited { .. } | TelegramError::LedgerUnavailable { .. }
        )
    }

    /// Telegram's answer to an edit that changes nothing ("Bad Request: message is not
    /// modified"): the message already shows what was asked, so the typed edit calls treat it
    /// as success.
    pub fn is_not_modified(&self) -> bool {
        matches!(self, Self::Api { status: 400, description, .. } if description.contains("message is not modified"))
    }
}
