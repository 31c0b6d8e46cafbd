//! # miti99bot-core
//!
//! The runtime-agnostic core of miti99bot, a plug-and-play Telegram bot framework. Module
//! authors depend on this crate only; runtimes (the native binary, the Cloudflare Worker) and
//! stores (SQLite, D1, Workers KV) implement its traits.
//!
//! - [`Module`], [`Command`], [`Cron`]: what a feature declares ([`module`], [`command`], [`cron`]);
//!   [`Callback`]: typed buttons and their presses ([`callback`]); [`event`]: plain text,
//!   edited messages and the bot's chat membership, for the modules that ask.
//! - [`Bot`]: modules selected by `MODULES`, validated into a [`Registry`], and the one
//!   dispatch path ([`Bot::handle_update`]) every runtime calls.
//! - [`Services`]: what the runtime provides: configuration, stores, the clock, an HTTP client.
//! - [`ModuleEnv`]: one module's stores, configuration (no secrets), clock, HTTP and state,
//!   built once at start-up; [`CommandCtx`], [`CronCtx`] and [`InitCtx`] dereference to it and
//!   add what a handler (message, arguments, reply helpers), a cron (the event) gets.
//! - [`args`]: typed command arguments ([`CommandCtx::parse_args`], [`Command::usage`]).
//! - [`ingress`]: the one update pipeline: webhook checks, the claim of an update with its first
//!   effect, acknowledgement, webhook reply. The runtimes only translate HTTP to and from it.
//! - [`ledger`]: the update ledger ([`SqlLedger`](ledger::SqlLedger) on SQLite and D1).
//! - [`kv`]: the [`KvStore`](kv::KvStore) backend trait and the module's [`PrefixedKv`](kv::PrefixedKv).
//! - [`sql`]: the [`SqlStore`](sql::SqlStore) backend trait, D1's rules and [`ModuleSql`](sql::ModuleSql).
//! - [`migrate`]: per-module migrations and the [`MigrationRunner`](migrate::MigrationRunner).
//! - [`telegram`]: Bot API types and the [`TelegramApi`](telegram::TelegramApi) trait.
//! - [`schedule`]: 5-field UTC cron schedules.
//! - [`webhook`]: the webhook's parts: secret comparison, body parsing, limits.
//! - [`log`]: the [`info!`], [`warn!`], [`error!`] and [`debug!`] macros (`tracing` natively,
//!   JSON lines to the runtime's sink on wasm32).
//! - [`clock`]: the [`Clock`] trait; [`http`]: the [`HttpGet`] trait and
//!   [`NoHttp`], the client of a runtime that provides none.
//!
//! Nothing here depends on tokio, reqwest, rusqlite or workers-rs, and it builds for
//! `wasm32-unknown-unknown`.

#![forbid(unsafe_code)]

pub mod args;
pub mod bot;
pub mod callback;
pub mod civil_time;
pub mod clock;
pub mod command;
pub mod command_list;
pub mod command_parse;
pub mod config;
pub mod context;
pub mod cron;
pub mod deep_link;
pub mod env;
pub mod error;
pub mod event;
mod handler;
pub mod help;
pub mod html;
pub mod http;
pub mod ingress;
pub mod json;
pub mod kv;
pub mod ledger;
pub mod log;
pub mod maybe_send;
pub mod migrate;
pub mod module;
pub mod module_list;
mod name_map;
pub mod names;
pub mod random;
pub mod registry;
pub mod reply;
pub mod schedule;
mod services;
pub mod sql;
pub mod telegram;
pub mod webhook;
pub mod wiring_error;

pub use async_trait::async_trait;
pub use bot::{Bot, CronOutcome, Dispatch, HandlerFailure, Services};
pub use callback::{Callback, CallbackAnswer, CallbackCtx};
pub use clock::{Clock, FixedClock};
pub use command::{Access, Command, Visibility};
pub use command_list::{CommandInfo, CommandList};
pub use config::{Config, ConfigError};
pub use context::{CommandCtx, CronCtx, InitCtx};
pub use cron::Cron;
pub use env::ModuleEnv;
pub use error::{Error, HandlerResult};
pub use event::{ChatMemberCtx, MessageCtx};
pub use http::{HttpError, HttpGet, HttpResponse, NoHttp};
pub use module::{Catalog, Module};
pub use name_map::NameMap;
pub use random::{FixedRandom, Random, SeededRandom};
pub use registry::Registry;
pub use reply::Reply;
pub use wiring_error::WiringError;
