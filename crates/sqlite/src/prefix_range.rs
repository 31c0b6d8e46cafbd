//! Prefix queries as key ranges, so `_` and `%` in a prefix are plain characters (no LIKE) and
//! the primary-key index bounds the scan on both sides.

/// The smallest string greater than every string that starts with `prefix`, or `None` when
/// there is none (empty prefix, or one made only of `char::MAX`).
///
/// SQLite compares TEXT with the BINARY collation (byte-wise on UTF-8), which orders strings
/// like code points, so `prefix <= key < upper_bound(prefix)` holds exactly for the keys that
/// start with `prefix`.
pub(crate) fn upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = next_char(last) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The next Unicode scalar value after `c`, skipping the surrogate gap.
fn next_char(c: char) -> Option<char> {
    match c {
        '\u{D7FF}' => Some('\u{E000}'),
        char::MAX => None,
        _ => char::from_u32(u32::from(c) + 1),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::upper_bound;

    #[test]
    fn bounds_exactly_the_prefixed_keys() {
        assert_eq!(upper_bound("misc:").as_deref(), Some("misc;"));
        assert_eq!(upper_bound("a_").as_deref(), Some("a`"));
        assert_eq!(upper_bound("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(upper_bound("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(upper_bound("\u{10FFFF}"), None);
        assert_eq!(upper_bound(""), None);
        let bound = upper_bound("ab\u{7F}").unwrap();
        for key in ["ab\u{7F}", "ab\u{7F}\u{10FFFF}", "ab\u{7F}zzz"] {
            assert!(key.as_bytes() < bound.as_bytes(), "{key:?}");
        }
        assert!("ab\u{80}".as_bytes() >= bound.as_bytes());
    }
}
