//! Name rules for modules, commands and crons.

/// Longest command description Telegram accepts, in UTF-16 code units.
pub const MAX_DESCRIPTION_UNITS: usize = 256;

/// `^[a-z0-9_-]+$`, at most 32 characters: module names (they become key and table prefixes).
pub fn is_valid_module_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// `^[a-z0-9_]{1,32}$`: command names, as Telegram's menu accepts them.
pub fn is_valid_command_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `^[a-z0-9_-]{1,32}$`: cron names.
pub fn is_valid_cron_name(name: &str) -> bool {
    is_valid_module_name(name)
}

/// Length of `text` in UTF-16 code units, as Telegram and JavaScript count.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names() {
        assert!(is_valid_command_name("trade_buy"));
        assert!(is_valid_command_name(&"a".repeat(32)));
        for bad in ["", "/help", "Help", "a-b", "a b", &"a".repeat(33)] {
            assert!(!is_valid_command_name(bad), "{bad}");
        }
    }

    #[test]
    fn module_names() {
        assert!(is_valid_module_name("ok_name"));
        assert!(is_valid_module_name("kebab-ok"));
        for bad in ["", "BadName", "has:colon"] {
            assert!(!is_valid_module_name(bad), "{bad}");
        }
    }
}
