//! The Worker's random source: `crypto.getRandomValues` (Web Crypto, in every isolate).

use miti99bot_core::Random;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `crypto.getRandomValues(buffer)`: fills the buffer (wasm-bindgen copies it back).
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buffer: &mut [u8]);
}

/// Eight bytes from `crypto.getRandomValues` per number.
#[derive(Debug, Clone, Copy, Default)]
pub struct CryptoRandom;

impl Random for CryptoRandom {
    fn next_u64(&self) -> u64 {
        let mut bytes = [0u8; 8];
        get_random_values(&mut bytes);
        u64::from_le_bytes(bytes)
    }
}
