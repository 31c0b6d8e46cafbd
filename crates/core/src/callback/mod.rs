//! Buttons that call back: a module declares a typed [`Callback`], builds buttons with it and
//! handles their presses.
//!
//! ```
//! use miti99bot_core::callback::Callback;
//! use miti99bot_core::telegram::InlineKeyboardMarkup;
//! use miti99bot_core::{CallbackCtx, Command, CommandCtx, Error, Module, Reply};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Count {
//!     n: u32,
//! }
//!
//! /// `counter:add:<n>` on the wire.
//! const ADD: Callback<Count> = Callback::new("add");
//!
//! fn board(ctx: &miti99bot_core::ModuleEnv, n: u32) -> Result<Reply, Error> {
//!     let button = ADD.button(ctx, "+1", &Count { n: n + 1 })?;
//!     Ok(Reply::text(format!("Count: {n}")).keyboard(InlineKeyboardMarkup::new(vec![vec![button]])))
//! }
//!
//! async fn start(ctx: CommandCtx) -> Result<Reply, Error> {
//!     board(&ctx, 0)
//! }
//!
//! async fn add(ctx: CallbackCtx<Count>) -> Result<&'static str, Error> {
//!     ctx.edit(board(&ctx, ctx.data().n)?).await?;
//!     Ok("Added")
//! }
//!
//! let module = Module::new("counter")
//!     .command(Command::public("count", "Count presses", start))
//!     .callback(ADD.handle(add));
//! ```
//!
//! The wire format is `<module>:<name>` and, when the data has fields, `:` and the fields'
//! JSON values in declaration order (`counter:add:3`). Building a button
//! whose data would exceed Telegram's 64 bytes is an error there, never a truncation. A press
//! whose data names no enabled callback, or does not decode (a button from an older version),
//! is answered with a short toast ([`STALE_TOAST`]); the framework answers every press it takes
//! with `answerCallbackQuery` exactly once, after the handler, failed or not.

mod answer;
mod context;
pub(crate) mod positional;

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use self::answer::CallbackAnswer;
pub use self::context::CallbackCtx;
pub(crate) use self::context::CallbackInput;
use crate::command::Access;
use crate::env::ModuleEnv;
use crate::error::Error;
use crate::maybe_send::{BoxFuture, MaybeSend, MaybeSync};
use crate::telegram::InlineKeyboardButton;

/// Telegram's limit on a button's `callback_data`, in bytes.
pub const MAX_CALLBACK_DATA_BYTES: usize = 64;

/// The toast of a press the bot cannot route or decode.
pub const STALE_TOAST: &str = "This button is no longer available.";

/// The toast of a press whose handler failed.
pub const FAILED_TOAST: &str = "Sorry, that did not work. Try again later.";

/// A typed callback of a module: its name (`[a-z0-9_]`, 1 to 32 characters, unique in the
/// module) and the type `T` its buttons carry (any `Serialize + Deserialize` struct, tuple,
/// enum or scalar). Declare it once as a `const` and use it both to build buttons and to
/// handle presses, so the two cannot disagree on the type.
pub struct Callback<T> {
    name: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<T> Clone for Callback<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Callback<T> {}

impl<T> std::fmt::Debug for Callback<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Callback").field(&self.name).finish()
    }
}

/// Why callback data cannot be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CallbackDataError {
    /// Over Telegram's 64 bytes.
    #[error("callback data {data:?} is {len} bytes; Telegram's limit is {MAX_CALLBACK_DATA_BYTES}")]
    TooLong {
        /// The data that was built.
        data: String,
        /// Its length in bytes.
        len: usize,
    },
    /// The value has a shape the encoding does not take (a top-level sequence or map).
    #[error("callback data of \"{callback}\" cannot be encoded: {reason}")]
    Unencodable {
        /// The callback.
        callback: String,
        /// Why.
        reason: String,
    },
}

impl From<CallbackDataError> for Error {
    fn from(error: CallbackDataError) -> Self {
        Error::msg(error)
    }
}

impl<T> Callback<T> {
    /// A callback named `name` (checked when the bot starts).
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            marker: PhantomData,
        }
    }

    /// Its name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<T: Serialize> Callback<T> {
    /// The `callback_data` of a button of `module` carrying `value`.
    pub fn data(&self, module: &str, value: &T) -> Result<String, CallbackDataError> {
        callback_data(self.name, module, positional::encode(value))
    }

    /// A button labelled `label` that calls this callback of `env`'s module with `value`.
    pub fn button(&self, env: &ModuleEnv, label: impl Into<String>, value: &T) -> Result<InlineKeyboardButton, Error> {
        Ok(InlineKeyboardButton::callback(label, self.data(env.module(), value)?))
    }
}

/// `<module>:<name>[:<payload>]`, checked against Telegram's limit. Not generic: only the
/// encoding depends on `T`, so each callback type adds just that to the Worker's wasm.
fn callback_data(
    name: &'static str,
    module: &str,
    payload: Result<String, positional::EncodeError>,
) -> Result<String, CallbackDataError> {
    let payload = payload.map_err(|e| CallbackDataError::Unencodable {
        callback: name.to_owned(),
        reason: e.to_string(),
    })?;
    let mut data = format!("{module}:{name}");
    if !payload.is_empty() {
        data.push(':');
        data.push_str(&payload);
    }
    if data.len() > MAX_CALLBACK_DATA_BYTES {
        let len = data.len();
        return Err(CallbackDataError::TooLong { data, len });
    }
    Ok(data)
}

impl<T: DeserializeOwned + MaybeSend + MaybeSync + 'static> Callback<T> {
    /// The handler of this callback's presses: an `async fn(CallbackCtx<T>) -> Result<R, Error>`
    /// where `R` is `()` (a silent answer), a `&str`/`String` (a toast) or a
    /// [`CallbackAnswer`]. An [`Error::Reply`] is shown as a toast too.
    pub fn handle<F, Fut, R>(self, handler: F) -> CallbackHandler
    where
        F: Fn(CallbackCtx<T>) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<CallbackAnswer> + 'static,
    {
        let handler = Arc::new(handler);
        CallbackHandler {
            name: self.name.to_owned(),
            access: Access::Anyone,
            handler: Arc::new(move |input: CallbackInput, payload: &str| {
                let data: T = positional::decode(payload)?;
                let ctx = CallbackCtx::new(input, data);
                let handler = handler.clone();
                Some(Box::pin(async move { handler(ctx).await.map(Into::into) }) as BoxFuture<'static, _>)
            }),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) type DynCallbackHandler =
    Arc<dyn Fn(CallbackInput, &str) -> Option<BoxFuture<'static, Result<CallbackAnswer, Error>>> + Send + Sync>;
#[cfg(target_arch = "wasm32")]
pub(crate) type DynCallbackHandler =
    Arc<dyn Fn(CallbackInput, &str) -> Option<BoxFuture<'static, Result<CallbackAnswer, Error>>>>;

/// A declared callback handler ([`Callback::handle`]), added with
/// [`Module::callback`](crate::Module::callback).
#[derive(Clone)]
pub struct CallbackHandler {
    pub(crate) name: String,
    pub(crate) access: Access,
    pub(crate) handler: DynCallbackHandler,
}

impl std::fmt::Debug for CallbackHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackHandler")
            .field("name", &self.name)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

impl CallbackHandler {
    /// Restricts who may press its buttons (others get a toast and nothing runs).
    pub fn access(mut self, access: Access) -> Self {
        self.access = access;
        self
    }

    /// The callback's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// `<module>:<name>[:<payload>]` split into its parts.
pub(crate) fn split_data(data: &str) -> Option<(&str, &str, &str)> {
    let (module, rest) = data.split_once(':')?;
    let (name, payload) = rest.split_once(':').unwrap_or((rest, ""));
    Some((module, name, payload))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Page {
        before: i64,
        symbol: String,
    }

    const PAGE: Callback<Page> = Callback::new("page");

    #[test]
    fn data_is_namespaced_compact_and_bounded() {
        let page = Page {
            before: 1234,
            symbol: "VNM".into(),
        };
        assert_eq!(PAGE.data("trading", &page).unwrap(), r#"trading:page:1234,"VNM""#);
        assert_eq!(
            Callback::<()>::new("refresh").data("trading", &()).unwrap(),
            "trading:refresh"
        );
        let long = Page {
            before: 1,
            symbol: "x".repeat(60),
        };
        let error = PAGE.data("trading", &long).unwrap_err();
        assert!(matches!(error, CallbackDataError::TooLong { len: 77, .. }), "{error}");
        assert!(error.to_string().contains("limit is 64"));
        let exact = Page {
            before: 1,
            symbol: "x".repeat(64 - r#"trading:page:1,"""#.len()),
        };
        assert_eq!(PAGE.data("trading", &exact).unwrap().len(), 64);
        assert!(matches!(
            Callback::<Vec<u8>>::new("v").data("m", &vec![1]),
            Err(CallbackDataError::Unencodable { .. })
        ));
    }

    #[test]
    fn data_splits_into_module_name_and_payload() {
        assert_eq!(
            split_data("trading:page:1,\"a:b\""),
            Some(("trading", "page", "1,\"a:b\""))
        );
        assert_eq!(split_data("trading:refresh"), Some(("trading", "refresh", "")));
        assert_eq!(split_data("nocolon"), None);
    }
}
