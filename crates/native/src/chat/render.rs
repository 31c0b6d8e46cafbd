//! Telegram HTML to terminal text.

/// Renders Telegram HTML for a terminal: with `ansi`, bold/italic/underline/strike/code become
/// escape sequences; without, tags are dropped. Links keep their URL. Entities are decoded.
pub fn render_html(html: &str, ansi: bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut link_stack: Vec<Option<String>> = Vec::new();
    while let Some(open) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..open]));
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&decode_entities(&rest[open..]));
            return out;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if name == "a" {
            if closing {
                if let Some(Some(href)) = link_stack.pop() {
                    out.push_str(&format!(" ({href})"));
                }
            } else {
                link_stack.push(attribute(tag, "href").map(|h| decode_entities(&h)));
            }
            continue;
        }
        if ansi {
            let code = match (name.as_str(), closing) {
                ("b" | "strong", false) => "\x1b[1m",
                ("i" | "em", false) => "\x1b[3m",
                ("u" | "ins", false) => "\x1b[4m",
                ("s" | "strike" | "del", false) => "\x1b[9m",
                ("code" | "pre", false) => "\x1b[36m",
                ("b" | "strong" | "i" | "em" | "u" | "ins" | "s" | "strike" | "del" | "code" | "pre", true) => {
                    "\x1b[0m"
                }
                _ => "",
            };
            out.push_str(code);
        }
    }
    out.push_str(&decode_entities(rest));
    out
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[start..].find('"')?;
    Some(tag[start..start + end].to_owned())
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::render_html;

    #[test]
    fn strips_or_styles_tags_and_decodes_entities() {
        let html = "<b>misc &amp; co</b>\n/ping — a &lt;b&gt; <a href=\"https://x.y\">link</a>";
        assert_eq!(render_html(html, false), "misc & co\n/ping — a <b> link (https://x.y)");
        assert_eq!(render_html("<b>x</b>", true), "\x1b[1mx\x1b[0m");
        assert_eq!(render_html("a < b", false), "a < b");
    }
}
