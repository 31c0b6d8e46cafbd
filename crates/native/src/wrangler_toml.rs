//! `crates/worker/wrangler.toml`'s two lines that follow the module catalog: `[vars] MODULES`
//! and `[triggers] crons`. `miti99bot wrangler` writes them, `miti99bot wrangler --check` fails
//! when they differ; every other line is left as it is.

use miti99bot_core::bot::select_modules;
use miti99bot_core::{Catalog, Config, Registry, WiringError};

/// The command that rewrites the two lines, as a CI failure names it.
pub const WRITE_COMMAND: &str = "cargo run -p miti99bot -- wrangler";

/// What the Worker's configuration must say for the catalog: every module, in catalog order,
/// and the union of their cron schedules, in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkersVars {
    /// `MODULES`, e.g. `util,misc,trading`.
    pub modules: String,
    /// The `[triggers] crons` list.
    pub crons: Vec<String>,
}

impl WorkersVars {
    /// The values for `catalog`, every module built from an empty configuration.
    pub fn of(catalog: &Catalog) -> Result<Self, WiringError> {
        let registry = Registry::build(select_modules(catalog, &Config::default())?)?;
        Ok(Self {
            modules: registry.modules().join(","),
            crons: registry.schedules(),
        })
    }

    fn modules_line(&self) -> String {
        format!("MODULES = {}", quoted(&self.modules))
    }

    fn crons_line(&self) -> String {
        let list: Vec<String> = self.crons.iter().map(|c| quoted(c)).collect();
        format!("crons = [{}]", list.join(", "))
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Why the file could not be brought up to date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WranglerTomlError {
    /// The section lacks its line (the file was edited by hand): nothing is added blindly.
    #[error("no `{key} = ...` line in the [{section}] section")]
    MissingLine {
        /// `vars` or `triggers`.
        section: &'static str,
        /// `MODULES` or `crons`.
        key: &'static str,
    },
}

/// One line that differs: what the file has and what the catalog wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What the file has.
    pub found: String,
    /// What it should have.
    pub wanted: String,
}

/// `text` with its `MODULES` and `crons` lines set to `vars`, and the lines that changed.
pub fn update(text: &str, vars: &WorkersVars) -> Result<(String, Vec<Difference>), WranglerTomlError> {
    let wanted = [
        ("vars", "MODULES", vars.modules_line()),
        ("triggers", "crons", vars.crons_line()),
    ];
    let mut found = [false, false];
    let mut differences = Vec::new();
    let mut section = String::new();
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.trim_matches(|c| c == '[' || c == ']').trim().to_owned();
        }
        let key = trimmed.split('=').next().map(str::trim);
        let slot = wanted
            .iter()
            .position(|(s, k, _)| section == *s && key == Some(*k) && trimmed.contains('='));
        match slot {
            Some(i) => {
                found[i] = true;
                let want = &wanted[i].2;
                if trimmed != want {
                    differences.push(Difference {
                        found: trimmed.to_owned(),
                        wanted: want.clone(),
                    });
                }
                out.push(want.clone());
            }
            None => out.push(line.to_owned()),
        }
    }
    for (i, (section, key, _)) in wanted.iter().enumerate() {
        if !found[i] {
            return Err(WranglerTomlError::MissingLine { section, key });
        }
    }
    let mut updated = out.join("\n");
    if text.ends_with('\n') {
        updated.push('\n');
    }
    Ok((updated, differences))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "name = \"x\"\n\n[vars]\n# which modules\nMODULES = \"util\"\nOTHER = \"1\"\n\n[triggers]\ncrons = [\"0 17 * * *\"]\n";

    fn vars() -> WorkersVars {
        WorkersVars {
            modules: "util,notes".into(),
            crons: vec!["0 17 * * *".into(), "0 3 * * *".into()],
        }
    }

    #[test]
    fn only_the_two_lines_change() {
        let (updated, differences) = update(FILE, &vars()).unwrap();
        assert_eq!(
            updated,
            "name = \"x\"\n\n[vars]\n# which modules\nMODULES = \"util,notes\"\nOTHER = \"1\"\n\n[triggers]\ncrons = [\"0 17 * * *\", \"0 3 * * *\"]\n"
        );
        assert_eq!(differences.len(), 2);
        assert_eq!(differences[0].found, "MODULES = \"util\"");
        let (again, none) = update(&updated, &vars()).unwrap();
        assert_eq!((again.as_str(), none.len()), (updated.as_str(), 0));
    }

    #[test]
    fn a_missing_line_is_an_error_not_an_addition() {
        let error = update("[vars]\nMODULES = \"a\"\n", &vars()).unwrap_err();
        assert_eq!(error.to_string(), "no `crons = ...` line in the [triggers] section");
        let no_crons = WorkersVars {
            crons: vec![],
            ..vars()
        };
        let (updated, _) = update(FILE, &no_crons).unwrap();
        assert!(updated.contains("\ncrons = []\n"), "{updated}");
    }
}
