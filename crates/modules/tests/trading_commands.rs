//! Every trading command through the real dispatch path (`Bot::handle_update`) over real SQLite:
//! success paths, argument checks, price failures and limits.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use miti99bot_core::{Bot, Config, Dispatch};
use miti99bot_modules::trading::prices::{PriceError, Quote};
use miti99bot_modules::trading::render;
use miti99bot_testkit::private_text_update;
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
    h.clock.advance(60_000);
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
        let mut update = private_text_update(1, 1, -100, ALICE, 0, text);
        // A channel post has no sender.
        let mut message = update.message.take().unwrap();
        message.from = None;
        update.channel_post = Some(message);
        h.telegram.clear();
        h.dispatch(update).await;
        assert_eq!(h.telegram.sent_texts(), vec![reply.to_owned()], "{text}");
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
    let config = Config::from_vars([("MODULES", "util,trading"), ("TRADING_PRICES", "VNM=65000,FPT=120000")]).unwrap();
    let h = Harness::build(vec![], true, Config::default()).await;
    let services = h.services_with(config);
    let bot = Bot::start(&miti99bot_modules::catalog(), services).await.unwrap();
    assert_eq!(
        bot.registry().crons().iter().map(|c| c.id()).collect::<Vec<_>>(),
        vec!["trading/trim-trades"]
    );
    assert_eq!(bot.registry().migrations().len(), 2);
    let runner =
        miti99bot_core::migrate::MigrationRunner::new(miti99bot_core::sql::ModuleSql::unprefixed(Arc::new(h.db.sql())));
    runner.apply(&bot.registry().migrations(), T0).await.unwrap();
    let telegram = miti99bot_testkit::RecordingTelegram::new();
    for (i, text) in ["/trade_topup 1000000", "/trade_buy 1 FPT", "/history"]
        .iter()
        .enumerate()
    {
        let update = private_text_update(i as i64, i as i64, ALICE, ALICE, 0, text);
        let outcome = bot.handle_update(update, Arc::new(telegram.clone())).await.unwrap();
        assert!(matches!(outcome, Dispatch::Handled { .. }));
    }
    let texts = telegram.sent_texts();
    assert_eq!(texts[1], "Bought 1 FPT @ 120.000 VND\nCost: 120.000 VND");
    assert!(texts[2].contains("<code>FPT</code> @ 120.000 VND"), "{}", texts[2]);
}

#[tokio::test]
async fn bad_configuration_stops_start_up_naming_the_variable() {
    let h = Harness::build(vec![], false, Config::default()).await;
    for (name, value) in [
        ("TRADING_PRICES", "VNM=12.5"),
        ("TRADING_PRICE_TIMEOUT_MS", "soon"),
        ("TRADING_KEEP_PER_USER", "-1"),
    ] {
        let mut vars = vec![("MODULES", "trading"), (name, value)];
        if name == "TRADING_PRICE_TIMEOUT_MS" {
            vars.push(("TRADING_PRICE_API", "http://127.0.0.1:9"));
        }
        let services = h.services_with(Config::from_vars(vars).unwrap());
        let error = Bot::start(&miti99bot_modules::catalog(), services).await.unwrap_err();
        let message = error.to_string();
        assert!(message.contains("trading") && message.contains(name), "{message}");
    }
}

#[tokio::test]
async fn without_a_price_source_trades_fail_politely() {
    let h = Harness::build(vec![], true, Config::default()).await;
    for vars in [
        vec![("MODULES", "trading")],
        // An API but no HTTP client in this runtime (Services::new leaves NoHttp).
        vec![("MODULES", "trading"), ("TRADING_PRICE_API", "http://127.0.0.1:9")],
    ] {
        let services = h.services_with(Config::from_vars(vars).unwrap());
        let bot = Bot::start(&miti99bot_modules::catalog(), services).await.unwrap();
        let telegram = miti99bot_testkit::RecordingTelegram::new();
        let update = private_text_update(1, 1, BOB, BOB, 0, "/trade_buy 1 VNM");
        bot.handle_update(update, Arc::new(telegram.clone())).await.unwrap();
        assert_eq!(telegram.sent_texts(), vec![render::PRICE_FAILED.to_owned()]);
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
