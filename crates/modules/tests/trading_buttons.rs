//! Trading's buttons over real SQLite through the ingress (the `TestBot` harness): Refresh
//! under `/trade_stats`, and `/history` paging older and newer in place.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use miti99bot_core::ingress::Outcome;
use miti99bot_core::params;
use miti99bot_core::telegram::{ApiRequest, InlineKeyboardMarkup};
use miti99bot_core::Dispatch;
use miti99bot_modules::trading::buttons::{NEWER_LABEL, OLDER_LABEL, REFRESH_LABEL};
use miti99bot_modules::trading::history::INSERT_TRADE;
use trading_support::*;

fn labels(markup: Option<&InlineKeyboardMarkup>) -> Vec<String> {
    markup
        .iter()
        .flat_map(|k| k.inline_keyboard.iter().flatten())
        .map(|b| b.text.clone())
        .collect()
}

/// `ALICE` presses the button labelled `label` on the newest message showing it; returns the
/// edited text, the labels it shows now and the callback answer's text, after checking the
/// press made exactly one edit and one answer.
async fn press(h: &Harness, label: &str) -> (String, Vec<String>, Option<String>) {
    let sent = h.press(label).from(ALICE).await;
    assert!(
        matches!(sent.outcome, Outcome::Applied(Dispatch::Pressed { refused: false, .. })),
        "{sent:?}"
    );
    match sent.requests.as_slice() {
        [ApiRequest::EditMessageText(edit), ApiRequest::AnswerCallbackQuery(answer)] => (
            edit.text.clone(),
            labels(edit.reply_markup.as_ref()),
            answer.text.clone(),
        ),
        other => panic!("one edit and one answer: {other:?}"),
    }
}

#[tokio::test]
async fn refresh_edits_the_stats_in_place_and_a_redelivered_press_does_nothing() {
    let prices = std::sync::Arc::new(ScriptedPrices::default());
    prices.set("VNM", Ok(miti99bot_modules::trading::prices::Quote::Price(65_000)));
    let h = Harness::new(prices.clone()).await;
    h.send(ALICE, "/trade_topup 1000000").await;
    h.send(ALICE, "/trade_buy 10 VNM").await;
    let stats = h.send_call(ALICE, "/trade_stats").await;
    assert_eq!(labels(stats.reply_markup.as_ref()), [REFRESH_LABEL]);
    assert!(stats.text.contains("650.000 VND"), "{}", stats.text);

    prices.set("VNM", Ok(miti99bot_modules::trading::prices::Quote::Price(70_000)));
    let (edited, shown, toast) = press(&h, REFRESH_LABEL).await;
    assert!(edited.contains("700.000 VND"), "{edited}");
    assert_eq!(shown, [REFRESH_LABEL]);
    assert_eq!(toast.as_deref(), Some("Updated"));

    // The same press delivered twice: nothing is edited or answered twice.
    let update = h.press(REFRESH_LABEL).from(ALICE).update().unwrap();
    assert!(!h.send_update(update.clone()).await.requests.is_empty());
    let again = h.send_update(update).await;
    assert_eq!(again.outcome, Outcome::Duplicate);
    assert!(again.requests.is_empty());
}

#[tokio::test]
async fn history_pages_older_and_newer_in_place() {
    let h = Harness::new(static_prices()).await;
    let sql = h.module_sql();
    for i in 1..=25 {
        sql.run(INSERT_TRADE, params![ALICE, "VNM", "buy", i, 65_000, T0 + i * 60_000])
            .await
            .unwrap();
    }
    let quantities = |text: &str| -> Vec<i64> {
        text.lines()
            .skip(1)
            .map(|l| l[l.find("<b>").unwrap() + 3..l.find("</b>").unwrap()].parse().unwrap())
            .collect()
    };
    let first = h.send_call(ALICE, "/history 10").await;
    assert_eq!(quantities(&first.text), (16..=25).rev().collect::<Vec<_>>());
    assert_eq!(labels(first.reply_markup.as_ref()), [OLDER_LABEL]);

    let (second, shown, toast) = press(&h, OLDER_LABEL).await;
    assert_eq!(quantities(&second), (6..=15).rev().collect::<Vec<_>>());
    assert_eq!(shown, [OLDER_LABEL, NEWER_LABEL]);
    assert_eq!(toast, None);

    let (last, shown, _) = press(&h, OLDER_LABEL).await;
    assert_eq!(quantities(&last), (1..=5).rev().collect::<Vec<_>>());
    assert_eq!(shown, [NEWER_LABEL]);

    // A trade recorded meanwhile does not shift the pages.
    sql.run(INSERT_TRADE, params![ALICE, "VNM", "buy", 99, 65_000, T0 + 99 * 60_000])
        .await
        .unwrap();
    let (back, shown, _) = press(&h, NEWER_LABEL).await;
    assert_eq!(quantities(&back), (6..=15).rev().collect::<Vec<_>>());
    assert_eq!(shown, [OLDER_LABEL, NEWER_LABEL]);
    let (top, shown, _) = press(&h, NEWER_LABEL).await;
    assert_eq!(quantities(&top), (16..=25).rev().collect::<Vec<_>>());
    assert_eq!(shown, [OLDER_LABEL, NEWER_LABEL], "the new trade is newer still");
    let (newest, shown, _) = press(&h, NEWER_LABEL).await;
    assert_eq!(quantities(&newest), [99]);
    assert_eq!(shown, [OLDER_LABEL]);

    // Few trades: no buttons at all.
    let bob = Harness::new(static_prices()).await;
    bob.send(ALICE, "/trade_topup 1000000").await;
    bob.send(ALICE, "/trade_buy 1 VNM").await;
    let only = bob.send_call(ALICE, "/history").await;
    assert!(labels(only.reply_markup.as_ref()).is_empty());
}
