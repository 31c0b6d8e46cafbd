//! `miti99bot register`: setWebhook + setMyCommands (or print them with `--dry-run`).

use std::process::ExitCode;

use clap::Args;

use crate::error::CliError;
use crate::register::{register, RegisterPlan};
use crate::runtime::telegram_client;
use crate::settings::{load_config, require, SECRET_VAR, TOKEN_VAR, WEBHOOK_URL_VAR};

/// Options of `register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// Print both payloads (secret redacted) and call nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Registers the webhook and the command menu.
///
/// Needs `TELEGRAM_BOT_TOKEN`, `TELEGRAM_WEBHOOK_SECRET` and `WEBHOOK_URL`; a dry run needs no
/// token (it calls nothing) but still the URL and secret its payload holds.
pub async fn run(args: RegisterArgs) -> Result<ExitCode, CliError> {
    let config = load_config()?;
    let needed: &[&str] = if args.dry_run {
        &[SECRET_VAR, WEBHOOK_URL_VAR]
    } else {
        &[TOKEN_VAR, SECRET_VAR, WEBHOOK_URL_VAR]
    };
    require(&config, needed).map_err(CliError::Config)?;
    let plan = RegisterPlan::from_config(&config)?;
    if args.dry_run {
        print!("{}", plan.dry_run_text());
        return Ok(ExitCode::SUCCESS);
    }
    let telegram = telegram_client(&config)?;
    match register(&plan, &telegram).await {
        Ok(()) => {
            print!("{}", plan.summary());
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            eprintln!("error: register: {failure}");
            Ok(ExitCode::FAILURE)
        }
    }
}
