//! Keeps `docs/adding-a-module.md`, `docs/using-sql.md`, `docs/using-cron.md` and
//! `docs/buttons.md` honest.
//!
//! - A fenced block right after `<!-- excerpt: <path> -->` must be real code: its lines appear
//!   verbatim (up to indentation) in that file, in order; a line `// ...` or `-- ...` skips.
//! - A `text` block right after `<!-- transcript: VAR=value ... -->` is a chat: lines starting
//!   with `> ` are sent to a bot (trading on `TestBot`, plus the variables, real SQLite), and the
//!   lines up to the next `> ` must be the reply, exactly.
//! - Every line of an `sh` block is a command a test or CI runs: `cargo test -p
//!   miti99bot-modules [--test <an existing test>]`, a line of `.ci/run`, or a `miti99bot`
//!   invocation whose arguments the native crate's tests pass.
//! - `rust` blocks without a marker are doc-tests (`src/trading/docs_doctests.rs` includes the
//!   pages), so they compile and run; `rust ignore` is only allowed for excerpts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use miti99bot_testkit::TestBot;

const PAGES: [&str; 4] = [
    "docs/adding-a-module.md",
    "docs/using-sql.md",
    "docs/using-cron.md",
    "docs/buttons.md",
];

/// 2026-11-28T17:00:00Z, the time transcripts run at.
const T0: i64 = 1_795_885_200_000;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fenced block: its info string, body lines, and the marker comment right before it.
struct Block {
    page: &'static str,
    line: usize,
    info: String,
    marker: Option<String>,
    body: Vec<String>,
}

fn blocks(page: &'static str) -> Vec<Block> {
    let text = read(page);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(info) = lines[i].trim_start().strip_prefix("```") {
            let start = i;
            let marker = (0..i)
                .rev()
                .map(|j| lines[j].trim())
                .find(|l| !l.is_empty())
                .filter(|l| l.starts_with("<!--") && l.ends_with("-->"))
                .map(|l| l.trim_start_matches("<!--").trim_end_matches("-->").trim().to_owned());
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                body.push(lines[i].to_owned());
                i += 1;
            }
            out.push(Block {
                page,
                line: start + 1,
                info: info.trim().to_owned(),
                marker,
                body,
            });
        }
        i += 1;
    }
    out
}

fn all_blocks() -> Vec<Block> {
    PAGES.iter().flat_map(|p| blocks(p)).collect()
}

fn indent(s: &str) -> &str {
    &s[..s.len() - s.trim_start().len()]
}

/// True when `chunk` appears in `file` at or after `from`, all lines shifted by one indentation.
fn find_chunk(file: &[&str], chunk: &[String], from: usize) -> Option<usize> {
    let first = chunk.first()?;
    (from..file.len())
        .find(|&start| {
            if start + chunk.len() > file.len() || file[start].trim() != first.trim() {
                return false;
            }
            let Some(shift) = indent(file[start]).strip_suffix(indent(first)) else {
                return false;
            };
            chunk.iter().enumerate().all(|(k, line)| {
                let f = file[start + k];
                if line.trim().is_empty() {
                    f.trim().is_empty()
                } else {
                    f == format!("{shift}{line}")
                }
            })
        })
        .map(|start| start + chunk.len())
}

#[test]
fn excerpts_are_real_code() {
    let mut checked = 0;
    for block in all_blocks() {
        let Some(path) = block.marker.as_deref().and_then(|m| m.strip_prefix("excerpt:")) else {
            continue;
        };
        let path = path.trim();
        let source = read(path);
        let file: Vec<&str> = source.lines().collect();
        let mut from = 0;
        for chunk in block
            .body
            .split(|l| matches!(l.trim(), "// ..." | "-- ..."))
            .filter(|c| !c.is_empty())
        {
            from = find_chunk(&file, chunk, from).unwrap_or_else(|| {
                panic!(
                    "{}:{}: excerpt is not in {path} (or out of order):\n{}",
                    block.page,
                    block.line,
                    chunk.join("\n")
                )
            });
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} excerpts found");
}

#[test]
fn ignored_rust_blocks_are_excerpts() {
    for block in all_blocks() {
        let words: Vec<&str> = block.info.split([',', ' ']).filter(|w| !w.is_empty()).collect();
        if words.first() == Some(&"rust") && words.contains(&"ignore") {
            assert!(
                block.marker.as_deref().is_some_and(|m| m.starts_with("excerpt:")),
                "{}:{}: an ignored rust block must be an excerpt",
                block.page,
                block.line
            );
        }
    }
}

fn existing_test(name: &str) -> bool {
    root().join("crates/modules/tests").join(format!("{name}.rs")).is_file()
}

/// True when every argument is passed as a string literal by some native integration test.
fn native_tests_run(args: &[&str]) -> bool {
    let dir = root().join("crates/native/tests");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let sources: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    args.iter()
        .all(|a| sources.iter().any(|s| s.contains(&format!("\"{a}\""))))
}

#[test]
fn shell_commands_are_run_by_tests_or_ci() {
    let ci = read(".ci/run");
    let mut checked = 0;
    for block in all_blocks().into_iter().filter(|b| b.info == "sh") {
        for line in block
            .body
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let words: Vec<&str> = line.split_whitespace().collect();
            let ok = match words.as_slice() {
                ["cargo", "test", "-p", "miti99bot-modules"] => true,
                ["cargo", "test", "-p", "miti99bot-modules", "--test", name] => existing_test(name),
                ["miti99bot", args @ ..] => !args.is_empty() && native_tests_run(args),
                _ => ci.lines().any(|l| l.trim() == line),
            };
            assert!(ok, "{}:{}: `{line}` is not run by a test or CI", block.page, block.line);
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[tokio::test]
async fn transcripts_are_what_the_bot_answers() {
    let mut checked = 0;
    for block in all_blocks() {
        let Some(vars) = block.marker.as_deref().and_then(|m| m.strip_prefix("transcript:")) else {
            continue;
        };
        let mut builder = TestBot::builder().catalog(&miti99bot_modules::catalog(), &["trading"]);
        for pair in vars.split_whitespace() {
            let (k, v) = pair.split_once('=').unwrap();
            builder = builder.var(k, v);
        }
        let bot = builder.at_ms(T0).start().await.unwrap();

        // (message, expected reply) pairs.
        let mut exchanges: Vec<(String, Vec<String>)> = Vec::new();
        for line in &block.body {
            match line.strip_prefix("> ") {
                Some(message) => exchanges.push((message.to_owned(), Vec::new())),
                None => exchanges
                    .last_mut()
                    .unwrap_or_else(|| panic!("{}:{}: transcript starts with a reply", block.page, block.line))
                    .1
                    .push(line.clone()),
            }
        }
        for (message, expected) in &exchanges {
            assert_eq!(
                bot.message(message).from(4242).await.texts(),
                vec![expected.join("\n")],
                "{}:{}: reply to {message:?}",
                block.page,
                block.line
            );
        }
        checked += 1;
    }
    assert!(checked > 0);
}
