//! The table-prefix rule of module migrations, checked when the registry is built natively and
//! for every pending migration when a migration run is planned (on every runtime).
//!
//! Every schema object a module's migration creates, alters or drops is named `<module>_…`
//! (ASCII case-insensitive, as SQLite compares names). In each statement of each migration,
//! after comments, with keywords in any case and names bare or quoted (`"x"`, `` `x` ``, `[x]`,
//! `'x'`; a `schema.` qualifier is ignored):
//!
//! | statement | must carry the prefix |
//! |---|---|
//! | `CREATE [TEMP\|TEMPORARY] [VIRTUAL] TABLE [IF NOT EXISTS] name` | `name` |
//! | `CREATE VIEW [IF NOT EXISTS] name` | `name` |
//! | `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table` | `name` and `table` |
//! | `CREATE TRIGGER [IF NOT EXISTS] name … ON table` | `name` and `table` |
//! | `ALTER TABLE name …` (`RENAME TO new`, `ADD COLUMN`, `RENAME COLUMN`, `DROP COLUMN`) | `name`, and `new` |
//! | `DROP TABLE\|VIEW\|INDEX\|TRIGGER [IF EXISTS] name` | `name` |
//!
//! An index may also be named `idx_<module>_…`, the form trading's first migration (already
//! applied, so never to be edited) uses. An index or trigger on another module's table is an
//! error even when its own name is prefixed: it would change that module's data or behaviour.
//!
//! Not checked: what a view selects, what a trigger body or a `CREATE TABLE … AS SELECT` reads
//! or writes, `INSERT`/`UPDATE`/`DELETE` statements, and any SQL at runtime ([`ModuleSql`]
//! runs queries as written, unprefixed and unchecked).
//!
//! [`ModuleSql`]: crate::sql::ModuleSql

use std::iter::Peekable;

use crate::migrate::Migration;
use crate::sql::rules::skip_space_and_comments;
use crate::sql::split::split_statements;
use crate::wiring_error::WiringError;

/// Checks the table-prefix rule on every statement of `migration`, a migration of `module`.
///
/// The error names the module, the file and the first offending object; a file that cannot be
/// split into statements is an [`WiringError::InvalidMigration`].
pub fn check_table_prefixes(module: &str, migration: &Migration) -> Result<(), WiringError> {
    let statements = split_statements(&migration.sql).map_err(|e| WiringError::InvalidMigration {
        module: module.to_owned(),
        file: migration.file.clone(),
        reason: format!("cannot be split into statements: {e}"),
    })?;
    let prefix = format!("{module}_");
    for statement in &statements {
        if let Some(what) = violation(statement, &prefix) {
            return Err(WiringError::UnprefixedSchemaObject {
                module: module.to_owned(),
                file: migration.file.clone(),
                what,
                prefix,
            });
        }
    }
    Ok(())
}

/// What `statement` does outside `prefix` (`creates table "x"`), if anything.
fn violation(statement: &str, prefix: &str) -> Option<String> {
    let mut tokens = Tokens { rest: statement }.peekable();
    let first = tokens.next()?;
    if first.is_keyword("CREATE") {
        create_statement(&mut tokens, prefix)
    } else if first.is_keyword("ALTER") {
        alter_statement(&mut tokens, prefix)
    } else if first.is_keyword("DROP") {
        drop_statement(&mut tokens, prefix)
    } else {
        None
    }
}

/// The kinds of schema object the rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Table,
    Index,
    View,
    Trigger,
}

impl Kind {
    fn parse(token: &Token) -> Option<Self> {
        [
            ("TABLE", Kind::Table),
            ("INDEX", Kind::Index),
            ("VIEW", Kind::View),
            ("TRIGGER", Kind::Trigger),
        ]
        .into_iter()
        .find_map(|(keyword, kind)| token.is_keyword(keyword).then_some(kind))
    }

    fn word(self) -> &'static str {
        match self {
            Kind::Table => "table",
            Kind::Index => "index",
            Kind::View => "view",
            Kind::Trigger => "trigger",
        }
    }

    /// True when `name` is allowed for an object of this kind.
    fn allows(self, name: &str, prefix: &str) -> bool {
        has_prefix(name, prefix)
            || (self == Kind::Index && strip_prefix_ci(name, "idx_").is_some_and(|rest| has_prefix(rest, prefix)))
    }
}

fn create_statement(tokens: &mut Peekable<Tokens<'_>>, prefix: &str) -> Option<String> {
    let mut token = tokens.next()?;
    for modifier in ["TEMP", "TEMPORARY", "UNIQUE", "VIRTUAL"] {
        if token.is_keyword(modifier) {
            token = tokens.next()?;
        }
    }
    let kind = Kind::parse(&token)?;
    skip_keywords(tokens, &["IF", "NOT", "EXISTS"]);
    let name = qualified_name(tokens)?;
    if !kind.allows(&name, prefix) {
        return Some(format!("creates {} {name:?}", kind.word()));
    }
    if matches!(kind, Kind::Index | Kind::Trigger) {
        // An index's ON follows its name; a trigger's follows its timing and event
        // (`AFTER UPDATE OF a, b ON t`), where ON cannot appear unquoted before.
        tokens.find(|t| t.is_keyword("ON"))?;
        let table = qualified_name(tokens)?;
        if !has_prefix(&table, prefix) {
            return Some(format!("creates {} {name:?} on table {table:?}", kind.word()));
        }
    }
    None
}

fn alter_statement(tokens: &mut Peekable<Tokens<'_>>, prefix: &str) -> Option<String> {
    if !tokens.next()?.is_keyword("TABLE") {
        return None;
    }
    let name = qualified_name(tokens)?;
    if !has_prefix(&name, prefix) {
        return Some(format!("alters table {name:?}"));
    }
    if tokens.next()?.is_keyword("RENAME") && tokens.next()?.is_keyword("TO") {
        let new_name = tokens.next()?.text;
        if !has_prefix(&new_name, prefix) {
            return Some(format!("renames table {name:?} to {new_name:?}"));
        }
    }
    None
}

fn drop_statement(tokens: &mut Peekable<Tokens<'_>>, prefix: &str) -> Option<String> {
    let kind = Kind::parse(&tokens.next()?)?;
    skip_keywords(tokens, &["IF", "EXISTS"]);
    let name = qualified_name(tokens)?;
    (!kind.allows(&name, prefix)).then(|| format!("drops {} {name:?}", kind.word()))
}

/// Consumes the leading tokens that are these keywords, in this order.
fn skip_keywords(tokens: &mut Peekable<Tokens<'_>>, keywords: &[&str]) {
    for keyword in keywords {
        if tokens.next_if(|t| t.is_keyword(keyword)).is_none() {
            return;
        }
    }
}

/// `name` or `schema.name`: the name.
fn qualified_name(tokens: &mut Peekable<Tokens<'_>>) -> Option<String> {
    let first = tokens.next()?;
    if first.is_name() && tokens.next_if(|t| t.is_punct('.')).is_some() {
        return tokens.next().map(|t| t.text);
    }
    first.is_name().then_some(first.text)
}

fn has_prefix(name: &str, prefix: &str) -> bool {
    strip_prefix_ci(name, prefix).is_some()
}

/// `name` without `prefix`, compared ASCII case-insensitively.
fn strip_prefix_ci<'n>(name: &'n str, prefix: &str) -> Option<&'n str> {
    let head = name.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &name[prefix.len()..])
}

/// One token of a statement: a bare word, a quoted name or a punctuation character.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    /// The word, the unquoted name or the character.
    text: String,
    kind: TokenKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    Word,
    Quoted,
    Punct,
}

impl Token {
    /// A bare (unquoted) word equal to `keyword`, in any case.
    fn is_keyword(&self, keyword: &str) -> bool {
        self.kind == TokenKind::Word && self.text.eq_ignore_ascii_case(keyword)
    }

    fn is_name(&self) -> bool {
        self.kind != TokenKind::Punct
    }

    fn is_punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct && self.text.strip_prefix(c) == Some("")
    }
}

/// The tokens of a statement, skipping white space and comments; lazily, as the rule only
/// reads the head of a statement.
struct Tokens<'a> {
    rest: &'a str,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        self.rest = skip_space_and_comments(self.rest);
        let c = self.rest.chars().next()?;
        let (token, len) = match c {
            '"' | '`' | '\'' => quoted(self.rest, c, c),
            '[' => quoted(self.rest, '[', ']'),
            c if is_word_char(c) => {
                let len = self.rest.find(|c: char| !is_word_char(c)).unwrap_or(self.rest.len());
                (
                    Token {
                        text: self.rest[..len].to_owned(),
                        kind: TokenKind::Word,
                    },
                    len,
                )
            }
            c => (
                Token {
                    text: c.to_string(),
                    kind: TokenKind::Punct,
                },
                c.len_utf8(),
            ),
        };
        self.rest = &self.rest[len..];
        Some(token)
    }
}

/// SQLite's bare identifier characters (any non-ASCII character is one too).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// The name quoted at the start of `s` (a doubled closing quote stands for one) and the length
/// it takes; an unterminated quote runs to the end.
fn quoted(s: &str, open: char, close: char) -> (Token, usize) {
    let mut text = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    let mut len = s.len();
    while let Some((i, c)) = chars.next() {
        if c == close {
            if open == close && chars.peek().is_some_and(|&(_, n)| n == close) {
                chars.next();
                text.push(close);
                continue;
            }
            len = i + close.len_utf8();
            break;
        }
        text.push(c);
    }
    (
        Token {
            text,
            kind: TokenKind::Quoted,
        },
        len,
    )
}

#[cfg(test)]
mod tests {
    use super::{violation, Tokens};

    #[test]
    fn tokens_unquote_names_and_skip_comments() {
        let texts: Vec<String> = Tokens {
            rest: "/* c */ CREATE -- x\n TABLE \"a\"\"b\" [c d] `e` 'f' main.g(",
        }
        .map(|t| t.text)
        .collect();
        assert_eq!(
            texts,
            ["CREATE", "TABLE", "a\"b", "c d", "e", "f", "main", ".", "g", "("]
        );
    }

    #[test]
    fn statements_other_than_create_alter_drop_pass() {
        for sql in [
            "INSERT INTO other (x) VALUES (1)",
            "SELECT 1",
            "CREATE",
            "ALTER TABLE",
            "DROP TABLE IF EXISTS",
            "PRAGMA foreign_keys = ON",
        ] {
            assert_eq!(violation(sql, "m_"), None, "{sql}");
        }
    }
}
