//! The commands both games share, and under them plain functions over a subject: the view, a
//! guess, a new round, a give-up, the stats. Each is one batch ([`super::store`]) and returns
//! the reply text and what the board is now; the commands and the buttons ([`super::buttons`])
//! call them alike.

use miti99bot_core::sql::{ModuleSql, SqlError};
use miti99bot_core::{CommandCtx, CronCtx, Error, HandlerResult, ModuleEnv, Reply};

use super::buttons::{keyboard, Board};
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
        Self::new(ctx, subject(ctx))
    }

    /// The table of `subject` in `env`'s game (`None`: the reply that there is no subject).
    pub(crate) fn new(env: &'a ModuleEnv, subject: Option<Subject>) -> Result<Self, Error> {
        let state = env.state::<GameState>()?;
        let subject = subject.ok_or_else(|| Error::reply(texts::NO_SUBJECT))?;
        let sql = env.sql().ok_or_else(|| Error::reply(texts::no_database(state.game)))?;
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
                miti99bot_core::error!(game = self.game.name, subject = self.subject.id, error = %other, "game store failed");
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
    pub(crate) async fn view(&self, ctx: &ModuleEnv) -> Result<(String, Board), Error> {
        let fresh = (self.game.draw)(ctx.random());
        let round = self
            .state
            .sql
            .view(self.sql, self.subject.id, &fresh, ctx.now_ms())
            .await
            .map_err(|e| self.failed(e))?;
        let round = self.known(round)?;
        Ok((texts::view(self.game, &round), Board::of(&round)))
    }

    /// The subject's round, if one is running or finished and not expired (no write).
    pub(crate) async fn current(&self, ctx: &ModuleEnv) -> Result<Option<Round>, Error> {
        self.state
            .sql
            .load(self.sql, self.subject.id, ctx.now_ms())
            .await
            .map_err(|e| self.failed(e))
    }

    /// Records `guess` (a valid key: champion id, word).
    pub(crate) async fn guess(&self, ctx: &ModuleEnv, guess: &str) -> Result<(String, Board), Error> {
        let fresh = (self.game.draw)(ctx.random());
        let now = ctx.now_ms();
        let store = &self.state.sql;
        match store.guess(self.sql, self.subject.id, &fresh, guess, now).await {
            Ok(done) => {
                let round = self.known(done.round)?;
                Ok((texts::guessed(self.game, &round, done.streak), Board::of(&round)))
            }
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
    pub(crate) async fn new_round(&self, ctx: &ModuleEnv) -> Result<(String, Board), Error> {
        let target = (self.game.draw)(ctx.random());
        let before = self
            .state
            .sql
            .new_round(self.sql, self.subject.id, &target, ctx.now_ms())
            .await
            .map_err(|e| self.failed(e))?;
        let abandoned = before.round.as_ref().filter(|r| r.state == State::Open);
        let text = texts::new_round(self.game, abandoned.map(|r| r.target.as_str()));
        Ok((text, Board::Running))
    }

    /// The open round lost and its answer shown.
    pub(crate) async fn give_up(&self, ctx: &ModuleEnv) -> Result<(String, Board), Error> {
        let before = self
            .state
            .sql
            .give_up(self.sql, self.subject.id, ctx.now_ms())
            .await
            .map_err(|e| self.failed(e))?;
        // Whatever the round was, none is running now: the next move is a new round.
        Ok((texts::give_up(self.game, before.round.as_ref()), Board::Finished))
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
/// Worker's wasm carries the command plumbing once. A board comes with its button: Give up
/// while the round runs, New round once it is over.
pub(crate) async fn command(ctx: CommandCtx) -> Result<Reply, Error> {
    let table = Table::of(&ctx)?;
    let (text, board) = match ctx.command().strip_prefix(table.game.name) {
        Some("_new") => table.new_round(&ctx).await?,
        Some("_giveup") => table.give_up(&ctx).await?,
        Some("_stats") => return Ok(Reply::text(table.stats().await?)),
        _ => {
            let arg = argument(&ctx);
            if arg.is_empty() {
                table.view(&ctx).await?
            } else {
                let guess = (table.game.parse_guess)(arg).map_err(Error::reply)?;
                table.guess(&ctx, &guess).await?
            }
        }
    };
    Ok(Reply::text(text).keyboard(keyboard(&ctx, board)?))
}

/// The purge cron: deletes expired rounds (stats stay).
pub(crate) async fn purge(ctx: CronCtx) -> HandlerResult {
    let Some(sql) = ctx.sql() else {
        return Ok(());
    };
    let state = ctx.state::<GameState>()?;
    let purged = state.sql.purge(sql, ctx.now_ms()).await?;
    miti99bot_core::info!(game = state.game.name, purged, "expired rounds purged");
    Ok(())
}
