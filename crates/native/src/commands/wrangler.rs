//! `miti99bot wrangler [--check]`: `crates/worker/wrangler.toml`'s `MODULES` and cron triggers
//! from the module catalog (see [`crate::wrangler_toml`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::CliError;
use crate::wrangler_toml::{update, WorkersVars, WRITE_COMMAND};

/// Options of `wrangler`.
#[derive(Debug, Args)]
pub struct WranglerArgs {
    /// The Worker's configuration file.
    #[arg(long, default_value = "crates/worker/wrangler.toml")]
    pub config: PathBuf,
    /// Only check: exit non-zero, naming the command to run, when the file is out of date.
    #[arg(long)]
    pub check: bool,
}

/// Writes (or checks) the two lines.
pub async fn run(args: WranglerArgs) -> Result<ExitCode, CliError> {
    let path = args.config.display().to_string();
    let vars = WorkersVars::of(&miti99bot_modules::catalog())?;
    let text = std::fs::read_to_string(&args.config).map_err(|e| CliError::Other(format!("{path}: {e}")))?;
    let (updated, differences) = update(&text, &vars).map_err(|e| CliError::Other(format!("{path}: {e}")))?;
    if differences.is_empty() {
        println!("{path}: MODULES and [triggers] crons follow the module catalog");
        return Ok(ExitCode::SUCCESS);
    }
    if args.check {
        eprintln!("{path} does not follow the module catalog (crates/modules/src/lib.rs):");
        for difference in &differences {
            eprintln!("  has    {}\n  wants  {}", difference.found, difference.wanted);
        }
        eprintln!("run `{WRITE_COMMAND}` to write it");
        return Ok(ExitCode::FAILURE);
    }
    std::fs::write(&args.config, updated).map_err(|e| CliError::Other(format!("{path}: {e}")))?;
    for difference in &differences {
        println!("{path}: {}", difference.wanted);
    }
    Ok(ExitCode::SUCCESS)
}
