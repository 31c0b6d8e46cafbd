//! `miti99bot cron list` / `cron run` through the real binary.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn run(db: &std::path::Path, args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_miti99bot"))
        .arg("cron")
        .args(args)
        .arg("--db")
        .arg(db)
        .env_clear()
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

#[test]
fn list_run_and_unknown_job() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let (out, err, code) = run(&db, &["list"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("trading/trim-trades  schedule \"0 17 * * *\"  next ") && out.contains("last never run"),
        "{out}"
    );
    let (out, err, code) = run(&db, &["run", "trading/trim-trades"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "trading/trim-trades: ok\n");
    let (out, _, _) = run(&db, &["list"]);
    let trim = out
        .lines()
        .find(|l| l.starts_with("trading/trim-trades"))
        .unwrap_or_default();
    assert!(trim.ends_with(" ok") && !trim.contains("never run"), "{out}");
    assert!(
        out.contains("wordle/purge-rounds  schedule \"0 17 * * *\"") && out.contains("last never run"),
        "{out}"
    );
    let (_, err, code) = run(&db, &["run", "trading/nope"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(
            "unknown cron job \"trading/nope\" (known: wordle/purge-rounds, loldle/purge-rounds, trading/trim-trades)"
        ),
        "{err}"
    );
}
