//! wordle as a [`Game`]: six guesses, words as typed, answers upper-cased.

use super::marking::validate_guess;
use super::render;
use super::words;
use crate::guess_game::Game;

/// The wordle game.
pub(crate) static WORDLE: Game = Game {
    name: super::NAME,
    title: "Wordle",
    max_guesses: 6,
    usage: "<word>",
    descriptions: [
        "Classic wordle — guess the 5-letter word",
        "Start a new round (auto-gives-up any in-progress one)",
        "Reveal the current wordle answer",
        "Show your wordle stats (wins, streak)",
    ],
    parse_guess,
    draw: words::pick,
    is_known,
    answer: upper,
    reveal: upper,
    stale,
    render_guess: render::render_guess,
};

/// The normalised word, or why it is refused.
fn parse_guess(arg: &str) -> Result<String, String> {
    validate_guess(arg).map_err(|invalid| invalid.text().to_owned())
}

/// Marking needs only the answer's letters, so any five letters a–z will do, in the list or
/// not.
fn is_known(target: &str) -> bool {
    target.len() == 5 && target.bytes().all(|b| b.is_ascii_lowercase())
}

fn upper(target: &str) -> String {
    target.to_ascii_uppercase()
}

fn stale(target: &str) -> String {
    format!("This round's word ({target}) cannot be played. /wordle_new to start another.")
}
