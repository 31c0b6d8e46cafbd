//! The commands both games share, as plain functions over a subject: the view, a guess, a new
//! round, a give-up, the stats. Each is one batch ([`super::store`]) and returns the reply text;
//! a button handler can call them the same way the commands do.

use miti99bot_core::sql::{ModuleSql, SqlError};
use miti99bot_core::{CommandCtx, CronCtx, Error, HandlerResult};

use super::store::Round;
use super::subject::{subject, Subject};
use super::texts;
use super::Game;

/// The subject and the SQL store, or the reply why the game cannot run here.
pub(crate) fn player<'a, G: Game>(ctx: &'a CommandCtx) -> Result<(Subject, &'a ModuleSql), Error> {
    let subject = subject(ctx).ok_or_else(|| Error::reply(texts::NO_SUBJECT))?;
    let sql = ctx.sql().ok_or_else(|| Error::reply(texts::no_database::<G>()))?;
    Ok((subject, sql))
}

/// A redelivered update's failure passes through unanswered (the first delivery answered);
/// any other store failure is logged and answered.
fn failed<G: Game>(subject: Subject, error: SqlError) -> Error {
    match error {
        SqlError::AlreadyApplied { .. } => error.into(),
        other => {
            tracing::error!(game = G::NAME, subject = subject.id, error = %other, "game store failed");
            Error::reply(texts::STORE_FAILED)
        }
    }
}

/// A round whose answer the data no longer has: a clear reply instead of a board.
fn known<G: Game>(round: Round) -> Result<Round, Error> {
    if G::is_known(&round.target) {
        Ok(round)
    } else {
        Err(Error::reply(G::stale(&round.target)))
    }
}

/// The board (starting a round when there is none).
pub(crate) async fn view<G: Game>(ctx: &CommandCtx, subject: Subject, sql: &ModuleSql) -> Result<String, Error> {
    let fresh = G::draw(ctx.random());
    let round = G::sql()
        .view(sql, subject.id, &fresh, ctx.now_ms())
        .await
        .map_err(|e| failed::<G>(subject, e))?;
    Ok(texts::view::<G>(&known::<G>(round)?))
}

/// Records `guess` (a valid key: champion id, word) in the round of `subject`.
pub(crate) async fn guess<G: Game>(ctx: &CommandCtx, subject: Subject, sql: &ModuleSql, guess: &str) -> Result<String, Error> {
    let fresh = G::draw(ctx.random());
    let now = ctx.now_ms();
    let store = G::sql();
    match store.guess(sql, subject.id, &fresh, guess, now).await {
        Ok(done) => Ok(texts::guessed::<G>(&known::<G>(done.round)?, done.streak)),
        Err(error @ SqlError::AlreadyApplied { .. }) => Err(error.into()),
        // Refused: most likely the round is over (the CHECK); read it once to say so.
        Err(error) => match store.load(sql, subject.id, now).await {
            Ok(Some(round)) if !is_open(&round) => Err(Error::reply(texts::over::<G>(&round.target))),
            Ok(_) => Err(failed::<G>(subject, error)),
            Err(read) => Err(failed::<G>(subject, read)),
        },
    }
}

fn is_open(round: &Round) -> bool {
    round.state == super::store::State::Open
}

/// `/…_new`: a fresh round, the open one (if any) lost.
pub(crate) async fn new_round<G: Game>(ctx: &CommandCtx, subject: Subject, sql: &ModuleSql) -> Result<String, Error> {
    let target = G::draw(ctx.random());
    let before = G::sql()
        .new_round(sql, subject.id, &target, ctx.now_ms())
        .await
        .map_err(|e| failed::<G>(subject, e))?;
    let abandoned = before.round.as_ref().filter(|r| is_open(r)).map(|r| r.target.as_str());
    Ok(texts::new_round::<G>(abandoned))
}

/// `/…_giveup`: the open round lost and its answer shown.
pub(crate) async fn give_up<G: Game>(ctx: &CommandCtx, subject: Subject, sql: &ModuleSql) -> Result<String, Error> {
    let before = G::sql()
        .give_up(sql, subject.id, ctx.now_ms())
        .await
        .map_err(|e| failed::<G>(subject, e))?;
    Ok(texts::give_up::<G>(before.round.as_ref()))
}

/// `/…_stats`.
pub(crate) async fn stats<G: Game>(subject: Subject, sql: &ModuleSql) -> Result<String, Error> {
    let stats = G::sql()
        .stats(sql, subject.id)
        .await
        .map_err(|e| failed::<G>(subject, e))?;
    Ok(texts::stats::<G>(&stats, subject.private))
}

/// The purge cron: deletes expired rounds (stats stay).
pub(crate) async fn purge<G: Game>(ctx: CronCtx) -> HandlerResult {
    let Some(sql) = ctx.sql() else {
        return Ok(());
    };
    let purged = G::sql().purge(sql, ctx.now_ms()).await?;
    tracing::info!(game = G::NAME, purged, "expired rounds purged");
    Ok(())
}

/// The `/<game>_new` command.
pub(crate) async fn new_command<G: Game>(ctx: CommandCtx) -> Result<String, Error> {
    let (subject, sql) = player::<G>(&ctx)?;
    new_round::<G>(&ctx, subject, sql).await
}

/// The `/<game>_giveup` command.
pub(crate) async fn give_up_command<G: Game>(ctx: CommandCtx) -> Result<String, Error> {
    let (subject, sql) = player::<G>(&ctx)?;
    give_up::<G>(&ctx, subject, sql).await
}

/// The `/<game>_stats` command.
pub(crate) async fn stats_command<G: Game>(ctx: CommandCtx) -> Result<String, Error> {
    let (subject, sql) = player::<G>(&ctx)?;
    stats::<G>(subject, sql).await
}
