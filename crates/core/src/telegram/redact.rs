//! Keeping the bot token out of logs and error messages, in every form it can take in a text:
//! as is, with its `:` percent-encoded (as a URL in an error carries it), or fully
//! percent-encoded.

use super::TelegramError;

/// What a token is replaced with.
pub const REDACTED_TOKEN: &str = "<redacted>";

/// The bot token. Its `Debug` never shows it; [`expose`](Self::expose) is for building the
/// request URL only.
#[derive(Clone)]
pub struct BotToken {
    /// The token, then every encoded form of it that differs.
    forms: Vec<String>,
}

impl BotToken {
    /// Wraps a token (trimmed).
    pub fn new(token: &str) -> Self {
        let raw = token.trim();
        let mut forms = vec![raw.to_owned()];
        if !raw.is_empty() {
            let encoded = [
                raw.replace(':', "%3A"),
                raw.replace(':', "%3a"),
                percent_encode_all(raw, false),
                percent_encode_all(raw, true),
            ];
            for form in encoded {
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
        }
        Self { forms }
    }

    /// The token itself, for the request URL only: never log it.
    pub fn expose(&self) -> &str {
        self.forms.first().map_or("", String::as_str)
    }

    /// True when no token was configured.
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }

    /// `text` with every occurrence of the token, raw or percent-encoded, replaced by
    /// [`REDACTED_TOKEN`].
    pub fn scrub(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_owned();
        }
        let mut out = text.to_owned();
        // A Bot API token has no `%`, so no form is part of another: the order does not matter.
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), REDACTED_TOKEN);
            }
        }
        out
    }

    /// `error` with the token scrubbed from every text it carries.
    pub fn scrub_error(&self, error: TelegramError) -> TelegramError {
        match error {
            TelegramError::Api {
                method,
                status,
                description,
                migrate_to_chat_id,
            } => TelegramError::Api {
                method: self.scrub(&method),
                status,
                description: self.scrub(&description),
                migrate_to_chat_id,
            },
            TelegramError::RateLimited {
                method,
                retry_after,
                attempts,
            } => TelegramError::RateLimited {
                method: self.scrub(&method),
                retry_after,
                attempts,
            },
            TelegramError::Network { method, reason } => TelegramError::Network {
                method: self.scrub(&method),
                reason: self.scrub(&reason),
            },
            TelegramError::Decode { method, reason } => TelegramError::Decode {
                method: self.scrub(&method),
                reason: self.scrub(&reason),
            },
            TelegramError::LedgerUnavailable { method, reason } => TelegramError::LedgerUnavailable {
                method: self.scrub(&method),
                reason: self.scrub(&reason),
            },
            already @ TelegramError::AlreadyApplied { .. } => already,
        }
    }
}

impl std::fmt::Debug for BotToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotToken(<redacted>)")
    }
}

/// `text` with every occurrence of `token` (see [`BotToken::scrub`]) replaced.
pub fn redact(text: &str, token: &str) -> String {
    BotToken::new(token).scrub(text)
}

/// Every byte as `%XX`.
fn percent_encode_all(text: &str, lower: bool) -> String {
    text.bytes()
        .map(|b| {
            if lower {
                format!("%{b:02x}")
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:TEST-token";

    #[test]
    fn debug_never_shows_the_token() {
        let token = BotToken::new(" 123:secret-part ");
        assert_eq!(format!("{token:?}"), "BotToken(<redacted>)");
        assert_eq!(token.expose(), "123:secret-part");
    }

    #[test]
    fn the_raw_token_anywhere() {
        let token = BotToken::new(TOKEN);
        assert_eq!(
            token.scrub("GET https://api.telegram.org/bot123456:TEST-token/getMe: 123456:TEST-token"),
            "GET https://api.telegram.org/bot<redacted>/getMe: <redacted>"
        );
        assert_eq!(
            redact("GET /bot1:abc/getMe failed", "1:abc"),
            "GET /bot<redacted>/getMe failed"
        );
    }

    #[test]
    fn the_colon_percent_encoded_either_case() {
        let token = BotToken::new(TOKEN);
        assert_eq!(
            token.scrub("Bad Request: invalid bot 123456%3ATEST-token"),
            "Bad Request: invalid bot <redacted>"
        );
        assert_eq!(
            token.scrub("http://x/bot123456%3aTEST-token/getMe"),
            "http://x/bot<redacted>/getMe"
        );
    }

    #[test]
    fn the_token_fully_percent_encoded() {
        let token = BotToken::new("1:ab");
        assert_eq!(token.scrub("q=%31%3A%61%62&r"), "q=<redacted>&r");
        assert_eq!(token.scrub("q=%31%3a%61%62&r"), "q=<redacted>&r");
    }

    #[test]
    fn nothing_to_hide_without_a_token() {
        assert_eq!(BotToken::new("").scrub("x"), "x");
        assert_eq!(redact("x", "  "), "x");
        assert!(BotToken::new(" ").is_empty());
    }

    #[test]
    fn errors_are_scrubbed() {
        let token = BotToken::new(TOKEN);
        let error = token.scrub_error(TelegramError::Api {
            method: "getMe".into(),
            status: 401,
            description: "Unauthorized: 123456%3ATEST-token".into(),
            migrate_to_chat_id: None,
        });
        assert_eq!(
            error.to_string(),
            "telegram getMe failed: HTTP 401: Unauthorized: <redacted>"
        );
        let error = token.scrub_error(TelegramError::Network {
            method: "getMe".into(),
            reason: "could not connect to /bot123456:TEST-token/getMe".into(),
        });
        assert!(!error.to_string().contains("TEST-token"), "{error}");
    }
}
