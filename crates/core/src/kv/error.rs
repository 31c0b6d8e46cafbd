use thiserror::Error;

/// What can go wrong with a key-value call.
#[derive(Debug, Error)]
pub enum KvError {
    /// The key is empty or too long.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// The TTL is below the 60-second minimum of Workers KV.
    #[error("invalid ttl: {0} s (the minimum is 60 s)")]
    InvalidTtl(u64),
    /// The list limit is outside 1..=1000.
    #[error("invalid list limit {0} (1..=1000)")]
    InvalidLimit(usize),
    /// The cursor was not produced by this store.
    #[error("invalid list cursor")]
    InvalidCursor,
    /// A stored value is not the JSON the caller asked for.
    #[error("value of key {key:?} is not valid JSON for this type: {reason}")]
    Corrupt {
        /// The key, as the module named it.
        key: String,
        /// The parser's message.
        reason: String,
    },
    /// The value could not be serialised.
    #[error("value for key {key:?} cannot be serialised: {reason}")]
    Serialize {
        /// The key, as the module named it.
        key: String,
        /// The serialiser's message.
        reason: String,
    },
    /// The update this write belongs to was already applied by another delivery (see
    /// [`UpdateClaim`](crate::ledger::UpdateClaim)): nothing was written.
    #[error("update {0} was already applied by another delivery")]
    AlreadyApplied(i64),
    /// The backend failed (I/O, SQLite, Workers KV).
    #[error("kv backend error: {0}")]
    Backend(String),
}

impl From<crate::ledger::ClaimError> for KvError {
    fn from(error: crate::ledger::ClaimError) -> Self {
        match error {
            crate::ledger::ClaimError::AlreadyApplied(id) => KvError::AlreadyApplied(id),
            crate::ledger::ClaimError::Unavailable(error) => KvError::Backend(format!("update ledger: {error}")),
        }
    }
}
