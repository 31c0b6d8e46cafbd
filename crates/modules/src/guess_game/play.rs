//! The commands both games share, and under them plain functions over a subject: the view, a
//! guess, a new round, a give-up, the stats. Each is one batch ([`super::store`]) and returns
//! the reply text; a button handler can call them the same way the commands do.

use miti99bot_core::sql::{ModuleSql, SqlError};
use miti99bot_core::{CommandCtx, CronCtx, Error, HandlerResult};

use super::store::{Round, State};
use super::subject::{argument, subject, Subject};
use super::{texts, Game, GameState};

/// What a command plays on: the game, the subject and the SQL store, or the reply why the game
/// cannot run here.
pub(crate) struct Table<'a> {
    pub(crate) game: &'static Game,
    pub(crate) state: &'a GameState,
    pub(crate) subject: Subject,
    pub(crate) sql: &'a ModuleSql,
}

impl<'a> Table<'a> {
    /// The table of the command's module.
    pub(crate) fn of(ctx: &'a CommandCtx) -> Result<Self, Error> {
        let state = ctx.state::<GameState>()?;
        let subject = subject(ctx).ok_or_else(|| Error::reply(texts::NO_SUBJECT))?;
        let sql = ctx.sql().ok_or_else(|| Error::reply(texts::no_database(state.game)))?;
        Ok(Self {
            game: state.game,
            state,
            subject,
            sql,
        })
    }

    /// A redelivered update's failure passes through unanswered (the first delivery answered);
    /// any other store failure is logged and answered.
    fn failed(&self, error: SqlError) -> Error {
        match error {
            SqlError::AlreadyApplied { .. } => error.into(),
            other => {
                tracing::error!(game = self.game.name, subject = self.subject.id, error = %other, "game store failed");
                Error::reply(texts::STORE_FAILED)
            }
        }
    }

    /// A round whose answer the data no longer has: a clear reply instead of a board.
    fn known(&self, round: Round) -> Result<Round, Error> {
        if (self.game.is_known)(&round.target) {
            Ok(round)
        } else {
            Err(Error::reply((self.game.stale)(&round.target)))
        }
    }

    /// The board (starting a round when there is none).
    pub(crate) async fn view(&self, ctx: &CommandCtx) -> Result<String, Error> {
        let fresh = (self.game.draw)(ctx.random());
        let round = self
            .state
            .sql
            .view(self.sql, self.subject.id, &fresh, ctx.now_ms())
            .await
            .map_err(|e| self.failed(e))?;
        Ok(texts::view(self.game, &self.known(round)?))
    }

    /// Records `guess` (a valid key: champion id, word).
    pub(crate) async fn guess(&self, ctx: &CommandCtx, guess: &str) -> Result<String, Error> {
        let fresh = (self.game.draw)(ctx.random());
        let now = ctx.now_ms();
        let store = &self.state.sql;
        match store.guess(self.sql, self.subject.id, &fresh, guess, now).await {
            Ok(done) => Ok(texts::guessed(self.game, &self.known(done.round)?, done.streak)),
            Err(error @ SqlError::AlreadyApplied { .. }) => Err(error.into()),
            // Refused: most likely the round is over (the CHECK); read it once to say so.
            Err(error) => match store.load(self.sql, self.subject.id, now).await {
                Ok(Some(round)) if round.state != State::Open => {
                    Err(Error::reply(texts::over(self.game, &round.target)))
                }
                Ok(_) => Err(self.failed(error)),
                Err(read) => Err(self.failed(read)),
            },
        }
    }

    /// A fresh round, the open one (if any) lost.
    pub(crate) async fn new_round(&self, ctx: &CommandCtx) -> Result<String, Error> {
        let target = (self.game.draw)(ctx.random());
        let before = self
            .state
            .sql
            .new_round(self.sql, self.subject.id, &target, ctx.now_ms())
            .await
            .map_err(|e| self.failed(e))?;
        let abandoned = before.round.as_ref().filter(|r| r.state == State::Open);
        Ok(texts::new_round(self.game, abandoned.map(|r| r.target.as_str())))
    }

    /// The open round lost and its answer shown.
    pub(crate) async fn give_up(&self, ctx: &CommandCtx) -> Result<String, Error> {
        let before = self
            .state
            .sql
            .give_up(self.sql, self.subject.id, ctx.now_ms())
            .await
            .map_err(|e| self.failed(e))?;
        Ok(texts::give_up(self.game, before.round.as_ref()))
    }

    /// The subject's stats.
    pub(crate) async fn stats(&self) -> Result<String, Error> {
        let stats = self
            .state
            .sql
            .stats(self.sql, self.subject.id)
            .await
            .map_err(|e| self.failed(e))?;
        Ok(texts::stats(self.game, &stats, self.subject.private))
    }
}

/// Every command of a game, by name: `/<game> [guess]` (the board, or a guess, checked by the
/// game first: a refused one uses no turn and touches no store), `/<game>_new`,
/// `/<game>_giveup` and `/<game>_stats`. One handler for the four (and both games), so the
/// Worker's wasm carries the command plumbing once.
pub(crate) async fn command(ctx: CommandCtx) -> Result<String, Error> {
    let table = Table::of(&ctx)?;
    match ctx.command().strip_prefix(table.game.name) {
        Some("_new") => table.new_round(&ctx).await,
        Some("_giveup") => table.give_up(&ctx).await,
        Some("_stats") => table.stats().await,
        _ => {
            let arg = argument(&ctx);
            if arg.is_empty() {
                return table.view(&ctx).await;
            }
            let guess = (table.game.parse_guess)(arg).map_err(Error::reply)?;
            table.guess(&ctx, &guess).await
        }
    }
}

/// The purge cron: deletes expired rounds (stats stay).
pub(crate) async fn purge(ctx: CronCtx) -> HandlerResult {
    let Some(sql) = ctx.sql() else {
        return Ok(());
    };
    let state = ctx.state::<GameState>()?;
    let purged = state.sql.purge(sql, ctx.now_ms()).await?;
    tracing::info!(game = state.game.name, purged, "expired rounds purged");
    Ok(())
}
