//! The webhook secret and its constant-time comparison.

/// The configured webhook secret. Its `Debug` never shows it.
#[derive(Clone)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// Wraps the configured secret.
    pub fn new(secret: &str) -> Self {
        Self(secret.as_bytes().to_vec())
    }

    /// Whether `given` (the header's value, if any) equals the secret, in time independent of
    /// where they differ. An empty secret matches nothing.
    pub fn matches(&self, given: Option<&[u8]>) -> bool {
        match given {
            Some(given) if !self.0.is_empty() => constant_time_eq(given, &self.0),
            _ => false,
        }
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Compares `given` with `expected` touching every byte of `expected` whatever the contents:
/// the time depends on `expected`'s length only, never on the position of a difference.
pub fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    let mut diff = u8::from(given.len() != expected.len());
    for (i, e) in expected.iter().enumerate() {
        let g = given.get(i).copied().unwrap_or(!e);
        diff |= g ^ e;
    }
    std::hint::black_box(diff) == 0
}

/// Whether `secret` is a valid `secret_token` for Telegram: 1 to 256 of `A-Z a-z 0-9 _ -`.
pub fn is_valid_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_whole_values() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abd", b"abc"));
        assert!(!constant_time_eq(b"ab", b"abc"));
        assert!(!constant_time_eq(b"abcd", b"abc"));
        assert!(!constant_time_eq(b"", b"abc"));
        assert!(constant_time_eq(b"", b""));
        let secret = WebhookSecret::new("s3cret");
        assert!(secret.matches(Some(b"s3cret")));
        assert!(!secret.matches(Some(b"s3creT")));
        assert!(!secret.matches(None));
        assert!(!WebhookSecret::new("").matches(Some(b"")));
        assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
    }

    #[test]
    fn telegram_secret_alphabet() {
        assert!(is_valid_secret("abc-DEF_123"));
        assert!(!is_valid_secret(""));
        assert!(!is_valid_secret("has space"));
        assert!(!is_valid_secret(&"a".repeat(257)));
    }
}
