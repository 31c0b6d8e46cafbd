//! List cursors: the last key of a page, hex-encoded so the cursor stays opaque and ASCII.

use miti99bot_core::kv::KvError;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The cursor that continues after `last_key`.
pub(crate) fn encode(last_key: &str) -> String {
    let mut out = String::with_capacity(last_key.len() * 2);
    for byte in last_key.bytes() {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// The key a cursor continues after; anything [`encode`] did not produce is
/// [`KvError::InvalidCursor`].
pub(crate) fn decode(cursor: &str) -> Result<String, KvError> {
    let digits = cursor.as_bytes();
    if digits.is_empty() || digits.len() % 2 != 0 {
        return Err(KvError::InvalidCursor);
    }
    let bytes = digits
        .chunks_exact(2)
        .map(|pair| Ok((nibble(pair[0])? << 4) | nibble(pair[1])?))
        .collect::<Result<Vec<u8>, KvError>>()?;
    String::from_utf8(bytes).map_err(|_| KvError::InvalidCursor)
}

fn nibble(digit: u8) -> Result<u8, KvError> {
    match digit {
        b'0'..=b'9' => Ok(digit - b'0'),
        b'a'..=b'f' => Ok(digit - b'a' + 10),
        _ => Err(KvError::InvalidCursor),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_key() {
        for key in ["a", "misc:last_ping", "ключ", "x\u{10FFFF}y", "a b%_"] {
            assert_eq!(decode(&encode(key)).unwrap(), key);
        }
        assert_eq!(encode("ab"), "6162");
    }

    #[test]
    fn rejects_what_it_did_not_produce() {
        for bad in ["", "6", "zz", "6G", "6162 ", "ff", "C3"] {
            assert!(matches!(decode(bad), Err(KvError::InvalidCursor)), "{bad:?}");
        }
    }
}
