//! Trades through the real pipeline (core's ingress, the update ledger in the same SQLite
//! database, as the binary runs it), many at once: every trade is one batch with its claim, so
//! concurrent trades of one user neither lose nor create money, a redelivery applies nothing,
//! and a trade costs one storage round trip.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use miti99bot_core::ingress::Outcome;
use miti99bot_core::Dispatch;
use trading_support::*;

const PRICE: i64 = 65_000;
const CHATS: i64 = 8;

fn handled(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Applied(Dispatch::Handled { .. }))
}

/// Sends `texts` at once, update ids from `first_id`, spread over [`CHATS`] chats (so per-chat
/// order serialises nothing), each on its own task of a multi-threaded runtime.
async fn all_at_once(h: &Arc<Harness>, first_id: i64, user: i64, texts: Vec<String>) -> Vec<Outcome> {
    let tasks: Vec<_> = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let h = h.clone();
            let id = first_id + i as i64;
            tokio::spawn(async move { h.apply(id, -100 - id % CHATS, user, &text).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_buys_spend_exactly_what_the_rows_say() {
    let h = Arc::new(Harness::new(static_prices()).await);
    // Enough for 150 of the 200: the rest must be refused, not overdrawn.
    let top_up = 150 * PRICE;
    assert!(handled(
        &h.apply(1, ALICE, ALICE, &format!("/trade_topup {top_up}")).await
    ));
    let outcomes = all_at_once(&h, 100, ALICE, vec!["/trade_buy 1 VNM".to_owned(); 200]).await;
    assert!(outcomes.iter().all(handled), "{outcomes:?}");
    let buys = h.trade_rows(ALICE, "buy").await;
    assert_eq!(buys, 150);
    let (vnd, held) = h.balance_and_holding(ALICE, "VNM").await;
    assert_eq!(vnd, top_up - PRICE * buys, "balance = top-up − price × buy rows");
    assert_eq!(held, buys, "holding = buy rows");
    let texts = h.telegram().sent_texts();
    assert_eq!(texts.iter().filter(|t| t.starts_with("Bought 1 VNM")).count(), 150);
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.starts_with("Insufficient VND. Need 65.000 VND, have 0 VND."))
            .count(),
        50
    );
    assert_eq!(h.count("_updates").await, 201, "every update claimed once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_buys_and_sells_keep_cash_and_shares_exact() {
    let h = Arc::new(Harness::new(static_prices()).await);
    let top_up = 100 * PRICE;
    assert!(handled(
        &h.apply(1, ALICE, ALICE, &format!("/trade_topup {top_up}")).await
    ));
    assert!(handled(&h.apply(2, ALICE, ALICE, "/trade_buy 50 VNM").await));
    let texts: Vec<String> = (0..200)
        .map(|i| {
            if i % 2 == 0 {
                "/trade_buy 1 VNM"
            } else {
                "/trade_sell 1 VNM"
            }
            .to_owned()
        })
        .collect();
    let outcomes = all_at_once(&h, 100, ALICE, texts).await;
    assert!(outcomes.iter().all(handled), "{outcomes:?}");
    let (buys, sells) = (h.trade_rows(ALICE, "buy").await, h.trade_rows(ALICE, "sell").await);
    let (vnd, held) = h.balance_and_holding(ALICE, "VNM").await;
    // The first buy was 50 shares in one row.
    assert_eq!(held, 50 + (buys - 1) - sells, "holding = shares bought − shares sold");
    assert_eq!(vnd, top_up - PRICE * (50 + buys - 1) + PRICE * sells);
    assert!(vnd >= 0 && held >= 0);
    assert_eq!(
        vnd + PRICE * held,
        top_up,
        "at one price, no money appeared or vanished"
    );
    let replies = h.telegram().sent_texts();
    let bought = replies.iter().filter(|t| t.starts_with("Bought 1 VNM")).count() as i64;
    let sold = replies.iter().filter(|t| t.starts_with("Sold 1 VNM")).count() as i64;
    assert_eq!(
        (bought, sold),
        (buys - 1, sells),
        "a reply for every row, no row without one"
    );
}

#[tokio::test]
async fn a_redelivered_trade_is_applied_once() {
    let h = Arc::new(Harness::new(static_prices()).await);
    h.apply(1, ALICE, ALICE, "/trade_topup 1000000").await;
    assert!(handled(&h.apply(2, ALICE, ALICE, "/trade_buy 2 VNM").await));
    assert_eq!(h.apply(2, ALICE, ALICE, "/trade_buy 2 VNM").await, Outcome::Duplicate);
    // Two deliveries at the same moment.
    let (a, b) = tokio::join!(
        h.apply(3, ALICE, ALICE, "/trade_sell 1 VNM"),
        h.apply(3, ALICE, ALICE, "/trade_sell 1 VNM")
    );
    assert_eq!([&a, &b].iter().filter(|o| handled(o)).count(), 1, "{a:?} {b:?}");
    assert_eq!([&a, &b].iter().filter(|o| ***o == Outcome::Duplicate).count(), 1);
    assert_eq!(
        (h.trade_rows(ALICE, "buy").await, h.trade_rows(ALICE, "sell").await),
        (1, 1)
    );
    assert_eq!(h.balance_and_holding(ALICE, "VNM").await, (1_000_000 - PRICE, 1));
    assert_eq!(
        h.telegram().sent_texts(),
        [
            "Topped up 1.000.000 VND.\nBalance: 1.000.000 VND",
            "Bought 2 VNM @ 65.000 VND\nCost: 130.000 VND",
            "Sold 1 VNM @ 65.000 VND\nRevenue: 65.000 VND"
        ],
        "the duplicates answered nothing"
    );
    // A redelivered top-up too.
    assert_eq!(
        h.apply(1, ALICE, ALICE, "/trade_topup 1000000").await,
        Outcome::Duplicate
    );
    assert_eq!(h.balance_and_holding(ALICE, "VNM").await.0, 1_000_000 - PRICE);
}

#[tokio::test]
async fn an_overdraft_is_refused_with_nothing_written() {
    let h = Arc::new(Harness::new(static_prices()).await);
    h.apply(1, ALICE, ALICE, "/trade_topup 100000").await;
    h.telegram().clear();
    assert!(handled(&h.apply(2, ALICE, ALICE, "/trade_buy 2 VNM").await));
    assert_eq!(
        h.telegram().sent_texts(),
        ["Insufficient VND. Need 130.000 VND, have 100.000 VND."]
    );
    assert!(h.trades().await.is_empty());
    assert_eq!(h.count("trading_holdings").await, 0);
    assert_eq!(
        h.portfolio_json(ALICE).await.as_deref(),
        Some(r#"{"currency":{"VND":100000},"assets":{},"totalvnd":100000}"#)
    );
    // The refusal's reply claimed the update: a redelivery sends nothing more.
    assert_eq!(h.apply(2, ALICE, ALICE, "/trade_buy 2 VNM").await, Outcome::Duplicate);
    assert_eq!(h.telegram().sent_texts().len(), 1);
    // A user who never topped up gets the same reply and no account.
    h.apply(3, BOB, BOB, "/trade_buy 1 VNM").await;
    assert_eq!(
        h.telegram().sent_texts().last().map(String::as_str),
        Some("Insufficient VND. Need 65.000 VND, have 0 VND.")
    );
    assert_eq!(h.portfolio_json(BOB).await, None);
}

#[tokio::test]
async fn a_trade_is_one_storage_round_trip_with_its_claim() {
    let h = Arc::new(Harness::new(static_prices()).await);
    h.apply(1, ALICE, ALICE, "/trade_topup 10000000").await;
    let sql = h.sql.clone().unwrap();
    for (id, text) in [
        (2, "/trade_buy 10 VNM"),
        (3, "/trade_sell 4 VNM"),
        (4, "/trade_topup 5000"),
        (5, "/trade_sell 6 VNM"),
    ] {
        sql.reset();
        h.kv.calls.store(0, Ordering::SeqCst);
        assert!(handled(&h.apply(id, ALICE, ALICE, text).await), "{text}");
        assert_eq!(
            sql.calls.load(Ordering::SeqCst),
            1,
            "{text}: one SQL batch, nothing else"
        );
        assert_eq!(h.kv.calls.load(Ordering::SeqCst), 0, "{text}: no KV call");
    }
    assert_eq!(h.count("_updates").await, 5, "each batch carried its update's claim");
    assert_eq!(h.count("trading_holdings").await, 0, "the holding sold to zero is gone");
    // /trade_stats: one query (plus the prices).
    sql.reset();
    h.apply(6, ALICE, ALICE, "/trade_stats").await;
    assert_eq!(
        sql.calls.load(Ordering::SeqCst),
        1,
        "one read; the reply's claim is not SQL the module makes"
    );
}
