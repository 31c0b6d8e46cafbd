//! [`CommandCtx::parse_args`]: typed arguments in a handler.

use super::{parse_args, FromArgs};
use crate::context::CommandCtx;
use crate::error::Error;

impl CommandCtx {
    /// The command's arguments as a `T` ([`FromArgs`]), or the reply for wrong ones as an
    /// [`Error::Reply`], so a handler `?`s its way out: the usage set with
    /// [`Command::usage`](crate::Command::usage), or the type's own refusal
    /// ([`ArgError::reply_text`](super::ArgError::reply_text)).
    ///
    /// ```
    /// use miti99bot_core::{CommandCtx, Error};
    ///
    /// async fn double(ctx: CommandCtx) -> Result<String, Error> {
    ///     let n: i64 = ctx.parse_args()?;
    ///     Ok((n * 2).to_string())
    /// }
    /// ```
    pub fn parse_args<T: FromArgs>(&self) -> Result<T, Error> {
        parse_args(self.args()).map_err(|error| Error::reply(error.reply_text(self.command(), self.usage.as_deref())))
    }
}
