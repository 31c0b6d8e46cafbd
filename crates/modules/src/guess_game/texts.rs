//! The replies both games share, worded with the game's name and limits.

use super::store::{Round, State, Stats};
use super::Game;

/// No subject: a channel post.
pub(crate) const NO_SUBJECT: &str = "Cannot identify chat.";

/// The game's database failed (logged).
pub(crate) const STORE_FAILED: &str = "Could not reach the game's database. Try again.";

/// The game runs without a SQL store.
pub(crate) fn no_database(g: &Game) -> String {
    format!("{} needs a database; it is not available here.", g.title)
}

/// The board of a round: each guess's block, or the hint when there is none.
pub(crate) fn board(g: &Game, round: &Round) -> String {
    if round.guesses.is_empty() {
        return format!("No guesses yet. Reply with `/{} {}`.", g.name, g.usage);
    }
    round
        .guesses
        .iter()
        .map(|guess| (g.render_guess)(guess, &round.target))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The no-argument view: the header for the round's state, a blank line, the board.
pub(crate) fn view(g: &Game, round: &Round) -> String {
    let n = round.guesses.len();
    let answer = (g.answer)(&round.target);
    let header = match round.state {
        State::Won => format!("🎉 Solved in {n}/{}. /{}_new for another.", g.max_guesses, g.name),
        State::GaveUp => format!("🏳️ Gave up. Answer was {answer}. /{}_new for another.", g.name),
        State::Lost => out_of_guesses(g, &answer),
        State::Open => format!("Guess {n}/{}. Use `/{} {}`.", g.max_guesses, g.name, g.usage),
    };
    format!("{header}\n\n{}", board(g, round))
}

fn out_of_guesses(g: &Game, answer: &str) -> String {
    format!("❌ Out of guesses. Answer was {answer}. /{}_new to retry.", g.name)
}

/// A guess on a round that is over.
pub(crate) fn over(g: &Game, target: &str) -> String {
    format!(
        "Current round is over. Use /{}_new to start another. Answer was {}.",
        g.name,
        (g.answer)(target)
    )
}

/// The reply to an accepted guess: its block, then the round's news.
pub(crate) fn guessed(g: &Game, round: &Round, streak: Option<i64>) -> String {
    let n = round.guesses.len();
    let last = round.guesses.last().map(String::as_str).unwrap_or_default();
    let block = (g.render_guess)(last, &round.target);
    let news = match round.state {
        State::Won => format!(
            "🎉 Solved in {n}/{}! Streak: {}. /{}_new for another.",
            g.max_guesses,
            streak.unwrap_or(1),
            g.name
        ),
        State::Lost => out_of_guesses(g, &(g.answer)(&round.target)),
        State::Open | State::GaveUp => format!("Guess {n}/{}.", g.max_guesses),
    };
    format!("{block}\n\n{news}")
}

/// `/…_new`: the abandoned round's answer when one was open, then the news.
pub(crate) fn new_round(g: &Game, abandoned: Option<&str>) -> String {
    let prelude = abandoned.map_or_else(String::new, |target| {
        format!(
            "🏳️ Previous round abandoned (auto-giveup). Answer was {}.\n\n",
            (g.answer)(target)
        )
    });
    format!("{prelude}🆕 New round started. Use `/{} {}` to guess.", g.name, g.usage)
}

/// `/…_giveup` on the round as it was (`None`: there was none).
pub(crate) fn give_up(g: &Game, before: Option<&Round>) -> String {
    let Some(round) = before else {
        return format!("No round in progress. /{}_new to start one.", g.name);
    };
    let answer = (g.answer)(&round.target);
    match round.state {
        State::Won => format!("Already solved — {answer}."),
        State::GaveUp => format!("Already gave up — {answer}."),
        State::Lost => format!("Already out of guesses — {answer}."),
        State::Open => format!(
            "🏳️ Answer was {}. /{}_new for another.",
            (g.reveal)(&round.target),
            g.name
        ),
    }
}

/// `round(wins / played × 100)` with halves rounded up (JavaScript's `Math.round`), 0 when
/// nothing was played.
pub(crate) fn win_rate(wins: i64, played: i64) -> i64 {
    if played <= 0 {
        return 0;
    }
    (wins * 200 + played) / (2 * played)
}

/// `/…_stats`.
pub(crate) fn stats(g: &Game, stats: &Stats, private: bool) -> String {
    let whose = if private { "your" } else { "group" };
    format!(
        "📊 {} {whose} stats\nPlayed: {}\nWins: {} ({}%)\nCurrent streak: {}\nBest streak: {}",
        g.title,
        stats.played,
        stats.wins,
        win_rate(stats.wins, stats.played),
        stats.streak,
        stats.best_streak
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_rate_rounds_halves_up() {
        assert_eq!(win_rate(0, 0), 0);
        assert_eq!(win_rate(1, 8), 13);
        assert_eq!(win_rate(1, 3), 33);
        assert_eq!(win_rate(2, 3), 67);
        assert_eq!(win_rate(1, 2), 50);
        assert_eq!(win_rate(5, 5), 100);
        assert_eq!(win_rate(1, 200), 1);
        assert_eq!(win_rate(1, 201), 0);
    }
}
