//! The connections of the webhook server: hyper's HTTP/1 over an accept loop of our own, for
//! what `axum::serve` does not bound.
//!
//! - A connection must send a whole request head within [`ConnectionOptions::header_timeout`]
//!   of opening, or of its first byte after an idle spell (slowloris); the body then has as long
//!   again (408, in the route).
//! - A keep-alive connection with no request is closed after
//!   [`ConnectionOptions::idle_timeout`].
//! - At most [`ConnectionOptions::max_connections`] are open; a connection beyond is closed as
//!   soon as it is accepted (refused, not queued), so idle sockets cannot exhaust descriptors.
//! - On shutdown every connection is told to finish: an idle one closes at once, one with a
//!   request being answered finishes it, and one that is only part-sent (or anything left)
//!   is dropped after [`ConnectionOptions::shutdown_grace`].
//!
//! A request's deadline is kept per connection by [`ConnClock`]: the socket's reads move it
//! from idle to "head arriving", the service call to busy (no deadline: the update's own
//! bounds apply), the response back to idle.

use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tower_service::Service;

use crate::shutdown::Shutdown;

/// Timeouts and the connection cap of the webhook server.
#[derive(Debug, Clone)]
pub struct ConnectionOptions {
    /// A request head must arrive within this (`HTTP_HEADER_TIMEOUT_MS`), and then its body.
    pub header_timeout: Duration,
    /// A keep-alive connection with no request is closed after this (`HTTP_IDLE_TIMEOUT_MS`).
    pub idle_timeout: Duration,
    /// Open connections at most; beyond, new ones are closed at once (`HTTP_MAX_CONNECTIONS`).
    pub max_connections: usize,
    /// How long shutdown lets a connection with no request being answered linger
    /// (`HTTP_SHUTDOWN_GRACE_MS`).
    pub shutdown_grace: Duration,
}

impl Default for ConnectionOptions {
    /// 10 s for a head (and a body), 60 s idle, 1024 connections, 5 s grace.
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// Accepts until `shutdown`, serving each connection with `router`; then waits (bounded) for
/// the connections to close.
pub(crate) async fn serve(listener: TcpListener, router: Router, options: ConnectionOptions, shutdown: Shutdown) {
    let max = options
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let open = Arc::new(Semaphore::new(max));
    let mut last_refusal_log: Option<Instant> = None;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = shutdown.wait() => break,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                // Out of descriptors and the like: wait a little rather than spin.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            if last_refusal_log.is_none_or(|at| at.elapsed() >= Duration::from_secs(1)) {
                tracing::warn!(max, "connection cap reached: closing new connections");
                last_refusal_log = Some(Instant::now());
            }
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            permit,
            router.clone(),
            options.clone(),
            shutdown.clone(),
        ));
    }
    drop(listener);
    // Each connection ends within its grace (or when its answer is written); wait for them.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let bound = options.shutdown_grace + options.header_timeout;
    if tokio::time::timeout(bound, open.acquire_many(all)).await.is_err() {
        tracing::warn!("connections still open after the shutdown grace");
    }
}

/// One connection, until it ends, times out, or shutdown closes it.
async fn connection(
    stream: TcpStream,
    permit: OwnedSemaphorePermit,
    router: Router,
    options: ConnectionOptions,
    shutdown: Shutdown,
) {
    let clock = ConnClock::new();
    let io = TokioIo::new(Watched {
        io: stream,
        clock: clock.clone(),
    });
    let service_clock = clock.clone();
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut router = router.clone();
        // Taken before the future: a future dropped unpolled still ends the request.
        let busy = service_clock.request_started();
        async move {
            let response = router.call(request).await;
            drop(busy);
            response
        }
    });
    let conn = http1::Builder::new()
        .keep_alive(true)
        .header_read_timeout(None)
        .serve_connection(io, service);
    let mut conn = pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(permit);
            return;
        }
        () = clock.expired(&options) => {
            tracing::debug!("connection timed out: closed");
            drop(permit);
            return;
        }
        () = shutdown.wait() => {}
    }
    conn.as_mut().graceful_shutdown();
    tokio::select! {
        _ = conn.as_mut() => {}
        () = clock.lingered(options.shutdown_grace) => {
            tracing::debug!("connection closed at shutdown with no request being answered");
        }
    }
    drop(permit);
}

/// What a connection is doing, for its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between requests.
    Idle,
    /// A request head is arriving (or the connection is new).
    Head,
    /// This many requests are being answered.
    Busy(usize),
}

/// A connection's phase and since when (shared by its socket wrapper and its service).
#[derive(Debug, Clone)]
struct ConnClock(Arc<Mutex<(Phase, Instant)>>);

/// Ends one request's busy phase when dropped.
struct Busy(ConnClock);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.update(|phase| match phase {
            Phase::Busy(n) if n > 1 => Some(Phase::Busy(n - 1)),
            _ => Some(Phase::Idle),
        });
    }
}

impl ConnClock {
    /// A new connection: its first head is due within the header timeout.
    fn new() -> Self {
        Self(Arc::new(Mutex::new((Phase::Head, Instant::now()))))
    }

    /// Sets the phase to what `next` says (None keeps it); a change restarts the time.
    fn update(&self, next: impl FnOnce(Phase) -> Option<Phase>) {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(phase) = next(state.0) {
            if phase != state.0 {
                *state = (phase, Instant::now());
            }
        }
    }

    fn read_bytes(&self) {
        self.update(|phase| (phase == Phase::Idle).then_some(Phase::Head));
    }

    fn request_started(&self) -> Busy {
        self.update(|phase| match phase {
            Phase::Busy(n) => Some(Phase::Busy(n + 1)),
            _ => Some(Phase::Busy(1)),
        });
        Busy(self.clone())
    }

    fn state(&self) -> (Phase, Instant) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Resolves once the connection has been idle or sending a head for too long.
    async fn expired(&self, options: &ConnectionOptions) {
        let recheck = options.header_timeout.min(options.idle_timeout);
        loop {
            let (phase, since) = self.state();
            let deadline = match phase {
                Phase::Idle => since + options.idle_timeout,
                Phase::Head => since + options.header_timeout,
                Phase::Busy(_) => Instant::now() + recheck,
            };
            if !matches!(phase, Phase::Busy(_)) && deadline <= Instant::now() {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }

    /// Resolves `grace` after now once no request is being answered (a request being answered
    /// finishes: its update is applied and the answer written).
    async fn lingered(&self, grace: Duration) {
        let until = Instant::now() + grace;
        loop {
            tokio::time::sleep_until(until.max(Instant::now())).await;
            if !matches!(self.state().0, Phase::Busy(_)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The socket, reporting reads to the connection's clock.
struct Watched {
    io: TcpStream,
    clock: ConnClock,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.clock.read_bytes();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}
