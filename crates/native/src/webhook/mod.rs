//! `miti99bot serve`: the webhook server (axum routes on hyper connections).
//!
//! - `GET /` → 200 `miti99bot ok`; any other route or method → 404.
//! - `POST /webhook`: core's [`Ingress`] decides everything (secret, body, claim, answer, webhook
//!   reply); this module only translates HTTP to and from it and adds what needs tokio: the
//!   update runs on its chat's task, after the chat's earlier ones
//!   ([`UpdateProcessor::submit`]), and is answered once applied.
//! - At most [`WebhookOptions::max_in_flight`] updates are applied at once; a request that
//!   cannot start within [`WebhookOptions::admission_wait`] gets 503 and Telegram retries it.
//!   Nothing is queued beyond that, so memory stays bounded.
//! - Updates of one chat wait for their turn before they take a slot, so a slow chat holds one
//!   slot at most; past [`WebhookOptions::max_per_chat`] queued, that chat alone gets 503.
//! - Before an update is applied, and on `GET /`, the database file is checked
//!   ([`WebhookOptions::database`]): gone or replaced → 503, never an acknowledgement into a
//!   file that will not be there at restart.
//! - Connections are bounded ([`connections`]): header and idle timeouts, a cap, a bounded
//!   graceful shutdown.
//! - On shutdown the server stops accepting, finishes in-flight requests, and waits for updates
//!   still being applied.
//!
//! Files: [`connections`] (accept loop, timeouts, cap), [`routes`] (HTTP).

pub mod connections;
pub mod routes;
pub use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::ingress::{Ingress, WebhookAnswer};
use miti99bot_sqlite::SqliteDb;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::shutdown::Shutdown;
use crate::updates::{Admission, UpdateProcessor};

pub use connections::ConnectionOptions;

pub use miti99bot_core::webhook::WebhookSecret;

/// The largest webhook body accepted (Telegram's updates are far smaller).
pub use miti99bot_core::webhook::MAX_BODY_BYTES;

/// Settings of the webhook server.
#[derive(Debug, Clone)]
pub struct WebhookOptions {
    /// The `X-Telegram-Bot-Api-Secret-Token` every call must carry.
    pub secret: WebhookSecret,
    /// Answer the first `sendMessage` of an update in the webhook response (`WEBHOOK_REPLY`).
    pub reply_in_response: bool,
    /// Updates applied at once, at most.
    pub max_in_flight: usize,
    /// How long a request waits for a free slot before it is answered 503.
    pub admission_wait: Duration,
    /// The largest body accepted (413 beyond).
    pub body_limit: usize,
    /// How long shutdown waits for updates still being applied.
    pub drain_timeout: Duration,
    /// Updates of one chat in flight or waiting for their turn, at most; beyond, that chat
    /// alone gets 503 (`WEBHOOK_MAX_PER_CHAT`).
    pub max_per_chat: usize,
    /// Timeouts and the cap on open connections.
    pub connection: ConnectionOptions,
    /// The database checked before each update and by `GET /` (its file still there and the
    /// same one); `None` checks nothing.
    pub database: Option<SqliteDb>,
}

impl WebhookOptions {
    /// Defaults for `secret`: no webhook reply, 32 in flight, 2 s admission wait, 1 MiB bodies,
    /// 30 s drain, 8 per chat, [`ConnectionOptions::default`], no database check.
    pub fn new(secret: &str) -> Self {
        Self {
            secret: WebhookSecret::new(secret),
            reply_in_response: false,
            max_in_flight: 32,
            admission_wait: Duration::from_secs(2),
            body_limit: MAX_BODY_BYTES,
            drain_timeout: Duration::from_secs(30),
            max_per_chat: 8,
            connection: ConnectionOptions::default(),
            database: None,
        }
    }
}

/// What the request handlers share.
pub(crate) struct WebhookState {
    pub(crate) processor: UpdateProcessor,
    pub(crate) admission: Admission,
    pub(crate) options: WebhookOptions,
}

impl WebhookState {
    /// `Err(503)` when the database file is gone or replaced (logged), so an update is never
    /// acknowledged into a file that will not be there at restart.
    pub(crate) fn database_ok(&self) -> Result<(), WebhookAnswer> {
        match self.options.database.as_ref().map(SqliteDb::check) {
            Some(Err(fault)) => {
                tracing::error!(%fault, "database unavailable");
                Err(WebhookAnswer::text(503, "database unavailable"))
            }
            _ => Ok(()),
        }
    }
}

/// A bound webhook server, ready to run.
pub struct WebhookServer {
    listener: TcpListener,
    state: Arc<WebhookState>,
}

impl std::fmt::Debug for WebhookServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookServer")
            .field("addr", &self.listener.local_addr().ok())
            .finish_non_exhaustive()
    }
}

impl WebhookServer {
    /// Binds `addr` (port 0 picks a free one); updates go through `ingress`, given the
    /// options' secret and reply mode.
    pub async fn bind(addr: SocketAddr, ingress: Ingress, options: WebhookOptions) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let processor = UpdateProcessor::new(ingress.webhook(options.secret.clone(), options.reply_in_response));
        let max = options
            .max_in_flight
            .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
        let state = Arc::new(WebhookState {
            processor,
            admission: Admission {
                slots: Arc::new(Semaphore::new(max)),
                wait: options.admission_wait,
            },
            options: WebhookOptions {
                max_in_flight: max,
                ..options
            },
        });
        Ok(Self { listener, state })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` is triggered, then closes idle and part-sent connections (within
    /// the shutdown grace), finishes requests being answered, and waits (up to the drain
    /// timeout) for updates still being applied.
    pub async fn run_until_shutdown(self, shutdown: Shutdown) -> std::io::Result<()> {
        let state = self.state.clone();
        let app = routes::router(self.state);
        connections::serve(self.listener, app, state.options.connection.clone(), shutdown).await;
        let all = u32::try_from(state.options.max_in_flight).unwrap_or(u32::MAX);
        match tokio::time::timeout(state.options.drain_timeout, state.admission.slots.acquire_many(all)).await {
            Ok(_) => tracing::info!("webhook server stopped; every update applied"),
            Err(_) => tracing::warn!("webhook server stopped with updates still being applied"),
        }
        Ok(())
    }
}
