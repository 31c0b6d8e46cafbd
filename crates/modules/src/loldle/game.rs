//! loldle as a [`Game`]: eight guesses, champions by id, answers shown by display name.

use std::sync::OnceLock;

use miti99bot_core::Random;

use super::champions::{self, by_id};
use super::compare::render_guess;
use crate::guess_game::store::Sql;
use crate::guess_game::Game;

/// The loldle game.
pub(crate) struct Loldle;

impl Game for Loldle {
    const NAME: &'static str = super::NAME;
    const TITLE: &'static str = "Loldle";
    const MAX_GUESSES: i64 = 8;
    const USAGE: &'static str = "<champion>";

    fn sql() -> &'static Sql {
        static SQL: OnceLock<Sql> = OnceLock::new();
        SQL.get_or_init(|| Sql::new(Self::NAME, Self::MAX_GUESSES))
    }

    fn draw(random: &dyn Random) -> String {
        champions::pick(random).to_owned()
    }

    fn is_known(target: &str) -> bool {
        by_id(target).is_some()
    }

    /// The display name (§9.4: never the id), or the id when the data lost it.
    fn answer(target: &str) -> String {
        by_id(target).map_or_else(|| target.to_owned(), |c| c.name.to_owned())
    }

    /// `Name — title`.
    fn reveal(target: &str) -> String {
        by_id(target).map_or_else(|| target.to_owned(), |c| format!("{} — {}", c.name, c.title))
    }

    fn stale(target: &str) -> String {
        format!(
            "This round's champion ({target}) is no longer in the game's data. /loldle_new to start another."
        )
    }

    fn render_guess(guess: &str, target: &str) -> String {
        match (by_id(guess), by_id(target)) {
            (Some(guess), Some(target)) => render_guess(guess, target),
            (Some(guess), None) => format!("🎯 {}", guess.name),
            (None, _) => format!("🎯 {guess}"),
        }
    }
}
