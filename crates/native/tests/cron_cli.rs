//! `miti99bot cron list` / `cron run` through the real binary.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::process::Command;

use miti99bot_core::bot::select_modules;
use miti99bot_core::{Config, Registry};

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

/// Every cron of the built-in modules (the binary's default `MODULES`), from the catalog, so a
/// module's new cron changes the expectations instead of breaking them.
fn declared_crons() -> Vec<(String, String)> {
    let modules = select_modules(&miti99bot_modules::catalog(), &Config::default()).unwrap();
    let registry = Registry::build(modules).unwrap();
    registry
        .crons()
        .iter()
        .map(|c| (c.id(), c.cron.schedule().to_owned()))
        .collect()
}

#[test]
fn list_run_and_unknown_job() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let crons = declared_crons();
    let (out, err, code) = run(&db, &["list"]);
    assert_eq!(code, Some(0), "{err}");
    for (job, schedule) in &crons {
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("{job}  ")))
            .unwrap_or_else(|| panic!("{job}: {out}"));
        assert!(
            line.starts_with(&format!("{job}  schedule \"{schedule}\"  next ")),
            "{line}"
        );
        assert!(line.ends_with("last never run"), "{line}");
    }
    assert_eq!(out.lines().count(), crons.len().max(1), "{out}");
    let Some((job, _)) = crons.first() else {
        assert_eq!(out, "no crons declared by the enabled modules\n");
        return;
    };
    let (out, err, code) = run(&db, &["run", job]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, format!("{job}: ok\n"));
    let (out, _, _) = run(&db, &["list"]);
    let line = out.lines().find(|l| l.starts_with(&format!("{job}  "))).unwrap();
    assert!(line.ends_with(" ok") && !line.contains("never run"), "{line}");
    let (_, err, code) = run(&db, &["run", "nosuch/nope"]);
    assert_eq!(code, Some(1));
    let known: Vec<&str> = crons.iter().map(|(job, _)| job.as_str()).collect();
    assert!(
        err.contains(&format!(
            "unknown cron job \"nosuch/nope\" (known: {})",
            known.join(", ")
        )),
        "{err}"
    );
}
