//! Portfolio and history cannot diverge: a change is one batch, and a batch that fails writes
//! nothing (no balance, no holding, no history row), whichever statement failed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use std::sync::atomic::Ordering;

use miti99bot_modules::trading::{render, Trading};
use trading_support::*;

#[tokio::test]
async fn a_failing_history_insert_takes_the_balance_and_holding_changes_with_it() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    let before = h.portfolio_json(ALICE).await;
    h.sql
        .as_ref()
        .unwrap()
        .fail_when_starts_with("INSERT INTO trading_trades");
    assert_eq!(h.send(ALICE, "/trade_buy 10 VNM").await, render::RECORD_FAILED);
    assert_eq!(
        render::RECORD_FAILED,
        "Could not record the trade, so nothing was changed. Try again later."
    );
    assert_eq!(h.portfolio_json(ALICE).await, before, "the portfolio is untouched");
    assert!(h.trades().await.is_empty());
    assert_eq!(h.count("trading_holdings").await, 0);
}

#[tokio::test]
async fn a_failing_balance_update_takes_the_history_row_with_it() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    h.send(ALICE, "/trade_buy 10 VNM").await;
    let before = h.portfolio_json(ALICE).await;
    let sql = h.sql.as_ref().unwrap();
    sql.fail_when_starts_with("UPDATE trading_accounts");
    assert_eq!(h.send(ALICE, "/trade_buy 5 VNM").await, render::RECORD_FAILED);
    assert_eq!(h.send(ALICE, "/trade_sell 5 VNM").await, render::RECORD_FAILED);
    assert_eq!(h.send(ALICE, "/trade_topup 5").await, render::SAVE_FAILED);
    assert_eq!(
        render::SAVE_FAILED,
        "Could not save your portfolio, so nothing was changed. Try again later."
    );
    assert_eq!(h.portfolio_json(ALICE).await, before);
    assert_eq!(h.trades().await.len(), 1, "only the applied buy is in the history");
    assert!(h.send(ALICE, "/history").await.contains("<b>10</b>"));
}

#[tokio::test]
async fn a_refused_change_writes_nothing_and_the_state_words_the_reply() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 100000").await;
    h.send(ALICE, "/trade_buy 1 VNM").await;
    let before = h.portfolio_json(ALICE).await;
    assert_eq!(
        h.send(ALICE, "/trade_buy 1 VNM").await,
        "Insufficient VND. Need 65.000 VND, have 35.000 VND."
    );
    assert_eq!(
        h.send(ALICE, "/trade_sell 2 VNM").await,
        "Insufficient VNM. You have: 1"
    );
    assert_eq!(
        h.send(ALICE, "/trade_sell 1 FPT").await,
        "Insufficient FPT. You have: 0"
    );
    assert_eq!(h.portfolio_json(ALICE).await, before);
    assert_eq!(h.trades().await.len(), 1);
    assert_eq!(
        h.count("trading_holdings").await,
        1,
        "no empty FPT holding was left behind"
    );
}

#[tokio::test]
async fn an_unreadable_kv_portfolio_stops_a_first_change_before_anything_is_written() {
    let h = Harness::new(static_prices()).await;
    h.kv.fail_gets.store(true, Ordering::SeqCst);
    assert_eq!(h.send(ALICE, "/trade_topup 1000").await, render::PORTFOLIO_UNREADABLE);
    h.kv.fail_gets.store(false, Ordering::SeqCst);
    assert_eq!(h.portfolio_json(ALICE).await, None);
    // Once the account exists KV is not read any more.
    h.send(ALICE, "/trade_topup 1000").await;
    h.kv.fail_gets.store(true, Ordering::SeqCst);
    assert_eq!(
        h.send(ALICE, "/trade_topup 1000").await,
        "Topped up 1.000 VND.\nBalance: 2.000 VND"
    );
}

#[tokio::test]
async fn without_sql_trading_refuses_and_help_still_lists_it() {
    let builder = TestBot::builder().catalog(&miti99bot_modules::catalog(), &["util"]);
    let h = Harness::start(builder.module(Trading::new(static_prices()).module()).without_sql()).await;
    for text in [
        "/trade_topup 1000000",
        "/trade_buy 10 VNM",
        "/trade_sell 10 VNM",
        "/trade_stats",
    ] {
        assert_eq!(h.send(ALICE, text).await, render::NO_DATABASE, "{text}");
    }
    assert_eq!(
        render::NO_DATABASE,
        "Trading needs a database; it is not available here."
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 10").await,
        "Usage: /trade_buy <qty> <TICKER>\nExample: /trade_buy 100 TCB",
        "argument checks come first"
    );
    assert_eq!(
        h.send(ALICE, "/history").await,
        "Trade history is not available: no SQL database is configured."
    );
    assert_eq!(h.kv_json(ALICE).await, None, "nothing went to KV instead");
    let help = h.send(ALICE, "/help").await;
    for name in ["/trade_topup", "/trade_buy", "/trade_sell", "/trade_stats", "/history"] {
        assert!(help.contains(name), "{name} is listed: {help}");
    }
}
