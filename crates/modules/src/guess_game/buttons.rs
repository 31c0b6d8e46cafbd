//! The games' buttons: 🏳 Give up under a running board, 🆕 New round under a finished one. A
//! press edits its message into the command's reply (texts unchanged) with the next button.
//!
//! The data is the action only (`wordle:act:"g"`): whose round it is comes from the press, as
//! for a command (the presser in a private chat, the chat in a group). New round from a button
//! never abandons a running round (someone may have started one since the board was sent): it
//! answers with a toast instead; `/<game>_new` still does.

use miti99bot_core::callback::Callback;
use miti99bot_core::telegram::InlineKeyboardMarkup;
use miti99bot_core::{CallbackCtx, Error, ModuleEnv, Reply};
use serde::{Deserialize, Serialize};

use super::play::Table;
use super::store::{Round, State};
use super::subject::subject_in;

/// What the board is after a move, and so which button goes under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Board {
    /// A round is running: Give up.
    Running,
    /// The round is over (won, lost, given up): New round.
    Finished,
}

impl Board {
    /// The board of `round`.
    pub(crate) fn of(round: &Round) -> Self {
        match round.state {
            State::Open => Self::Running,
            _ => Self::Finished,
        }
    }
}

/// A button's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Act {
    /// Start a new round.
    #[serde(rename = "n")]
    New,
    /// Give the running round up.
    #[serde(rename = "g")]
    GiveUp,
}

/// The games' one callback.
pub(crate) const ACT: Callback<Act> = Callback::new("act");

/// The label of the Give up button.
pub(crate) const GIVE_UP_LABEL: &str = "🏳 Give up";
/// The label of the New round button.
pub(crate) const NEW_ROUND_LABEL: &str = "🆕 New round";
/// The toast of New round while a round runs.
pub(crate) const ROUND_RUNNING: &str = "A round is already running.";

/// The button under a board.
pub(crate) fn keyboard(env: &ModuleEnv, board: Board) -> Result<InlineKeyboardMarkup, Error> {
    let button = match board {
        Board::Running => ACT.button(env, GIVE_UP_LABEL, &Act::GiveUp)?,
        Board::Finished => ACT.button(env, NEW_ROUND_LABEL, &Act::New)?,
    };
    Ok(InlineKeyboardMarkup::new(vec![vec![button]]))
}

/// A press: the move, then its message edited into the reply with the next button.
pub(crate) async fn press(ctx: CallbackCtx<Act>) -> Result<&'static str, Error> {
    let subject = ctx.message().and_then(|m| subject_in(&m.chat, Some(ctx.from_id())));
    let table = Table::new(&ctx, subject)?;
    let (text, board) = match ctx.data() {
        Act::GiveUp => table.give_up(&ctx).await?,
        Act::New => {
            if table.current(&ctx).await?.is_some_and(|r| r.state == State::Open) {
                return Ok(ROUND_RUNNING);
            }
            table.new_round(&ctx).await?
        }
    };
    ctx.edit(Reply::text(text).keyboard(keyboard(&ctx, board)?)).await?;
    Ok("")
}
