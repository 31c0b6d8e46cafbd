//! `LOG_LEVEL`: how much the Worker writes to its console.
//!
//! The native binary logs warnings and errors unless `RUST_LOG` asks for more; the Worker does
//! the same unless `LOG_LEVEL` does. Every console line costs the isolate CPU (under the
//! profiler, one line per update was a sixth of a `/ping`), and Workers already records each
//! invocation's request, status and duration itself; `LOG_LEVEL=info` adds one line per
//! request (path, status, ms, and a webhook's update id and outcome). `debug!` events are never
//! written on wasm32 (see `miti99bot_core::log`).

use miti99bot_core::log::Level;

/// The variable.
pub const LOG_LEVEL_VAR: &str = "LOG_LEVEL";

/// The level of `LOG_LEVEL`'s value: `error`, `warn` (also when unset or blank) or `info`, in
/// any case.
pub fn parse_log_level(raw: Option<&str>) -> Result<Level, String> {
    let value = raw.map(str::trim).unwrap_or("");
    match value.to_ascii_lowercase().as_str() {
        "" | "warn" | "warning" => Ok(Level::Warn),
        "error" => Ok(Level::Error),
        "info" => Ok(Level::Info),
        _ => Err(format!(
            "configuration: {LOG_LEVEL_VAR}: {value:?} is not error, warn or info"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_the_default_is_warn() {
        assert_eq!(parse_log_level(None), Ok(Level::Warn));
        assert_eq!(parse_log_level(Some(" ")), Ok(Level::Warn));
        assert_eq!(parse_log_level(Some("INFO")), Ok(Level::Info));
        assert_eq!(parse_log_level(Some("error")), Ok(Level::Error));
        assert_eq!(
            parse_log_level(Some("debug")),
            Err("configuration: LOG_LEVEL: \"debug\" is not error, warn or info".into())
        );
    }
}
