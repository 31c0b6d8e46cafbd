//! Core's and the modules' log events as one JSON line each on the Workers console (`wrangler
//! tail`, dashboard): the sink of `miti99bot_core::log`, which formats the lines.

use miti99bot_core::log::Level;

/// Installs the console sink for this isolate (later calls are no-ops).
pub fn install() {
    miti99bot_core::log::set_sink(write);
}

/// One line at its level's console method.
fn write(level: Level, line: &str) {
    match level {
        Level::Error => worker::console_error!("{line}"),
        Level::Warn => worker::console_warn!("{line}"),
        Level::Info | Level::Debug => worker::console_log!("{line}"),
    }
}
