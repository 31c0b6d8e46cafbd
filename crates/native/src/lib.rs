//! The native runtime of miti99bot: one binary with an embedded SQLite file.
//!
//! - [`cli`]: the command line (`chat`, `migrate`, ...).
//! - [`settings`]: configuration from the environment and `.env`, and the database path.
//! - [`database`]: opening the SQLite file and applying migrations.
//! - [`chat`]: the offline chat console.
//! - [`telegram_client`]: the Bot API over HTTPS (reqwest, rustls).
//! - [`http_client`]: the modules' HTTP client (`ctx.http()`), reqwest with rustls.
//! - [`runtime`]: the started bot `serve` and `poll` share; [`updates`]: applying an update at
//!   most once, in chat order.
//! - [`webhook`]: `serve`; [`poll`]: `poll`; [`register`]: `register`.
//! - [`shutdown`]: the SIGINT/SIGTERM signal every long-running task shares.
//! - [`d1`]: migrating Cloudflare D1 through wrangler.
//! - [`scheduler`]: the in-process cron scheduler and its run log.
//! - [`wrangler_toml`]: the Worker's `MODULES` and cron triggers from the module catalog.

#![forbid(unsafe_code)]

pub mod chat;
pub mod cli;
pub mod commands;
pub mod d1;
pub mod database;
pub mod error;
pub mod http_client;
pub mod logging;
pub mod offline_telegram;
pub mod os_random;
pub mod poll;
pub mod register;
pub mod runtime;
pub mod scheduler;
pub mod settings;
pub mod shutdown;
pub mod system_clock;
pub mod telegram_client;
pub mod updates;
pub mod webhook;
pub mod wrangler_toml;
