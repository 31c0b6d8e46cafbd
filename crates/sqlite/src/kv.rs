use std::sync::Arc;

use async_trait::async_trait;
use miti99bot_core::kv::{check_key, check_put, KvError, KvStore, ListOptions, ListPage};
use rusqlite::types::Value as SqliteValue;
use rusqlite::{params, params_from_iter, OptionalExtension};

use crate::cursor;
use crate::db::Shared;
use crate::error::kv_backend;
use crate::prefix_range::upper_bound;

/// The [`KvStore`] of a [`SqliteDb`](crate::SqliteDb): rows of the `_kv` table.
///
/// Entries put with a TTL carry `expires_at` (Unix ms by the database's clock); expired entries
/// are invisible to `get` and `list`, deleted when `get` meets them, and all at once by
/// [`purge_expired`](Self::purge_expired). Lists are in ascending key order; a prefix is matched
/// literally (as a key range, never with LIKE).
#[derive(Clone)]
pub struct SqliteKv {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SqliteKv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteKv").finish_non_exhaustive()
    }
}

impl SqliteKv {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// Deletes every expired entry and returns how many there were.
    pub fn purge_expired(&self) -> Result<u64, KvError> {
        let now = self.shared.now_ms();
        let conn = self.shared.lock()?;
        let deleted = conn
            .prepare_cached("DELETE FROM _kv WHERE expires_at IS NOT NULL AND expires_at <= ?1")
            .and_then(|mut stmt| stmt.execute(params![now]))
            .map_err(kv_backend)?;
        Ok(u64::try_from(deleted).unwrap_or(u64::MAX))
    }

    fn get_sync(&self, key: &str) -> Result<Option<String>, KvError> {
        check_key(key)?;
        let now = self.shared.now_ms();
        let conn = self.shared.lock()?;
        let found: Option<(String, Option<i64>)> = conn
            .prepare_cached("SELECT value, expires_at FROM _kv WHERE key = ?1")
            .and_then(|mut stmt| {
                stmt.query_row(params![key], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
            })
            .map_err(kv_backend)?;
        match found {
            Some((_, Some(expires_at))) if expires_at <= now => {
                conn.prepare_cached("DELETE FROM _kv WHERE key = ?1 AND expires_at <= ?2")
                    .and_then(|mut stmt| stmt.execute(params![key, now]))
                    .map_err(kv_backend)?;
                Ok(None)
            }
            Some((value, _)) => Ok(Some(value)),
            None => Ok(None),
        }
    }

    fn delete_sync(&self, key: &str) -> Result<(), KvError> {
        check_key(key)?;
        let conn = self.shared.lock()?;
        conn.prepare_cached("DELETE FROM _kv WHERE key = ?1")
            .and_then(|mut stmt| stmt.execute(params![key]))
            .map_err(kv_backend)?;
        Ok(())
    }

    fn list_sync(&self, options: &ListOptions) -> Result<ListPage, KvError> {
        let limit = options.effective_limit()?;
        let after = options.cursor.as_deref().map(cursor::decode).transpose()?;
        let prefix = options.prefix.as_deref().filter(|p| !p.is_empty());

        let mut sql = String::from("SELECT key FROM _kv WHERE (expires_at IS NULL OR expires_at > ?)");
        let mut binds = vec![SqliteValue::Integer(self.shared.now_ms())];
        if let Some(prefix) = prefix {
            sql.push_str(" AND key >= ?");
            binds.push(SqliteValue::Text(prefix.to_owned()));
            if let Some(upper) = upper_bound(prefix) {
                sql.push_str(" AND key < ?");
                binds.push(SqliteValue::Text(upper));
            }
        }
        if let Some(after) = after {
            sql.push_str(" AND key > ?");
            binds.push(SqliteValue::Text(after));
        }
        // One more than the page: whether it comes back says if this page is the last.
        sql.push_str(" ORDER BY key LIMIT ?");
        binds.push(SqliteValue::Integer(
            i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1),
        ));

        let conn = self.shared.lock()?;
        let mut keys = conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(params_from_iter(binds), |row| row.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(kv_backend)?;
        drop(conn);

        let done = keys.len() <= limit;
        keys.truncate(limit);
        let cursor = if done {
            None
        } else {
            keys.last().map(|k| cursor::encode(k))
        };
        Ok(ListPage { keys, cursor, done })
    }
}

/// `now_ms` plus `ttl_secs`, saturating instead of overflowing.
fn expiry(now_ms: i64, ttl_secs: u64) -> i64 {
    let ttl_ms = i64::try_from(ttl_secs).unwrap_or(i64::MAX).saturating_mul(1000);
    now_ms.saturating_add(ttl_ms)
}

#[async_trait]
impl KvStore for SqliteKv {
    async fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        self.get_sync(key)
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: Option<u64>) -> Result<(), KvError> {
        check_put(key, ttl_secs)?;
        let expires_at = ttl_secs.map(|ttl| expiry(self.shared.now_ms(), ttl));
        // Committed with the other writes of its group (writer.rs).
        self.shared.writer.kv_put(key, value, expires_at).await
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.delete_sync(key)
    }

    async fn list(&self, options: &ListOptions) -> Result<ListPage, KvError> {
        self.list_sync(options)
    }
}
