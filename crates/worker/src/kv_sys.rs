//! The four Workers KV methods the adapter calls, bound directly: workers-rs's wrapper decodes
//! `list` through serde-wasm-bindgen and builds its own option and error types, which cost the
//! Worker's wasm more than the calls themselves.

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A KV namespace binding (`env.KV`).
    #[wasm_bindgen(extends = js_sys::Object)]
    #[derive(Debug, Clone)]
    pub type KvBinding;

    /// `kv.get(key, "text")`: resolves to the value or `null`.
    #[wasm_bindgen(method, catch)]
    pub fn get(this: &KvBinding, key: &str, kind: &str) -> Result<Promise, JsValue>;

    /// `kv.put(key, value, options)`.
    #[wasm_bindgen(method, catch)]
    pub fn put(this: &KvBinding, key: &str, value: &str, options: &Object) -> Result<Promise, JsValue>;

    /// `kv.delete(key)`.
    #[wasm_bindgen(method, catch)]
    pub fn delete(this: &KvBinding, key: &str) -> Result<Promise, JsValue>;

    /// `kv.list(options)`: resolves to `{ keys: [{ name }], list_complete, cursor }`.
    #[wasm_bindgen(method, catch)]
    pub fn list(this: &KvBinding, options: &Object) -> Result<Promise, JsValue>;
}
