//! Keeping the bot token out of logs and error messages.

/// The bot token. Its `Debug` never shows it; only the client reads it, to build URLs.
#[derive(Clone)]
pub struct BotToken(String);

impl BotToken {
    /// Wraps a token (trimmed).
    pub fn new(token: &str) -> Self {
        Self(token.trim().to_owned())
    }

    /// The token itself, for the request path only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced by `<redacted>`.
    pub fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.0, "<redacted>")
        }
    }
}

impl std::fmt::Debug for BotToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotToken(<redacted>)")
    }
}

/// A reqwest error as text without its URL (which holds the token), with its causes.
pub fn describe_reqwest_error(error: reqwest::Error, token: &BotToken) -> String {
    token.scrub(&describe_without_url(error))
}

/// A reqwest error as text, with its causes but without the request URL (which may hold a
/// secret: the bot token, an API key in a query).
pub fn describe_without_url(error: reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let error = error.without_url();
    let mut text = format!("{kind}: {error}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_scrub_hide_the_token() {
        let token = BotToken::new(" 123:secret-part ");
        assert_eq!(format!("{token:?}"), "BotToken(<redacted>)");
        assert_eq!(token.scrub("GET /bot123:secret-part/getMe"), "GET /bot<redacted>/getMe");
        assert_eq!(BotToken::new("").scrub("x"), "x");
    }
}
