//! Properties of the long-text splitter: every part fits, nothing is lost or reordered, cuts
//! fall on line breaks where there is one, and HTML parts are balanced with no tag or entity
//! cut.
#![allow(clippy::unwrap_used)]

use miti99bot_core::telegram::long_text::{split_html, split_text, utf16_len};
use proptest::prelude::*;

/// Text with line breaks, spaces, multi-byte and astral characters.
fn plain() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[a-z]{1,12}",
            2 => Just(" ".to_owned()),
            2 => Just("\n".to_owned()),
            1 => Just("é".to_owned()),
            1 => Just("😀".to_owned()),
        ],
        0..400,
    )
    .prop_map(|words| words.concat())
}

/// Balanced Telegram HTML, at most three tags deep, with entities.
fn html() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => plain().prop_map(|t| t.replace('&', "&amp;")),
        1 => Just("&lt;".to_owned()),
        1 => Just("&#128512;".to_owned()),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        (
            prop_oneof![
                Just(("<b>", "</b>")),
                Just(("<i>", "</i>")),
                Just(("<code>", "</code>")),
                Just((r#"<a href="https://example.com/x?a=1&amp;b=2">"#, "</a>")),
                Just(("<blockquote expandable>", "</blockquote>")),
            ],
            prop::collection::vec(inner, 1..4),
        )
            .prop_map(|((open, close), children)| format!("{open}{}{close}", children.concat()))
    })
}

/// The text of `html` without tags (entities left as written).
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether every tag in `html` is whole and closed in order.
fn balanced(html: &str) -> bool {
    let mut stack = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let Some(len) = rest[open..].find('>') else {
            return false;
        };
        let tag = &rest[open + 1..open + len];
        let name = tag.trim_start_matches('/').split([' ', '>']).next().unwrap_or("");
        if tag.starts_with('/') {
            if stack.pop() != Some(name.to_owned()) {
                return false;
            }
        } else {
            stack.push(name.to_owned());
        }
        rest = &rest[open + len + 1..];
    }
    !rest.contains('>') && stack.is_empty()
}

/// Whether no entity is cut: every `&` starts a whole `&...;`.
fn entities_whole(html: &str) -> bool {
    html.match_indices('&').all(|(i, _)| {
        html[i..].find(';').is_some_and(|semi| {
            semi <= 11
                && html[i + 1..i + semi]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#')
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn plain_parts_fit_and_concatenate_to_the_text(text in plain(), limit in 2usize..300) {
        let parts = split_text(&text, limit);
        prop_assert_eq!(parts.concat(), text.clone());
        for (i, part) in parts.iter().enumerate() {
            prop_assert!(utf16_len(part) <= limit, "part {i} is {} units", utf16_len(part));
            prop_assert!(!part.is_empty() || parts.len() == 1);
            // Cut at a line break whenever the part had one.
            if i + 1 < parts.len() {
                prop_assert!(part.ends_with('\n') || !part.contains('\n'), "{part:?}");
            }
        }
    }

    #[test]
    fn html_parts_fit_are_balanced_and_keep_the_text(html in html(), limit in 250usize..600) {
        prop_assume!(balanced(&html));
        let parts = split_html(&html, limit);
        let text: String = parts.iter().map(|p| strip_tags(p)).collect();
        prop_assert_eq!(text, strip_tags(&html));
        for (i, part) in parts.iter().enumerate() {
            prop_assert!(utf16_len(part) <= limit, "part {i} is {} units: {part}", utf16_len(part));
            prop_assert!(balanced(part), "part {i} unbalanced: {part}");
            prop_assert!(entities_whole(part), "part {i} cuts an entity: {part}");
            if i + 1 < parts.len() {
                let own = strip_tags(part);
                prop_assert!(own.ends_with('\n') || !own.contains('\n'), "{part:?}");
            }
        }
    }
}

#[test]
fn a_100k_reply_becomes_parts_of_at_most_4096_units() {
    let line = format!("{}\n", "x".repeat(99));
    let text = line.repeat(1000);
    let parts = split_text(&text, 4096);
    assert_eq!(parts.len(), 25);
    assert!(parts.iter().all(|p| utf16_len(p) <= 4096 && p.ends_with('\n')));
    assert_eq!(parts.concat(), text);
}
