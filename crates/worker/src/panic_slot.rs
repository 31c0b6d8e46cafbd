//! Telling the JS entry which request a panic belongs to.
//!
//! On wasm32 a panic aborts: the request's future never completes and Rust cannot answer it.
//! The entry (`crates/worker/js/entry.mjs`) gives each request a slot number (an argument of the
//! exported `fetch`); the webhook polls its update inside [`InSlot`], which marks the slot as
//! current while it runs; the panic hook, installed at start, logs the panic, asks wasm-bindgen's
//! glue for a fresh instance at the next call (the aborted one is poisoned), and calls
//! `globalThis.__miti99botPanicked(slot)` before the abort. The entry answers that one request
//! 200 (as natively: the handler may have applied part of the update). Other requests in flight
//! are left alone.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use wasm_bindgen::JsValue;

thread_local! {
    static CURRENT: Cell<Option<u32>> = const { Cell::new(None) };
}

/// `inner`, with `slot` marked as current while it is polled.
pub struct InSlot<F> {
    slot: Option<u32>,
    inner: Pin<Box<F>>,
}

impl<F: Future> InSlot<F> {
    /// Wraps `inner` for the request in `slot` (none: nothing is marked).
    pub fn new(slot: Option<u32>, inner: F) -> Self {
        Self {
            slot,
            inner: Box::pin(inner),
        }
    }
}

impl<F: Future> Future for InSlot<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let previous = CURRENT.with(|current| current.replace(self.slot));
        let polled = self.inner.as_mut().poll(cx);
        CURRENT.with(|current| current.set(previous));
        polled
    }
}

/// Installs the panic hook: one JSON error line on the console, a fresh instance for the next
/// call, and the current slot (if any) reported to the entry.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let line = serde_json::json!({ "level": "ERROR", "msg": "panic", "panic": info.to_string() });
        crate::console_log::console_error(&serde_json::to_string(&line).unwrap_or_default());
        wasm_bindgen::handler::schedule_reinit();
        if let Some(slot) = CURRENT.with(Cell::get) {
            report(slot);
        }
    }));
}

fn report(slot: u32) {
    let global = js_sys::global();
    let Ok(callback) = js_sys::Reflect::get(&global, &JsValue::from_str("__miti99botPanicked")) else {
        return;
    };
    if let Some(callback) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&callback) {
        let _ = callback.call1(&JsValue::NULL, &JsValue::from(slot));
    }
}
