//! What a handler is to the framework: an async function from its context (a command's, a
//! message's, a membership change's) to a [`Reply`], boxed once when the module is declared.

use std::future::Future;
use std::sync::Arc;

use crate::error::Error;
use crate::maybe_send::{BoxFuture, MaybeSend, MaybeSync};
use crate::reply::Reply;

/// A declared handler taking a `C`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type DynHandler<C> = Arc<dyn Fn(C) -> BoxFuture<'static, Result<Reply, Error>> + Send + Sync>;
/// A declared handler taking a `C`.
#[cfg(target_arch = "wasm32")]
pub(crate) type DynHandler<C> = Arc<dyn Fn(C) -> BoxFuture<'static, Result<Reply, Error>>>;

/// `handler`, its reply made a [`Reply`] and its future boxed.
pub(crate) fn boxed<C, F, Fut, R>(handler: F) -> DynHandler<C>
where
    C: 'static,
    F: Fn(C) -> Fut + MaybeSend + MaybeSync + 'static,
    Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
    R: Into<Reply> + 'static,
{
    Arc::new(move |ctx| {
        let reply = handler(ctx);
        Box::pin(async move { reply.await.map(Into::into) })
    })
}
