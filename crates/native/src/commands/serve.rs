//! `miti99bot serve`: the webhook server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::CliError;
use crate::runtime::Runtime;
use crate::settings::{db_path, load_config, require, webhook_options, webhook_secret, SECRET_VAR, TOKEN_VAR};
use crate::shutdown::Shutdown;
use crate::webhook::{WebhookOptions, WebhookServer};

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,
    /// SQLite database file (default: $MITI99BOT_DB or ./data/miti99bot.db).
    #[arg(long)]
    pub db: Option<PathBuf>,
}

/// Starts the bot and serves `POST /webhook` until SIGINT/SIGTERM.
pub async fn run(args: ServeArgs) -> Result<ExitCode, CliError> {
    let config = load_config()?;
    require(&config, &[TOKEN_VAR, SECRET_VAR]).map_err(CliError::Config)?;
    let mut options = WebhookOptions::new(&webhook_secret(&config)?);
    webhook_options(&config, &mut options)?;
    let shutdown = Shutdown::on_signals();
    let path = db_path(args.db, &config);
    let runtime = Runtime::start(config, &path).await?;
    options.database = Some(runtime.opened.db.clone());
    let server = WebhookServer::bind(args.addr, runtime.ingress(), options).await?;
    println!(
        "miti99bot serve: listening on http://{} (database {})",
        server.local_addr()?,
        path.display()
    );
    let crons = runtime.start_scheduler(shutdown.clone()).await?;
    server.run_until_shutdown(shutdown.clone()).await?;
    // The server stopped on its own only if shutdown was not requested: stop the crons too.
    shutdown.trigger();
    let _ = crons.await;
    eprintln!("miti99bot serve: stopped");
    Ok(ExitCode::SUCCESS)
}
