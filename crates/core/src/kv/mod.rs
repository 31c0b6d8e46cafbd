//! Key-value storage: the backend trait, its errors and the per-module [`PrefixedKv`].
//!
//! Semantics follow Workers KV so that what passes natively passes on Cloudflare: string keys
//! and values, optional expiry of at least 60 seconds, listing in key order by prefix with an
//! opaque cursor and at most 1000 keys a page.

mod error;
mod prefixed;

pub use error::KvError;
pub use prefixed::PrefixedKv;

use crate::maybe_send::{MaybeSend, MaybeSync};

/// The smallest expiry Workers KV accepts, in seconds. Shorter TTLs are rejected everywhere.
pub const MIN_TTL_SECS: u64 = 60;
/// The most keys one list page returns (the Workers KV maximum, also the default).
pub const MAX_LIST_LIMIT: usize = 1000;
/// The longest key Workers KV accepts, in bytes.
pub const MAX_KEY_BYTES: usize = 512;

/// Options of a list call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Only keys starting with this prefix.
    pub prefix: Option<String>,
    /// At most this many keys (1..=1000, default 1000).
    pub limit: Option<usize>,
    /// The cursor of the previous page, as returned by it.
    pub cursor: Option<String>,
}

impl ListOptions {
    /// Keys starting with `prefix`.
    pub fn prefix(prefix: impl Into<String>) -> Self {
        Self {
            prefix: Some(prefix.into()),
            ..Self::default()
        }
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Continues after a previous page.
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// The effective page size, validated.
    pub fn effective_limit(&self) -> Result<usize, KvError> {
        match self.limit {
            None => Ok(MAX_LIST_LIMIT),
            Some(n) if (1..=MAX_LIST_LIMIT).contains(&n) => Ok(n),
            Some(n) => Err(KvError::InvalidLimit(n)),
        }
    }
}

/// One page of a list call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPage {
    /// Keys in ascending order.
    pub keys: Vec<String>,
    /// Pass this back to get the next page; `None` when `done`.
    pub cursor: Option<String>,
    /// True when there are no more keys after this page.
    pub done: bool,
}

/// A raw key-value backend (SQLite natively, Workers KV on Cloudflare, memory in tests).
///
/// Modules never see this trait directly; they get a [`PrefixedKv`] that confines them to their
/// own `<module>:` key space.
#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
pub trait KvStore: MaybeSend + MaybeSync {
    /// The value of `key`, or `None` when absent or expired.
    async fn get(&self, key: &str) -> Result<Option<String>, KvError>;
    /// Stores `value` under `key`, expiring after `ttl_secs` seconds when given (at least 60).
    async fn put(&self, key: &str, value: &str, ttl_secs: Option<u64>) -> Result<(), KvError>;
    /// Removes `key`; absent keys are not an error.
    async fn delete(&self, key: &str) -> Result<(), KvError>;
    /// One page of keys in ascending order.
    async fn list(&self, options: &ListOptions) -> Result<ListPage, KvError>;
}

/// Checks a key and TTL against the Workers KV rules every backend enforces.
pub fn check_put(key: &str, ttl_secs: Option<u64>) -> Result<(), KvError> {
    check_key(key)?;
    match ttl_secs {
        Some(ttl) if ttl < MIN_TTL_SECS => Err(KvError::InvalidTtl(ttl)),
        _ => Ok(()),
    }
}

/// Checks a key against the Workers KV rules (non-empty, at most 512 bytes).
pub fn check_key(key: &str) -> Result<(), KvError> {
    if key.is_empty() {
        return Err(KvError::InvalidKey("key is empty".into()));
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(KvError::InvalidKey(format!(
            "key is {} bytes, the limit is {MAX_KEY_BYTES}",
            key.len()
        )));
    }
    Ok(())
}
