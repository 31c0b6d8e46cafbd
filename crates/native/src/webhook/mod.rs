//! `miti99bot serve`: the webhook server (axum).
//!
//! - `GET /` → 200 `miti99bot ok`; any other route or method → 404.
//! - `POST /webhook`: the secret header (constant time, 401), the body (≤ 1 MiB, 413), JSON
//!   (400), then the update is applied ([`UpdateProcessor`]) and only then answered: 200
//!   whatever the handler did (its errors and panics are logged, so Telegram never redelivers
//!   a half-applied trade), with the first reply in the body when `WEBHOOK_REPLY=true`.
//! - At most [`WebhookOptions::max_in_flight`] updates are applied at once; a request that
//!   cannot start within [`WebhookOptions::admission_wait`] gets 503 and Telegram retries it.
//!   Nothing is queued beyond that, so memory stays bounded.
//! - On shutdown the server stops accepting, finishes in-flight requests, and waits for updates
//!   still being applied.
//!
//! Files: [`routes`] (HTTP), [`secret`] (constant-time compare), [`reply_capture`] (webhook
//! reply mode).

pub mod reply_capture;
pub mod routes;
pub use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use miti99bot_core::telegram::TelegramApi;
use miti99bot_core::Clock;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::shutdown::Shutdown;
use crate::updates::UpdateProcessor;

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
}

impl WebhookOptions {
    /// Defaults for `secret`: no webhook reply, 32 in flight, 2 s admission wait, 1 MiB bodies,
    /// 30 s drain.
    pub fn new(secret: &str) -> Self {
        Self {
            secret: WebhookSecret::new(secret),
            reply_in_response: false,
            max_in_flight: 32,
            admission_wait: Duration::from_secs(2),
            body_limit: MAX_BODY_BYTES,
            drain_timeout: Duration::from_secs(30),
        }
    }
}

/// What the request handlers share.
pub(crate) struct WebhookState {
    pub(crate) processor: UpdateProcessor,
    pub(crate) telegram: Arc<dyn TelegramApi>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) secret: WebhookSecret,
    pub(crate) admission: Arc<Semaphore>,
    pub(crate) options: WebhookOptions,
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
    /// Binds `addr` (port 0 picks a free one); updates go to `processor`, replies to `telegram`.
    pub async fn bind(
        addr: SocketAddr,
        processor: UpdateProcessor,
        telegram: Arc<dyn TelegramApi>,
        options: WebhookOptions,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let clock = processor.bot().services().clock.clone();
        let max = options
            .max_in_flight
            .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
        let state = Arc::new(WebhookState {
            processor,
            telegram,
            clock,
            secret: options.secret.clone(),
            admission: Arc::new(Semaphore::new(max)),
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

    /// Serves until `shutdown` is triggered, then finishes in-flight requests and waits (up to
    /// the drain timeout) for updates still being applied.
    pub async fn run_until_shutdown(self, shutdown: Shutdown) -> std::io::Result<()> {
        let state = self.state.clone();
        let app = routes::router(self.state);
        let signal = shutdown.clone();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(async move { signal.wait().await })
            .await?;
        let all = u32::try_from(state.options.max_in_flight).unwrap_or(u32::MAX);
        match tokio::time::timeout(state.options.drain_timeout, state.admission.acquire_many(all)).await {
            Ok(_) => tracing::info!("webhook server stopped; every update applied"),
            Err(_) => tracing::warn!("webhook server stopped with updates still being applied"),
        }
        Ok(())
    }
}
