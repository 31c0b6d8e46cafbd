//! The HTTP price provider against a fake price API on 127.0.0.1, through a tiny test
//! implementation of the core's `HttpGet` over a tokio socket (what a runtime provides with
//! reqwest or `fetch`, set with `Services::with_http`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use miti99bot_core::http::{HttpError, HttpGet, HttpResponse};
use miti99bot_modules::trading::http_prices::HttpPrices;
use miti99bot_modules::trading::prices::{PriceError, PriceProvider, Quote};
use miti99bot_modules::trading::Trading;
use miti99bot_testkit::{FakeHttp, FakeReply};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use trading_support::*;

/// The fake price API's answers, by path (served by testkit's `FakeHttp`, which records the
/// paths asked and stops when dropped).
fn price_reply(path: &str) -> FakeReply {
    match path {
        "/prices/VNM" => FakeReply::new(200, r#"{"symbol":"VNM","price_vnd":65000}"#),
        "/prices/FPT" => FakeReply::new(200, r#"{"symbol":"FPT","price_vnd":120000}"#),
        "/prices/NOPRICE" => FakeReply::new(200, r#"{"symbol":"NOPRICE","price_vnd":null}"#),
        "/prices/BOOM" => FakeReply::new(500, "oops"),
        "/prices/BAD" => FakeReply::new(200, "<html>not json</html>"),
        "/prices/FLOAT" => FakeReply::new(200, r#"{"symbol":"FLOAT","price_vnd":65000.5}"#),
        "/prices/OTHER" => FakeReply::new(200, r#"{"symbol":"FPT","price_vnd":120000}"#),
        "/prices/SLOW" => FakeReply::new(200, r#"{"symbol":"SLOW","price_vnd":1000}"#).after(Duration::from_secs(3)),
        _ => FakeReply::new(404, r#"{"error":"unknown symbol"}"#),
    }
}

/// The price API under test, with its base URL.
struct FakePriceApi(FakeHttp);

impl FakePriceApi {
    async fn start() -> Self {
        Self(FakeHttp::start(price_reply).await.unwrap())
    }

    fn base_url(&self) -> String {
        format!("{}/prices/", self.0.base_url())
    }

    fn requests(&self) -> Vec<String> {
        self.0.paths()
    }
}

/// A minimal HTTP/1.1 `GET` over tokio, honouring the timeout (a runtime would use reqwest).
#[derive(Debug, Default, Clone, Copy)]
struct TcpHttpGet;

#[miti99bot_core::async_trait]
impl HttpGet for TcpHttpGet {
    async fn get(&self, url: &str, timeout: Duration) -> Result<HttpResponse, HttpError> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| HttpError::Failed(format!("not http: {url}")))?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let exchange = async {
            let mut stream = TcpStream::connect(host).await?;
            let request = format!("GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n");
            stream.write_all(request.as_bytes()).await?;
            let mut raw = Vec::new();
            stream.read_to_end(&mut raw).await?;
            Ok::<_, std::io::Error>(raw)
        };
        let raw = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| HttpError::Timeout)?
            .map_err(|e| HttpError::Failed(e.to_string()))?;
        let text = String::from_utf8(raw).map_err(|e| HttpError::Failed(e.to_string()))?;
        let (head, body) = text
            .split_once("\r\n\r\n")
            .ok_or_else(|| HttpError::Failed("no header end".into()))?;
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| HttpError::Failed("no status".into()))?;
        Ok(HttpResponse {
            status,
            body: body.to_owned(),
        })
    }
}

fn provider(api: &FakePriceApi, timeout: Duration) -> HttpPrices {
    HttpPrices::new(&api.base_url()).timeout(timeout)
}

#[tokio::test]
async fn quotes_follow_the_documented_api() {
    let api = FakePriceApi::start().await;
    let prices = provider(&api, Duration::from_secs(2));
    assert_eq!(prices.url("VNM"), format!("{}VNM", api.base_url()));
    assert_eq!(prices.quote(&TcpHttpGet, "VNM").await, Ok(Quote::Price(65_000)));
    assert_eq!(prices.quote(&TcpHttpGet, "NOPRICE").await, Ok(Quote::NoPrice));
    assert_eq!(prices.quote(&TcpHttpGet, "NOPE").await, Ok(Quote::UnknownSymbol), "404");
    assert_eq!(prices.quote(&TcpHttpGet, "BOOM").await, Err(PriceError::Status(500)));
    for malformed in ["BAD", "FLOAT", "OTHER"] {
        assert!(
            matches!(
                prices.quote(&TcpHttpGet, malformed).await,
                Err(PriceError::Malformed(_))
            ),
            "{malformed}"
        );
    }
    assert_eq!(
        prices.quote(&TcpHttpGet, "a/../b").await,
        Ok(Quote::UnknownSymbol),
        "not a ticker: no request"
    );
    assert_eq!(
        api.requests(),
        [
            "/prices/VNM",
            "/prices/NOPRICE",
            "/prices/NOPE",
            "/prices/BOOM",
            "/prices/BAD",
            "/prices/FLOAT",
            "/prices/OTHER"
        ]
    );
}

#[tokio::test]
async fn a_slow_api_times_out() {
    let api = FakePriceApi::start().await;
    let prices = provider(&api, Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(prices.quote(&TcpHttpGet, "SLOW").await, Err(PriceError::Timeout));
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_stopped_api_is_a_network_error() {
    let api = FakePriceApi::start().await;
    let prices = provider(&api, Duration::from_secs(1));
    assert_eq!(prices.quote(&TcpHttpGet, "VNM").await, Ok(Quote::Price(65_000)));
    let listener_addr = api.base_url();
    drop(api);
    // The server stops on drop; give its task a moment to close the listener.
    let mut result = prices.quote(&TcpHttpGet, "VNM").await;
    for _ in 0..50 {
        if matches!(result, Err(PriceError::Network(_))) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        result = prices.quote(&TcpHttpGet, "VNM").await;
    }
    assert!(
        matches!(result, Err(PriceError::Network(_))),
        "{listener_addr}: {result:?}"
    );
}

#[tokio::test]
async fn trading_through_the_bot_with_api_prices() {
    let api = FakePriceApi::start().await;
    let prices = Arc::new(provider(&api, Duration::from_millis(300)));
    let h = Harness::start(
        TestBot::builder()
            .module(Trading::new(prices).module())
            .http(Arc::new(TcpHttpGet)),
    )
    .await;
    h.send(ALICE, "/trade_topup 10000000").await;
    assert_eq!(
        h.send(ALICE, "/trade_buy 10 vnm").await,
        "Bought 10 VNM @ 65.000 VND\nCost: 650.000 VND"
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 1 NOPE").await,
        "Unknown stock ticker \"NOPE\".\nCrypto, gold & currency exchange coming soon!"
    );
    assert_eq!(
        h.send(ALICE, "/trade_buy 1 NOPRICE").await,
        "No price available for NOPRICE."
    );
    for failing in ["BOOM", "SLOW", "BAD"] {
        assert_eq!(
            h.send(ALICE, &format!("/trade_buy 1 {failing}")).await,
            "Could not fetch price. Try again later.",
            "{failing}"
        );
    }
    assert_eq!(
        h.send(ALICE, "/trade_sell 10 VNM").await,
        "Sold 10 VNM @ 65.000 VND\nRevenue: 650.000 VND"
    );
    assert_eq!(h.trades().await.len(), 2);
}

#[tokio::test]
async fn the_catalog_module_fetches_through_the_runtimes_client() {
    let api = FakePriceApi::start().await;
    let bot = TestBot::builder()
        .catalog(&miti99bot_modules::catalog(), &["trading"])
        .var("TRADING_PRICE_API", api.base_url().as_str())
        .var("TRADING_PRICE_TIMEOUT_MS", "250")
        .http(Arc::new(TcpHttpGet))
        .start()
        .await
        .unwrap();
    bot.send("/trade_topup 1000000").await;
    assert_eq!(
        bot.send("/trade_buy 2 FPT").await.text(),
        Some("Bought 2 FPT @ 120.000 VND\nCost: 240.000 VND")
    );
    assert_eq!(
        bot.send("/trade_buy 1 SLOW").await.text(),
        Some("Could not fetch price. Try again later."),
        "timed out at 250 ms"
    );
    let stats = bot.send("/trade_stats").await;
    assert!(
        stats.text().unwrap().contains("  FPT x2 @ 120.000 VND = 240.000 VND"),
        "{stats:?}"
    );
}
