//! A guessing game's rounds and stats in SQL: `<game>_rounds` (one row per subject, the running
//! or last round) and `<game>_stats` (one row per subject, forever).
//!
//! Every command is **one** batch, so one round trip (a network hop on Workers), and every
//! change is atomic:
//!
//! - a guess: start a round if there is none (or it expired), then [`Sql::guess`], then record
//!   the result if that guess ended the round. The guess's `UPDATE` computes the new state from
//!   the row as it is in the database, not as the handler read it, so two guesses sent back to
//!   back are both appended and both counted; on a round that is over it writes the state
//!   `'over'`, which the table's `CHECK` refuses, so the whole batch fails and writes nothing (a
//!   finished round takes no more guesses, and a result is recorded exactly once);
//! - a give-up or a new round: read the round, record a loss if it is open, change it: the
//!   read is inside the batch, so the reply and the change agree even when two race.
//!
//! A round expires 7 days after its last change (the original's KV TTL): `expires_at` is set on
//! every write and checked on every read; the cron [`super::PURGE_CRON`] deletes expired rows.

use miti99bot_core::params;
use miti99bot_core::sql::{BatchResult, ModuleSql, Row, SqlError, Statement};

/// How long a round lives after its last change: 7 days, in milliseconds.
pub(crate) const ROUND_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Where a round is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Guesses left.
    Open,
    /// Guessed.
    Won,
    /// Out of guesses.
    Lost,
    /// Given up.
    GaveUp,
}

impl State {
    fn parse(text: &str) -> Option<State> {
        Some(match text {
            "open" => State::Open,
            "won" => State::Won,
            "lost" => State::Lost,
            "gaveup" => State::GaveUp,
            _ => return None,
        })
    }
}

/// A round as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Round {
    /// The answer's key (champion id, word).
    pub(crate) target: String,
    /// The guesses' keys, in order.
    pub(crate) guesses: Vec<String>,
    /// Where the round is.
    pub(crate) state: State,
}

/// The text column `name` of `row`.
fn text<'a>(row: &'a Row, name: &str) -> Result<&'a str, SqlError> {
    row.get(name)
        .and_then(|v| v.as_str())
        .ok_or_else(|| SqlError::database(format!("round row without text column {name}")))
}

/// The integer column `name` of `row`, 0 when missing.
fn int(row: &Row, name: &str) -> i64 {
    row.get(name).and_then(|v| v.as_i64()).unwrap_or_default()
}

impl Round {
    /// The round in a row of `target, guesses, state` (read by hand, not through serde: the
    /// Worker's wasm stays smaller).
    fn from_row(row: &Row) -> Result<Round, SqlError> {
        let state = text(row, "state")?;
        let state = State::parse(state).ok_or_else(|| SqlError::database(format!("unknown round state {state:?}")))?;
        let guesses = text(row, "guesses")?;
        let guesses = if guesses.is_empty() {
            Vec::new()
        } else {
            guesses.split(',').map(str::to_owned).collect()
        };
        Ok(Round {
            target: text(row, "target")?.to_owned(),
            guesses,
            state,
        })
    }
}

/// A subject's record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Rounds finished (won, lost or given up).
    pub(crate) played: i64,
    /// Rounds won.
    pub(crate) wins: i64,
    /// Consecutive round wins up to now.
    pub(crate) streak: i64,
    /// The longest streak.
    pub(crate) best_streak: i64,
}

/// The statements of one game, over its tables (`<game>_rounds`, `<game>_stats`).
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    start_if_none: String,
    new_round: String,
    load_round: String,
    guess: String,
    record_finished: String,
    record_loss_if_open: String,
    give_up: String,
    load_stats: String,
    purge: String,
}

impl Sql {
    /// The statements of `game` (its tables' prefix) with `max_guesses` per round.
    pub(crate) fn new(game: &str, max_guesses: i64) -> Self {
        let rounds = format!("{game}_rounds");
        let stats = format!("{game}_stats");
        let upsert_round = format!(
            "INSERT INTO {rounds} (subject, target, guesses, n, state, started_at, expires_at) \
             VALUES (?, ?, '', 0, 'open', ?, ?) ON CONFLICT (subject) DO UPDATE SET \
             target = excluded.target, guesses = '', n = 0, state = 'open', \
             started_at = excluded.started_at, expires_at = excluded.expires_at"
        );
        // One result into the stats: `won` is 1 or 0; the streak counts consecutive wins.
        let record = |select: &str| {
            format!(
                "INSERT INTO {stats} (subject, played, wins, streak, best_streak, last_result_at) \
                 {select} ON CONFLICT (subject) DO UPDATE SET played = played + 1, \
                 wins = wins + excluded.wins, \
                 streak = CASE WHEN excluded.wins = 1 THEN streak + 1 ELSE 0 END, \
                 best_streak = max(best_streak, CASE WHEN excluded.wins = 1 THEN streak + 1 ELSE 0 END), \
                 last_result_at = excluded.last_result_at RETURNING streak"
            )
        };
        Self {
            start_if_none: format!("{upsert_round} WHERE {rounds}.expires_at <= ?"),
            new_round: upsert_round,
            load_round: format!("SELECT target, guesses, state FROM {rounds} WHERE subject = ? AND expires_at > ?"),
            guess: format!(
                "UPDATE {rounds} SET \
                 state = CASE WHEN state <> 'open' OR expires_at <= ? THEN 'over' \
                 WHEN target = ? THEN 'won' WHEN n + 1 >= {max_guesses} THEN 'lost' ELSE 'open' END, \
                 guesses = CASE WHEN n = 0 THEN ? ELSE guesses || ',' || ? END, \
                 n = n + 1, expires_at = ? WHERE subject = ? RETURNING target, guesses, state"
            ),
            record_finished: record(&format!(
                "SELECT subject, 1, state = 'won', state = 'won', state = 'won', ? FROM {rounds} \
                 WHERE subject = ? AND state IN ('won', 'lost')"
            )),
            record_loss_if_open: record(&format!(
                "SELECT subject, 1, 0, 0, 0, ? FROM {rounds} WHERE subject = ? AND state = 'open' AND expires_at > ?"
            )),
            give_up: format!(
                "UPDATE {rounds} SET state = 'gaveup', expires_at = ? \
                 WHERE subject = ? AND state = 'open' AND expires_at > ?"
            ),
            load_stats: format!("SELECT played, wins, streak, best_streak FROM {stats} WHERE subject = ?"),
            purge: format!("DELETE FROM {rounds} WHERE expires_at <= ?"),
        }
    }
}

/// What a guess did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Guessed {
    /// The round after the guess.
    pub(crate) round: Round,
    /// The streak after the result, when the guess ended the round.
    pub(crate) streak: Option<i64>,
}

/// What a command that first read the round saw (inside its batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Before {
    /// The round before the change (`None`: no round, or it expired).
    pub(crate) round: Option<Round>,
}

fn round_in(results: &[BatchResult], at: usize) -> Result<Option<Round>, SqlError> {
    match results.get(at).and_then(|r| r.rows.first()) {
        Some(row) => Ok(Some(Round::from_row(row)?)),
        None => Ok(None),
    }
}

fn streak_in(results: &[BatchResult], at: usize) -> Option<i64> {
    results
        .get(at)
        .and_then(|r| r.rows.first())
        .map(|row| int(row, "streak"))
}

impl Sql {
    fn start_if_none_stmt(&self, db: &ModuleSql, subject: i64, fresh: &str, now: i64) -> Statement {
        db.prepare(
            self.start_if_none.as_str(),
            params![subject, fresh, now, now + ROUND_TTL_MS, now],
        )
    }

    /// The round of `subject`, starting one on `fresh` when there is none (the board view).
    pub(crate) async fn view(&self, db: &ModuleSql, subject: i64, fresh: &str, now: i64) -> Result<Round, SqlError> {
        let batch = [
            self.start_if_none_stmt(db, subject, fresh, now),
            db.prepare(self.load_round.as_str(), params![subject, now]),
        ];
        let results = db.batch(&batch).await?;
        round_in(&results, 1)?.ok_or_else(|| SqlError::database("the round just started is missing"))
    }

    /// The round of `subject`, without starting one.
    pub(crate) async fn load(&self, db: &ModuleSql, subject: i64, now: i64) -> Result<Option<Round>, SqlError> {
        let row = db.first_row(&self.load_round, params![subject, now]).await?;
        row.as_ref().map(Round::from_row).transpose()
    }

    /// Appends `guess` to the round of `subject` (started on `fresh` if there is none), in one
    /// batch. Fails, writing nothing, when the round is over.
    pub(crate) async fn guess(
        &self,
        db: &ModuleSql,
        subject: i64,
        fresh: &str,
        guess: &str,
        now: i64,
    ) -> Result<Guessed, SqlError> {
        let batch = [
            self.start_if_none_stmt(db, subject, fresh, now),
            db.prepare(
                self.guess.as_str(),
                params![now, guess, guess, guess, now + ROUND_TTL_MS, subject],
            ),
            db.prepare(self.record_finished.as_str(), params![now, subject]),
        ];
        let results = db.batch(&batch).await?;
        let round = round_in(&results, 1)?.ok_or_else(|| SqlError::database("the guessed round is missing"))?;
        Ok(Guessed {
            round,
            streak: streak_in(&results, 2),
        })
    }

    /// Gives up the open round of `subject`, recording a loss; what the round was before.
    pub(crate) async fn give_up(&self, db: &ModuleSql, subject: i64, now: i64) -> Result<Before, SqlError> {
        let batch = [
            db.prepare(self.load_round.as_str(), params![subject, now]),
            db.prepare(self.record_loss_if_open.as_str(), params![now, subject, now]),
            db.prepare(self.give_up.as_str(), params![now + ROUND_TTL_MS, subject, now]),
        ];
        let results = db.batch(&batch).await?;
        Ok(Before {
            round: round_in(&results, 0)?,
        })
    }

    /// Starts a new round of `subject` on `target`, recording a loss for an open one; what the
    /// round was before.
    pub(crate) async fn new_round(
        &self,
        db: &ModuleSql,
        subject: i64,
        target: &str,
        now: i64,
    ) -> Result<Before, SqlError> {
        let batch = [
            db.prepare(self.load_round.as_str(), params![subject, now]),
            db.prepare(self.record_loss_if_open.as_str(), params![now, subject, now]),
            db.prepare(
                self.new_round.as_str(),
                params![subject, target, now, now + ROUND_TTL_MS],
            ),
        ];
        let results = db.batch(&batch).await?;
        Ok(Before {
            round: round_in(&results, 0)?,
        })
    }

    /// The record of `subject` (all zero before the first result).
    pub(crate) async fn stats(&self, db: &ModuleSql, subject: i64) -> Result<Stats, SqlError> {
        let row = db.first_row(&self.load_stats, params![subject]).await?;
        Ok(row.map_or_else(Stats::default, |row| Stats {
            played: int(&row, "played"),
            wins: int(&row, "wins"),
            streak: int(&row, "streak"),
            best_streak: int(&row, "best_streak"),
        }))
    }

    /// Deletes every round that expired by `now`; how many.
    pub(crate) async fn purge(&self, db: &ModuleSql, now: i64) -> Result<u64, SqlError> {
        Ok(db.run(&self.purge, params![now]).await?.changes)
    }
}
