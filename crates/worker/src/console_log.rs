//! Log events as one JSON line each on the Workers console (`wrangler tail`, dashboard): the
//! sink of `miti99bot_core::log`, which formats the lines and filters them by level.

use miti99bot_core::log::Level;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `console.log(line)`.
    #[wasm_bindgen(js_namespace = console, js_name = log)]
    fn console_log(line: &str);

    /// `console.warn(line)`.
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(line: &str);

    /// `console.error(line)`.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    pub(crate) fn console_error(line: &str);
}

/// Installs the console sink for this isolate (later calls are no-ops); warnings and errors
/// only until the bot's start reads `LOG_LEVEL` ([`crate::log_level`]).
pub fn install() {
    miti99bot_core::log::set_max_level(Level::Warn);
    miti99bot_core::log::set_sink(write);
}

/// One line at its level's console method.
fn write(level: Level, line: &str) {
    match level {
        Level::Error => console_error(line),
        Level::Warn => console_warn(line),
        Level::Info | Level::Debug => console_log(line),
    }
}
