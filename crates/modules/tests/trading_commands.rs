//! Every trading command through the ingress (the `TestBot` harness) over real SQLite:
//! success paths, argument checks, price failures and limits.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use miti99bot_modules::trading::prices::{PriceError, Quote};
use miti99bot_modules::trading::render;
use trading_support::*;

const COMING_SOON: &str = "Crypto, gold & currency exchange coming soon!";

#[tokio::test]
async fn topup_adds_vnd_and_reports_the_balance() {
    let h = Harness::new(static_prices()).await;
    assert_eq!(
        h.send(ALICE, "/trade_topup 5000000").await,
        "Topped up 5.000.000 VND.\nBalance: 5.000.000 VND"
    );
    assert_eq!(
        h.send(ALICE, "/trade_topup 1e6").await,
        "Topped up 1.000.000 VND.\nBalance: 6.000.000 VND"
    );
    assert_eq!(
        h.portfolio_json(ALICE).await.as_deref(),
        Some(r#"{"currency":{"VND":6000000},"assets":{},"totalvnd":6000000}"#)
    );
    assert!(h.trades().await.is_empty(), "top-ups are not trades");
}

#[tokio::test]
async fn topup_argument_checks() {
    let h = Harness::new(static_prices()).await;
    let usage = "Usage: /trade_topup <amount>\nExample: /trade_topup 5000000";
    assert_eq!(h.send(ALICE, "/trade_topup").await, usage);
    assert_eq!(h.send(ALICE, "/trade_topup   ").await, usage);
    for bad in ["abc", "0", "-5", "NaN", "Infinity"] {
        assert_eq!(
            h.send(ALICE, &format!("/trade_topup {bad}")).await,
            "Amount must be a positive number.",
            "{bad}"
        );
    }
    assert_eq!(
        h.send(ALICE, "/trade_topup 1.5").await,
        "Amount must be a whole number of VND."
    );
    let too_large = "Amount is too large. The most is 1.000.000.000.000.000 VND.";
    assert_eq!(h.send(ALICE, "/trade_topup 1000000000000001").await, too_large);
    assert_eq!(
        h.send(ALICE, "/trade_topup 99999999999999999999999999999").await,
        too_large
    );
    assert_eq!(h.send(ALICE, "/trade_topup 1e308").await, too_large);
    assert_eq!(h.portfolio_json(ALICE).await, None, "nothing written");
}

#[tokio::test]
async fn topup_cannot_push_the_balance_past_the_limit() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 1000000000000000").await;
    let before = h.portfolio_json(ALICE).await;
    assert_eq!(
        h.send(ALICE, "/trade_topup 1").await,
        "That would take your balance past the most an account can hold, 1.000.000.000.000.000 VND."
    );
    assert_eq!(h.portfolio_json(ALICE).await, before, "unchanged");
}

#[tokio::test]
async fn buy_deducts_vnd_adds_shares_and_records_the_trade() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    assert_eq!(
        h.send(ALICE, "/trade_buy 100 vnm").await,
        "Bought 100 VNM @ 65.000 VND\nCost: 6.500.000 VND"
    );
    assert_eq!(
        h.portfolio_json(ALICE).await.as_deref(),
        Some(r#"{"currency":{"VND":3500000},"assets":{"VNM":100},"totalvnd":10000000}"#)
    );
    assert_eq!(
        h.trades().await,
        vec![(ALICE, "VNM".into(), "buy".into(), 100, 65_000, T0)]
    );
}

#[tokio::test]
async fn buy_argument_checks() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    let usage = "Usage: /trade_buy <qty> <TICKER>\nExample: /trade_buy 100 TCB";
    assert_eq!(h.send(ALICE, "/trade_buy").await, usage);
    assert_eq!(h.send(ALICE, "/trade_buy 100").await, usage);
    assert_eq!(
        h.send(ALICE, "/trade_buy abc VNM").await,
        "Amount must be a positive number."
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy -1 VNM").await,
        "Amount must be a positive number."
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 0 VNM").await,
        "Amount must be a positive number."
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 1.5 VNM").await,
        "Stock quantities must be whole numbers."
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 1000000001 VNM").await,
        "Quantity is too large. The most is 1.000.000.000 shares."
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 99999999999999999999999 VNM").await,
        "Quantity is too large. The most is 1.000.000.000 shares."
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 10 xyz").await,
        format!("Unknown stock ticker \"XYZ\".\n{COMING_SOON}")
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 10 <b>").await,
        format!("Unknown stock ticker \"<B>\".\n{COMING_SOON}")
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 1000 VNM").await,
        "Insufficient VND. Need 65.000.000 VND, have 10.000.000 VND."
    );
    assert!(h.trades().await.is_empty());
    assert_eq!(
        h.portfolio_json(ALICE).await.as_deref(),
        Some(r#"{"currency":{"VND":10000000},"assets":{},"totalvnd":10000000}"#),
        "refused buys change nothing"
    );
}

#[tokio::test]
async fn buy_price_failures_use_the_original_replies() {
    let prices = Arc::new(ScriptedPrices::default());
    prices.set("VNM", Err(PriceError::Timeout));
    prices.set("FPT", Ok(Quote::NoPrice));
    prices.set("BAD", Ok(Quote::Price(0)));
    let h = Harness::new(prices.clone()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    assert_eq!(
        h.send(ALICE, "/trade_buy 1 VNM").await,
        "Could not fetch price. Try again later."
    );
    assert_eq!(h.send(ALICE, "/trade_buy 1 FPT").await, "No price available for FPT.");
    assert_eq!(
        h.send(ALICE, "/trade_buy 1 BAD").await,
        "Could not fetch price. Try again later.",
        "an out-of-range price from a provider is a failure"
    );
    assert!(h.trades().await.is_empty());
}

#[tokio::test]
async fn absurd_orders_are_clear_errors() {
    let prices = Arc::new(ScriptedPrices::default());
    prices.set("BIG", Ok(Quote::Price(1_000_000_000)));
    let h = Harness::new(prices).await;
    h.send(ALICE, "/trade_topup 1000000000000000").await;
    assert_eq!(
        h.send(ALICE, "/trade_buy 1000000000 BIG").await,
        "Order is too large. One order can be worth at most 1.000.000.000.000.000 VND."
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 1000000 BIG").await,
        "Bought 1000000 BIG @ 1.000.000.000 VND\nCost: 1.000.000.000.000.000 VND"
    );
}

#[tokio::test]
async fn sell_adds_revenue_and_records_the_trade() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    h.send(ALICE, "/trade_buy 100 VNM").await;
    h.clock().advance(60_000);
    assert_eq!(
        h.send(ALICE, "/trade_sell 40 vnm").await,
        "Sold 40 VNM @ 65.000 VND\nRevenue: 2.600.000 VND"
    );
    assert_eq!(
        h.portfolio_json(ALICE).await.as_deref(),
        Some(r#"{"currency":{"VND":6100000},"assets":{"VNM":60},"totalvnd":10000000}"#)
    );
    h.send(ALICE, "/trade_sell 60 VNM").await;
    assert_eq!(
        h.portfolio_json(ALICE).await.as_deref(),
        Some(r#"{"currency":{"VND":10000000},"assets":{},"totalvnd":10000000}"#),
        "a holding sold to zero disappears"
    );
    let sides: Vec<(String, i64, i64)> = h.trades().await.into_iter().map(|t| (t.2, t.3, t.5)).collect();
    assert_eq!(
        sides,
        vec![
            ("buy".into(), 100, T0),
            ("sell".into(), 40, T0 + 60_000),
            ("sell".into(), 60, T0 + 60_000)
        ]
    );
}

#[tokio::test]
async fn sell_argument_checks_and_failures() {
    let prices = Arc::new(ScriptedPrices::default());
    prices.set("VNM", Ok(Quote::Price(65_000)));
    let h = Harness::new(prices.clone()).await;
    h.send(ALICE, "/trade_topup 10000000").await;
    h.send(ALICE, "/trade_buy 10 VNM").await;
    let usage = "Usage: /trade_sell <qty> <TICKER>\nExample: /trade_sell 100 TCB";
    assert_eq!(h.send(ALICE, "/trade_sell").await, usage);
    assert_eq!(h.send(ALICE, "/trade_sell 5").await, usage);
    assert_eq!(
        h.send(ALICE, "/trade_sell x VNM").await,
        "Amount must be a positive number."
    );
    assert_eq!(
        h.send(ALICE, "/trade_sell 0.5 VNM").await,
        "Stock quantities must be whole numbers."
    );
    assert_eq!(
        h.send(ALICE, "/trade_sell 11 VNM").await,
        "Insufficient VNM. You have: 10"
    );
    assert_eq!(
        h.send(ALICE, "/trade_sell 1 FPT").await,
        "Insufficient FPT. You have: 0"
    );

    // The price comes first now (the sale is one batch), but a missing holding is still the
    // reply before a missing price, as in the original.
    prices.set("VNM", Err(PriceError::Timeout));
    assert_eq!(
        h.send(ALICE, "/trade_sell 11 VNM").await,
        "Insufficient VNM. You have: 10"
    );
    prices.set("VNM", Ok(Quote::Price(65_000)));

    let before = h.portfolio_json(ALICE).await;
    prices.set("VNM", Err(PriceError::Status(500)));
    assert_eq!(
        h.send(ALICE, "/trade_sell 5 VNM").await,
        "Could not fetch price. Try again later."
    );
    prices.set("VNM", Ok(Quote::NoPrice));
    assert_eq!(h.send(ALICE, "/trade_sell 5 VNM").await, "No price available for VNM.");
    prices.set("VNM", Ok(Quote::UnknownSymbol));
    assert_eq!(h.send(ALICE, "/trade_sell 5 VNM").await, "No price available for VNM.");
    assert_eq!(h.portfolio_json(ALICE).await, before, "a failed sell saves nothing");
    assert_eq!(h.trades().await.len(), 1, "only the buy is recorded");
}

#[tokio::test]
async fn convert_is_not_available_yet() {
    let h = Harness::new(static_prices()).await;
    assert_eq!(
        h.send(ALICE, "/trade_convert 100 USD").await,
        format!("Currency exchange is not available yet.\n{COMING_SOON}")
    );
}

#[tokio::test]
async fn stats_values_holdings_at_current_prices() {
    let prices = Arc::new(ScriptedPrices::default());
    prices.set("VNM", Ok(Quote::Price(65_000)));
    prices.set("FPT", Ok(Quote::Price(120_000)));
    let h = Harness::new(prices.clone()).await;
    assert_eq!(
        h.send(ALICE, "/trade_stats").await,
        "📊 Portfolio Summary\n\n\nTotal value: 0 VND\nInvested: 0 VND\nP&L: +0 VND (+0.00%)"
    );
    assert_eq!(h.portfolio_json(ALICE).await, None, "a first-time user is not written");

    h.send(ALICE, "/trade_topup 10000000").await;
    h.send(ALICE, "/trade_buy 100 VNM").await;
    h.send(ALICE, "/trade_buy 10 FPT").await;
    prices.set("VNM", Ok(Quote::Price(70_000)));
    prices.set("FPT", Err(PriceError::Timeout));
    assert_eq!(
        h.send(ALICE, "/trade_stats").await,
        "📊 Portfolio Summary\n\nVND: 2.300.000 VND\n\nStocks:\n  FPT x10 (no price)\n  VNM x100 @ 70.000 VND = 7.000.000 VND\n\nTotal value: 9.300.000 VND\nInvested: 10.000.000 VND\nP&L: -700.000 VND (-7.00%)"
    );
    prices.set("FPT", Ok(Quote::Price(150_000)));
    assert_eq!(
        h.send(ALICE, "/trade_stats").await,
        "📊 Portfolio Summary\n\nVND: 2.300.000 VND\n\nStocks:\n  FPT x10 @ 150.000 VND = 1.500.000 VND\n  VNM x100 @ 70.000 VND = 7.000.000 VND\n\nTotal value: 10.800.000 VND\nInvested: 10.000.000 VND\nP&L: +800.000 VND (+8.00%)"
    );
}

#[tokio::test]
async fn users_have_separate_portfolios() {
    let h = Harness::new(static_prices()).await;
    h.send(ALICE, "/trade_topup 1000000").await;
    assert_eq!(
        h.send(BOB, "/trade_buy 1 VNM").await,
        "Insufficient VND. Need 65.000 VND, have 0 VND."
    );
    assert_eq!(h.portfolio_json(BOB).await, None);
}

#[tokio::test]
async fn commands_without_a_sender_are_refused() {
    let h = Harness::new(static_prices()).await;
    for (text, reply) in [
        ("/trade_topup 5", "Cannot identify user — /trade_topup needs a sender."),
        ("/trade_buy 1 VNM", "Cannot identify user — /trade_buy needs a sender."),
        (
            "/trade_sell 1 VNM",
            "Cannot identify user — /trade_sell needs a sender.",
        ),
        ("/trade_stats", "Cannot identify user — /trade_stats needs a sender."),
        ("/history", "Could not identify user."),
    ] {
        let mut update = h.message(text).group(-100).update();
        // A channel post has no sender.
        let mut message = update.message.take().unwrap();
        message.from = None;
        update.channel_post = Some(message);
        assert_eq!(h.send_update(update).await.text(), Some(reply), "{text}");
    }
}

#[tokio::test]
async fn a_corrupt_portfolio_is_never_overwritten() {
    let h = Harness::new(static_prices()).await;
    use miti99bot_core::kv::KvStore;
    h.kv.put("trading:user:1001", "{not json", None).await.unwrap();
    assert_eq!(h.send(ALICE, "/trade_topup 5").await, render::PORTFOLIO_UNREADABLE);
    assert_eq!(h.send(ALICE, "/trade_stats").await, render::PORTFOLIO_UNREADABLE);
    assert_eq!(h.kv_json(ALICE).await.as_deref(), Some("{not json"));
    assert_eq!(h.portfolio_json(ALICE).await, None, "no account was made from it");
}

#[tokio::test]
async fn the_catalog_module_reads_its_configuration() {
    let bot = TestBot::builder()
        .catalog(&miti99bot_modules::catalog(), &["util", "trading"])
        .var("TRADING_PRICES", "VNM=65000,FPT=120000")
        .start()
        .await
        .unwrap();
    let trading_crons: Vec<String> = bot
        .bot()
        .registry()
        .crons()
        .iter()
        .filter(|c| c.module == "trading")
        .map(|c| c.id())
        .collect();
    assert_eq!(trading_crons, vec!["trading/trim-trades"]);
    assert_eq!(
        bot.send("/trade_topup 1000000").await.text(),
        Some("Topped up 1.000.000 VND.\nBalance: 1.000.000 VND")
    );
    assert_eq!(
        bot.send("/trade_buy 1 FPT").await.text(),
        Some("Bought 1 FPT @ 120.000 VND\nCost: 120.000 VND")
    );
    let history = bot.send("/history").await;
    assert!(
        history.text().unwrap().contains("<code>FPT</code> @ 120.000 VND"),
        "{history:?}"
    );
}

#[tokio::test]
async fn bad_configuration_stops_start_up_naming_the_variable() {
    for (name, value) in [
        ("TRADING_PRICES", "VNM=12.5"),
        ("TRADING_PRICE_TIMEOUT_MS", "soon"),
        ("TRADING_KEEP_PER_USER", "-1"),
    ] {
        let builder = TestBot::builder()
            .catalog(&miti99bot_modules::catalog(), &["trading"])
            .var(name, value);
        let builder = match name {
            "TRADING_PRICE_TIMEOUT_MS" => builder.var("TRADING_PRICE_API", "http://127.0.0.1:9"),
            _ => builder,
        };
        let message = builder.start().await.unwrap_err().to_string();
        assert!(message.contains("trading") && message.contains(name), "{message}");
    }
}

#[tokio::test]
async fn without_a_price_source_trades_fail_politely() {
    for api in [
        None,
        // An API but no HTTP client in this runtime (NoHttp).
        Some("http://127.0.0.1:9"),
    ] {
        let builder = TestBot::builder().catalog(&miti99bot_modules::catalog(), &["trading"]);
        let builder = match api {
            Some(api) => builder.var("TRADING_PRICE_API", api),
            None => builder,
        };
        let bot = builder.start().await.unwrap();
        assert_eq!(bot.send("/trade_buy 1 VNM").await.text(), Some(render::PRICE_FAILED));
    }
}

/// Answers every quote after 30 ms, recording how many were in flight at once.
#[derive(Default)]
struct SlowPrices {
    in_flight: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
}

#[miti99bot_core::async_trait]
impl miti99bot_modules::trading::prices::PriceProvider for SlowPrices {
    async fn quote(&self, _http: &dyn miti99bot_core::HttpGet, _symbol: &str) -> Result<Quote, PriceError> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(Quote::Price(1_000))
    }
}

#[tokio::test]
async fn stats_reads_the_portfolio_once_and_fetches_every_price_at_once() {
    let prices = Arc::new(SlowPrices::default());
    let h = Harness::new(prices.clone()).await;
    h.send(ALICE, "/trade_topup 1000000").await;
    for symbol in ["AAA", "BBB", "CCC", "DDD"] {
        h.send(ALICE, &format!("/trade_buy 1 {symbol}")).await;
    }
    prices.most.store(0, Ordering::SeqCst);
    let sql = h.sql.clone().unwrap();
    sql.reset();
    let stats = h.send(ALICE, "/trade_stats").await;
    assert!(stats.contains("  DDD x1 @ 1.000 VND = 1.000 VND"), "{stats}");
    assert_eq!(prices.most.load(Ordering::SeqCst), 4, "four quotes in flight together");
    assert_eq!(sql.calls.load(Ordering::SeqCst), 1, "the portfolio in one query");
}

#[tokio::test]
async fn a_ticker_is_quoted_back_at_most_32_characters() {
    let prices = Arc::new(ScriptedPrices::default());
    let h = Harness::new(prices.clone()).await;
    let cut = format!("{}…", "A".repeat(31));
    assert_eq!(
        h.send(ALICE, &format!("/trade_buy 1 {}", "a".repeat(100_000))).await,
        format!("Unknown stock ticker \"{cut}\".\n{COMING_SOON}")
    );
    assert_eq!(
        h.send(ALICE, &format!("/trade_sell 1 {}", "a".repeat(5_000))).await,
        format!("Insufficient {cut}. You have: 0")
    );
    assert_eq!(
        prices.calls.load(Ordering::SeqCst),
        0,
        "no price is asked for a malformed ticker"
    );
}

#[tokio::test]
async fn more_arguments_than_a_command_takes_answer_with_its_usage() {
    let h = Harness::new(static_prices()).await;
    assert_eq!(h.send(ALICE, "/trade_topup 5 6").await, render::USAGE_TOPUP);
    assert_eq!(h.send(ALICE, "/trade_buy 1 VNM now").await, render::USAGE_BUY);
    assert_eq!(h.send(ALICE, "/trade_sell 1 VNM now").await, render::USAGE_SELL);
}
