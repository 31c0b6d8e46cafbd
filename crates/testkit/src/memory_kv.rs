use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use miti99bot_core::kv::{check_key, check_put, KvError, KvStore, ListOptions, ListPage};
use miti99bot_core::Clock;

/// Raw key to (value, expiry in Unix ms).
type Entries = BTreeMap<String, (String, Option<i64>)>;
/// Every put: (raw key, value, ttl seconds).
type PutLog = Vec<(String, String, Option<u64>)>;

/// An in-memory [`KvStore`] with Workers KV's rules and a log of every put.
#[derive(Clone)]
pub struct MemoryKv {
    entries: Arc<Mutex<Entries>>,
    puts: Arc<Mutex<PutLog>>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for MemoryKv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryKv").finish_non_exhaustive()
    }
}

impl MemoryKv {
    /// An empty store whose TTLs are measured by `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            entries: Arc::default(),
            puts: Arc::default(),
            clock,
        }
    }

    /// Every put so far: (raw key, value, ttl).
    pub fn puts(&self) -> PutLog {
        self.puts.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// The raw value of `key` (ignoring expiry), for assertions.
    pub fn raw(&self, key: &str) -> Option<String> {
        self.entries.lock().ok()?.get(key).map(|(v, _)| v.clone())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Entries>, KvError> {
        self.entries
            .lock()
            .map_err(|_| KvError::Backend("memory kv lock poisoned".into()))
    }
}

#[async_trait::async_trait]
impl KvStore for MemoryKv {
    async fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        check_key(key)?;
        let now = self.clock.now_ms();
        Ok(self
            .lock()?
            .get(key)
            .filter(|(_, exp)| exp.is_none_or(|e| e > now))
            .map(|(v, _)| v.clone()))
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: Option<u64>) -> Result<(), KvError> {
        check_put(key, ttl_secs)?;
        let expires = ttl_secs.map(|t| self.clock.now_ms() + (t as i64) * 1000);
        self.lock()?.insert(key.to_owned(), (value.to_owned(), expires));
        if let Ok(mut puts) = self.puts.lock() {
            puts.push((key.to_owned(), value.to_owned(), ttl_secs));
        }
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        check_key(key)?;
        self.lock()?.remove(key);
        Ok(())
    }

    async fn list(&self, options: &ListOptions) -> Result<ListPage, KvError> {
        let limit = options.effective_limit()?;
        let prefix = options.prefix.clone().unwrap_or_default();
        let now = self.clock.now_ms();
        let entries = self.lock()?;
        let after = options.cursor.clone();
        let mut keys: Vec<String> = entries
            .iter()
            .filter(|(k, (_, exp))| k.starts_with(&prefix) && exp.is_none_or(|e| e > now))
            .filter(|(k, _)| after.as_ref().is_none_or(|a| k.as_str() > a.as_str()))
            .map(|(k, _)| k.clone())
            .take(limit + 1)
            .collect();
        let done = keys.len() <= limit;
        keys.truncate(limit);
        let cursor = if done { None } else { keys.last().cloned() };
        Ok(ListPage { keys, cursor, done })
    }
}
