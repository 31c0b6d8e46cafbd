//! Whose round it is: the user in a private chat, the whole chat in a group.

use miti99bot_core::telegram::Chat;
use miti99bot_core::CommandCtx;

/// Who plays a round, and whose stats `/…_stats` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Subject {
    /// `from.id` in a private chat, `chat.id` (negative) in a group or supergroup.
    pub(crate) id: i64,
    /// Whether the stats read "your" (a private chat) or "group" (any other chat type, as in
    /// the original).
    pub(crate) private: bool,
}

/// The subject of the message: a group or supergroup plays as one; any other chat type plays
/// as the sender. `None` without a sender outside groups (a channel post).
pub(crate) fn subject(ctx: &CommandCtx) -> Option<Subject> {
    subject_in(&ctx.message().chat, ctx.from_id())
}

/// The subject of something `from` did in `chat` (a message, a button press).
pub(crate) fn subject_in(chat: &Chat, from: Option<i64>) -> Option<Subject> {
    let private = chat.kind == "private";
    let id = match chat.kind.as_str() {
        "group" | "supergroup" => Some(chat.id),
        _ => from,
    }?;
    Some(Subject { id, private })
}

/// The argument as the original read it: everything after the message's first ASCII space,
/// trimmed (`/loldle\nAhri` has none and shows the board).
pub(crate) fn argument(ctx: &CommandCtx) -> &str {
    let text = ctx.message().text.as_deref().unwrap_or("");
    text.split_once(' ').map_or("", |(_, rest)| rest.trim())
}
