//! Constant-time comparison of the webhook secret.

/// True when `given` equals `expected`, taking the same time wherever the first difference is.
///
/// The time depends only on the lengths, never on the contents, so an attacker cannot learn the
/// secret byte by byte from response times.
pub fn secrets_match(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0xff);
        diff |= x ^ y;
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::secrets_match;

    #[test]
    fn equal_only_when_identical() {
        assert!(secrets_match("s3cret", "s3cret"));
        assert!(!secrets_match("s3cret", "s3creT"));
        assert!(!secrets_match("s3cret", "s3cre"));
        assert!(!secrets_match("s3cret", "s3cret\0"));
        assert!(!secrets_match("s3cret", ""));
        assert!(!secrets_match("a", "a\u{0}"));
    }
}
