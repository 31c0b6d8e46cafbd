//! Portfolios stored in KV before the move to SQL (`trading:user:<id>`) are carried into SQL on
//! the user's first change, exactly once, even when first uses race; then the key is deleted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use miti99bot_core::ingress::Outcome;
use miti99bot_core::Dispatch;
use trading_support::*;

const PRICE: i64 = 65_000;
const OLD: &str = r#"{"currency":{"VND":1000000},"assets":{"FPT":3,"VNM":10},"totalvnd":2000000}"#;

fn handled(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Applied(Dispatch::Handled { .. }))
}

#[tokio::test]
async fn the_first_trade_carries_the_kv_portfolio_and_deletes_the_key() {
    let h = Harness::new(static_prices()).await;
    h.put_kv_portfolio(ALICE, OLD).await;
    assert_eq!(
        h.send(ALICE, "/trade_buy 1 VNM").await,
        "Bought 1 VNM @ 65.000 VND\nCost: 65.000 VND"
    );
    assert_eq!(
        h.portfolio_json(ALICE).await.as_deref(),
        Some(r#"{"currency":{"VND":935000},"assets":{"FPT":3,"VNM":11},"totalvnd":2000000}"#)
    );
    assert_eq!(h.kv_json(ALICE).await, None, "the KV key is gone");
    assert_eq!(h.trades().await.len(), 1);
    // A stale KV read (Workers KV shows a deleted key for a while) is never acted on again.
    h.put_kv_portfolio(ALICE, OLD).await;
    h.send(ALICE, "/trade_topup 1").await;
    assert_eq!(h.balance_and_holding(ALICE, "VNM").await, (935_001, 11));
}

#[tokio::test]
async fn a_first_top_up_and_a_first_sell_carry_too() {
    let h = Harness::new(static_prices()).await;
    h.put_kv_portfolio(ALICE, OLD).await;
    h.put_kv_portfolio(BOB, OLD).await;
    assert_eq!(
        h.send(ALICE, "/trade_topup 5000").await,
        "Topped up 5.000 VND.\nBalance: 1.005.000 VND"
    );
    assert_eq!(
        h.send(BOB, "/trade_sell 10 VNM").await,
        "Sold 10 VNM @ 65.000 VND\nRevenue: 650.000 VND"
    );
    assert_eq!(
        h.portfolio_json(BOB).await.as_deref(),
        Some(r#"{"currency":{"VND":1650000},"assets":{"FPT":3},"totalvnd":2000000}"#)
    );
    assert_eq!((h.kv_json(ALICE).await, h.kv_json(BOB).await), (None, None));
}

#[tokio::test]
async fn a_refused_first_trade_carries_nothing_and_keeps_the_key() {
    let h = Harness::new(static_prices()).await;
    h.put_kv_portfolio(ALICE, OLD).await;
    assert_eq!(
        h.send(ALICE, "/trade_sell 11 VNM").await,
        "Insufficient VNM. You have: 10"
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 100 VNM").await,
        "Insufficient VND. Need 6.500.000 VND, have 1.000.000 VND."
    );
    assert_eq!(h.portfolio_json(ALICE).await, None);
    assert_eq!(h.kv_json(ALICE).await.as_deref(), Some(OLD));
    assert!(h.trades().await.is_empty());
}

#[tokio::test]
async fn stats_show_a_portfolio_still_in_kv_without_moving_it() {
    let h = Harness::new(static_prices()).await;
    h.put_kv_portfolio(ALICE, OLD).await;
    assert_eq!(
        h.send(ALICE, "/trade_stats").await,
        "📊 Portfolio Summary\n\nVND: 1.000.000 VND\n\nStocks:\n  FPT x3 @ 120.000 VND = 360.000 VND\n  VNM x10 @ 65.000 VND = 650.000 VND\n\nTotal value: 2.010.000 VND\nInvested: 2.000.000 VND\nP&L: +10.000 VND (+0.50%)"
    );
    assert_eq!(h.kv_json(ALICE).await.as_deref(), Some(OLD));
    assert_eq!(h.portfolio_json(ALICE).await, None);
}

#[tokio::test]
async fn a_failed_key_delete_is_harmless() {
    let h = Harness::new(static_prices()).await;
    h.put_kv_portfolio(ALICE, OLD).await;
    h.kv.fail_deletes.store(true, Ordering::SeqCst);
    h.send(ALICE, "/trade_topup 1").await;
    h.send(ALICE, "/trade_topup 1").await;
    assert_eq!(h.kv_json(ALICE).await.as_deref(), Some(OLD), "the key stayed");
    assert_eq!(
        h.balance_and_holding(ALICE, "VNM").await,
        (1_000_002, 10),
        "carried once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_uses_carry_the_portfolio_exactly_once() {
    let h = Arc::new(Harness::new(static_prices()).await);
    h.put_kv_portfolio(ALICE, OLD).await;
    // Every KV read takes 50 ms, so all first uses read the old portfolio before any commits.
    h.kv.get_delay_ms.store(50, Ordering::SeqCst);
    let tasks: Vec<_> = (0..16i64)
        .map(|i| {
            let h = h.clone();
            let text = if i % 2 == 0 {
                "/trade_topup 1000"
            } else {
                "/trade_buy 1 VNM"
            };
            tokio::spawn(async move { h.apply(100 + i, -100 - i % 8, ALICE, text).await })
        })
        .collect();
    for task in tasks {
        assert!(handled(&task.await.unwrap()));
    }
    assert!(
        h.kv.gets.load(Ordering::SeqCst) >= 2,
        "several first uses read the KV portfolio and carried it"
    );
    let buys = h.trade_rows(ALICE, "buy").await;
    assert_eq!(buys, 8);
    let portfolio = h.portfolio_json(ALICE).await.unwrap();
    let expected_vnd = 1_000_000 + 8 * 1000 - PRICE * buys;
    assert_eq!(
        portfolio,
        format!(
            r#"{{"currency":{{"VND":{expected_vnd}}},"assets":{{"FPT":3,"VNM":{}}},"totalvnd":{}}}"#,
            10 + buys,
            2_000_000 + 8 * 1000
        ),
        "the old money and shares arrived once"
    );
    assert_eq!(h.kv_json(ALICE).await, None);
}
