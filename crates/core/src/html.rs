//! HTML escaping for Telegram's HTML parse mode.

/// Escapes `&`, `<`, `>` and `"` (ampersand first, so nothing is escaped twice).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escapes_the_four_characters_once() {
        assert_eq!(escape_html(r#"a & b < c > "d""#), "a &amp; b &lt; c &gt; &quot;d&quot;");
        assert_eq!(escape_html("&amp;"), "&amp;amp;");
        assert_eq!(escape_html("it's"), "it's");
    }
}
