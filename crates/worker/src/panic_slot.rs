//! Telling the JS entry which request a panic belongs to.
//!
//! On wasm32 a panic aborts: the request's future never completes and Rust cannot answer it.
//! The entry (`crates/worker/js/entry.mjs`) tags each webhook request with a slot number (the
//! [`SLOT_HEADER`] header, set by the entry itself); the webhook polls its update inside
//! [`InSlot`], which marks the slot as current while it runs; the panic hook, installed at start,
//! calls `globalThis.__miti99botPanicked(slot)` before the abort, and the entry answers that one
//! request 200 (as natively: the handler may have applied part of the update). Other requests
//! in flight are left alone.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use wasm_bindgen::JsValue;

/// The header the entry puts the request's slot in (any value a client sent is replaced).
pub const SLOT_HEADER: &str = "x-miti99bot-slot";

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

/// Chains a panic hook that reports the current slot to the entry, then runs the previous hook.
pub fn install_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Some(slot) = CURRENT.with(Cell::get) {
            report(slot);
        }
        previous(info);
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
