//! A reqwest error as text that holds no secret: the URL (which carries the bot token) is left
//! out and the token scrubbed from the rest.

use miti99bot_core::telegram::BotToken;

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
