//! `miti99bot migrate`: apply pending migrations to the SQLite file, or to D1 through wrangler.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use miti99bot_core::bot::select_modules;
use miti99bot_core::migrate::{plan_against, AppliedMigration, Migration, MigrationPlan, CREATE_TRACKING_TABLE};
use miti99bot_core::Clock;

use crate::d1::{render_statement, D1Target, Wrangler};
use crate::database;
use crate::error::CliError;
use crate::settings::{db_path, load_config};
use crate::system_clock::SystemClock;

/// Options of `migrate`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("where").args(["local", "remote"]).requires("d1")))]
pub struct MigrateArgs {
    /// SQLite database file (default: $MITI99BOT_DB or ./data/miti99bot.db).
    #[arg(long, conflicts_with = "d1")]
    pub db: Option<PathBuf>,
    /// Migrate this D1 database (name or binding in wrangler.toml) through wrangler instead.
    #[arg(long, value_name = "DATABASE")]
    pub d1: Option<String>,
    /// With --d1: wrangler's local D1 state.
    #[arg(long)]
    pub local: bool,
    /// With --d1: the real database on Cloudflare.
    #[arg(long)]
    pub remote: bool,
    /// With --d1: the wrangler executable.
    #[arg(long, env = "WRANGLER_BIN", default_value = "wrangler")]
    pub wrangler: PathBuf,
    /// With --d1: wrangler's --config.
    #[arg(long)]
    pub wrangler_config: Option<PathBuf>,
    /// With --d1 --local: wrangler's --persist-to.
    #[arg(long)]
    pub persist_to: Option<PathBuf>,
    /// Print what is pending without applying anything (a database file that does not exist is
    /// not created).
    #[arg(long)]
    pub dry_run: bool,
}

/// Plans, prints and (unless dry run) applies the enabled modules' migrations.
pub async fn run(args: MigrateArgs) -> Result<ExitCode, CliError> {
    let config = load_config()?;
    let modules = select_modules(&miti99bot_modules::catalog(), &config)?;
    let migrations = database::migrations_of(&modules);
    if let Some(database) = args.d1.clone() {
        let target = match (args.local, args.remote) {
            (true, false) => D1Target::Local,
            (false, true) => D1Target::Remote,
            _ => return Err(CliError::Other("--d1 needs exactly one of --local or --remote".into())),
        };
        let wrangler = Wrangler {
            program: args.wrangler,
            database,
            target,
            config: args.wrangler_config,
            persist_to: args.persist_to,
        };
        return migrate_d1(&wrangler, &migrations, args.dry_run).await;
    }
    let path = db_path(args.db, &config);
    if args.dry_run && !path.exists() {
        // Opening would create the file (and its folder): a dry run plans against nothing.
        println!(
            "database: {} (does not exist; a dry run creates nothing)",
            path.display()
        );
        report(&plan_against(&migrations, &[])?, true);
        return Ok(ExitCode::SUCCESS);
    }
    let opened = database::open(&path, config)?;
    let runner = database::runner(&opened.services)?;
    let plan = runner.plan(&migrations).await?;
    println!("database: {}", path.display());
    if report(&plan, args.dry_run) {
        return Ok(ExitCode::SUCCESS);
    }
    let applied = runner.apply(&migrations, opened.services.clock.now_ms()).await?;
    for name in &applied {
        println!("  applied  {name}  (now)");
    }
    println!("applied {} migration(s)", applied.len());
    Ok(ExitCode::SUCCESS)
}

/// Prints the plan; true when there is nothing more to do (nothing pending, or a dry run).
fn report(plan: &MigrationPlan, dry_run: bool) -> bool {
    for name in &plan.applied {
        println!("  applied  {name}");
    }
    for migration in &plan.pending {
        println!("  pending  {}", migration.name());
    }
    if plan.pending.is_empty() {
        println!("nothing to apply ({} migration(s) already applied)", plan.applied.len());
        return true;
    }
    if dry_run {
        println!("dry run: {} pending migration(s) not applied", plan.pending.len());
        return true;
    }
    false
}

async fn migrate_d1(wrangler: &Wrangler, migrations: &[Migration], dry_run: bool) -> Result<ExitCode, CliError> {
    let d1 = |e: crate::d1::WranglerError| CliError::Other(format!("D1 {}: {e}", wrangler.database));
    wrangler.execute(CREATE_TRACKING_TABLE).await.map_err(d1)?;
    let rows = wrangler
        .execute("SELECT name, checksum, applied_at FROM _migrations ORDER BY name")
        .await
        .map_err(d1)?;
    let applied: Vec<AppliedMigration> = rows
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<_, _>>()
        .map_err(|e| CliError::Other(format!("D1 {}: unreadable _migrations row: {e}", wrangler.database)))?;
    let plan = plan_against(migrations, &applied)?;
    let place = match wrangler.target {
        D1Target::Local => "local",
        D1Target::Remote => "remote",
    };
    println!("D1 database: {} ({place})", wrangler.database);
    if report(&plan, dry_run) {
        return Ok(ExitCode::SUCCESS);
    }
    let mut count = 0;
    for migration in &plan.pending {
        let name = migration.name();
        let failed =
            |reason: String| CliError::Other(format!("migration {name} failed, nothing of it was applied: {reason}"));
        let statements = migration
            .statements(SystemClock.now_ms())
            .map_err(|e| failed(e.to_string()))?;
        let sql = statements
            .iter()
            .map(render_statement)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| failed(e.to_string()))?
            .join(";\n");
        wrangler.execute(&sql).await.map_err(|e| failed(e.to_string()))?;
        println!("  applied  {name}  (now)");
        count += 1;
    }
    println!("applied {count} migration(s)");
    Ok(ExitCode::SUCCESS)
}
