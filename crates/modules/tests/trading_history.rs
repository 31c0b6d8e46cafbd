//! `/history [n]` over real SQLite: default, clamping, order (ties on `ts` by id), HTML.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use miti99bot_core::params;
use miti99bot_core::telegram::ParseMode;
use miti99bot_modules::trading::history::{list_trades, INSERT_TRADE};
use trading_support::*;

/// Inserts `n` buys of 1..=n shares for `user`, one minute apart from `T0`.
async fn seed(h: &Harness, user: i64, n: i64) {
    let sql = h.module_sql();
    for i in 1..=n {
        sql.run(INSERT_TRADE, params![user, "VNM", "buy", i, 65_000, T0 + i * 60_000])
            .await
            .unwrap();
    }
}

/// The quantities `/history` lists, in order.
fn quantities(html: &str) -> Vec<i64> {
    html.lines()
        .skip(1)
        .map(|l| {
            let start = l.find("<b>").unwrap() + 3;
            let end = l.find("</b>").unwrap();
            l[start..end].parse().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn no_trades_yet() {
    let h = Harness::new(static_prices()).await;
    assert_eq!(h.send(ALICE, "/history").await, "No trades recorded yet.");
}

#[tokio::test]
async fn lists_trades_newest_first_as_html() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    h.send(ALICE, "/trade_buy 100 VNM").await;
    h.clock().advance(90 * 60_000);
    h.send(ALICE, "/trade_sell 30 VNM").await;
    let call = h.send_call(ALICE, "/history").await;
    assert_eq!(call.parse_mode, Some(ParseMode::Html));
    assert_eq!(
        call.text,
        "<b>Trade History</b>\n\
         SELL <b>30</b> <code>VNM</code> @ 65.000 VND  <i>2026-11-28 18:30</i>\n\
         BUY  <b>100</b> <code>VNM</code> @ 65.000 VND  <i>2026-11-28 17:00</i>"
    );
}

#[tokio::test]
async fn default_is_ten_and_counts_are_clamped() {
    let h = Harness::new(static_prices()).await;
    seed(&h, ALICE, 60).await;
    seed(&h, BOB, 3).await;
    let newest = |n: i64| (61 - n..=60).rev().collect::<Vec<_>>();
    assert_eq!(quantities(&h.send(ALICE, "/history").await), newest(10));
    assert_eq!(quantities(&h.send(ALICE, "/history 25").await), newest(25));
    assert_eq!(quantities(&h.send(ALICE, "/history 999").await), newest(50));
    assert_eq!(quantities(&h.send(ALICE, "/history 50").await), newest(50));
    assert_eq!(quantities(&h.send(ALICE, "/history 51").await), newest(50));
    assert_eq!(quantities(&h.send(ALICE, "/history 1").await), newest(1));
    assert_eq!(quantities(&h.send(ALICE, "/history 0").await), newest(10));
    assert_eq!(quantities(&h.send(ALICE, "/history -3").await), newest(10));
    assert_eq!(quantities(&h.send(ALICE, "/history abc").await), newest(10));
    assert_eq!(
        quantities(&h.send(ALICE, "/history 99999999999999999999999").await),
        newest(50)
    );
    assert_eq!(
        quantities(&h.send(BOB, "/history 50").await),
        vec![3, 2, 1],
        "only the user's own trades"
    );
}

#[tokio::test]
async fn ties_on_ts_are_ordered_by_id() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    // The clock stands still: three trades in the same millisecond.
    for qty in [1, 2, 3] {
        h.send(ALICE, &format!("/trade_buy {qty} HPG")).await;
    }
    assert_eq!(quantities(&h.send(ALICE, "/history").await), vec![3, 2, 1]);
    let rows = list_trades(&h.module_sql(), ALICE, 2).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.qty).collect::<Vec<_>>(), vec![3, 2]);
    assert!(rows[0].id > rows[1].id);
}

#[tokio::test]
async fn symbols_are_escaped() {
    let h = Harness::new(static_prices()).await;
    h.module_sql()
        .run(INSERT_TRADE, params![ALICE, "<A&B>", "sell", 1, 1000, T0])
        .await
        .unwrap();
    assert_eq!(
        h.send(ALICE, "/history").await,
        "<b>Trade History</b>\nSELL <b>1</b> <code>&lt;A&amp;B&gt;</code> @ 1.000 VND  <i>2026-11-28 17:00</i>"
    );
}

#[tokio::test]
async fn the_schema_refuses_fractional_quantities_and_unknown_sides() {
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    assert!(sql
        .run(INSERT_TRADE, params![ALICE, "VNM", "buy", 1.5, 1000, T0])
        .await
        .is_err());
    assert!(sql
        .run(INSERT_TRADE, params![ALICE, "VNM", "buy", 1, 10.5, T0])
        .await
        .is_err());
    assert!(sql
        .run(INSERT_TRADE, params![ALICE, "VNM", "hold", 1, 1000, T0])
        .await
        .is_err());
    assert!(sql
        .run(INSERT_TRADE, params![ALICE, "VNM", "buy", 0, 1000, T0])
        .await
        .is_err());
}
