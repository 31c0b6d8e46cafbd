//! Reading the Bot API's JSON (updates and method results) into this module's types.
//!
//! Written by hand over [`serde_json::Value`] instead of derived with serde: the derive emits a
//! field visitor, a map visitor and an `Option` deserializer per type, which made these few
//! types about 25 KB of the Worker's wasm; this reader is one small function per type. Fields
//! it does not know are ignored, as Telegram adds new ones; a field that is absent or `null`
//! takes its default (`None`, `0`, `false`, `""`), and only the fields without one (an
//! update's id, a message's chat, a user's id...) are required.
//!
//! The types still implement [`serde::Deserialize`] (through this reader), so
//! `serde_json::from_str::<Update>` works for module authors and tests.

use serde_json::{Map, Value};

/// Why JSON is not the Bot API type asked for: where (a dotted path) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    path: String,
    expected: &'static str,
}

impl DecodeError {
    fn new(expected: &'static str) -> Self {
        Self {
            path: String::new(),
            expected,
        }
    }

    /// The same error, one level further out: under `key`.
    fn under(mut self, key: &str) -> Self {
        self.path = if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{key}.{}", self.path)
        };
        self
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "expected {}", self.expected)
        } else {
            write!(f, "{}: expected {}", self.path, self.expected)
        }
    }
}

impl std::error::Error for DecodeError {}

/// A Bot API type read from JSON (updates, method results). Unknown fields are ignored; a field
/// that is absent or `null` takes its default (`None`, `0`, `false`, `""`), and only fields
/// without one (an update's id, a message's chat, a user's id...) are required. The types also
/// implement `serde::Deserialize`, through this reader.
pub trait FromJson: Sized {
    /// `value` as `Self`.
    fn from_json(value: Value) -> Result<Self, DecodeError>;
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        Ok(value)
    }
}

impl FromJson for i64 {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        value.as_i64().ok_or(DecodeError::new("a whole number within 64 bits"))
    }
}

impl FromJson for usize {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or(DecodeError::new("a whole number, not negative"))
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        value.as_bool().ok_or(DecodeError::new("true or false"))
    }
}

impl FromJson for String {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::String(text) => Ok(text),
            _ => Err(DecodeError::new("a string")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let Value::Array(items) = value else {
            return Err(DecodeError::new("an array"));
        };
        // A loop, not `collect::<Result<_, _>>()`: the adapter that collect needs measured
        // 3.7 KB of wasm for the few `Vec`s read here.
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            out.push(T::from_json(item).map_err(|e| e.under(&i.to_string()))?);
        }
        Ok(out)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        T::from_json(value).map(Box::new)
    }
}

/// The fields of a JSON object, taken out one by one.
///
/// A reader takes every field, then [`finish`](Self::finish)es with the value built from them,
/// which is the first error instead when a field did not read. No `?` per field: each early
/// return would drop the fields read so far, and that drop code per return point was most of
/// a reader's size.
pub(crate) struct Fields {
    map: Map<String, Value>,
    error: Option<DecodeError>,
}

impl Fields {
    /// `value`'s fields; any other JSON is an error.
    pub(crate) fn of(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Object(map) => Ok(Self { map, error: None }),
            _ => Err(DecodeError::new("an object")),
        }
    }

    /// The value of `key`, left `null` in the map (cheaper than removing it: a `BTreeMap`'s
    /// removal is its rebalancing code, kilobytes of wasm); absent or `null` is `None`, and so
    /// is every field after an error.
    #[inline(never)]
    fn take(&mut self, key: &str) -> Option<Value> {
        if self.error.is_some() {
            return None;
        }
        match self.map.get_mut(key).map(Value::take) {
            None | Some(Value::Null) => None,
            value => value,
        }
    }

    /// Keeps the first error.
    #[inline(never)]
    fn fail(&mut self, error: DecodeError, key: &str) {
        if self.error.is_none() {
            self.error = Some(error.under(key));
        }
    }

    /// The field `key`, absent or `null` being `None`.
    pub(crate) fn optional<T: FromJson>(&mut self, key: &str) -> Option<T> {
        match T::from_json(self.take(key)?) {
            Ok(value) => Some(value),
            Err(error) => {
                self.fail(error, key);
                None
            }
        }
    }

    /// The field `key`, which must be there (its default stands in until `finish` reports it).
    pub(crate) fn required<T: FromJson + Default>(&mut self, key: &str) -> T {
        self.optional(key).unwrap_or_else(|| {
            self.fail(DecodeError::new("a value"), key);
            T::default()
        })
    }

    /// The field `key`, absent or `null` being `T`'s default.
    pub(crate) fn or_default<T: FromJson + Default>(&mut self, key: &str) -> T {
        self.optional(key).unwrap_or_default()
    }

    /// `value`, built from the fields taken, or the first field's error.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, DecodeError> {
        match self.error {
            None => Ok(value),
            Some(error) => Err(error),
        }
    }
}

/// `impl Deserialize` for types that implement [`FromJson`]: JSON into a `Value`, then the
/// reader. Instantiated only for the deserializers a caller uses.
macro_rules! deserialize_through_from_json {
    ($($t:ty),+ $(,)?) => {$(
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                <$t as $crate::telegram::FromJson>::from_json(value).map_err(::serde::de::Error::custom)
            }
        }
    )+};
}
pub(crate) use deserialize_through_from_json;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn primitives_take_only_their_own_json() {
        assert_eq!(i64::from_json(json!(-7)), Ok(-7));
        assert_eq!(i64::from_json(json!(9_223_372_036_854_775_807_i64)), Ok(i64::MAX));
        for not_i64 in [
            json!(18_446_744_073_709_551_615_u64),
            json!(1.5),
            json!(5.0),
            json!("5"),
            json!(null),
        ] {
            assert!(i64::from_json(not_i64.clone()).is_err(), "{not_i64}");
        }
        assert_eq!(usize::from_json(json!(3)), Ok(3));
        assert!(usize::from_json(json!(-1)).is_err());
        assert_eq!(bool::from_json(json!(true)), Ok(true));
        assert!(bool::from_json(json!(1)).is_err());
        assert_eq!(String::from_json(json!("a")), Ok("a".to_owned()));
        assert!(String::from_json(json!(["a"])).is_err());
        assert_eq!(Vec::<i64>::from_json(json!([1, 2])), Ok(vec![1, 2]));
    }

    #[test]
    fn fields_default_what_is_absent_or_null_and_require_the_rest() {
        let mut fields = Fields::of(json!({ "a": 1, "b": null, "c": "x" })).unwrap();
        assert_eq!(fields.required::<i64>("a"), 1);
        assert_eq!(fields.optional::<i64>("b"), None);
        assert_eq!(fields.or_default::<i64>("missing"), 0);
        assert_eq!(fields.finish("built"), Ok("built"));

        let mut fields = Fields::of(json!({ "c": "x" })).unwrap();
        assert_eq!(fields.required::<i64>("gone"), 0);
        assert_eq!(fields.required::<i64>("c"), 0);
        assert_eq!(fields.finish(()).unwrap_err().to_string(), "gone: expected a value");

        let mut fields = Fields::of(json!({ "c": "x", "d": 1 })).unwrap();
        assert_eq!(fields.optional::<i64>("c"), None);
        assert_eq!(fields.optional::<i64>("d"), None, "nothing is read after an error");
        assert_eq!(
            fields.finish(()).unwrap_err().to_string(),
            "c: expected a whole number within 64 bits"
        );
        assert!(Fields::of(json!([1])).is_err());
    }

    #[test]
    fn an_error_names_the_path_to_the_bad_field() {
        let error = Vec::<Vec<i64>>::from_json(json!([[1], [2, "x"]])).unwrap_err();
        assert_eq!(error.to_string(), "1.1: expected a whole number within 64 bits");
        assert_eq!(DecodeError::new("an object").to_string(), "expected an object");
    }
}
