//! The command handlers: read arguments, check them, trade, persist, reply.
//!
//! Each handler's logic is a function returning the reply text, so every path ends in exactly
//! one reply.

use miti99bot_core::{CommandCtx, Error, HandlerResult};

use super::args::{history_count, is_valid_ticker, normalize_ticker, parse_amount, parse_qty, split_args};
use super::history::{list_trades, render_history, NewTrade, Side};
use super::ledger::commit_trade;
use super::portfolio::{load_portfolio, save_portfolio, Portfolio, MAX_PRICE_VND};
use super::prices::{PriceProvider, Quote};
use super::render;
use super::TradingState;

/// `/trade_topup <amount>`.
pub async fn topup(ctx: CommandCtx) -> HandlerResult {
    let text = topup_text(&ctx).await;
    ctx.reply(text).await?;
    Ok(())
}

async fn topup_text(ctx: &CommandCtx) -> String {
    let args = split_args(ctx.args());
    let Some(raw) = args.first() else {
        return render::USAGE_TOPUP.to_owned();
    };
    let amount = match parse_amount(raw) {
        Ok(amount) => amount,
        Err(e) => return render::bad_amount(e),
    };
    let Some(user_id) = ctx.from_id() else {
        return render::no_sender(ctx.command());
    };
    let mut portfolio = match load(ctx, user_id).await {
        Ok(p) => p,
        Err(text) => return text,
    };
    if let Err(e) = portfolio.top_up(amount) {
        return render::trade_error(&e);
    }
    if let Err(error) = save_portfolio(ctx.kv(), user_id, &portfolio).await {
        tracing::error!(user_id, %error, "trading: saving the portfolio failed");
        return render::SAVE_FAILED.to_owned();
    }
    render::topped_up(amount, portfolio.vnd())
}

/// `/trade_buy <qty> <TICKER>`.
pub async fn buy(ctx: CommandCtx) -> Result<String, Error> {
    let prices = ctx.state::<TradingState>()?.prices.clone();
    Ok(buy_text(&ctx, prices.as_ref()).await)
}

async fn buy_text(ctx: &CommandCtx, prices: &dyn PriceProvider) -> String {
    let Order { qty, symbol, user_id } = match order(ctx, render::USAGE_BUY) {
        Ok(order) => order,
        Err(text) => return text,
    };
    if !is_valid_ticker(&symbol) {
        return render::unknown_ticker(&symbol);
    }
    let price = match quote(ctx, prices, &symbol).await {
        Ok(Quote::Price(price)) => price,
        Ok(Quote::NoPrice) => return render::no_price(&symbol),
        Ok(Quote::UnknownSymbol) => return render::unknown_ticker(&symbol),
        Err(text) => return text,
    };
    let mut portfolio = match load(ctx, user_id).await {
        Ok(p) => p,
        Err(text) => return text,
    };
    let cost = match portfolio.buy(&symbol, qty, price) {
        Ok(cost) => cost,
        Err(e) => return render::trade_error(&e),
    };
    let trade = NewTrade {
        user_id,
        symbol,
        side: Side::Buy,
        qty,
        price_vnd: price,
        ts: ctx.now_ms(),
    };
    match commit(ctx, &portfolio, &trade).await {
        Ok(()) => render::bought(qty, &trade.symbol, price, cost),
        Err(text) => text,
    }
}

/// `/trade_sell <qty> <TICKER>`.
pub async fn sell(ctx: CommandCtx) -> Result<String, Error> {
    let prices = ctx.state::<TradingState>()?.prices.clone();
    Ok(sell_text(&ctx, prices.as_ref()).await)
}

async fn sell_text(ctx: &CommandCtx, prices: &dyn PriceProvider) -> String {
    // As in the original: no ticker lookup on sell, the holding is checked first.
    let Order { qty, symbol, user_id } = match order(ctx, render::USAGE_SELL) {
        Ok(order) => order,
        Err(text) => return text,
    };
    let mut portfolio = match load(ctx, user_id).await {
        Ok(p) => p,
        Err(text) => return text,
    };
    if let Err(e) = portfolio.deduct_shares(&symbol, qty) {
        return render::trade_error(&e);
    }
    let price = match quote(ctx, prices, &symbol).await {
        Ok(Quote::Price(price)) => price,
        Ok(Quote::NoPrice | Quote::UnknownSymbol) => return render::no_price(&symbol),
        Err(text) => return text,
    };
    let revenue = match portfolio.credit_sale(qty, price) {
        Ok(revenue) => revenue,
        Err(e) => return render::trade_error(&e),
    };
    let trade = NewTrade {
        user_id,
        symbol,
        side: Side::Sell,
        qty,
        price_vnd: price,
        ts: ctx.now_ms(),
    };
    match commit(ctx, &portfolio, &trade).await {
        Ok(()) => render::sold(qty, &trade.symbol, price, revenue),
        Err(text) => text,
    }
}

/// `/trade_convert`: not available yet.
pub async fn convert(ctx: CommandCtx) -> HandlerResult {
    ctx.reply(render::convert()).await?;
    Ok(())
}

/// `/trade_stats`.
pub async fn stats(ctx: CommandCtx) -> Result<String, Error> {
    let prices = ctx.state::<TradingState>()?.prices.clone();
    Ok(stats_text(&ctx, prices.as_ref()).await)
}

async fn stats_text(ctx: &CommandCtx, prices: &dyn PriceProvider) -> String {
    let Some(user_id) = ctx.from_id() else {
        return render::no_sender(ctx.command());
    };
    let portfolio = match load(ctx, user_id).await {
        Ok(p) => p,
        Err(text) => return text,
    };
    let mut holdings = Vec::with_capacity(portfolio.assets.len());
    for (symbol, &qty) in &portfolio.assets {
        let price = match quote(ctx, prices, symbol).await {
            Ok(Quote::Price(price)) => Some(price),
            _ => None,
        };
        holdings.push(render::ValuedHolding {
            symbol: symbol.clone(),
            qty,
            price,
        });
    }
    render::stats(&portfolio, &holdings)
}

/// `/history [n]` (HTML).
pub async fn history(ctx: CommandCtx) -> HandlerResult {
    let Some(user_id) = ctx.from_id() else {
        ctx.reply(render::NO_USER).await?;
        return Ok(());
    };
    let Some(sql) = ctx.sql() else {
        ctx.reply(render::HISTORY_UNAVAILABLE).await?;
        return Ok(());
    };
    match list_trades(sql, user_id, history_count(ctx.args())).await {
        Ok(trades) => ctx.reply_html(render_history(&trades)).await?,
        Err(error) => {
            tracing::error!(user_id, %error, "trading: listing trades failed");
            ctx.reply(render::HISTORY_FAILED).await?
        }
    };
    Ok(())
}

/// The arguments of `/trade_buy` and `/trade_sell`: `<qty> <TICKER>` and who trades.
struct Order {
    qty: i64,
    symbol: String,
    user_id: i64,
}

/// Parses an order, or the reply explaining what is wrong (`usage` when arguments are missing).
fn order(ctx: &CommandCtx, usage: &str) -> Result<Order, String> {
    let args = split_args(ctx.args());
    let (Some(raw_qty), Some(raw_symbol)) = (args.first(), args.get(1)) else {
        return Err(usage.to_owned());
    };
    let qty = parse_qty(raw_qty).map_err(render::bad_qty)?;
    let user_id = ctx.from_id().ok_or_else(|| render::no_sender(ctx.command()))?;
    Ok(Order {
        qty,
        symbol: normalize_ticker(raw_symbol),
        user_id,
    })
}

/// A quote through the runtime's HTTP client, with provider failures logged and turned into
/// the reply.
async fn quote(ctx: &CommandCtx, prices: &dyn PriceProvider, symbol: &str) -> Result<Quote, String> {
    match prices.quote(ctx.http(), symbol).await {
        // A provider is held to its contract: an out-of-range price is a failure, not a trade.
        Ok(Quote::Price(price)) if !(1..=MAX_PRICE_VND).contains(&price) => {
            tracing::warn!(symbol, price, "trading: price provider returned an out-of-range price");
            Err(render::PRICE_FAILED.to_owned())
        }
        Ok(quote) => Ok(quote),
        Err(error) => {
            tracing::warn!(symbol, %error, "trading: price lookup failed");
            Err(render::PRICE_FAILED.to_owned())
        }
    }
}

/// The user's portfolio, or the reply saying it could not be read.
async fn load(ctx: &CommandCtx, user_id: i64) -> Result<Portfolio, String> {
    load_portfolio(ctx.kv(), user_id).await.map_err(|error| {
        tracing::error!(user_id, %error, "trading: reading the portfolio failed");
        render::PORTFOLIO_UNREADABLE.to_owned()
    })
}

/// Records and saves a trade (see [`super::ledger`]), or the reply saying it was not applied.
async fn commit(ctx: &CommandCtx, portfolio: &Portfolio, trade: &NewTrade) -> Result<(), String> {
    commit_trade(ctx.kv(), ctx.sql(), portfolio, trade)
        .await
        .map_err(|error| {
            tracing::error!(user_id = trade.user_id, %error, "trading: trade not applied");
            match error {
                super::ledger::CommitError::Record(_) => render::RECORD_FAILED.to_owned(),
                super::ledger::CommitError::Save { .. } => render::SAVE_FAILED.to_owned(),
            }
        })
}
