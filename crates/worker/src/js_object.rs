//! Reading and writing plain JS objects, and the text of a thrown JS value: what the D1, KV and
//! fetch adapters share.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::env_vars::Env;

/// `object[key]`; `undefined` when absent or unreadable.
pub(crate) fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `object[key] = value`.
pub(crate) fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(object, &JsValue::from_str(key), value).map(drop)
}

/// The binding `name` on `env` (a D1 database, a KV namespace); `None` when unbound.
pub(crate) fn binding(env: &Env, name: &str) -> Option<JsValue> {
    let value = get(env, name);
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// What a thrown JS value says: an `Error`'s message (with its cause's when that adds
/// something), a thrown string, else the value's JSON. Never `{:?}`: that would bring Rust's
/// float formatting into the wasm for a thrown number.
pub(crate) fn error_text(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        let mut message = String::from(e.message());
        if let Some(cause) = e.cause().dyn_ref::<js_sys::Error>() {
            let cause = String::from(cause.message());
            if !message.contains(&cause) {
                message = format!("{message}: {cause}");
            }
        }
        return message;
    }
    error.as_string().unwrap_or_else(|| {
        js_sys::JSON::stringify(error)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| "a JS value that is not an Error".to_owned())
    })
}
