//! Reading one Bot API HTTP answer, for every runtime's client: a result, a rate limit or an
//! error, and the URL a call goes to.

use serde_json::Value;

use super::from_json::{DecodeError, Fields, FromJson};
use super::{BotToken, TelegramError};

/// The Bot API's address when `TELEGRAM_API_BASE` is not set.
pub const DEFAULT_API_BASE: &str = "https://api.telegram.org";

/// The most characters of a description or body kept in an error (then `…`).
pub const MAX_ERROR_TEXT: usize = 256;

/// `<base>/bot<token>/<method>` (one trailing `/` of `base` ignored). Never log it: it holds
/// the token.
pub fn method_url(base: &str, token: &BotToken, method: &str) -> String {
    format!("{}/bot{}/{method}", base.trim_end_matches('/'), token.expose())
}

/// The Bot API's envelope: `{"ok": .., "result": ..}` or `{"ok": false, "error_code": ..,
/// "description": .., "parameters": {..}}`.
#[derive(Debug)]
struct Envelope {
    ok: Option<bool>,
    result: Option<Value>,
    description: Option<String>,
    error_code: Option<i64>,
    parameters: Parameters,
}

impl FromJson for Envelope {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            ok: f.optional("ok"),
            result: f.optional("result"),
            description: f.optional("description"),
            error_code: f.optional("error_code"),
            parameters: f.or_default("parameters"),
        };
        f.finish(value)
    }
}

/// `ResponseParameters`.
#[derive(Debug, Default)]
struct Parameters {
    retry_after: Option<i64>,
    migrate_to_chat_id: Option<i64>,
}

impl FromJson for Parameters {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            retry_after: f.optional("retry_after"),
            migrate_to_chat_id: f.optional("migrate_to_chat_id"),
        };
        f.finish(value)
    }
}

/// Telegram's answer to `method` (HTTP `status`, `body`) as its `result`, or the error.
///
/// - a 2xx with `ok: true`: the `result` (`null` when absent);
/// - HTTP 429 or `error_code` 429: [`TelegramError::RateLimited`] with `parameters.retry_after`
///   (1 s when absent) and `attempts: 1` (a client that retries counts its own attempts);
/// - any other answer: [`TelegramError::Api`] with Telegram's `description` (or the body) cut to
///   [`MAX_ERROR_TEXT`] characters, and `parameters.migrate_to_chat_id`;
/// - a 2xx that is not the Bot API's JSON: [`TelegramError::Decode`].
///
/// The error texts can contain what Telegram echoed; callers holding the token pass the error
/// through [`BotToken::scrub_error`].
pub fn decode_answer(method: &str, status: u16, body: &[u8]) -> Result<Value, TelegramError> {
    let success = (200..300).contains(&status);
    // Through `Value`, then the Bot API types' own reader (no serde deserializer of its own in
    // the Worker's wasm).
    let envelope = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|value| Envelope::from_json(value).ok());
    // A 2xx must say `ok` either way to be the Bot API's answer.
    let envelope = envelope.filter(|e| !success || e.ok.is_some());
    let Some(envelope) = envelope else {
        return Err(if status == 429 {
            rate_limited(method, None)
        } else if success {
            TelegramError::Decode {
                method: method.to_owned(),
                reason: format!("not a Bot API answer: {}", body_excerpt(body)),
            }
        } else {
            api_error(method, status, body_excerpt(body), None)
        });
    };
    let parameters = envelope.parameters;
    if status == 429 || envelope.error_code == Some(429) {
        // A negative or absent wait is Telegram's default of a second.
        return Err(rate_limited(
            method,
            parameters.retry_after.and_then(|s| u64::try_from(s).ok()),
        ));
    }
    if success && envelope.ok == Some(true) {
        return Ok(envelope.result.unwrap_or(Value::Null));
    }
    let description = match envelope.description {
        Some(description) => cut(description.trim()),
        None => body_excerpt(body),
    };
    Err(api_error(method, status, description, parameters.migrate_to_chat_id))
}

fn rate_limited(method: &str, retry_after: Option<u64>) -> TelegramError {
    TelegramError::RateLimited {
        method: method.to_owned(),
        retry_after: retry_after.unwrap_or(1),
        attempts: 1,
    }
}

fn api_error(method: &str, status: u16, description: String, migrate_to_chat_id: Option<i64>) -> TelegramError {
    TelegramError::Api {
        method: method.to_owned(),
        status,
        description,
        migrate_to_chat_id,
    }
}

/// The body as text (invalid UTF-8 replaced), trimmed and cut to [`MAX_ERROR_TEXT`]
/// characters; `(empty body)` when there is nothing.
pub fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.trim() {
        "" => "(empty body)".to_owned(),
        text => cut(text),
    }
}

/// `text` cut to [`MAX_ERROR_TEXT`] characters, `…` marking a cut.
fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_ERROR_TEXT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use serde_json::json;

    use super::*;

    fn api(result: Result<Value, TelegramError>) -> (u16, String, Option<i64>) {
        match result {
            Err(TelegramError::Api {
                status,
                description,
                migrate_to_chat_id,
                ..
            }) => (status, description, migrate_to_chat_id),
            other => panic!("not an API error: {other:?}"),
        }
    }

    fn retry_after(result: Result<Value, TelegramError>) -> (u64, u32) {
        match result {
            Err(TelegramError::RateLimited {
                retry_after, attempts, ..
            }) => (retry_after, attempts),
            other => panic!("not a rate limit: {other:?}"),
        }
    }

    #[test]
    fn ok_gives_the_result() {
        let ok = decode_answer("getMe", 200, br#"{"ok":true,"result":{"id":1}}"#);
        assert_eq!(ok.unwrap(), json!({ "id": 1 }));
        assert_eq!(decode_answer("x", 200, br#"{"ok":true}"#).unwrap(), Value::Null);
        assert_eq!(
            decode_answer("x", 200, br#"{"ok":true,"result":true}"#).unwrap(),
            Value::Bool(true)
        );
    }

    #[test]
    fn rate_limits() {
        let body = br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#;
        assert_eq!(retry_after(decode_answer("sendMessage", 429, body)), (7, 1));
        // error_code 429 behind another status, and 429 without parameters or JSON at all.
        assert_eq!(
            retry_after(decode_answer(
                "x",
                200,
                br#"{"ok":false,"error_code":429,"parameters":{"retry_after":3}}"#
            )),
            (3, 1)
        );
        assert_eq!(
            retry_after(decode_answer("x", 429, br#"{"ok":false,"error_code":429}"#)),
            (1, 1)
        );
        assert_eq!(retry_after(decode_answer("x", 429, b"slow down")), (1, 1));
        assert_eq!(retry_after(decode_answer("x", 429, b"")), (1, 1));
        let err = decode_answer("sendMessage", 429, body).unwrap_err();
        assert!(matches!(err, TelegramError::RateLimited { ref method, .. } if method == "sendMessage"));
    }

    #[test]
    fn errors_keep_the_description_and_migration() {
        assert_eq!(
            api(decode_answer(
                "sendMessage",
                400,
                br#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#
            )),
            (400, "Bad Request: chat not found".to_owned(), None)
        );
        let migrated = br#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}}"#;
        assert_eq!(
            api(decode_answer("sendMessage", 400, migrated)).2,
            Some(-1_001_234_567_890)
        );
        // ok:false behind a 200 is Telegram refusing, not a malformed answer.
        assert_eq!(
            api(decode_answer("getMe", 200, br#"{"ok":false,"description":"x"}"#)),
            (200, "x".to_owned(), None)
        );
        // Without a description, the body stands in for it.
        assert_eq!(
            api(decode_answer("getMe", 200, br#"{"ok":false}"#)).1,
            r#"{"ok":false}"#
        );
        let err = decode_answer("sendMessage", 403, br#"{"ok":false,"description":"Forbidden"}"#).unwrap_err();
        assert_eq!(err.to_string(), "telegram sendMessage failed: HTTP 403: Forbidden");
    }

    #[test]
    fn non_json_answers() {
        assert_eq!(
            api(decode_answer("getMe", 502, b"<html>bad gateway</html>")),
            (502, "<html>bad gateway</html>".to_owned(), None)
        );
        assert_eq!(api(decode_answer("getMe", 500, b"")).1, "(empty body)");
        assert_eq!(api(decode_answer("getMe", 500, b"  \n")).1, "(empty body)");
        let err = decode_answer("getMe", 200, b"<html>").unwrap_err();
        assert!(
            matches!(err, TelegramError::Decode { ref reason, .. } if reason == "not a Bot API answer: <html>"),
            "{err:?}"
        );
        assert!(matches!(
            decode_answer("getMe", 204, b""),
            Err(TelegramError::Decode { .. })
        ));
        assert!(matches!(
            decode_answer("getMe", 200, b"{}"),
            Err(TelegramError::Decode { .. })
        ));
        assert!(matches!(
            decode_answer("getMe", 200, b"[]"),
            Err(TelegramError::Decode { .. })
        ));
    }

    #[test]
    fn texts_are_cut_to_one_length() {
        let long = "é".repeat(600);
        let excerpt = body_excerpt(long.as_bytes());
        assert_eq!(excerpt.chars().count(), MAX_ERROR_TEXT + 1);
        assert!(excerpt.ends_with('…'));
        assert_eq!(
            body_excerpt("é".repeat(MAX_ERROR_TEXT).as_bytes()).chars().count(),
            MAX_ERROR_TEXT
        );

        let (_, description, _) = api(decode_answer("x", 502, long.as_bytes()));
        assert_eq!(description, excerpt);
        let body = json!({ "ok": false, "description": "d".repeat(1000) }).to_string();
        let (_, description, _) = api(decode_answer("x", 400, body.as_bytes()));
        assert_eq!(description, format!("{}…", "d".repeat(MAX_ERROR_TEXT)));
    }

    #[test]
    fn url_of_a_method() {
        let token = BotToken::new("1:abc");
        assert_eq!(
            method_url("http://127.0.0.1:9/", &token, "getMe"),
            "http://127.0.0.1:9/bot1:abc/getMe"
        );
        assert_eq!(
            method_url(DEFAULT_API_BASE, &token, "sendMessage"),
            "https://api.telegram.org/bot1:abc/sendMessage"
        );
    }
}
