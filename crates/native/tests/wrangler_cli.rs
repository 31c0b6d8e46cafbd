//! `miti99bot wrangler [--check]` through the real binary: the repository's
//! `crates/worker/wrangler.toml` follows the module catalog (this is the check `cargo test` and
//! CI run), and a stale copy is named, rewritten in its two lines only, then passes.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use miti99bot_native::wrangler_toml::{WorkersVars, WRITE_COMMAND};

fn wrangler(config: &Path, check: bool) -> (String, String, Option<i32>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_miti99bot"));
    command.arg("wrangler").arg("--config").arg(config);
    if check {
        command.arg("--check");
    }
    let out = command.env_clear().current_dir(std::env::temp_dir()).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

fn repository_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../worker/wrangler.toml")
}

#[test]
fn the_workers_configuration_follows_the_catalog() {
    let (out, err, code) = wrangler(&repository_file(), true);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("follow the module catalog"), "{out}");
}

#[test]
fn a_stale_file_is_named_then_rewritten_in_two_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wrangler.toml");
    let original = std::fs::read_to_string(repository_file()).unwrap();
    let stale = original
        .lines()
        .map(|l| match l.trim_start() {
            l if l.starts_with("MODULES =") => "MODULES = \"util\"".to_owned(),
            l if l.starts_with("crons =") => "crons = []".to_owned(),
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    std::fs::write(&path, &stale).unwrap();

    let (_, err, code) = wrangler(&path, true);
    assert_eq!(code, Some(1));
    assert!(err.contains(&format!("run `{WRITE_COMMAND}`")), "{err}");
    assert!(err.contains("has    MODULES = \"util\""), "{err}");

    let (_, err, code) = wrangler(&path, false);
    assert_eq!(code, Some(0), "{err}");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        written, original,
        "only the two lines changed, back to the repository's"
    );
    let vars = WorkersVars::of(&miti99bot_modules::catalog()).unwrap();
    assert!(written.contains(&format!("MODULES = \"{}\"", vars.modules)));
    assert_eq!(wrangler(&path, true).2, Some(0));
}
