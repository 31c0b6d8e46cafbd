//! The one way the framework reads JSON text into a type: bytes → [`serde_json::Value`] → `T`.
//! Updates and Bot API answers decode through `Value` already, so reading everything else the
//! same way (callback data, KV values, a price API's body) keeps one copy of each type's
//! deserializer in the Worker's wasm instead of two.

use serde::de::DeserializeOwned;

/// `T` from JSON text, through [`serde_json::Value`].
///
/// ```
/// let pair: (u8, String) = miti99bot_core::json::from_slice(br#"[1, "a"]"#).unwrap();
/// assert_eq!(pair, (1, "a".to_owned()));
/// assert!(miti99bot_core::json::from_slice::<u8>(b"300").is_err());
/// ```
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> serde_json::Result<T> {
    serde_json::from_slice::<serde_json::Value>(json).and_then(serde_json::from_value)
}
