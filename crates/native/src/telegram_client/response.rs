//! Reading one Bot API answer: a result, a rate limit or an error.

use serde::Deserialize;
use serde_json::Value;

/// The most of a non-JSON error body kept in an error message.
const MAX_BODY_IN_ERROR: usize = 500;

/// What one HTTP exchange with the Bot API ended in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answer {
    /// `ok: true`: the `result`.
    Result(Value),
    /// HTTP 429 (or `error_code` 429) with `parameters.retry_after` seconds.
    RateLimited {
        /// Seconds to wait (1 when Telegram named none).
        retry_after: u64,
    },
    /// Any other failure.
    Failed {
        /// HTTP status.
        status: u16,
        /// Telegram's `description`, or the start of the body.
        description: String,
    },
    /// A 2xx answer that is not the Bot API's JSON.
    Malformed(String),
}

/// The Bot API's envelope.
#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(default)]
    ok: bool,
    #[serde(default)]
    result: Option<Value>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    parameters: Option<Parameters>,
}

#[derive(Debug, Deserialize)]
struct Parameters {
    #[serde(default)]
    retry_after: Option<u64>,
}

/// Classifies an answer from its status and body.
pub(crate) fn read_answer(status: u16, body: &[u8]) -> Answer {
    let envelope = serde_json::from_slice::<Envelope>(body).ok();
    let success = (200..300).contains(&status);
    match envelope {
        Some(envelope) if status == 429 || envelope.error_code == Some(429) => Answer::RateLimited {
            retry_after: envelope.parameters.and_then(|p| p.retry_after).unwrap_or(1),
        },
        None if status == 429 => Answer::RateLimited { retry_after: 1 },
        Some(envelope) if success && envelope.ok => Answer::Result(envelope.result.unwrap_or(Value::Null)),
        Some(Envelope {
            description: Some(description),
            ..
        }) => Answer::Failed { status, description },
        _ if success => Answer::Malformed(format!("not a Bot API answer: {}", body_excerpt(body))),
        _ => Answer::Failed {
            status,
            description: body_excerpt(body),
        },
    }
}

/// The body as text, cut to [`MAX_BODY_IN_ERROR`] characters.
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(MAX_BODY_IN_ERROR) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None if text.is_empty() => "(empty body)".to_owned(),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_answers() {
        assert_eq!(
            read_answer(200, br#"{"ok":true,"result":{"id":1}}"#),
            Answer::Result(serde_json::json!({"id":1}))
        );
        assert_eq!(
            read_answer(429, br#"{"ok":false,"error_code":429,"parameters":{"retry_after":7}}"#),
            Answer::RateLimited { retry_after: 7 }
        );
        assert_eq!(read_answer(429, b"slow down"), Answer::RateLimited { retry_after: 1 });
        assert_eq!(
            read_answer(
                400,
                br#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#
            ),
            Answer::Failed {
                status: 400,
                description: "Bad Request: chat not found".into()
            }
        );
        assert_eq!(
            read_answer(502, b"<html>bad gateway</html>"),
            Answer::Failed {
                status: 502,
                description: "<html>bad gateway</html>".into()
            }
        );
        assert!(matches!(read_answer(200, b"hello"), Answer::Malformed(_)));
        assert_eq!(
            read_answer(500, b""),
            Answer::Failed {
                status: 500,
                description: "(empty body)".into()
            }
        );
        let long = "é".repeat(600);
        assert_eq!(body_excerpt(long.as_bytes()).chars().count(), 501);
    }
}
