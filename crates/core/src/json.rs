//! The one way the framework reads JSON text into a type: bytes → [`serde_json::Value`] → `T`.
//! Updates and Bot API answers decode through `Value` already, so reading everything else the
//! same way (callback data, KV values, SQL rows, a price API's body) keeps one copy of each
//! type's deserializer in the Worker's wasm instead of two.
//!
//! `Value` → `T` is the framework's own deserializer ([`from_value`]), not
//! `serde_json::from_value`: it reads the same JSON the same way, and its errors never format
//! a float, which keeps core's float printing out of the Worker's wasm (see
//! `value_deserializer`).

mod value_deserializer;

use serde::de::DeserializeOwned;

use self::value_deserializer::ValueDeserializer;

/// `T` from JSON text, through [`serde_json::Value`].
///
/// ```
/// let pair: (u8, String) = miti99bot_core::json::from_slice(br#"[1, "a"]"#).unwrap();
/// assert_eq!(pair, (1, "a".to_owned()));
/// assert!(miti99bot_core::json::from_slice::<u8>(b"300").is_err());
/// ```
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> serde_json::Result<T> {
    serde_json::from_slice::<serde_json::Value>(json).and_then(from_value)
}

/// `T` from a [`serde_json::Value`], as `serde_json::from_value` reads it (externally tagged
/// enums, `null` as `None`, map keys parsed as the integer a key type asks for).
///
/// ```
/// use std::collections::BTreeMap;
///
/// let value = serde_json::json!({"1": "one", "2": "two"});
/// let map: BTreeMap<u8, String> = miti99bot_core::json::from_value(value).unwrap();
/// assert_eq!(map[&2], "two");
/// let error = miti99bot_core::json::from_value::<u8>(serde_json::json!(2.5)).unwrap_err();
/// assert_eq!(error.to_string(), "invalid type: floating point number, expected u8");
/// ```
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> serde_json::Result<T> {
    T::deserialize(ValueDeserializer(value)).map_err(<serde_json::Error as serde::de::Error>::custom)
}
