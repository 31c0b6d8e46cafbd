//! The compact payload encoding of callback data: a struct or tuple is written as its fields'
//! JSON values in declaration order, comma-separated, without field names or brackets
//! (`Page { n: 2, older: true }` → `2,true`); anything else is its JSON (`"older"`, `5`).
//!
//! Decoding tries the payload as the elements of a JSON array first (derived `Deserialize`
//! of a struct or tuple accepts a sequence of its fields in order), then as JSON itself.
//! A payload written by another version of the type (a field added, removed or retyped) fails
//! to decode: the press is answered as stale, never applied to the wrong fields.

use serde::de::DeserializeOwned;
use serde::ser::{self, Impossible, Serialize};

/// Why a value cannot be written as callback data.
#[derive(Debug)]
pub(crate) struct EncodeError(pub(crate) String);

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

impl From<serde_json::Error> for EncodeError {
    fn from(error: serde_json::Error) -> Self {
        Self(error.to_string())
    }
}

/// Writes `value` compactly (see the [module docs](self)).
pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, EncodeError> {
    value.serialize(Top)
}

/// Reads a payload [`encode`] wrote; `None` when it does not fit `T`.
pub(crate) fn decode<T: DeserializeOwned>(payload: &str) -> Option<T> {
    if payload.is_empty() {
        return from_json(b"null").or_else(|| from_json(b"[]"));
    }
    let mut array = Vec::with_capacity(payload.len() + 2);
    array.push(b'[');
    array.extend_from_slice(payload.as_bytes());
    array.push(b']');
    from_json(&array).or_else(|| from_json(payload.as_bytes()))
}

/// `T` from JSON text, as every JSON the framework reads ([`crate::json`]).
fn from_json<T: DeserializeOwned>(json: &[u8]) -> Option<T> {
    crate::json::from_slice(json).ok()
}

/// The top level: structs and tuples positional, everything else as JSON.
struct Top;

/// Fields written so far, comma-separated.
struct Fields(String);

impl Fields {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        if !self.0.is_empty() {
            self.0.push(',');
        }
        self.0.push_str(&serde_json::to_string(value)?);
        Ok(())
    }
}

impl ser::SerializeStruct for Fields {
    type Ok = String;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, _key: &'static str, value: &T) -> Result<(), EncodeError> {
        self.push(value)
    }
    fn end(self) -> Result<String, EncodeError> {
        Ok(self.0)
    }
}

impl ser::SerializeTuple for Fields {
    type Ok = String;
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.push(value)
    }
    fn end(self) -> Result<String, EncodeError> {
        Ok(self.0)
    }
}

impl ser::SerializeTupleStruct for Fields {
    type Ok = String;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.push(value)
    }
    fn end(self) -> Result<String, EncodeError> {
        Ok(self.0)
    }
}

macro_rules! as_json {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<String, EncodeError> {
            Ok(serde_json::to_string(&v)?)
        })*
    };
}

impl ser::Serializer for Top {
    type Ok = String;
    type Error = EncodeError;
    type SerializeSeq = Impossible<String, EncodeError>;
    type SerializeTuple = Fields;
    type SerializeTupleStruct = Fields;
    type SerializeTupleVariant = Impossible<String, EncodeError>;
    type SerializeMap = Impossible<String, EncodeError>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<String, EncodeError>;

    as_json!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
    );

    fn serialize_none(self) -> Result<String, EncodeError> {
        Ok("null".to_owned())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, EncodeError> {
        Ok(serde_json::to_string(value)?)
    }
    fn serialize_unit(self) -> Result<String, EncodeError> {
        Ok(String::new())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, EncodeError> {
        Ok(String::new())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<String, EncodeError> {
        Ok(serde_json::to_string(variant)?)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, EncodeError> {
        value.serialize(Top)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<String, EncodeError> {
        let mut map = serde_json::Map::new();
        map.insert(variant.to_owned(), serde_json::to_value(value)?);
        Ok(serde_json::to_string(&map)?)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, EncodeError> {
        Err(EncodeError(
            "a sequence at the top of callback data; wrap it in a struct".into(),
        ))
    }
    fn serialize_tuple(self, _: usize) -> Result<Fields, EncodeError> {
        Ok(Fields(String::new()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Fields, EncodeError> {
        Ok(Fields(String::new()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, EncodeError> {
        Err(EncodeError(
            "a tuple variant at the top of callback data; use a struct".into(),
        ))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, EncodeError> {
        Err(EncodeError("a map at the top of callback data; use a struct".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields, EncodeError> {
        Ok(Fields(String::new()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, EncodeError> {
        Err(EncodeError(
            "a struct variant at the top of callback data; use a struct with an enum field".into(),
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Page {
        n: u32,
        older: bool,
        symbol: Option<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Direction {
        Older,
        Newer,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Unit;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Wrapper(Page);

    #[test]
    fn structs_are_positional_and_round_trip() {
        let page = Page {
            n: 2,
            older: true,
            symbol: Some("a,\"b\"".into()),
        };
        let text = encode(&page).unwrap();
        assert_eq!(text, r#"2,true,"a,\"b\"""#);
        assert_eq!(decode::<Page>(&text), Some(page));
        let wrapped = Wrapper(Page {
            n: 1,
            older: false,
            symbol: None,
        });
        assert_eq!(encode(&wrapped).unwrap(), "1,false,null");
        assert_eq!(decode::<Wrapper>("1,false,null"), Some(wrapped));
    }

    #[test]
    fn everything_else_is_json() {
        assert_eq!(encode(&Direction::Older).unwrap(), r#""older""#);
        assert_eq!(decode::<Direction>(r#""newer""#), Some(Direction::Newer));
        assert_eq!(encode(&7u8).unwrap(), "7");
        assert_eq!(decode::<u8>("7"), Some(7));
        assert_eq!(encode(&"x,y").unwrap(), r#""x,y""#);
        assert_eq!(decode::<String>(r#""x,y""#), Some("x,y".to_owned()));
        assert_eq!(encode(&(1, "a")).unwrap(), r#"1,"a""#);
        assert_eq!(decode::<(i32, String)>(r#"1,"a""#), Some((1, "a".into())));
        assert_eq!(encode(&Unit).unwrap(), "");
        assert_eq!(decode::<Unit>(""), Some(Unit));
        assert_eq!(decode::<()>(""), Some(()));
        assert!(encode(&vec![1, 2]).is_err());
    }

    #[test]
    fn another_shape_does_not_decode() {
        assert_eq!(decode::<Page>("2,true"), None);
        assert_eq!(decode::<Page>("2,true,null,4"), None);
        assert_eq!(decode::<Page>(r#""2",true,null"#), None);
        assert_eq!(decode::<Direction>(r#""sideways""#), None);
        assert_eq!(decode::<u8>("300"), None);
        assert_eq!(decode::<Page>("]["), None);
    }
}
