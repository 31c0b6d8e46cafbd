//! `LOG_LEVEL`: how much the Worker writes to its console.
//!
//! The native binary logs warnings and errors unless `RUST_LOG` asks for more; the Worker does
//! the same unless `LOG_LEVEL` does. Every console line costs the isolate CPU (under the
//! profiler, one line per update was a sixth of a `/ping`), and Workers already records each
//! invocation's request, status and duration itself; `LOG_LEVEL=info` adds one line per
//! request (path, status, ms, and a webhook's update id and outcome).

use tracing::Level;

/// The variable.
pub const LOG_LEVEL_VAR: &str = "LOG_LEVEL";

/// The level of `LOG_LEVEL`'s value: `error`, `warn` (also when unset or blank), `info` or
/// `debug`, in any case.
pub fn parse_log_level(raw: Option<&str>) -> Result<Level, String> {
    let value = raw.map(str::trim).unwrap_or("");
    match value.to_ascii_lowercase().as_str() {
        "" | "warn" | "warning" => Ok(Level::WARN),
        "error" => Ok(Level::ERROR),
        "info" => Ok(Level::INFO),
        "debug" => Ok(Level::DEBUG),
        _ => Err(format!(
            "configuration: {LOG_LEVEL_VAR}: {value:?} is not error, warn, info or debug"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_the_default_is_warn() {
        assert_eq!(parse_log_level(None), Ok(Level::WARN));
        assert_eq!(parse_log_level(Some(" ")), Ok(Level::WARN));
        assert_eq!(parse_log_level(Some("INFO")), Ok(Level::INFO));
        assert_eq!(parse_log_level(Some("debug")), Ok(Level::DEBUG));
        assert_eq!(parse_log_level(Some("error")), Ok(Level::ERROR));
        assert_eq!(
            parse_log_level(Some("verbose")),
            Err("configuration: LOG_LEVEL: \"verbose\" is not error, warn, info or debug".into())
        );
    }
}
