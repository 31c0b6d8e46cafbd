//! `wordle`: guess the five-letter word in six tries (the original's revision C: rounds per
//! subject, a random answer, `/wordle_new`).
//!
//! | command | what it does |
//! |---|---|
//! | `/wordle` | the board of the current round (starting one if there is none) |
//! | `/wordle <word>` | a guess: letters a–z are kept (`cr-ane` is `crane`), five of them, in the list |
//! | `/wordle_new` | a new round; an unfinished one counts as lost |
//! | `/wordle_giveup` | reveals the answer, counts as lost |
//! | `/wordle_stats` | played, wins (rate), current and best streak |
//!
//! A board comes with a button: 🏳 Give up while the round runs, 🆕 New round once it is over;
//! a press edits the message into the command's reply (the same texts). New round from a button
//! never abandons a running round (a toast says one is running); `/wordle_new` does.
//!
//! A round belongs to the user in a private chat and to the whole chat in a group. Each guess
//! is marked by the standard two passes ([`marking`]): 🟩 right place, 🟨 elsewhere in the word
//! (as many times as the word has the letter left), ⬜ not there; rendered in [`render`]. A
//! refused word does not use up a guess; a repeated one does, as in the original.
//!
//! ## Data
//!
//! `words.txt`: the original's 14,855 words (allowed guesses and answers alike). `build.rs`
//! codes it at build time with an adaptive model of its letters and a range coder (about
//! 12 KB instead of 89 KB of text; `word_model.rs`), decoded once on first use into sorted
//! base-26 numbers ([`words`]); membership is a binary search.
//!
//! ## Where things are stored
//!
//! SQL (`migrations/0001_rounds.sql`): `wordle_rounds` and `wordle_stats`, exactly as loldle's
//! (see [`crate::loldle`]): every command one batch and one round trip, two back-to-back
//! guesses both recorded, a finished round refusing more by a `CHECK`, rounds expiring 7 days
//! after their last change (cron `purge-rounds`, `0 17 * * *`), stats kept forever. Without a
//! database every command answers "Wordle needs a database; it is not available here.". The
//! answer is drawn from the runtime's random source (`ctx.random()`).
//!
//! ## Fixed on purpose (games.md §9)
//!
//! - §9.1: a round lost by running out of guesses shows as lost (`❌ Out of guesses. Answer was
//!   CRANE. /wordle_new to retry.`), not as ``Guess 6/6. Use `/wordle <word>`.``
//! - §9.2: `/wordle_giveup` after such a loss records nothing more and answers
//!   `Already out of guesses — CRANE.`
//! - §9.3: `/wordle_giveup` with no round does not start one and lose it; it answers
//!   `No round in progress. /wordle_new to start one.`
//! - §9.4: the answer is upper-cased everywhere (it always was).
//! - §9.10: marking needs only the stored answer, never the list, so a word dropped from the
//!   list still plays; a stored answer that is not five letters a–z is a clear reply, never a
//!   failure.

pub(crate) mod game;
pub mod marking;
pub mod render;
mod word_model;
pub mod words;

use miti99bot_core::{Config, ConfigError, Module};

/// The module's name (table prefix `wordle_`).
pub const NAME: &str = "wordle";

/// The `wordle` module (the catalog's constructor).
pub fn module(_config: &Config) -> Result<Module, ConfigError> {
    Ok(crate::guess_game::module(&game::WORDLE))
}
