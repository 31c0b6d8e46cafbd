//! Crons a module declares: a name, a 5-field UTC schedule and a handler.

use std::future::Future;
use std::sync::Arc;

use crate::context::CronCtx;
use crate::error::HandlerResult;
use crate::maybe_send::{BoxFuture, MaybeSend, MaybeSync};

#[cfg(not(target_arch = "wasm32"))]
pub(crate) type DynCronHandler = Arc<dyn Fn(CronCtx) -> BoxFuture<'static, HandlerResult> + Send + Sync>;
#[cfg(target_arch = "wasm32")]
pub(crate) type DynCronHandler = Arc<dyn Fn(CronCtx) -> BoxFuture<'static, HandlerResult>>;

/// A scheduled job. The schedule string is matched exactly against Cloudflare's cron event and
/// parsed (see [`crate::schedule::Schedule`]) when modules load.
#[derive(Clone)]
pub struct Cron {
    pub(crate) name: String,
    pub(crate) schedule: String,
    pub(crate) handler: DynCronHandler,
}

impl std::fmt::Debug for Cron {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cron")
            .field("name", &self.name)
            .field("schedule", &self.schedule)
            .finish_non_exhaustive()
    }
}

impl Cron {
    /// A cron named `name` (`^[a-z0-9_-]{1,32}$`) firing on `schedule` (5 fields, UTC).
    pub fn new<F, Fut>(name: &str, schedule: &str, handler: F) -> Self
    where
        F: Fn(CronCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = HandlerResult> + MaybeSend + 'static,
    {
        Self {
            name: name.to_owned(),
            schedule: schedule.to_owned(),
            handler: Arc::new(move |ctx| Box::pin(handler(ctx))),
        }
    }

    /// The cron's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schedule as declared.
    pub fn schedule(&self) -> &str {
        &self.schedule
    }
}
