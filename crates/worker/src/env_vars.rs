//! The Worker's `env` (bindings, variables and secrets), and its strings as the framework's
//! [`Config`].

use js_sys::{Object, Reflect};
use miti99bot_core::{Config, ConfigError};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// The `env` object workerd hands every event: D1 and KV bindings, `[vars]` and secrets.
    #[wasm_bindgen(extends = Object)]
    #[derive(Debug, Clone)]
    pub type Env;
}

/// A string variable or secret, trimmed; `None` when unset or blank.
pub fn env_string(env: &Env, name: &str) -> Option<String> {
    Reflect::get(env, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Every string-valued binding (vars and secrets) of `env`, as configuration.
pub fn config_from_env(env: &Env) -> Result<Config, ConfigError> {
    let object: &Object = env.unchecked_ref();
    let vars: Vec<(String, String)> = Object::keys(object)
        .iter()
        .filter_map(|key| {
            let name = key.as_string()?;
            let value = Reflect::get(env, &key).ok()?.as_string()?;
            Some((name, value))
        })
        .collect();
    Config::from_vars(vars)
}
