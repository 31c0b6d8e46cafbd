//! A [`serde::Deserializer`] over an owned [`serde_json::Value`], for
//! [`json::from_value`](super::from_value).
//!
//! It reads a value the way `serde_json::from_value` does (externally tagged enums, `null` as
//! `None` and as `()`, map keys that parse as the integer or bool a key type asks for), with an
//! error type of its own. That error describes what it found in words of its own instead of
//! through [`Unexpected`]'s `Display`, whose arm for floats formats an `f64`: on the Worker
//! that arm alone linked core's float printing (`<f64 as Display>`, its Grisu and Dragon
//! tables) into the wasm, though no error message ever printed a float.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess, SeqAccess, Unexpected, VariantAccess,
    Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Number, Value};

/// Why a value did not fit the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValueError(String);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

impl de::Error for ValueError {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }

    #[cold]
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self(format!("invalid type: {}, expected {expected}", Found(unexpected)))
    }

    #[cold]
    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self(format!("invalid value: {}, expected {expected}", Found(unexpected)))
    }
}

/// What was found, as serde_json words it, except that a float is not printed (see the module
/// docs).
struct Found<'a>(Unexpected<'a>);

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(f, "integer `{n}`"),
            Unexpected::Signed(n) => write!(f, "integer `{n}`"),
            Unexpected::Float(_) => f.write_str("floating point number"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

/// The deserializer: one value, consumed.
pub(crate) struct ValueDeserializer(pub(crate) Value);

fn visit_number<'de, V: Visitor<'de>>(number: &Number, visitor: V) -> Result<V::Value, ValueError> {
    if let Some(n) = number.as_u64() {
        visitor.visit_u64(n)
    } else if let Some(n) = number.as_i64() {
        visitor.visit_i64(n)
    } else {
        // A JSON number is an integer or a finite float.
        visitor.visit_f64(number.as_f64().unwrap_or(f64::NAN))
    }
}

/// `value` is not of the type `expected` (not generic: one copy for every visitor).
#[cold]
fn mismatch(value: &Value, expected: &dyn Expected) -> ValueError {
    de::Error::invalid_type(unexpected(value), expected)
}

/// A `deserialize_*` for a number: only a JSON number is one.
macro_rules! number {
    ($($deserialize:ident)*) => {
        $(fn $deserialize<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            match self.0 {
                Value::Number(n) => visit_number(&n, visitor),
                other => Err(mismatch(&other, &visitor)),
            }
        })*
    };
}

/// A `deserialize_*` for text: only a JSON string is text.
macro_rules! text {
    ($($deserialize:ident)*) => {
        $(fn $deserialize<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            match self.0 {
                Value::String(s) => visitor.visit_string(s),
                other => Err(mismatch(&other, &visitor)),
            }
        })*
    };
}

/// A `deserialize_*` for a sequence: only a JSON array is one.
macro_rules! sequence {
    ($($deserialize:ident($($arg:ident: $ty:ty),*))*) => {
        $(fn $deserialize<V: Visitor<'de>>(self, $(_: $ty,)* visitor: V) -> Result<V::Value, ValueError> {
            match self.0 {
                Value::Array(items) => visit_array(items, visitor),
                other => Err(mismatch(&other, &visitor)),
            }
        })*
    };
}

// Each type asks for what it takes (`deserialize_struct`, `deserialize_u64`, ...) and gets only
// the arms for that JSON: a visitor's other `visit_*` methods, which only build errors, are not
// called, so no copy of them is made per type (the wasm's size; serde_json's own `Value`
// deserializer is written the same way).
impl<'de> de::Deserializer<'de> for ValueDeserializer {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => visit_number(&n, visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(map) => visit_object(map, visitor),
        }
    }

    number! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    text! { deserialize_char deserialize_str deserialize_string deserialize_identifier }

    sequence! { deserialize_seq() deserialize_tuple(len: usize) deserialize_tuple_struct(name: &'static str, len: usize) }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(b),
            other => Err(mismatch(&other, &visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            other => Err(mismatch(&other, &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Object(map) => visit_object(map, visitor),
            other => Err(mismatch(&other, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Object(map) => visit_object(map, visitor),
            Value::Array(items) => visit_array(items, visitor),
            other => Err(mismatch(&other, &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(ValueDeserializer(value)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        match self.0 {
            Value::String(variant) => visitor.visit_enum(Variant { variant, content: None }),
            Value::Object(map) => {
                let mut entries = map.into_iter();
                match (entries.next(), entries.next()) {
                    (Some((variant, content)), None) => visitor.visit_enum(Variant {
                        variant,
                        content: Some(content),
                    }),
                    _ => Err(de::Error::invalid_value(Unexpected::Map, &"map with a single key")),
                }
            }
            other => Err(mismatch(&other, &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! { bytes byte_buf }
}

impl<'de> IntoDeserializer<'de, ValueError> for ValueDeserializer {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// How serde names `value`'s kind in an error.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(n), _) => Unexpected::Unsigned(n),
            (None, Some(n)) => Unexpected::Signed(n),
            (None, None) => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V) -> Result<V::Value, ValueError> {
    let len = items.len();
    let mut seq = Items(items.into_iter());
    let value = visitor.visit_seq(&mut seq)?;
    if seq.0.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

fn visit_object<'de, V: Visitor<'de>>(map: Map<String, Value>, visitor: V) -> Result<V::Value, ValueError> {
    let len = map.len();
    let mut entries = Entries {
        entries: map.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut entries)?;
    if entries.entries.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

/// An array's elements.
struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = ValueError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ValueError> {
        match self.0.next() {
            Some(value) => seed.deserialize(ValueDeserializer(value)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's members; `value` is the one whose key was just read.
struct Entries {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = ValueError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ValueError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(KeyDeserializer(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ValueError> {
        match self.value.take() {
            Some(value) => seed.deserialize(ValueDeserializer(value)),
            None => Err(de::Error::custom("a map value was asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An object's key: a string, or the integer or bool it spells when the key type asks for one
/// (`BTreeMap<i64, _>` from `{"1": …}`), as serde_json reads keys.
struct KeyDeserializer(String);

impl KeyDeserializer {
    /// The key as the integer it spells, visited as serde_json visits a number (so the
    /// visitor checks its own range).
    fn visit_integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        if let Ok(n) = self.0.parse::<u64>() {
            visitor.visit_u64(n)
        } else if let Ok(n) = self.0.parse::<i64>() {
            visitor.visit_i64(n)
        } else {
            Err(de::Error::invalid_value(Unexpected::Str(&self.0), &visitor))
        }
    }
}

macro_rules! integer_key {
    ($($deserialize:ident)*) => {
        $(fn $deserialize<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            self.visit_integer(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for KeyDeserializer {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_string(self.0)
    }

    integer_key! { deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0.as_str() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => visitor.visit_string(self.0),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_enum(Variant {
            variant: self.0,
            content: None,
        })
    }

    forward_to_deserialize_any! {
        i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        struct identifier ignored_any
    }
}

/// An enum: the variant's name and, unless it is a unit variant written as a bare string, its
/// content.
struct Variant {
    variant: String,
    content: Option<Value>,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = ValueError;
    type Variant = Content;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Content), ValueError> {
        let variant = seed.deserialize(self.variant.into_deserializer())?;
        Ok((variant, Content(self.content)))
    }
}

/// A variant's content (`None`: a bare string, a unit variant).
struct Content(Option<Value>);

impl Content {
    fn value(self, expected: &dyn Expected) -> Result<ValueDeserializer, ValueError> {
        match self.0 {
            Some(value) => Ok(ValueDeserializer(value)),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, expected)),
        }
    }
}

impl<'de> VariantAccess<'de> for Content {
    type Error = ValueError;

    fn unit_variant(self) -> Result<(), ValueError> {
        match self.0 {
            None => Ok(()),
            Some(value) => <() as de::Deserialize>::deserialize(ValueDeserializer(value)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ValueError> {
        seed.deserialize(self.value(&"newtype variant")?)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, ValueError> {
        de::Deserializer::deserialize_seq(self.value(&"tuple variant")?, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        de::Deserializer::deserialize_map(self.value(&"struct variant")?, visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::de::DeserializeOwned;
    use serde::Deserialize;
    use serde_json::{json, Value};

    use super::ValueDeserializer;

    /// Ours reads `value` as serde_json does: the same `T`, or an error with the same message
    /// (floats aside: ours does not print them).
    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(value: Value) -> Result<T, String> {
        let ours = T::deserialize(ValueDeserializer(value.clone())).map_err(|e| e.to_string());
        let theirs = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string());
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{value}"),
            // serde_json has no word on what a key that is no number was.
            (Err(a), Err(b)) if b == "invalid value: expected key to be a number in quotes" => {
                assert!(a.starts_with("invalid value: string "), "{value}: {a}");
            }
            (Err(a), Err(b)) if b.contains("floating point `") => {
                assert!(a.contains("floating point number"), "{value}: {a} vs {b}");
            }
            // serde_json places a map key's error at a line and column of the key's text.
            (Err(a), Err(b)) => assert_eq!(a, b.split(" at line ").next().unwrap_or(b), "{value}"),
            _ => panic!("{value}: ours {ours:?}, serde_json {theirs:?}"),
        }
        ours
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Row {
        id: i64,
        #[serde(rename = "n")]
        name: String,
        #[serde(default)]
        tags: Vec<String>,
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
    enum Side {
        Buy,
        Sell(u32),
        Swap(u8, u8),
        Limit { price: i64 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Tagged {
        Text { text: String },
        Empty,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(i64),
        Word(String),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        kind: u8,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Meters(f64);

    #[derive(Debug, PartialEq, Deserialize)]
    struct Unit;

    #[test]
    fn structs_read_as_serde_json_reads_them() {
        let row = same::<Row>(json!({"id": 7, "n": "a", "note": null, "extra": [1]})).unwrap();
        assert_eq!(row.name, "a");
        same::<Row>(json!({"id": 7, "n": "a", "tags": ["x", "y"], "note": "b"})).unwrap();
        same::<Row>(json!([7, "a", ["x"], null])).unwrap();
        assert!(same::<Row>(json!({"n": "a"})).is_err());
        assert!(same::<Row>(json!({"id": "7", "n": "a"})).is_err());
        assert!(same::<Row>(json!({"id": 7.5, "n": "a"})).is_err());
        assert!(same::<Row>(json!([7, "a", [], null, 1])).is_err());
        assert!(same::<Row>(json!("row")).is_err());
        same::<Outer>(json!({"kind": 1, "a": true, "b": [null]})).unwrap();
        same::<Meters>(json!(2.5)).unwrap();
        same::<Meters>(json!(3)).unwrap();
        same::<Unit>(json!(null)).unwrap();
        same::<()>(json!(null)).unwrap();
        assert!(same::<()>(json!(0)).is_err());
    }

    #[test]
    fn enums_read_as_serde_json_reads_them() {
        assert_eq!(same::<Side>(json!("Buy")), Ok(Side::Buy));
        assert_eq!(same::<Side>(json!({"Sell": 3})), Ok(Side::Sell(3)));
        assert_eq!(same::<Side>(json!({"Swap": [1, 2]})), Ok(Side::Swap(1, 2)));
        assert_eq!(
            same::<Side>(json!({"Limit": {"price": -5}})),
            Ok(Side::Limit { price: -5 })
        );
        assert_eq!(same::<Side>(json!({"Buy": null})), Ok(Side::Buy));
        for bad in [
            json!("Hold"),
            json!({"Sell": 3, "Buy": null}),
            json!({}),
            json!("Sell"),
            json!({"Buy": 1}),
            json!(5),
        ] {
            assert!(same::<Side>(bad).is_err());
        }
        same::<Tagged>(json!({"type": "text", "text": "hi"})).unwrap();
        same::<Tagged>(json!({"type": "empty"})).unwrap();
        assert!(same::<Tagged>(json!({"type": "other"})).is_err());
        assert_eq!(same::<Either>(json!(4)), Ok(Either::Number(4)));
        assert_eq!(same::<Either>(json!("four")), Ok(Either::Word("four".into())));
        assert!(same::<Either>(json!(4.5)).is_err());
    }

    #[test]
    fn numbers_and_their_ranges() {
        same::<u8>(json!(255)).unwrap();
        assert!(same::<u8>(json!(256)).is_err());
        assert!(same::<u64>(json!(-1)).is_err());
        same::<i64>(json!(i64::MIN)).unwrap();
        same::<u64>(json!(u64::MAX)).unwrap();
        assert!(same::<i64>(json!(u64::MAX)).is_err());
        assert!(same::<i32>(json!(1.0)).is_err());
        assert_eq!(same::<f64>(json!(-7)), Ok(-7.0));
        same::<f32>(json!(0.25)).unwrap();
        same::<bool>(json!(true)).unwrap();
        assert!(same::<bool>(json!("true")).is_err());
        same::<char>(json!("x")).unwrap();
        assert!(same::<char>(json!("xy")).is_err());
        same::<String>(json!("text")).unwrap();
        assert!(same::<String>(json!(["text"])).is_err());
        assert_eq!(same::<Option<u8>>(json!(null)), Ok(None));
        assert_eq!(same::<Option<u8>>(json!(1)), Ok(Some(1)));
    }

    #[test]
    fn collections_and_map_keys() {
        same::<Vec<Option<i64>>>(json!([1, null, -3])).unwrap();
        same::<(u8, String, bool)>(json!([1, "a", false])).unwrap();
        assert!(same::<(u8, String)>(json!([1, "a", false])).is_err());
        assert!(same::<(u8, String)>(json!([1])).is_err());
        same::<HashMap<String, i64>>(json!({"VNM": 100, "FPT": 5})).unwrap();
        assert_eq!(
            same::<BTreeMap<i64, String>>(json!({"-1": "a", "2": "b"}))
                .unwrap()
                .len(),
            2
        );
        same::<BTreeMap<u8, bool>>(json!({"1": true})).unwrap();
        assert!(same::<BTreeMap<u8, bool>>(json!({"300": true})).is_err());
        assert!(same::<BTreeMap<u8, bool>>(json!({"one": true})).is_err());
        same::<BTreeMap<bool, u8>>(json!({"true": 1, "false": 0})).unwrap();
        assert!(same::<BTreeMap<bool, u8>>(json!({"yes": 1})).is_err());
        assert_eq!(same::<BTreeMap<Side, u8>>(json!({"Buy": 1})).unwrap().len(), 1);
        same::<Value>(json!({"a": [1, 2.5, "x", null, {"b": false}]})).unwrap();
    }
}
