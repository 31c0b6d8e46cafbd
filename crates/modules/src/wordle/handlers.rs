//! `/wordle`: validate the word, then one batch through [`crate::guess_game::play`] (the other
//! commands are the shared ones).

use miti99bot_core::{CommandCtx, Error};

use super::game::Wordle;
use super::marking::validate_guess;
use crate::guess_game::play::{self, player};
use crate::guess_game::subject::argument;

/// `/wordle [word]`: the board, or a guess.
pub async fn wordle(ctx: CommandCtx) -> Result<String, Error> {
    let (subject, sql) = player::<Wordle>(&ctx)?;
    let arg = argument(&ctx);
    if arg.is_empty() {
        return play::view::<Wordle>(&ctx, subject, sql).await;
    }
    let word = validate_guess(arg).map_err(|invalid| Error::reply(invalid.text()))?;
    play::guess::<Wordle>(&ctx, subject, sql, &word).await
}
