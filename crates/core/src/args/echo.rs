/// The most characters of the user's input a reply quotes back.
pub const ECHO_MAX_CHARS: usize = 32;

/// What a reply may quote of the user's input: at most [`ECHO_MAX_CHARS`] characters, a cut
/// marked with `…`, so a 100,000-character argument is not sent back whole (nor past Telegram's
/// 4096-character message limit).
///
/// ```
/// use miti99bot_core::args::echo;
///
/// assert_eq!(echo("VNM"), "VNM");
/// assert_eq!(echo(&"A".repeat(100_000)), format!("{}…", "A".repeat(31)));
/// ```
pub fn echo(input: &str) -> String {
    if input.chars().count() <= ECHO_MAX_CHARS {
        return input.to_owned();
    }
    let mut cut: String = input.chars().take(ECHO_MAX_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_the_limit_in_characters_not_bytes() {
        let exact = "é".repeat(ECHO_MAX_CHARS);
        assert_eq!(echo(&exact), exact);
        let long = "é".repeat(ECHO_MAX_CHARS + 1);
        assert_eq!(echo(&long).chars().count(), ECHO_MAX_CHARS);
        assert!(echo(&long).ends_with('…'));
    }
}
