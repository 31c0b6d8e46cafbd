//! Trading's buttons: Refresh under `/trade_stats`, Older/Newer under `/history`. Each press
//! edits its message in place.
//!
//! | callback | data | what a press does |
//! |---|---|---|
//! | `trading:refresh` | the user whose stats they are | the stats again, at current prices |
//! | `trading:page` | user, page size, direction, the trade (`ts`, `id`) the page starts after | the next older or newer page |
//!
//! Pages are keyset pages: "older" lists the trades before the oldest one shown, "newer" those
//! after the newest one shown, so a trade recorded meanwhile never shifts a page. A page asks
//! for one row more than it shows, to know whether a further button is needed.

use miti99bot_core::callback::Callback;
use miti99bot_core::params;
use miti99bot_core::telegram::{Edited, InlineKeyboardButton, InlineKeyboardMarkup};
use miti99bot_core::{CallbackCtx, Error, ModuleEnv, Reply};
use serde::{Deserialize, Serialize};

use super::handlers::stats_text;
use super::history::{render_history, TradeRow, LIST_NEWER, LIST_OLDER, LIST_TRADES};
use super::render;

/// Refresh a user's `/trade_stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refresh {
    /// Whose portfolio.
    pub user: i64,
}

/// One page of a user's `/history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Whose trades.
    pub user: i64,
    /// Trades per page (1 to 50).
    pub n: i64,
    /// Older than the anchor (`true`) or newer.
    pub older: bool,
    /// The anchor trade's `ts`.
    pub ts: i64,
    /// The anchor trade's `id`.
    pub id: i64,
}

/// The Refresh button's callback.
pub const REFRESH: Callback<Refresh> = Callback::new("refresh");

/// The history pages' callback.
pub const PAGE: Callback<Page> = Callback::new("page");

/// The label of the Refresh button.
pub const REFRESH_LABEL: &str = "🔄 Refresh";
/// The label of the Older button.
pub const OLDER_LABEL: &str = "◀ Older";
/// The label of the Newer button.
pub const NEWER_LABEL: &str = "Newer ▶";

/// `/trade_stats` of `user_id` with its Refresh button.
pub(crate) async fn stats_reply(env: &ModuleEnv, user_id: i64) -> Result<Reply, Error> {
    let text = stats_text(env, user_id).await?;
    let refresh = REFRESH.button(env, REFRESH_LABEL, &Refresh { user: user_id })?;
    Ok(Reply::text(text).keyboard(InlineKeyboardMarkup::new(vec![vec![refresh]])))
}

/// A press of Refresh: the stats again; "Up to date" when nothing changed.
pub async fn refresh(ctx: CallbackCtx<Refresh>) -> Result<&'static str, Error> {
    let reply = stats_reply(&ctx, ctx.data().user).await?;
    Ok(match ctx.edit(reply).await? {
        Edited::NotModified => "Up to date",
        _ => "Updated",
    })
}

/// A press of Older or Newer.
pub async fn page(ctx: CallbackCtx<Page>) -> Result<(), Error> {
    let page = *ctx.data();
    let reply = history_page(&ctx, page.user, page.n, Some(page)).await?;
    ctx.edit(reply).await?;
    Ok(())
}

/// A `/history` page of `user_id`: the newest `n` trades, or those older or newer than `from`'s
/// anchor, with the buttons to go on.
pub(crate) async fn history_page(env: &ModuleEnv, user_id: i64, n: i64, from: Option<Page>) -> Result<Reply, Error> {
    let Some(sql) = env.sql() else {
        return Ok(Reply::text(render::HISTORY_UNAVAILABLE));
    };
    let n = n.clamp(1, super::args::MAX_HISTORY);
    let rows: Result<Vec<TradeRow>, _> = match from {
        None => sql.all(LIST_TRADES, params![user_id, n + 1]).await,
        Some(p) if p.older => sql.all(LIST_OLDER, params![user_id, p.ts, p.ts, p.id, n + 1]).await,
        Some(p) => sql.all(LIST_NEWER, params![user_id, p.ts, p.ts, p.id, n + 1]).await,
    };
    let mut rows = match rows {
        Ok(rows) => rows,
        Err(error) => {
            miti99bot_core::error!(user_id, %error, "trading: listing trades failed");
            return Ok(Reply::text(render::HISTORY_FAILED));
        }
    };
    let more = rows.len() as i64 > n;
    rows.truncate(n as usize);
    let newer_first = !matches!(from, Some(Page { older: false, .. }));
    if !newer_first {
        rows.reverse();
    }
    // Beyond this page in the direction we went: `more`; back where we came from: always.
    let (older, newer) = match from {
        None => (more, false),
        Some(p) if p.older => (more, true),
        Some(_) => (true, more),
    };
    // A page button's data: the page starts after the trade `row` shows, going `older` or not.
    let anchor = |older: bool, row: &TradeRow| Page {
        user: user_id,
        n,
        older,
        ts: row.ts,
        id: row.id,
    };
    let mut buttons: Vec<InlineKeyboardButton> = Vec::new();
    if let (true, Some(last)) = (older, rows.last()) {
        buttons.push(PAGE.button(env, OLDER_LABEL, &anchor(true, last))?);
    }
    if let (true, Some(first)) = (newer, rows.first()) {
        buttons.push(PAGE.button(env, NEWER_LABEL, &anchor(false, first))?);
    }
    let reply = Reply::html(render_history(&rows));
    Ok(if buttons.is_empty() {
        reply
    } else {
        reply.keyboard(InlineKeyboardMarkup::new(vec![buttons]))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_page_data_fits_telegram_s_64_bytes() {
        let page = Page {
            user: 9_999_999_999_999,
            n: 50,
            older: false,
            ts: 9_999_999_999_999,
            id: 9_999_999_999,
        };
        let data = PAGE.data(super::super::NAME, &page).unwrap();
        assert!(data.len() <= 64, "{data}");
        assert_eq!(
            REFRESH.data("trading", &Refresh { user: 42 }).unwrap(),
            "trading:refresh:42"
        );
    }
}
