//! Trading's buttons over real SQLite through the ingress: Refresh under `/trade_stats`, and
//! `/history` paging older and newer in place.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod trading_support;

use miti99bot_core::ingress::Outcome;
use miti99bot_core::params;
use miti99bot_core::telegram::synthetic::{callback_update, sent_message};
use miti99bot_core::telegram::{ApiRequest, Message, SendMessage};
use miti99bot_core::Dispatch;
use miti99bot_modules::trading::buttons::{NEWER_LABEL, OLDER_LABEL, REFRESH_LABEL};
use miti99bot_modules::trading::history::INSERT_TRADE;
use trading_support::*;

/// The message `/text` produced (as Telegram would return it), through the ingress.
async fn command(h: &Harness, update_id: i64, text: &str) -> Message {
    h.telegram.clear();
    let outcome = h.apply(update_id, ALICE, ALICE, text).await;
    assert!(
        matches!(outcome, Outcome::Applied(Dispatch::Handled { .. })),
        "{outcome:?}"
    );
    let requests = h.telegram.requests();
    let [ApiRequest::SendMessage(send)] = requests.as_slice() else {
        panic!("one sendMessage: {requests:?}")
    };
    sent_message(send, None, 500 + update_id, 0)
}

fn labels(message: &Message) -> Vec<String> {
    message
        .reply_markup
        .iter()
        .flat_map(|k| k.inline_keyboard.iter().flatten())
        .map(|b| b.text.clone())
        .collect()
}

/// Presses the button labelled `label` under `message`; returns the edited message and the
/// callback answer's text.
async fn press(h: &Harness, update_id: i64, message: &Message, label: &str) -> (Message, Option<String>) {
    let button = message
        .reply_markup
        .iter()
        .flat_map(|k| k.inline_keyboard.iter().flatten())
        .find(|b| b.text == label)
        .unwrap_or_else(|| panic!("no {label} under {:?}", message.text));
    let data = button.callback_data.clone().unwrap();
    h.telegram.clear();
    let outcome = h
        .ingress
        .apply(callback_update(update_id, ALICE, message.clone(), &data))
        .await;
    assert!(
        matches!(outcome, Outcome::Applied(Dispatch::Pressed { refused: false, .. })),
        "{outcome:?}"
    );
    let requests = h.telegram.requests();
    let (edit, answer) = match requests.as_slice() {
        [ApiRequest::EditMessageText(edit), ApiRequest::AnswerCallbackQuery(answer)] => (edit, answer),
        other => panic!("one edit and one answer: {other:?}"),
    };
    let mut send = SendMessage::new(ALICE, edit.text.clone());
    send.reply_markup = edit.reply_markup.clone();
    let edited = Message {
        message_id: message.message_id,
        ..sent_message(&send, None, message.message_id, 0)
    };
    (edited, answer.text.clone())
}

#[tokio::test]
async fn refresh_edits_the_stats_in_place_and_a_redelivered_press_does_nothing() {
    let prices = std::sync::Arc::new(ScriptedPrices::default());
    prices.set("VNM", Ok(miti99bot_modules::trading::prices::Quote::Price(65_000)));
    let h = Harness::new(prices.clone()).await;
    h.apply(1, ALICE, ALICE, "/trade_topup 1000000").await;
    h.apply(2, ALICE, ALICE, "/trade_buy 10 VNM").await;
    let stats = command(&h, 3, "/trade_stats").await;
    assert_eq!(labels(&stats), [REFRESH_LABEL]);
    assert!(
        stats.text.as_deref().unwrap().contains("650.000 VND"),
        "{:?}",
        stats.text
    );

    prices.set("VNM", Ok(miti99bot_modules::trading::prices::Quote::Price(70_000)));
    let (edited, toast) = press(&h, 4, &stats, REFRESH_LABEL).await;
    assert!(
        edited.text.as_deref().unwrap().contains("700.000 VND"),
        "{:?}",
        edited.text
    );
    assert_eq!(labels(&edited), [REFRESH_LABEL]);
    assert_eq!(toast.as_deref(), Some("Updated"));

    // The same press delivered again: nothing is edited or answered twice.
    h.telegram.clear();
    let data = stats.reply_markup.as_ref().unwrap().inline_keyboard[0][0]
        .callback_data
        .clone()
        .unwrap();
    let again = h.ingress.apply(callback_update(4, ALICE, stats.clone(), &data)).await;
    assert_eq!(again, Outcome::Duplicate);
    assert!(h.telegram.requests().is_empty());
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
    let quantities = |m: &Message| -> Vec<i64> {
        m.text
            .as_deref()
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l[l.find("<b>").unwrap() + 3..l.find("</b>").unwrap()].parse().unwrap())
            .collect()
    };
    let first = command(&h, 1, "/history 10").await;
    assert_eq!(quantities(&first), (16..=25).rev().collect::<Vec<_>>());
    assert_eq!(labels(&first), [OLDER_LABEL]);

    let (second, toast) = press(&h, 2, &first, OLDER_LABEL).await;
    assert_eq!(quantities(&second), (6..=15).rev().collect::<Vec<_>>());
    assert_eq!(labels(&second), [OLDER_LABEL, NEWER_LABEL]);
    assert_eq!(toast, None);

    let (last, _) = press(&h, 3, &second, OLDER_LABEL).await;
    assert_eq!(quantities(&last), (1..=5).rev().collect::<Vec<_>>());
    assert_eq!(labels(&last), [NEWER_LABEL]);

    // A trade recorded meanwhile does not shift the pages.
    sql.run(INSERT_TRADE, params![ALICE, "VNM", "buy", 99, 65_000, T0 + 99 * 60_000])
        .await
        .unwrap();
    let (back, _) = press(&h, 4, &last, NEWER_LABEL).await;
    assert_eq!(quantities(&back), (6..=15).rev().collect::<Vec<_>>());
    assert_eq!(labels(&back), [OLDER_LABEL, NEWER_LABEL]);
    let (top, _) = press(&h, 5, &back, NEWER_LABEL).await;
    assert_eq!(quantities(&top), (16..=25).rev().collect::<Vec<_>>());
    assert_eq!(labels(&top), [OLDER_LABEL, NEWER_LABEL], "the new trade is newer still");
    let (newest, _) = press(&h, 6, &top, NEWER_LABEL).await;
    assert_eq!(quantities(&newest), [99]);
    assert_eq!(labels(&newest), [OLDER_LABEL]);

    // Few trades: no buttons at all.
    let bob = Harness::new(static_prices()).await;
    bob.apply(1, ALICE, ALICE, "/trade_topup 1000000").await;
    bob.apply(2, ALICE, ALICE, "/trade_buy 1 VNM").await;
    let only = command(&bob, 3, "/history").await;
    assert!(labels(&only).is_empty());
}
