//! Deep links: `https://t.me/<bot>?start=<payload>` opens the chat with the bot and sends
//! `/start <payload>`. A module claims the payloads that begin with a prefix of its own
//! ([`Module::deep_link`](crate::Module::deep_link)): `/start ref-42` goes to the handler of
//! `ref` with `ctx.args() == "ref-42"` and [`arg`] giving `42`. A `/start` with no payload or
//! one no module claims goes to the `start` command, when a module declares one.
//!
//! ```
//! use miti99bot_core::deep_link;
//!
//! assert_eq!(deep_link::link("miti99bot", "ref", "42").unwrap(), "https://t.me/miti99bot?start=ref-42");
//! assert_eq!(deep_link::arg("ref-42"), "42");
//! assert!(deep_link::link("miti99bot", "ref", "not allowed!").is_err());
//! ```

/// Telegram's limit on a `start` payload, in characters.
pub const MAX_PAYLOAD_CHARS: usize = 64;

/// Why a deep link cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeepLinkError {
    /// Over [`MAX_PAYLOAD_CHARS`].
    #[error("deep link payload {payload:?} is {len} characters; Telegram's limit is {MAX_PAYLOAD_CHARS}")]
    TooLong {
        /// The payload.
        payload: String,
        /// Its length.
        len: usize,
    },
    /// A character other than `A-Z a-z 0-9 _ -`.
    #[error("deep link payload {0:?} may hold only A-Z, a-z, 0-9, _ and -")]
    Invalid(String),
}

impl From<DeepLinkError> for crate::Error {
    fn from(error: DeepLinkError) -> Self {
        crate::Error::msg(error)
    }
}

/// `^[a-z0-9]{1,16}$`: a module's deep-link prefix.
pub fn is_valid_prefix(prefix: &str) -> bool {
    (1..=16).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Whether `payload` is one Telegram passes on: 1 to 64 of `A-Z a-z 0-9 _ -`.
pub fn is_valid_payload(payload: &str) -> bool {
    (1..=MAX_PAYLOAD_CHARS).contains(&payload.len())
        && payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The prefix a payload is routed by: what comes before the first `-` (all of it without one).
pub fn prefix_of(payload: &str) -> &str {
    payload.split_once('-').map_or(payload, |(prefix, _)| prefix)
}

/// What follows `<prefix>-` in a payload (empty when nothing does).
pub fn arg(payload: &str) -> &str {
    payload.split_once('-').map_or("", |(_, arg)| arg)
}

/// `https://t.me/<username>?start=<prefix>[-<arg>]`, checked against Telegram's rules.
pub fn link(username: &str, prefix: &str, arg: &str) -> Result<String, DeepLinkError> {
    let payload = if arg.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}-{arg}")
    };
    if payload.len() > MAX_PAYLOAD_CHARS {
        let len = payload.len();
        return Err(DeepLinkError::TooLong { payload, len });
    }
    if !is_valid_payload(&payload) {
        return Err(DeepLinkError::Invalid(payload));
    }
    Ok(format!(
        "https://t.me/{}?start={payload}",
        username.trim_start_matches('@')
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_split_and_links_are_checked() {
        assert_eq!((prefix_of("ref-a-b"), arg("ref-a-b")), ("ref", "a-b"));
        assert_eq!((prefix_of("ref"), arg("ref")), ("ref", ""));
        assert!(is_valid_prefix("ref2") && !is_valid_prefix("Ref") && !is_valid_prefix("a-b") && !is_valid_prefix(""));
        assert_eq!(link("@bot", "game", "").unwrap(), "https://t.me/bot?start=game");
        let long = "x".repeat(61);
        assert!(matches!(
            link("bot", "ref", &long),
            Err(DeepLinkError::TooLong { len: 65, .. })
        ));
        assert!(link("bot", "ref", &long[1..]).is_ok());
        assert!(matches!(link("bot", "ref", "a b"), Err(DeepLinkError::Invalid(_))));
    }
}
