//! `/loldle`: check the argument, then one batch through [`crate::guess_game::play`] (the other
//! commands are the shared ones).

use miti99bot_core::{CommandCtx, Error};

use super::game::Loldle;
use super::lookup::find;
use crate::guess_game::play::{self, player};
use crate::guess_game::subject::argument;

/// `/loldle [champion]`: the board, or a guess.
pub async fn loldle(ctx: CommandCtx) -> Result<String, Error> {
    let (subject, sql) = player::<Loldle>(&ctx)?;
    let arg = argument(&ctx);
    if arg.is_empty() {
        return play::view::<Loldle>(&ctx, subject, sql).await;
    }
    let champion = find(arg).ok_or_else(|| Error::reply(format!("Champion not found: \"{arg}\".")))?;
    play::guess::<Loldle>(&ctx, subject, sql, champion.id).await
}
