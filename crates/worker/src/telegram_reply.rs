//! Turning a Bot API HTTP answer into a result, in plain Rust (the Fetch client's logic).

use miti99bot_core::telegram::TelegramError;

/// The Bot API base URL when `TELEGRAM_API_BASE` is not set.
pub const DEFAULT_API_BASE: &str = "https://api.telegram.org";

/// `<base>/bot<token>/<method>`. Never log it: it holds the token.
pub fn method_url(base: &str, token: &str, method: &str) -> String {
    format!("{}/bot{token}/{method}", base.trim_end_matches('/'))
}

/// `text` with every occurrence of `token` replaced, for errors and logs.
pub fn redact(text: &str, token: &str) -> String {
    if token.is_empty() {
        text.to_owned()
    } else {
        text.replace(token, "<redacted>")
    }
}

/// Interprets Telegram's answer to `method`: its `result` on success.
///
/// A 429 (or `error_code` 429) becomes [`TelegramError::RateLimited`] after this one attempt:
/// inside a Worker the request's time is too precious to sleep `retry_after` away.
pub fn interpret(method: &str, status: u16, body: &str) -> Result<serde_json::Value, TelegramError> {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let field = |name: &str| parsed.as_ref().and_then(|v| v.get(name));
    let error_code = field("error_code").and_then(serde_json::Value::as_u64);
    if status == 429 || error_code == Some(429) {
        let retry_after = field("parameters")
            .and_then(|p| p.get("retry_after"))
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        return Err(TelegramError::RateLimited {
            method: method.to_owned(),
            retry_after,
            attempts: 1,
        });
    }
    let ok = field("ok").and_then(serde_json::Value::as_bool) == Some(true);
    if (200..300).contains(&status) && ok {
        return Ok(field("result").cloned().unwrap_or(serde_json::Value::Null));
    }
    if (200..300).contains(&status) && parsed.is_none() {
        return Err(TelegramError::Decode {
            method: method.to_owned(),
            reason: "the answer is not JSON".into(),
        });
    }
    let description = field("description")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| body.chars().take(200).collect());
    Err(TelegramError::Api {
        method: method.to_owned(),
        status,
        description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_and_redaction() {
        assert_eq!(
            method_url("http://127.0.0.1:9/", "1:abc", "getMe"),
            "http://127.0.0.1:9/bot1:abc/getMe"
        );
        assert_eq!(
            redact("GET /bot1:abc/getMe failed", "1:abc"),
            "GET /bot<redacted>/getMe failed"
        );
        assert_eq!(redact("x", ""), "x");
    }

    #[test]
    fn answers() {
        let ok = interpret("sendMessage", 200, r#"{"ok":true,"result":{"message_id":3}}"#);
        assert_eq!(ok.ok().and_then(|v| v.get("message_id").cloned()), Some(3.into()));
        let limited = interpret(
            "sendMessage",
            429,
            r#"{"ok":false,"error_code":429,"parameters":{"retry_after":7}}"#,
        );
        assert!(matches!(
            limited,
            Err(TelegramError::RateLimited {
                retry_after: 7,
                attempts: 1,
                ..
            })
        ));
        let bad = interpret(
            "sendMessage",
            400,
            r#"{"ok":false,"description":"Bad Request: chat not found"}"#,
        );
        assert!(
            matches!(bad, Err(TelegramError::Api { status: 400, ref description, .. }) if description.contains("chat not found"))
        );
        assert!(matches!(
            interpret("getMe", 200, "<html>"),
            Err(TelegramError::Decode { .. })
        ));
        assert!(matches!(
            interpret("getMe", 502, "<html>"),
            Err(TelegramError::Api { status: 502, .. })
        ));
        assert!(matches!(
            interpret("getMe", 200, r#"{"ok":false,"description":"x"}"#),
            Err(TelegramError::Api { .. })
        ));
    }
}
