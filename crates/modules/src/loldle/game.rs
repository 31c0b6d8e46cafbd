//! loldle as a [`Game`]: eight guesses, champions by id, answers shown by display name.

use miti99bot_core::Random;

use super::champions::{self, by_id};
use super::compare;
use super::lookup::find;
use crate::guess_game::Game;

/// The loldle game.
pub(crate) static LOLDLE: Game = Game {
    name: super::NAME,
    title: "Loldle",
    max_guesses: 8,
    usage: "<champion>",
    descriptions: [
        "Classic loldle — guess the current champion",
        "Start a new round (auto-gives-up any in-progress one)",
        "Reveal the current loldle answer",
        "Show your loldle stats (wins, streak)",
    ],
    parse_guess,
    draw,
    is_known,
    answer,
    reveal,
    stale,
    render_guess,
};

/// The champion's id, or "Champion not found" (unknown, ambiguous or empty).
fn parse_guess(arg: &str) -> Result<String, String> {
    find(arg)
        .map(|c| c.id.to_owned())
        .ok_or_else(|| format!("Champion not found: \"{arg}\"."))
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
    format!("This round's champion ({target}) is no longer in the game's data. /loldle_new to start another.")
}

fn render_guess(guess: &str, target: &str) -> String {
    match (by_id(guess), by_id(target)) {
        (Some(guess), Some(target)) => compare::render_guess(guess, target),
        (Some(guess), None) => format!("🎯 {}", guess.name),
        (None, _) => format!("🎯 {guess}"),
    }
}
