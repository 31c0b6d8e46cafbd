//! wordle as a [`Game`]: six guesses, words as typed, answers upper-cased.

use std::sync::OnceLock;

use miti99bot_core::Random;

use super::render::render_guess;
use super::words;
use crate::guess_game::store::Sql;
use crate::guess_game::Game;

/// The wordle game.
pub(crate) struct Wordle;

impl Game for Wordle {
    const NAME: &'static str = super::NAME;
    const TITLE: &'static str = "Wordle";
    const MAX_GUESSES: i64 = 6;
    const USAGE: &'static str = "<word>";

    fn sql() -> &'static Sql {
        static SQL: OnceLock<Sql> = OnceLock::new();
        SQL.get_or_init(|| Sql::new(Self::NAME, Self::MAX_GUESSES))
    }

    fn draw(random: &dyn Random) -> String {
        words::pick(random)
    }

    /// Marking needs only the answer's letters, so any five letters a–z will do, in the list
    /// or not.
    fn is_known(target: &str) -> bool {
        target.len() == 5 && target.bytes().all(|b| b.is_ascii_lowercase())
    }

    fn answer(target: &str) -> String {
        target.to_uppercase()
    }

    fn reveal(target: &str) -> String {
        target.to_uppercase()
    }

    fn stale(target: &str) -> String {
        format!("This round's word ({target}) cannot be played. /wordle_new to start another.")
    }

    fn render_guess(guess: &str, target: &str) -> String {
        render_guess(guess, target)
    }
}
