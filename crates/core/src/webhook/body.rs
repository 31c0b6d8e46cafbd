//! Reading a webhook body into an [`Update`].

use serde_json::Value;

use super::MAX_BODY_BYTES;
use crate::telegram::{FromJson, Update};

/// Why a webhook body is not dispatched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Over [`MAX_BODY_BYTES`]: 413.
    TooLarge,
    /// Not JSON: 400.
    MalformedJson(String),
    /// JSON without an `update_id`: 400.
    NotAnUpdate(String),
    /// An `update_id` whose update does not parse: acknowledged with 200 and logged, because a
    /// redelivery would fail the same way forever.
    Unreadable {
        /// The update's id.
        update_id: i64,
        /// The parser's message.
        reason: String,
    },
    /// A numeric `update_id` no store can hold (not a whole number within 64 bits): also
    /// acknowledged with 200 and logged, never retried.
    UnstorableId(String),
}

impl BodyError {
    /// The HTTP status to answer.
    pub fn status(&self) -> u16 {
        match self {
            BodyError::TooLarge => 413,
            BodyError::MalformedJson(_) | BodyError::NotAnUpdate(_) => 400,
            BodyError::Unreadable { .. } | BodyError::UnstorableId(_) => 200,
        }
    }

    /// The plain-text body to answer (empty for the acknowledged case).
    pub fn body(&self) -> &'static str {
        match self {
            BodyError::TooLarge => "payload too large",
            BodyError::MalformedJson(_) => "malformed JSON",
            BodyError::NotAnUpdate(_) => "not an update",
            BodyError::Unreadable { .. } | BodyError::UnstorableId(_) => "",
        }
    }
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::TooLarge => write!(f, "body over {MAX_BODY_BYTES} bytes"),
            BodyError::MalformedJson(reason) => write!(f, "body is not JSON: {reason}"),
            BodyError::NotAnUpdate(reason) => write!(f, "body is not an update: {reason}"),
            BodyError::Unreadable { update_id, reason } => write!(f, "update {update_id} is malformed: {reason}"),
            BodyError::UnstorableId(id) => write!(f, "update id {id} cannot be stored"),
        }
    }
}

impl std::error::Error for BodyError {}

/// The update in a webhook body (size checked here too: a `Content-Length` may be absent or lie).
pub fn parse_update_body(body: &[u8]) -> Result<Update, BodyError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(BodyError::TooLarge);
    }
    // Bytes to `Value`, then `Update`'s reader, on both runtimes: the `Value` classifies a
    // failure (not JSON, no id, an id no store holds, an update that does not read).
    let value: Value = serde_json::from_slice(body).map_err(|e| BodyError::MalformedJson(e.to_string()))?;
    let update_id = match value.get("update_id") {
        Some(Value::Number(n)) if n.as_i64().is_none() => return Err(BodyError::UnstorableId(n.to_string())),
        id => id.and_then(Value::as_i64),
    };
    Update::from_json(value).map_err(|e| match update_id {
        Some(update_id) => BodyError::Unreadable {
            update_id,
            reason: e.to_string(),
        },
        None => BodyError::NotAnUpdate(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_bodies() {
        let ok = parse_update_body(br#"{"update_id": 5, "future_kind": {}}"#).unwrap();
        assert_eq!(ok.update_id, 5);
        assert_eq!(parse_update_body(b"{nope").unwrap_err().status(), 400);
        assert_eq!(parse_update_body(br#"{"x": 1}"#).unwrap_err().status(), 400);
        let unreadable = parse_update_body(br#"{"update_id": 7, "message": {"chat": "not a chat"}}"#).unwrap_err();
        assert!(
            matches!(unreadable, BodyError::Unreadable { update_id: 7, .. }),
            "{unreadable:?}"
        );
        assert_eq!(unreadable.status(), 200);
        for id in ["18446744073709551615", "1.5", "-1e300"] {
            let body = format!(r#"{{"update_id": {id}}}"#);
            let error = parse_update_body(body.as_bytes()).unwrap_err();
            assert!(matches!(error, BodyError::UnstorableId(_)), "{id}: {error:?}");
            assert_eq!(error.status(), 200);
        }
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(parse_update_body(&big), Err(BodyError::TooLarge));
    }
}
