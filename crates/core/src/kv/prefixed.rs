use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{KvError, KvStore, ListOptions, ListPage};
use crate::ledger::UpdateClaim;

/// A module's view of the key-value store: every key is prefixed with `<module>:`.
///
/// `PrefixedKv::new("misc", kv).put("last_ping", ..)` writes the raw key `misc:last_ping`;
/// `list` only sees the module's keys and returns them without the prefix.
///
/// Inside a command handler the store belongs to one update: its first write claims the update
/// (see [`UpdateClaim`]), and a write of an update already applied by another delivery fails
/// with [`KvError::AlreadyApplied`].
#[derive(Clone)]
pub struct PrefixedKv {
    prefix: Arc<str>,
    inner: Arc<dyn KvStore>,
    claim: Option<Arc<UpdateClaim>>,
}

impl std::fmt::Debug for PrefixedKv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrefixedKv")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl PrefixedKv {
    /// The store of module `module` (a validated module name) over `inner`.
    pub fn new(module: &str, inner: Arc<dyn KvStore>) -> Self {
        Self {
            prefix: Arc::from(format!("{module}:")),
            inner,
            claim: None,
        }
    }

    /// The same store, its writes claiming `claim`'s update first.
    pub(crate) fn for_update(&self, claim: &Arc<UpdateClaim>) -> Self {
        Self {
            prefix: self.prefix.clone(),
            inner: self.inner.clone(),
            claim: Some(claim.clone()),
        }
    }

    async fn before_write(&self) -> Result<(), KvError> {
        match &self.claim {
            Some(claim) => Ok(claim.before_effect().await?),
            None => Ok(()),
        }
    }

    /// The raw prefix, `<module>:`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn full(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The text stored under `key`, if any.
    pub async fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        self.inner.get(&self.full(key)).await
    }

    /// Stores `value` under `key`, forever.
    pub async fn put(&self, key: &str, value: &str) -> Result<(), KvError> {
        self.before_write().await?;
        self.inner.put(&self.full(key), value, None).await
    }

    /// Stores `value` under `key`, expiring after `ttl_secs` seconds (at least 60).
    pub async fn put_with_ttl(&self, key: &str, value: &str, ttl_secs: u64) -> Result<(), KvError> {
        self.before_write().await?;
        self.inner.put(&self.full(key), value, Some(ttl_secs)).await
    }

    /// Removes `key`; absent keys are not an error.
    pub async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.before_write().await?;
        self.inner.delete(&self.full(key)).await
    }

    /// One page of this module's keys (prefix relative to the module), without the module prefix.
    pub async fn list(&self, options: &ListOptions) -> Result<ListPage, KvError> {
        let raw = ListOptions {
            prefix: Some(format!("{}{}", self.prefix, options.prefix.as_deref().unwrap_or(""))),
            limit: options.limit,
            cursor: options.cursor.clone(),
        };
        let page = self.inner.list(&raw).await?;
        Ok(ListPage {
            keys: page
                .keys
                .into_iter()
                .map(|k| match k.strip_prefix(&*self.prefix) {
                    Some(stripped) => stripped.to_owned(),
                    None => k,
                })
                .collect(),
            cursor: page.cursor,
            done: page.done,
        })
    }

    /// The JSON value under `key` decoded as `T`.
    ///
    /// Missing is `Ok(None)`; text that does not decode as `T` is [`KvError::Corrupt`] (not
    /// silently `None`, unlike the original), so a caller never overwrites data it could not read
    /// by mistake.
    pub async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, KvError> {
        match self.get(key).await? {
            None => Ok(None),
            Some(text) => crate::json::from_slice(text.as_bytes())
                .map(Some)
                .map_err(|e| KvError::Corrupt {
                    key: key.to_owned(),
                    reason: e.to_string(),
                }),
        }
    }

    /// Stores `value` as JSON under `key`, forever.
    pub async fn put_json<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<(), KvError> {
        let text = to_json(key, value)?;
        self.put(key, &text).await
    }

    /// Stores `value` as JSON under `key`, expiring after `ttl_secs` seconds.
    pub async fn put_json_with_ttl<T: Serialize + ?Sized>(
        &self,
        key: &str,
        value: &T,
        ttl_secs: u64,
    ) -> Result<(), KvError> {
        let text = to_json(key, value)?;
        self.put_with_ttl(key, &text, ttl_secs).await
    }
}

fn to_json<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<String, KvError> {
    serde_json::to_string(value).map_err(|e| KvError::Serialize {
        key: key.to_owned(),
        reason: e.to_string(),
    })
}
