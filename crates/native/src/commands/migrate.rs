//! `miti99bot migrate`: apply pending migrations to the SQLite file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use miti99bot_core::bot::select_modules;

use crate::database;
use crate::error::CliError;
use crate::settings::{db_path, load_config};

/// Options of `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// SQLite database file (default: $MITI99BOT_DB or ./data/miti99bot.db).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Print what is pending without applying anything.
    #[arg(long)]
    pub dry_run: bool,
}

/// Plans, prints and (unless dry run) applies the enabled modules' migrations.
pub async fn run(args: MigrateArgs) -> Result<ExitCode, CliError> {
    let config = load_config()?;
    let path = db_path(args.db, &config);
    let modules = select_modules(&miti99bot_modules::catalog(), &config)?;
    let migrations = database::migrations_of(&modules);
    let opened = database::open(&path, config)?;
    let runner = database::runner(&opened.services)?;
    let plan = runner.plan(&migrations).await?;
    println!("database: {}", path.display());
    for name in &plan.applied {
        println!("  applied  {name}");
    }
    for migration in &plan.pending {
        println!("  pending  {}", migration.name());
    }
    if plan.pending.is_empty() {
        println!("nothing to apply ({} migration(s) already applied)", plan.applied.len());
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        println!("dry run: {} pending migration(s) not applied", plan.pending.len());
        return Ok(ExitCode::SUCCESS);
    }
    let now = opened.services.clock.now_ms();
    let applied = runner.apply(&migrations, now).await?;
    for name in &applied {
        println!("  applied  {name}  (now)");
    }
    println!("applied {} migration(s)", applied.len());
    Ok(ExitCode::SUCCESS)
}
