//! `loldle`: guess the League of Legends champion, attribute by attribute (the original's
//! revision B: rounds per subject, a random answer, `/loldle_new`).
//!
//! | command | what it does |
//! |---|---|
//! | `/loldle` | the board of the current round (starting one if there is none) |
//! | `/loldle <champion>` | a guess: id or display name, any case, punctuation ignored, or a unique prefix |
//! | `/loldle_new` | a new round; an unfinished one counts as lost |
//! | `/loldle_giveup` | reveals the answer, counts as lost |
//! | `/loldle_stats` | played, wins (rate), current and best streak |
//!
//! A board comes with a button: 🏳 Give up while the round runs, 🆕 New round once it is over;
//! a press edits the message into the command's reply (the same texts). New round from a button
//! never abandons a running round (a toast says one is running); `/loldle_new` does.
//!
//! A round belongs to the user in a private chat and to the whole chat in a group. It has 8
//! guesses; each shows seven attributes (gender, genre, range, resource, region, lane, release
//! year) marked ✅ same, 🟨 overlapping or ❌ different, with ⬆/⬇ pointing to the answer's year.
//! Repeating a champion uses up a guess, as in the original.
//!
//! ## Data
//!
//! `champions.tsv`: 172 champions in the original's order, embedded at build time
//! ([`champions`]); lookup in [`lookup`], comparison and rendering in [`compare`].
//!
//! ## Where things are stored
//!
//! SQL (`migrations/0001_rounds.sql`): `loldle_rounds`, one row per subject (the answer, the
//! guessed ids, the state, `expires_at`), and `loldle_stats`, one row per subject, kept
//! forever. Every command is one batch, so one round trip, and a guess computes its effect from
//! the row inside the database: two guesses sent back to back are both recorded, a finished
//! round refuses a guess by a `CHECK` (the batch writes nothing), and a result is recorded
//! exactly once. A round expires 7 days after its last change (the original's TTL; checked on
//! every read, and the cron `purge-rounds`, `0 17 * * *`, deletes expired rows). Without a
//! database every command answers "Loldle needs a database; it is not available here.".
//! The answer is drawn from the runtime's random source (`ctx.random()`), so tests pin it.
//!
//! ## Fixed on purpose (games.md §9)
//!
//! - §9.1: a round lost by running out of guesses shows as lost (`❌ Out of guesses. Answer was
//!   Ahri. /loldle_new to retry.`), not as ``Guess 8/8. Use `/loldle <champion>`.``
//! - §9.2: `/loldle_giveup` after such a loss records nothing more and answers
//!   `Already out of guesses — Ahri.`
//! - §9.3: `/loldle_giveup` with no round does not start one and lose it; it answers
//!   `No round in progress. /loldle_new to start one.`
//! - §9.4: answers are named by display name everywhere (`Wukong`, never `MonkeyKing`).
//! - §9.10: a stored answer the data no longer has is a clear reply ("This round's champion (…)
//!   is no longer in the game's data. /loldle_new to start another."), never a failure; a
//!   guessed champion the data lost is shown by its id.
//!
//! Everything else is kept, including the data's gaps (§9.6, §9.7: Yunara and Zaahen have no
//! year or lane; Bel'Veth's empty resource differs from `None`) and "group" for every
//! non-private chat in the stats title (§9.17).

pub mod champions;
pub mod compare;
pub(crate) mod game;
pub mod lookup;

use miti99bot_core::{Config, ConfigError, Module};

/// The module's name (table prefix `loldle_`).
pub const NAME: &str = "loldle";

/// The `loldle` module (the catalog's constructor).
pub fn module(_config: &Config) -> Result<Module, ConfigError> {
    Ok(crate::guess_game::module(&game::LOLDLE))
}
