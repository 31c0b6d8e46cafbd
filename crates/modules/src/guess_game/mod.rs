//! What wordle and loldle share: rounds and stats in SQL ([`store`]), whose round it is
//! ([`subject`]), the replies ([`texts`]), the commands ([`play`]) and the buttons under a
//! board ([`buttons`]). A game describes itself
//! with a [`Game`] (a value, not a type parameter, so the Worker carries one copy of the
//! commands for both games); the module keeps it as its state.

pub(crate) mod buttons;
pub(crate) mod play;
pub(crate) mod store;
pub(crate) mod subject;
pub(crate) mod texts;

use miti99bot_core::{Command, Cron, Module, Random};

use self::store::Sql;

/// The purge cron's name (both games).
pub(crate) const PURGE_CRON: &str = "purge-rounds";
/// Daily at 17:00 UTC, with trading's retention (one Cron Trigger serves both).
pub(crate) const PURGE_SCHEDULE: &str = "0 17 * * *";

/// One guessing game: its name, limits, data and texts.
pub(crate) struct Game {
    /// The module's name: commands `/<name>`, `/<name>_new`, …, tables `<name>_…`.
    pub(crate) name: &'static str,
    /// How the stats title names the game (`Loldle`).
    pub(crate) title: &'static str,
    /// Guesses per round.
    pub(crate) max_guesses: i64,
    /// The argument in usage hints (`<champion>`).
    pub(crate) usage: &'static str,
    /// The four commands' descriptions: play, new, give up, stats.
    pub(crate) descriptions: [&'static str; 4],
    /// What a guess argument names (its key: champion id, word), or the refusal reply.
    pub(crate) parse_guess: fn(&str) -> Result<String, String>,
    /// A new round's answer key.
    pub(crate) draw: fn(&dyn Random) -> String,
    /// Whether the data still has the answer.
    pub(crate) is_known: fn(&str) -> bool,
    /// The answer as replies name it.
    pub(crate) answer: fn(&str) -> String,
    /// The answer as a give-up reveals it.
    pub(crate) reveal: fn(&str) -> String,
    /// The reply for a round whose answer the data no longer has.
    pub(crate) stale: fn(&str) -> String,
    /// One guess's block against the answer.
    pub(crate) render_guess: fn(&str, &str) -> String,
}

/// A game module's state: the game and its statements.
pub(crate) struct GameState {
    pub(crate) game: &'static Game,
    pub(crate) sql: Sql,
}

/// The module of `game`: its four commands, the purge cron and its migrations.
pub(crate) fn module(game: &'static Game) -> Module {
    let [on_play, on_new, on_give_up, on_stats] = game.descriptions;
    let name = game.name;
    Module::new(name)
        .state(GameState {
            game,
            sql: Sql::new(name, game.max_guesses),
        })
        .command(Command::public(name, on_play, play::command))
        .command(Command::public(&format!("{name}_new"), on_new, play::command))
        .command(Command::public(&format!("{name}_giveup"), on_give_up, play::command))
        .command(Command::public(&format!("{name}_stats"), on_stats, play::command))
        .callback(buttons::ACT.handle(buttons::press))
        .cron(Cron::new(PURGE_CRON, PURGE_SCHEDULE, play::purge))
        .migrations(crate::migrations_of(name))
}
