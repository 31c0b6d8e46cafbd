//! The Worker's variables and secrets as the framework's [`Config`].

use js_sys::{Object, Reflect};
use miti99bot_core::{Config, ConfigError};
use wasm_bindgen::{JsCast, JsValue};

/// A string variable or secret, trimmed; `None` when unset or blank.
pub fn env_string(env: &worker::Env, name: &str) -> Option<String> {
    Reflect::get(env, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Every string-valued binding (vars and secrets) of `env`, as configuration.
pub fn config_from_env(env: &worker::Env) -> Result<Config, ConfigError> {
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
