//! The Workers KV [`KvStore`], held to the same key, TTL and paging rules as every backend.

use js_sys::{Array, Object};
use miti99bot_core::kv::{check_key, check_put, KvError, KvStore, ListOptions, ListPage};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::env_vars::Env;
use crate::js_object::{self, get};
use crate::kv_sys::KvBinding;

/// A Workers KV namespace as the framework's raw key-value backend.
#[derive(Debug, Clone)]
pub struct WorkersKv {
    kv: KvBinding,
}

impl WorkersKv {
    /// The KV binding named `binding` on `env`.
    pub fn from_env(env: &Env, binding: &str) -> Result<Self, KvError> {
        let value = js_object::binding(env, binding)
            .ok_or_else(|| KvError::Backend(format!("KV binding {binding}: not bound")))?;
        Ok(Self {
            kv: value.unchecked_into(),
        })
    }
}

/// KV's error text.
fn backend(error: JsValue) -> KvError {
    KvError::Backend(js_object::error_text(&error))
}

/// Awaits a KV call's promise.
async fn settle(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, KvError> {
    JsFuture::from(promise.map_err(backend)?).await.map_err(backend)
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), KvError> {
    js_object::set(object, key, value).map_err(backend)
}

#[async_trait::async_trait(?Send)]
impl KvStore for WorkersKv {
    async fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        check_key(key)?;
        Ok(settle(self.kv.get(key, "text")).await?.as_string())
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: Option<u64>) -> Result<(), KvError> {
        check_put(key, ttl_secs)?;
        let options = Object::new();
        if let Some(ttl) = ttl_secs {
            set(&options, "expirationTtl", &JsValue::from_f64(ttl as f64))?;
        }
        settle(self.kv.put(key, value, &options)).await.map(drop)
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        check_key(key)?;
        settle(self.kv.delete(key)).await.map(drop)
    }

    async fn list(&self, options: &ListOptions) -> Result<ListPage, KvError> {
        let limit = options.effective_limit()?;
        let query = Object::new();
        set(&query, "limit", &JsValue::from_f64(limit as f64))?;
        if let Some(prefix) = &options.prefix {
            set(&query, "prefix", &JsValue::from_str(prefix))?;
        }
        if let Some(cursor) = &options.cursor {
            if cursor.is_empty() {
                return Err(KvError::InvalidCursor);
            }
            set(&query, "cursor", &JsValue::from_str(cursor))?;
        }
        let page = settle(self.kv.list(&query)).await?;
        let keys = get(&page, "keys")
            .dyn_into::<Array>()
            .map_err(|_| KvError::Backend("KV list answered without keys".to_owned()))?;
        let keys = keys.iter().filter_map(|k| get(&k, "name").as_string()).collect();
        let complete = get(&page, "list_complete").as_bool().unwrap_or(true);
        let cursor = get(&page, "cursor").as_string().filter(|c| !c.is_empty() && !complete);
        Ok(ListPage {
            keys,
            done: cursor.is_none(),
            cursor,
        })
    }
}
