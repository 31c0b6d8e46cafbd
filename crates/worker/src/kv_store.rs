//! The Workers KV [`KvStore`], held to the same key, TTL and paging rules as every backend.

use miti99bot_core::kv::{check_key, check_put, KvError, KvStore, ListOptions, ListPage};

/// A Workers KV namespace as the framework's raw key-value backend.
#[derive(Debug, Clone)]
pub struct WorkersKv {
    kv: worker::KvStore,
}

impl WorkersKv {
    /// The KV binding named `binding` on `env`.
    pub fn from_env(env: &worker::Env, binding: &str) -> Result<Self, KvError> {
        env.kv(binding)
            .map(|kv| Self { kv })
            .map_err(|e| KvError::Backend(format!("KV binding {binding}: {e}")))
    }
}

fn backend(error: worker::KvError) -> KvError {
    KvError::Backend(error.to_string())
}

#[async_trait::async_trait(?Send)]
impl KvStore for WorkersKv {
    async fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        check_key(key)?;
        self.kv.get(key).text().await.map_err(backend)
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: Option<u64>) -> Result<(), KvError> {
        check_put(key, ttl_secs)?;
        let put = self.kv.put(key, value).map_err(backend)?;
        let put = match ttl_secs {
            Some(ttl) => put.expiration_ttl(ttl),
            None => put,
        };
        put.execute().await.map_err(backend)
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        check_key(key)?;
        self.kv.delete(key).await.map_err(backend)
    }

    async fn list(&self, options: &ListOptions) -> Result<ListPage, KvError> {
        let limit = options.effective_limit()?;
        let mut list = self.kv.list().limit(limit as u64);
        if let Some(prefix) = &options.prefix {
            list = list.prefix(prefix.clone());
        }
        if let Some(cursor) = &options.cursor {
            if cursor.is_empty() {
                return Err(KvError::InvalidCursor);
            }
            list = list.cursor(cursor.clone());
        }
        let page = list.execute().await.map_err(backend)?;
        let cursor = page.cursor.filter(|c| !c.is_empty() && !page.list_complete);
        Ok(ListPage {
            keys: page.keys.into_iter().map(|k| k.name).collect(),
            done: cursor.is_none(),
            cursor,
        })
    }
}
