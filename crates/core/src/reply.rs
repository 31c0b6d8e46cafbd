//! What a command handler returns: its reply, sent by the framework.

/// A command's reply. A handler returns `Result<R, Error>` for any `R: Into<Reply>`: `()`
/// (it replied itself, or says nothing), a `String` or `&str` (plain text), or a `Reply`.
///
/// ```
/// use miti99bot_core::{CommandCtx, Error, Reply};
///
/// async fn double(ctx: CommandCtx) -> Result<Reply, Error> {
///     let n: i64 = ctx.args().parse().map_err(|_| Error::reply("Usage: /double <number>"))?;
///     Ok(Reply::text(format!("{}", n * 2)))
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Reply {
    /// Nothing more to send.
    #[default]
    Nothing,
    /// Plain text.
    Text(String),
    /// Telegram HTML (link previews off).
    Html(String),
}

impl Reply {
    /// Plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// Telegram HTML.
    pub fn html(html: impl Into<String>) -> Self {
        Self::Html(html.into())
    }
}

impl From<()> for Reply {
    fn from((): ()) -> Self {
        Self::Nothing
    }
}

impl From<String> for Reply {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for Reply {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}
