//! `tracing` events as one JSON line each on the Workers console (`wrangler tail`, dashboard).

use std::sync::atomic::{AtomicU8, Ordering};

use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{span, Event, Level, Metadata, Subscriber};
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

/// Installs the console subscriber for this isolate (later calls are no-ops); it writes
/// warnings and errors until [`set_level`] says otherwise.
pub fn install() {
    let _ = tracing::subscriber::set_global_default(ConsoleSubscriber);
}

/// The most verbose level written (`LOG_LEVEL`, read when the bot starts).
static MAX_LEVEL: AtomicU8 = AtomicU8::new(rank(Level::WARN));

const fn rank(level: Level) -> u8 {
    match level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Writes events at `level` and above from now on.
pub fn set_level(level: Level) {
    MAX_LEVEL.store(rank(level), Ordering::Relaxed);
}

/// Writes events at the current level and above to the console, as JSON objects.
struct ConsoleSubscriber;

struct JsonFields(serde_json::Map<String, serde_json::Value>);

impl Visit for JsonFields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let name = if field.name() == "message" { "msg" } else { field.name() };
        self.0.insert(name.to_owned(), format!("{value:?}").into());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        let name = if field.name() == "message" { "msg" } else { field.name() };
        self.0.insert(name.to_owned(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        // serde_json's number, not `{:?}` (Rust's float formatting costs ~15 KB of wasm).
        let number = serde_json::Number::from_f64(value).map_or(serde_json::Value::Null, serde_json::Value::Number);
        self.0.insert(field.name().to_owned(), number);
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.0.insert(field.name().to_owned(), value.to_string().into());
    }
}

impl Subscriber for ConsoleSubscriber {
    fn register_callsite(&self, _metadata: &'static Metadata<'static>) -> Interest {
        // Asked again at every event: the level can change after a callsite is first seen.
        Interest::sometimes()
    }
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        rank(*metadata.level()) <= MAX_LEVEL.load(Ordering::Relaxed)
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::DEBUG)
    }
    fn new_span(&self, _span: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }
    fn record(&self, _span: &span::Id, _values: &span::Record<'_>) {}
    fn record_follows_from(&self, _span: &span::Id, _follows: &span::Id) {}
    fn event(&self, event: &Event<'_>) {
        let level = *event.metadata().level();
        let mut fields = JsonFields(serde_json::Map::new());
        fields.0.insert("level".into(), level.as_str().into());
        fields.0.insert("target".into(), event.metadata().target().into());
        event.record(&mut fields);
        // `to_string` (a Vec writer, as for request bodies), not Value's `Display` (a second
        // serializer instance over a formatter adapter in the wasm); the same compact JSON.
        let line = serde_json::to_string(&serde_json::Value::Object(fields.0)).unwrap_or_default();
        if level == Level::ERROR {
            console_error(&line);
        } else if level == Level::WARN {
            console_warn(&line);
        } else {
            console_log(&line);
        }
    }
    fn enter(&self, _span: &span::Id) {}
    fn exit(&self, _span: &span::Id) {}
}
