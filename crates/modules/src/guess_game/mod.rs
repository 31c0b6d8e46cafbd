//! What wordle and loldle share: rounds and stats in SQL ([`store`]), whose round it is
//! ([`subject`]), the replies ([`texts`]) and the command flows ([`play`]). A game describes
//! itself with [`Game`]; everything else is written once.

pub(crate) mod play;
pub(crate) mod store;
pub(crate) mod subject;
pub(crate) mod texts;

use miti99bot_core::Random;

/// The purge cron's name (both games).
pub(crate) const PURGE_CRON: &str = "purge-rounds";
/// Daily at 17:00 UTC, with trading's retention (one Cron Trigger serves both).
pub(crate) const PURGE_SCHEDULE: &str = "0 17 * * *";

/// One guessing game: its name, limits and data.
pub(crate) trait Game: 'static {
    /// The module's name: commands `/<name>`, `/<name>_new`, …, tables `<name>_…`.
    const NAME: &'static str;
    /// How the stats title names the game (`Loldle`).
    const TITLE: &'static str;
    /// Guesses per round.
    const MAX_GUESSES: i64;
    /// The argument in usage hints (`<champion>`).
    const USAGE: &'static str;
    /// The game's statements.
    fn sql() -> &'static store::Sql;
    /// A new round's answer key.
    fn draw(random: &dyn Random) -> String;
    /// Whether the data still has the answer `target`.
    fn is_known(target: &str) -> bool;
    /// The answer as replies name it.
    fn answer(target: &str) -> String;
    /// The answer as a give-up reveals it.
    fn reveal(target: &str) -> String;
    /// The reply for a round whose answer the data no longer has.
    fn stale(target: &str) -> String;
    /// One guess's block against the answer.
    fn render_guess(guess: &str, target: &str) -> String;
}
