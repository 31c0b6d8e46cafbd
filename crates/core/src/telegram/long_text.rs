//! Splitting a message text over Telegram's limit into parts that each fit, so a long reply is
//! sent in order instead of refused ("message is too long").
//!
//! - Length is counted in UTF-16 code units, as Telegram counts it ([`TEXT_LIMIT`]).
//! - A cut falls after the last line break that fits, else after the last white space, else
//!   at the last character that fits (never inside a character).
//! - HTML ([`split_html`]) stays balanced: the tags open at a cut are closed at the end of the
//!   part and opened again, with their attributes, at the start of the next one. A cut never
//!   falls inside a tag or an entity (`&amp;`). The raw HTML is what is counted, which is never
//!   shorter than the text Telegram counts after parsing it.
//!
//! A part only grows past the limit when a single tag, entity or the tags open around it
//! cannot fit in one part at all (tags over a few thousand characters); the splitter then
//! still moves forward by one piece rather than loop.

/// The most UTF-16 code units Telegram accepts in one message's text.
pub const TEXT_LIMIT: usize = 4096;

/// `text` (plain) in parts of at most `limit` UTF-16 units; their concatenation is `text`.
/// A text that fits is returned as one part.
pub fn split_text(text: &str, limit: usize) -> Vec<String> {
    split(text, limit, false)
}

/// `html` (Telegram HTML) in balanced parts of at most `limit` UTF-16 units.
pub fn split_html(html: &str, limit: usize) -> Vec<String> {
    split(html, limit, true)
}

/// UTF-16 length of `text`.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// One piece of the source, as byte offsets into it.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    kind: PieceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    /// One character of text (`\n` and white space are where cuts are preferred).
    Char(char),
    /// `&name;` or `&#123;`: kept whole.
    Entity,
    /// `<name ...>`.
    Open,
    /// `</name>`.
    Close,
    /// `<br/>`-like or a comment: kept whole, opens nothing.
    Other,
}

/// An open tag: its name (for matching the close) and its source (to open it again).
#[derive(Debug, Clone)]
struct OpenTag {
    name: String,
    start: usize,
    end: usize,
}

fn split(source: &str, limit: usize, html: bool) -> Vec<String> {
    if utf16_len(source) <= limit {
        return vec![source.to_owned()];
    }
    let pieces = pieces(source, html);
    let mut parts = Vec::new();
    let mut at = 0;
    let mut open: Vec<OpenTag> = Vec::new();
    while at < pieces.len() {
        let (end, still_open) = next_cut(source, &pieces, at, &open, limit);
        let mut part = String::new();
        for tag in &open {
            part.push_str(&source[tag.start..tag.end]);
        }
        let (from, to) = (pieces[at].start, pieces[end - 1].end);
        part.push_str(&source[from..to]);
        for tag in still_open.iter().rev() {
            push_close(&mut part, &tag.name);
        }
        parts.push(part);
        at = end;
        open = still_open;
    }
    parts
}

/// Where the part starting at piece `at` (with `open` tags to reopen) ends, exclusive, and
/// the tags still open there. Always at least one piece past `at`.
fn next_cut(source: &str, pieces: &[Piece], at: usize, open: &[OpenTag], limit: usize) -> (usize, Vec<OpenTag>) {
    let mut stack = open.to_vec();
    let mut used: usize = open.iter().map(|t| utf16_len(&source[t.start..t.end])).sum();
    // Best cuts seen so far: after a line break, after white space.
    let mut after_newline: Option<(usize, Vec<OpenTag>)> = None;
    let mut after_space: Option<(usize, Vec<OpenTag>)> = None;
    let closing_of = |stack: &[OpenTag]| -> usize { stack.iter().map(|t| t.name.len() + 3).sum() };
    let mut closing = closing_of(&stack);
    let mut i = at;
    while i < pieces.len() {
        let piece = pieces[i];
        // Only a tag changes what is open (text is most pieces: no copy for it).
        let next_stack = matches!(piece.kind, PieceKind::Open | PieceKind::Close).then(|| {
            let mut next = stack.clone();
            apply(source, piece, &mut next);
            next
        });
        let next_closing = next_stack.as_deref().map_or(closing, closing_of);
        let size = utf16_len(&source[piece.start..piece.end]);
        if used + size + next_closing > limit && i > at {
            let cut = after_newline.or(after_space).filter(|(end, _)| *end > at);
            return cut.unwrap_or((i, stack));
        }
        used += size;
        if let Some(next) = next_stack {
            stack = next;
        }
        closing = next_closing;
        i += 1;
        match piece.kind {
            PieceKind::Char('\n') => after_newline = Some((i, stack.clone())),
            PieceKind::Char(c) if c.is_whitespace() => after_space = Some((i, stack.clone())),
            _ => {}
        }
    }
    (i, stack)
}

/// The open-tag stack after `piece`.
fn apply(source: &str, piece: Piece, stack: &mut Vec<OpenTag>) {
    match piece.kind {
        PieceKind::Open => stack.push(OpenTag {
            name: tag_name(&source[piece.start..piece.end]).to_owned(),
            start: piece.start,
            end: piece.end,
        }),
        PieceKind::Close => {
            let name = tag_name(&source[piece.start..piece.end]);
            if let Some(depth) = stack.iter().rposition(|t| t.name == name) {
                stack.truncate(depth);
            }
        }
        _ => {}
    }
}

fn push_close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The name of `<name ...>` or `</name>`, lower-cased by the caller's source as written.
fn tag_name(tag: &str) -> &str {
    let inner = tag.trim_start_matches('<').trim_start_matches('/');
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(inner.len());
    &inner[..end]
}

/// The source cut into pieces: characters, and in HTML whole tags and entities.
fn pieces(source: &str, html: bool) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(source.len());
    let mut chars = source.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let whole = if html { markup_end(source, start, c) } else { None };
        match whole {
            Some((end, kind)) => {
                while chars.peek().is_some_and(|(i, _)| *i < end) {
                    chars.next();
                }
                pieces.push(Piece { start, end, kind });
            }
            None => pieces.push(Piece {
                start,
                end: start + c.len_utf8(),
                kind: PieceKind::Char(c),
            }),
        }
    }
    pieces
}

/// The end and kind of a tag or entity starting at `start`, if one does.
fn markup_end(source: &str, start: usize, first: char) -> Option<(usize, PieceKind)> {
    let rest = &source[start..];
    match first {
        '<' => {
            let end = start + rest.find('>')? + 1;
            let tag = &source[start..end];
            let kind = if tag.starts_with("</") {
                PieceKind::Close
            } else if tag.ends_with("/>") || tag.starts_with("<!") || tag_name(tag).is_empty() {
                PieceKind::Other
            } else {
                PieceKind::Open
            };
            Some((end, kind))
        }
        '&' => {
            // `&name;` / `&#123;` / `&#x1F;`: short, no white space.
            let body = rest.get(1..)?;
            let semi = body.find(';')?;
            let name = &body[..semi];
            let plausible =
                (1..=10).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#');
            plausible.then_some((start + semi + 2, PieceKind::Entity))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_part() {
        assert_eq!(split_text("hello", 10), vec!["hello"]);
        assert_eq!(split_text("", 10), vec![""]);
        assert_eq!(split_html("<b>hi</b>", 9), vec!["<b>hi</b>"]);
    }

    #[test]
    fn cuts_after_the_last_line_break_that_fits() {
        let parts = split_text("aaaa\nbbbb\ncccc", 11);
        assert_eq!(parts, vec!["aaaa\nbbbb\n", "cccc"]);
        // No line break: after white space; none at all: at the limit.
        assert_eq!(split_text("aaa bbb ccc", 8), vec!["aaa bbb ", "ccc"]);
        assert_eq!(split_text("abcdefgh", 3), vec!["abc", "def", "gh"]);
    }

    #[test]
    fn counts_utf16_units_and_never_cuts_a_character() {
        // U+1F600 is two UTF-16 units.
        let text = "😀😀😀";
        let parts = split_text(text, 3);
        assert_eq!(parts, vec!["😀", "😀", "😀"]);
        assert_eq!(utf16_len("é😀"), 3);
    }

    #[test]
    fn html_tags_are_closed_and_reopened() {
        let parts = split_html("<b>one\ntwo three</b>", 14);
        assert_eq!(parts, vec!["<b>one\n</b>", "<b>two </b>", "<b>three</b>"]);
        let parts = split_html(r#"<a href="x">ab&amp;cd</a>"#, 21);
        assert_eq!(
            parts,
            vec![
                r#"<a href="x">ab</a>"#,
                r#"<a href="x">&amp;</a>"#,
                r#"<a href="x">cd</a>"#
            ]
        );
    }
}
