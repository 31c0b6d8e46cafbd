//! Logging for core and modules: [`info!`](macro@crate::info), [`warn!`](macro@crate::warn),
//! [`error!`](macro@crate::error) and [`debug!`](macro@crate::debug).
//!
//! ```
//! let user_id = 42;
//! let error = "timeout";
//! miti99bot_core::warn!(user_id, %error, attempt = 2, "trading: price lookup failed");
//! ```
//!
//! Fields come first, then the message (a string literal), as with `tracing`: `name = value`,
//! `name = %value` (its `Display`), `name = ?value` (its `Debug`), or a variable alone (`user_id`,
//! `%error`, `?change`) named after itself. A plain value is a number, a bool or a string.
//!
//! - **Natively** the macros are `tracing`'s own: the binary's subscriber prints them as before.
//! - **On wasm32** each event at INFO and above is one JSON line,
//!   `{"level":"WARN","target":"<module path>","msg":"…","user_id":42,"error":"timeout",…}`,
//!   handed to the sink the runtime installed with [`set_sink`] (the Worker's writes to the
//!   console); before one is installed, and for `debug!`, nothing is formatted. No `tracing` in
//!   the wasm, and no float formatting: a `Display` or `Debug` field is the text its impl writes.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// How severe an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Something failed.
    Error,
    /// Something is wrong but handled.
    Warn,
    /// Normal operation worth a line.
    Info,
    /// Detail (not written on wasm32).
    Debug,
}

impl Level {
    /// `ERROR`, `WARN`, `INFO` or `DEBUG` (as `tracing` names them).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "ERROR",
            Self::Warn => "WARN",
            Self::Info => "INFO",
            Self::Debug => "DEBUG",
        }
    }
}

static SINK: OnceLock<fn(Level, &str)> = OnceLock::new();

/// The most verbose level the wasm32 macros write, as `Level as u8` (Info until told).
static MAX_LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);

/// Sets the most verbose level the wasm32 macros format and hand to the sink (the Worker's
/// `LOG_LEVEL`; `Info` until set). Native builds filter with `tracing`'s `RUST_LOG` instead.
pub fn set_max_level(level: Level) {
    MAX_LEVEL.store(level as u8, Ordering::Relaxed);
}

/// Whether an event at `level` is written (the wasm32 macros ask before formatting).
pub fn enabled(level: Level) -> bool {
    level as u8 <= MAX_LEVEL.load(Ordering::Relaxed)
}

/// Installs where the wasm32 macros write their JSON lines (once; later calls are ignored).
/// Native builds log through `tracing` and never call it.
pub fn set_sink(sink: fn(Level, &str)) {
    let _ = SINK.set(sink);
}

/// The macros' support; not for direct use.
#[doc(hidden)]
pub mod __private {
    use std::fmt::Write as _;

    use super::{enabled, Level, SINK};

    #[cfg(not(target_arch = "wasm32"))]
    pub use tracing;

    /// A field value as JSON.
    pub trait Field {
        /// Appends the JSON value.
        fn write_json(&self, out: &mut String);
    }

    impl<T: Field + ?Sized> Field for &T {
        fn write_json(&self, out: &mut String) {
            (**self).write_json(out);
        }
    }

    impl Field for str {
        fn write_json(&self, out: &mut String) {
            out.push_str(&serde_json::to_string(self).unwrap_or_default());
        }
    }

    impl Field for String {
        fn write_json(&self, out: &mut String) {
            self.as_str().write_json(out);
        }
    }

    impl Field for bool {
        fn write_json(&self, out: &mut String) {
            out.push_str(if *self { "true" } else { "false" });
        }
    }

    macro_rules! integers {
        ($($t:ty),*) => {$(
            impl Field for $t {
                fn write_json(&self, out: &mut String) {
                    let _ = write!(out, "{self}");
                }
            }
        )*};
    }
    integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

    /// A `%value` field: its `Display` text as a JSON string (through `dyn`: one copy in the
    /// wasm for every field type).
    pub struct Shown<'a>(pub &'a dyn std::fmt::Display);

    impl Field for Shown<'_> {
        fn write_json(&self, out: &mut String) {
            self.0.to_string().write_json(out);
        }
    }

    /// A `?value` field: its `Debug` text as a JSON string.
    pub struct Debugged<'a>(pub &'a dyn std::fmt::Debug);

    impl Field for Debugged<'_> {
        fn write_json(&self, out: &mut String) {
            format!("{:?}", self.0).write_json(out);
        }
    }

    /// One event as a JSON line: level, target, message, then the fields in order.
    pub fn line(level: Level, target: &str, msg: &str, fields: &[(&str, &dyn Field)]) -> String {
        let mut out = String::with_capacity(96);
        out.push_str("{\"level\":\"");
        out.push_str(level.as_str());
        out.push_str("\",\"target\":");
        target.write_json(&mut out);
        out.push_str(",\"msg\":");
        msg.write_json(&mut out);
        for (name, value) in fields {
            out.push(',');
            name.write_json(&mut out);
            out.push(':');
            value.write_json(&mut out);
        }
        out.push('}');
        out
    }

    /// Formats the event and hands it to the sink, if one is installed and the level is on.
    pub fn emit(level: Level, target: &str, msg: &str, fields: &[(&str, &dyn Field)]) {
        if !enabled(level) {
            return;
        }
        if let Some(sink) = SINK.get() {
            sink(level, &line(level, target, msg, fields));
        }
    }
}

/// Builds the field list of a wasm32 event and emits it (the macros' common part; defined on
/// every target so the native tests run it).
#[doc(hidden)]
#[macro_export]
macro_rules! __log_event {
    ($level:expr, [$($out:tt)*] $msg:literal) => {
        $crate::log::__private::emit($level, ::core::module_path!(), $msg, &[$($out)*])
    };
    ($level:expr, [$($out:tt)*] $name:ident = %$value:expr, $($rest:tt)+) => {
        $crate::__log_event!($level, [$($out)* (::core::stringify!($name), &$crate::log::__private::Shown(&$value)),] $($rest)+)
    };
    ($level:expr, [$($out:tt)*] $name:ident = ?$value:expr, $($rest:tt)+) => {
        $crate::__log_event!($level, [$($out)* (::core::stringify!($name), &$crate::log::__private::Debugged(&$value)),] $($rest)+)
    };
    ($level:expr, [$($out:tt)*] $name:ident = $value:expr, $($rest:tt)+) => {
        $crate::__log_event!($level, [$($out)* (::core::stringify!($name), &$value),] $($rest)+)
    };
    ($level:expr, [$($out:tt)*] %$name:ident, $($rest:tt)+) => {
        $crate::__log_event!($level, [$($out)* (::core::stringify!($name), &$crate::log::__private::Shown(&$name)),] $($rest)+)
    };
    ($level:expr, [$($out:tt)*] ?$name:ident, $($rest:tt)+) => {
        $crate::__log_event!($level, [$($out)* (::core::stringify!($name), &$crate::log::__private::Debugged(&$name)),] $($rest)+)
    };
    ($level:expr, [$($out:tt)*] $name:ident, $($rest:tt)+) => {
        $crate::__log_event!($level, [$($out)* (::core::stringify!($name), &$name),] $($rest)+)
    };
}

/// Logs an error: `error!(field = value, %shown, "message")` ([`log`](crate::log)).
#[cfg(target_arch = "wasm32")]
#[macro_export]
macro_rules! error {
    ($($t:tt)+) => { $crate::__log_event!($crate::log::Level::Error, [] $($t)+) };
}

/// Logs a warning: `warn!(field = value, %shown, "message")` ([`log`](crate::log)).
#[cfg(target_arch = "wasm32")]
#[macro_export]
macro_rules! warn {
    ($($t:tt)+) => { $crate::__log_event!($crate::log::Level::Warn, [] $($t)+) };
}

/// Logs information: `info!(field = value, %shown, "message")` ([`log`](crate::log)).
#[cfg(target_arch = "wasm32")]
#[macro_export]
macro_rules! info {
    ($($t:tt)+) => { $crate::__log_event!($crate::log::Level::Info, [] $($t)+) };
}

/// Logs detail: `debug!(field = value, %shown, "message")` ([`log`](crate::log)); on wasm32
/// only type-checked, never written.
#[cfg(target_arch = "wasm32")]
#[macro_export]
macro_rules! debug {
    ($($t:tt)+) => {
        if false {
            $crate::__log_event!($crate::log::Level::Debug, [] $($t)+)
        }
    };
}

/// Logs an error: `error!(field = value, %shown, "message")` ([`log`](crate::log)).
#[cfg(not(target_arch = "wasm32"))]
#[macro_export]
macro_rules! error {
    ($($t:tt)+) => { $crate::log::__private::tracing::error!($($t)+) };
}

/// Logs a warning: `warn!(field = value, %shown, "message")` ([`log`](crate::log)).
#[cfg(not(target_arch = "wasm32"))]
#[macro_export]
macro_rules! warn {
    ($($t:tt)+) => { $crate::log::__private::tracing::warn!($($t)+) };
}

/// Logs information: `info!(field = value, %shown, "message")` ([`log`](crate::log)).
#[cfg(not(target_arch = "wasm32"))]
#[macro_export]
macro_rules! info {
    ($($t:tt)+) => { $crate::log::__private::tracing::info!($($t)+) };
}

/// Logs detail: `debug!(field = value, %shown, "message")` ([`log`](crate::log)); on wasm32
/// only type-checked, never written.
#[cfg(not(target_arch = "wasm32"))]
#[macro_export]
macro_rules! debug {
    ($($t:tt)+) => { $crate::log::__private::tracing::debug!($($t)+) };
}

#[cfg(test)]
mod tests {
    use super::__private::{line, Debugged, Shown};
    use super::Level;

    #[test]
    fn the_max_level_gates_events() {
        super::set_max_level(Level::Warn);
        assert!(super::enabled(Level::Error) && super::enabled(Level::Warn));
        assert!(!super::enabled(Level::Info));
        super::set_max_level(Level::Info);
        assert!(super::enabled(Level::Info) && !super::enabled(Level::Debug));
    }

    #[test]
    fn one_json_line_in_order() {
        let error = std::io::Error::other("bad \"quote\"\n");
        let line = line(
            Level::Warn,
            "miti99bot_modules::trading",
            "price lookup failed",
            &[
                ("user_id", &-42i64),
                ("symbol", &"VNM"),
                ("error", &Shown(&error)),
                ("change", &Debugged(&Some(3))),
                ("ok", &true),
                ("count", &7usize),
            ],
        );
        assert_eq!(
            line,
            r#"{"level":"WARN","target":"miti99bot_modules::trading","msg":"price lookup failed","user_id":-42,"symbol":"VNM","error":"bad \"quote\"\n","change":"Some(3)","ok":true,"count":7}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["error"], "bad \"quote\"\n");
    }

    #[test]
    fn macros_take_tracing_field_syntax() {
        // Natively these are tracing's macros; this checks the call forms compile and run.
        let update_id = 5i64;
        let error = "x";
        let change = Some(1);
        crate::info!(update_id, "plain");
        crate::warn!(%error, ?change, attempt = 2, shown = %error, debugged = ?change, "mixed");
        crate::error!(update_id = update_id + 1, "computed");
        crate::debug!(data = ?change, "debug");
        crate::info!("message only");
    }

    static LINES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

    fn capture(level: Level, line: &str) {
        LINES.lock().unwrap().push(format!("{} {line}", level.as_str()));
    }

    #[test]
    fn wasm_event_macro_writes_the_line_to_the_sink() {
        super::set_sink(capture);
        let update_id = 7i64;
        let symbol = "VNM";
        let error = std::fmt::Error;
        let change = (1, "a");
        crate::__log_event!(Level::Error, [] update_id, symbol, %error, ?change, n = update_id * 2, shown = %symbol, debugged = ?symbol, "handler failed");
        crate::__log_event!(Level::Info, [] "message only");
        let lines = LINES.lock().unwrap();
        assert_eq!(
            lines[..],
            [
                r#"ERROR {"level":"ERROR","target":"miti99bot_core::log::tests","msg":"handler failed","update_id":7,"symbol":"VNM","error":"an error occurred when formatting an argument","change":"(1, \"a\")","n":14,"shown":"VNM","debugged":"\"VNM\""}"#,
                r#"INFO {"level":"INFO","target":"miti99bot_core::log::tests","msg":"message only"}"#,
            ]
        );
    }
}
