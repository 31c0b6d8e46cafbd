//! Commands: name, description, visibility, access rule and handler.

use std::future::Future;
use std::sync::Arc;

use crate::context::CommandCtx;
use crate::error::Error;
use crate::handler::{boxed, DynHandler};
use crate::maybe_send::{MaybeSend, MaybeSync};
use crate::reply::Reply;

/// Where a command is listed. Visibility hides; it does not protect (see [`Access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// In Telegram's `/` menu and in `/help`.
    Public,
    /// In `/help` only, marked ` (protected)`.
    Protected,
    /// Listed nowhere; still routed.
    Private,
}

/// Who may run a command, checked in dispatch before the handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Access {
    /// Everybody (the default, as in the original).
    #[default]
    Anyone,
    /// `BOT_ADMIN_IDS` and the owner.
    Admins,
    /// `BOT_OWNER_ID` only.
    Owner,
}

/// A command's handler.
pub(crate) type DynCommandHandler = DynHandler<CommandCtx>;

/// A command a module declares. Its handler is an `async fn(CommandCtx) -> Result<R, Error>`
/// where `R` is `()` (it replied itself), a `String`/`&str` or a [`Reply`]: the framework sends
/// a returned reply, and an [`Error::Reply`] too.
#[derive(Clone)]
pub struct Command {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) visibility: Visibility,
    pub(crate) access: Access,
    pub(crate) usage: Option<Arc<str>>,
    pub(crate) idempotent: bool,
    pub(crate) handler: DynCommandHandler,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command")
            .field("name", &self.name)
            .field("visibility", &self.visibility)
            .field("access", &self.access)
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
}

impl Command {
    /// A command with the given visibility, callable by anyone.
    pub fn new<F, Fut, R>(name: &str, description: &str, visibility: Visibility, handler: F) -> Self
    where
        F: Fn(CommandCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<Reply> + 'static,
    {
        Self {
            name: name.to_owned(),
            description: description.to_owned(),
            visibility,
            access: Access::Anyone,
            usage: None,
            idempotent: false,
            handler: boxed(handler),
        }
    }

    /// A public command: menu and `/help`.
    pub fn public<F, Fut, R>(name: &str, description: &str, handler: F) -> Self
    where
        F: Fn(CommandCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<Reply> + 'static,
    {
        Self::new(name, description, Visibility::Public, handler)
    }

    /// A protected command: `/help` only, marked.
    pub fn protected<F, Fut, R>(name: &str, description: &str, handler: F) -> Self
    where
        F: Fn(CommandCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<Reply> + 'static,
    {
        Self::new(name, description, Visibility::Protected, handler)
    }

    /// A private command: listed nowhere.
    pub fn private<F, Fut, R>(name: &str, description: &str, handler: F) -> Self
    where
        F: Fn(CommandCtx) -> Fut + MaybeSend + MaybeSync + 'static,
        Fut: Future<Output = Result<R, Error>> + MaybeSend + 'static,
        R: Into<Reply> + 'static,
    {
        Self::new(name, description, Visibility::Private, handler)
    }

    /// Restricts who may call it.
    pub fn access(mut self, access: Access) -> Self {
        self.access = access;
        self
    }

    /// The reply to wrong arguments, sent as written (e.g. `"Usage: /trade_buy <qty> <TICKER>"`):
    /// [`CommandCtx::parse_args`] answers with it when the arguments do not parse.
    pub fn usage(mut self, usage: &str) -> Self {
        self.usage = Some(Arc::from(usage));
        self
    }

    /// Declares that running the command twice for one update does no harm: its writes only
    /// overwrite (a KV `put` of the latest value) and a second reply is acceptable. Its updates
    /// are then never claimed in the update ledger, which saves the ledger write every claimed
    /// update costs (a D1 round trip on Workers); a redelivery runs it again, as in frameworks
    /// without a ledger, and a transient failure is answered so that Telegram delivers it again.
    ///
    /// Leave it off for anything that counts, moves or appends (a trade, a guess, a counter):
    /// those rely on the claim to be applied once.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Whether it was declared [`idempotent`](Self::idempotent).
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The usage text, when set.
    pub fn usage_text(&self) -> Option<&str> {
        self.usage.as_deref()
    }

    /// The name, without the slash.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The description shown in the menu and `/help`.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Where it is listed.
    pub fn visibility(&self) -> Visibility {
        self.visibility
    }

    /// Who may call it.
    pub fn access_rule(&self) -> Access {
        self.access
    }
}
