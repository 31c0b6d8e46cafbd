//! The command handlers: read arguments, check them, change the portfolio in one batch, reply.
//!
//! A handler returns its reply, and every early exit is an [`Error::reply`] with the text, so
//! every path ends in exactly one reply. The one exception: a redelivered update, whose batch
//! fails on the update's claim ([`SqlError::AlreadyApplied`]); the handler returns that error and
//! says nothing, since the first delivery answered.

use miti99bot_core::sql::{ModuleSql, SqlError};
use miti99bot_core::{CommandCtx, Error, HandlerResult, ModuleEnv, Reply};

use super::account::{load_account, returned_balance, Change};
use super::args::{history_count, is_valid_ticker, Amount, Qty, Ticker};
use super::buttons::{history_page, stats_reply};
use super::carry_over::{carry_over_statements, forget_kv_portfolio, load_kv_portfolio};
use super::history::Side;
use super::join_all::join_all;
use super::portfolio::{Portfolio, TradeError, MAX_PRICE_VND};
use super::prices::{PriceProvider, Quote};
use super::render;
use super::TradingState;

/// `/trade_topup <amount>`.
pub async fn topup(ctx: CommandCtx) -> Result<String, Error> {
    let Amount(amount) = ctx.parse_args()?;
    let user_id = sender(&ctx)?;
    apply(&ctx, database(&ctx)?, user_id, &Change::TopUp { amount }).await
}

/// `/trade_buy <qty> <TICKER>`.
pub async fn buy(ctx: CommandCtx) -> Result<String, Error> {
    let prices = ctx.state::<TradingState>()?.prices.clone();
    buy_text(&ctx, prices.as_ref()).await
}

async fn buy_text(ctx: &CommandCtx, prices: &dyn PriceProvider) -> Result<String, Error> {
    let Order { qty, symbol, user_id } = order(ctx)?;
    if !is_valid_ticker(&symbol) {
        return Err(Error::reply(render::unknown_ticker(&symbol)));
    }
    let sql = database(ctx)?;
    let price = match quote(ctx, prices, &symbol).await? {
        Quote::Price(price) => price,
        Quote::NoPrice => return Err(Error::reply(render::no_price(&symbol))),
        Quote::UnknownSymbol => return Err(Error::reply(render::unknown_ticker(&symbol))),
    };
    let change = Change::Trade {
        side: Side::Buy,
        symbol,
        qty,
        price,
    };
    apply(ctx, sql, user_id, &change).await
}

/// `/trade_sell <qty> <TICKER>`.
pub async fn sell(ctx: CommandCtx) -> Result<String, Error> {
    let prices = ctx.state::<TradingState>()?.prices.clone();
    sell_text(&ctx, prices.as_ref()).await
}

async fn sell_text(ctx: &CommandCtx, prices: &dyn PriceProvider) -> Result<String, Error> {
    // No ticker lookup on sell, as in the original. The price comes first so that the sale is
    // one batch; without a price the holding is read to answer as the original did.
    let Order { qty, symbol, user_id } = order(ctx)?;
    let sql = database(ctx)?;
    // A ticker no source can list is not looked up (nor sent to a price API).
    let quoted = if is_valid_ticker(&symbol) {
        quote(ctx, prices, &symbol).await
    } else {
        Ok(Quote::UnknownSymbol)
    };
    let price = match quoted {
        Ok(Quote::Price(price)) => price,
        failed => {
            let held = current(ctx, sql, user_id).await?.held(&symbol);
            if held < qty {
                return Err(Error::reply(render::trade_error(&TradeError::InsufficientShares {
                    symbol,
                    held,
                })));
            }
            return Err(match failed {
                Err(error) => error,
                Ok(_) => Error::reply(render::no_price(&symbol)),
            });
        }
    };
    let change = Change::Trade {
        side: Side::Sell,
        symbol,
        qty,
        price,
    };
    apply(ctx, sql, user_id, &change).await
}

/// `/trade_convert`: not available yet.
pub async fn convert(ctx: CommandCtx) -> HandlerResult {
    ctx.reply(render::convert()).await?;
    Ok(())
}

/// `/trade_stats`: the portfolio in one query, every holding's price fetched concurrently, with
/// a Refresh button that edits the message in place.
pub async fn stats(ctx: CommandCtx) -> Result<Reply, Error> {
    stats_reply(&ctx, sender(&ctx)?).await
}

/// The `/trade_stats` text of `user_id`.
pub(crate) async fn stats_text(env: &ModuleEnv, user_id: i64) -> Result<String, Error> {
    let prices = env.state::<TradingState>()?.prices.clone();
    let prices = prices.as_ref();
    let sql = env.sql().ok_or_else(|| Error::reply(render::NO_DATABASE))?;
    let portfolio = current(env, sql, user_id).await?;
    let quotes = join_all(portfolio.assets.names().map(|symbol| quote(env, prices, symbol))).await;
    let holdings: Vec<render::ValuedHolding> = portfolio
        .assets
        .iter()
        .zip(quotes)
        .map(|((symbol, &qty), quote)| render::ValuedHolding {
            symbol: symbol.clone(),
            qty,
            price: match quote {
                Ok(Quote::Price(price)) => Some(price),
                _ => None,
            },
        })
        .collect();
    Ok(render::stats(&portfolio, &holdings))
}

/// `/history [n]` (HTML), the newest `n` trades, with Older/Newer buttons that page in place.
pub async fn history(ctx: CommandCtx) -> Result<Reply, Error> {
    let Some(user_id) = ctx.from_id() else {
        return Ok(Reply::text(render::NO_USER));
    };
    history_page(&ctx, user_id, history_count(ctx.args()), None).await
}

/// The arguments of `/trade_buy` and `/trade_sell`: `<qty> <TICKER>` and who trades.
struct Order {
    qty: i64,
    symbol: String,
    user_id: i64,
}

/// Parses an order, or the reply explaining what is wrong (the usage when arguments are missing).
fn order(ctx: &CommandCtx) -> Result<Order, Error> {
    let (Qty(qty), Ticker(symbol)) = ctx.parse_args()?;
    Ok(Order {
        qty,
        symbol,
        user_id: sender(ctx)?,
    })
}

/// The sender's id, or the reply that the command needs one.
fn sender(ctx: &CommandCtx) -> Result<i64, Error> {
    ctx.from_id()
        .ok_or_else(|| Error::reply(render::no_sender(ctx.command())))
}

/// The SQL store, or the reply that trading needs one (the portfolio lives there).
fn database(ctx: &CommandCtx) -> Result<&ModuleSql, Error> {
    ctx.sql().ok_or_else(|| Error::reply(render::NO_DATABASE))
}

/// A quote through the runtime's HTTP client, with provider failures logged and turned into
/// the reply.
async fn quote(ctx: &ModuleEnv, prices: &dyn PriceProvider, symbol: &str) -> Result<Quote, Error> {
    match prices.quote(ctx.http(), symbol).await {
        // A provider is held to its contract: an out-of-range price is a failure, not a trade.
        Ok(Quote::Price(price)) if !(1..=MAX_PRICE_VND).contains(&price) => {
            miti99bot_core::warn!(symbol, price, "trading: price provider returned an out-of-range price");
            Err(Error::reply(render::PRICE_FAILED))
        }
        Ok(quote) => Ok(quote),
        Err(error) => {
            miti99bot_core::warn!(symbol, %error, "trading: price lookup failed");
            Err(Error::reply(render::PRICE_FAILED))
        }
    }
}

/// The user's portfolio: the account in SQL, else one still in KV, else empty. Writes nothing.
async fn current(ctx: &ModuleEnv, sql: &ModuleSql, user_id: i64) -> Result<Portfolio, Error> {
    let unreadable = |error: &dyn std::fmt::Display| {
        miti99bot_core::error!(user_id, %error, "trading: reading the portfolio failed");
        Error::reply(render::PORTFOLIO_UNREADABLE)
    };
    if let Some(portfolio) = load_account(sql, user_id).await.map_err(|e| unreadable(&e))? {
        return Ok(portfolio);
    }
    let kv = load_kv_portfolio(ctx.kv(), user_id).await.map_err(|e| unreadable(&e))?;
    Ok(kv.unwrap_or_default())
}

/// Applies `change` in one batch (with the update's claim, the handler's first write) and
/// returns the reply. A refused batch wrote nothing: the state is read once to say why. A user
/// without an account gets one first, carrying a portfolio still in KV, in the same batch.
async fn apply(ctx: &CommandCtx, sql: &ModuleSql, user_id: i64, change: &Change) -> Result<String, Error> {
    let value = match change.value() {
        Ok(value) => value,
        Err(_) => {
            let portfolio = current(ctx, sql, user_id).await?;
            return Err(refusal(change, &portfolio, user_id, None));
        }
    };
    let statements = change.statements(sql, user_id, value, ctx.now_ms());
    let error = match sql.batch(&statements).await {
        Ok(results) => return Ok(done(sql, user_id, change, value, &results).await),
        Err(error) => not_a_redelivery(error)?,
    };
    match load_account(sql, user_id).await {
        Ok(Some(portfolio)) => Err(refusal(change, &portfolio, user_id, Some(&error))),
        Ok(None) => first_use(ctx, sql, user_id, change, value, statements).await,
        Err(read) => {
            miti99bot_core::error!(user_id, %error, %read, "trading: the change failed and the account could not be read");
            Err(Error::reply(failed(change)))
        }
    }
}

/// The first change of a user without an account: the account (from the KV portfolio, if
/// any) and the change in one batch; then the KV key goes.
async fn first_use(
    ctx: &CommandCtx,
    sql: &ModuleSql,
    user_id: i64,
    change: &Change,
    value: i64,
    statements: Vec<miti99bot_core::sql::Statement>,
) -> Result<String, Error> {
    let in_kv = load_kv_portfolio(ctx.kv(), user_id).await.map_err(|error| {
        miti99bot_core::error!(user_id, %error, "trading: reading the KV portfolio failed");
        Error::reply(render::PORTFOLIO_UNREADABLE)
    })?;
    let carried = in_kv.clone().unwrap_or_default();
    let mut batch = carry_over_statements(sql, user_id, &carried);
    batch.extend(statements);
    let error = match sql.batch(&batch).await {
        Ok(results) => {
            if in_kv.is_some() {
                miti99bot_core::info!(user_id, "trading: the KV portfolio was carried into SQL");
                forget_kv_portfolio(ctx.kv(), user_id).await;
            }
            return Ok(done(sql, user_id, change, value, &results).await);
        }
        Err(error) => not_a_redelivery(error)?,
    };
    match load_account(sql, user_id).await {
        Ok(Some(portfolio)) => Err(refusal(change, &portfolio, user_id, Some(&error))),
        Ok(None) => Err(refusal(change, &carried, user_id, Some(&error))),
        Err(read) => {
            miti99bot_core::error!(user_id, %error, %read, "trading: the first change failed and the account could not be read");
            Err(Error::reply(failed(change)))
        }
    }
}

/// A redelivery's failure is returned as it is (no reply); anything else is for the caller.
fn not_a_redelivery(error: SqlError) -> Result<SqlError, Error> {
    match error {
        SqlError::AlreadyApplied { .. } => Err(error.into()),
        other => Ok(other),
    }
}

/// The reply to a change the database refused, worded from `portfolio`, the state read after.
/// If the state allows the change (it changed meanwhile, or the failure was not a CHECK), the
/// failure is logged and the user told nothing changed.
fn refusal(change: &Change, portfolio: &Portfolio, user_id: i64, error: Option<&SqlError>) -> Error {
    match change.check(portfolio) {
        Err(refused) => Error::reply(render::trade_error(&refused)),
        Ok(_) => {
            let error = error.map(ToString::to_string).unwrap_or_default();
            miti99bot_core::error!(user_id, %error, ?change, "trading: the change failed though the portfolio allows it");
            Error::reply(failed(change))
        }
    }
}

/// "Nothing was changed" for `change`.
fn failed(change: &Change) -> &'static str {
    match change {
        Change::TopUp { .. } => render::SAVE_FAILED,
        Change::Trade { .. } => render::RECORD_FAILED,
    }
}

/// The success reply of an applied change.
async fn done(
    sql: &ModuleSql,
    user_id: i64,
    change: &Change,
    value: i64,
    results: &[miti99bot_core::sql::BatchResult],
) -> String {
    match change {
        Change::TopUp { amount } => {
            let balance = match returned_balance(results) {
                Some(balance) => Some(balance),
                None => load_account(sql, user_id).await.ok().flatten().map(|p| p.vnd()),
            };
            match balance {
                Some(balance) => render::topped_up(*amount, balance),
                None => render::topped_up_without_balance(*amount),
            }
        }
        Change::Trade {
            side: Side::Buy,
            symbol,
            qty,
            price,
        } => render::bought(*qty, symbol, *price, value),
        Change::Trade {
            side: Side::Sell,
            symbol,
            qty,
            price,
        } => render::sold(*qty, symbol, *price, value),
    }
}
