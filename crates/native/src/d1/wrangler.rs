//! Running `wrangler d1 execute` and reading its JSON.

use std::path::PathBuf;
use std::process::Stdio;

use serde::Deserialize;
use thiserror::Error;
use tokio::process::Command;

/// Local (wrangler's state on disk) or remote (Cloudflare) D1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum D1Target {
    /// `--local`.
    Local,
    /// `--remote`.
    Remote,
}

/// Why a wrangler call failed.
#[derive(Debug, Error)]
pub enum WranglerError {
    /// wrangler could not be started.
    #[error("could not run {program}: {reason} (install it with `npm ci`, or pass --wrangler PATH)")]
    Spawn {
        /// The program.
        program: String,
        /// The OS error.
        reason: String,
    },
    /// wrangler exited non-zero.
    #[error("wrangler d1 execute failed (exit {code}): {output}")]
    Failed {
        /// Exit code (-1 when killed).
        code: i32,
        /// What it printed.
        output: String,
    },
    /// Its output was not the expected JSON.
    #[error("unexpected wrangler output: {0}")]
    Output(String),
}

/// One statement's result in wrangler's `--json` output.
#[derive(Debug, Clone, Deserialize)]
struct StatementResult {
    #[serde(default)]
    results: Vec<serde_json::Value>,
}

/// How to reach one D1 database through wrangler.
#[derive(Debug, Clone)]
pub struct Wrangler {
    /// The wrangler executable.
    pub program: PathBuf,
    /// The database name or binding (as in wrangler.toml).
    pub database: String,
    /// Local or remote.
    pub target: D1Target,
    /// `--config`, when not the default.
    pub config: Option<PathBuf>,
    /// `--persist-to`, for local state outside `.wrangler/`.
    pub persist_to: Option<PathBuf>,
}

impl Wrangler {
    /// Runs `sql` (one or more statements, executed by D1 as one batch) and returns the rows of
    /// the last statement.
    pub async fn execute(&self, sql: &str) -> Result<Vec<serde_json::Value>, WranglerError> {
        let mut cmd = Command::new(&self.program);
        // `--command=` keeps SQL that starts with `--` (a comment) from being read as a flag.
        cmd.args(["d1", "execute", &self.database, "--json"])
            .arg(format!("--command={sql}"));
        cmd.arg(match self.target {
            D1Target::Local => "--local",
            D1Target::Remote => "--remote",
        });
        if let Some(config) = &self.config {
            cmd.arg("--config").arg(config);
        }
        if let Some(persist) = &self.persist_to {
            cmd.arg("--persist-to").arg(persist);
        }
        cmd.env("WRANGLER_SEND_METRICS", "false").stdin(Stdio::null());
        let out = cmd.output().await.map_err(|e| WranglerError::Spawn {
            program: self.program.display().to_string(),
            reason: e.to_string(),
        })?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            return Err(WranglerError::Failed {
                code: out.status.code().unwrap_or(-1),
                output: format!("{}\n{}", stdout.trim(), stderr.trim()).trim().to_owned(),
            });
        }
        // wrangler may print banners before the JSON array.
        let start = stdout.find('[').ok_or_else(|| WranglerError::Output(stdout.clone()))?;
        let results: Vec<StatementResult> =
            serde_json::from_str(&stdout[start..]).map_err(|e| WranglerError::Output(format!("{e}: {stdout}")))?;
        Ok(results.into_iter().last().map(|r| r.results).unwrap_or_default())
    }
}
