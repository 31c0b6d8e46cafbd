//! The games' buttons through the ingress on real SQLite (the `TestBot` harness's presses): Give up under a running board, New
//! round under a finished one, each press editing its message with the command's text; New
//! round from a button never abandons a running round; groups play as the chat.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod games_support;

use games_support::*;
use miti99bot_core::ingress::Outcome;
use miti99bot_core::telegram::{ApiRequest, InlineKeyboardMarkup, SendMessage, Update};
use miti99bot_core::Dispatch;

/// The one message `/text` from `from` produced, through the ingress.
async fn command(g: &Games, from: From, text: &str) -> SendMessage {
    let sent = g.send_update(g.update(g.next_id(), from, text)).await;
    assert!(sent.handled(), "{sent:?}");
    sent.reply()
        .cloned()
        .unwrap_or_else(|| panic!("one sendMessage: {sent:?}"))
}

fn label(markup: Option<&InlineKeyboardMarkup>) -> String {
    markup.expect("a button").inline_keyboard[0][0].text.clone()
}

/// `user`'s press of `label` on the newest message showing it.
fn press(g: &Games, user: i64, label: &str) -> Update {
    g.press(label).from(user).update().unwrap()
}

/// The same press as a new update (a stale copy of the button, pressed again).
fn renumbered(g: &Games, mut update: Update) -> Update {
    let id = g.next_id();
    update.update_id = id;
    if let Some(query) = update.callback_query.as_mut() {
        query.id = id.to_string();
    }
    update
}

/// Sends a press: the edited text and the label it shows now, or the toast when nothing was
/// edited.
async fn pressed(g: &Games, update: Update) -> Result<(String, String), Option<String>> {
    let sent = g.send_update(update).await;
    assert!(
        matches!(sent.outcome, Outcome::Applied(Dispatch::Pressed { .. })),
        "{sent:?}"
    );
    match sent.requests.as_slice() {
        [ApiRequest::EditMessageText(edit), ApiRequest::AnswerCallbackQuery(_)] => {
            Ok((edit.text.clone(), label(edit.reply_markup.as_ref())))
        }
        [ApiRequest::AnswerCallbackQuery(answer)] => Err(answer.text.clone()),
        other => panic!("an edit and an answer, or an answer: {other:?}"),
    }
}

#[tokio::test]
async fn give_up_then_new_round_from_the_buttons_edit_the_board() {
    let g = Games::new("crane", "Ahri").await;
    let board = command(&g, From::Private(ALICE), "/wordle slate").await;
    assert_eq!(label(board.reply_markup.as_ref()), "🏳 Give up");
    assert_eq!(
        board.reply_markup.as_ref().unwrap().inline_keyboard[0][0]
            .callback_data
            .as_deref(),
        Some("wordle:act:\"g\"")
    );

    let give_up = press(&g, ALICE, "🏳 Give up");
    let (text, shown) = pressed(&g, give_up.clone()).await.unwrap();
    assert_eq!(text, "🏳️ Answer was CRANE. /wordle_new for another.");
    assert_eq!(shown, "🆕 New round");
    assert_eq!(
        g.stats("wordle", ALICE).await.map(|s| s.0),
        Some(1),
        "the give-up counts as played"
    );

    let new_round = press(&g, ALICE, "🆕 New round");
    let (text, shown) = pressed(&g, new_round.clone()).await.unwrap();
    assert_eq!(text, "🆕 New round started. Use `/wordle <word>` to guess.");
    assert_eq!(shown, "🏳 Give up");

    // The old New round button, pressed while the new round runs: a toast, nothing abandoned.
    assert_eq!(
        pressed(&g, renumbered(&g, new_round)).await.unwrap_err().as_deref(),
        Some("A round is already running.")
    );
    assert_eq!(g.stats("wordle", ALICE).await.map(|s| s.0), Some(1));

    // A redelivered press does nothing.
    let again = g.send_update(give_up).await;
    assert_eq!(again.outcome, Outcome::Duplicate);
    assert!(again.requests.is_empty());
}

#[tokio::test]
async fn a_won_round_offers_a_new_one_and_groups_play_as_the_chat() {
    let g = Games::new("crane", "Ahri").await;
    let won = command(&g, From::Group(-500, ALICE), "/loldle Ahri").await;
    assert!(won.text.contains("Solved"), "{}", won.text);
    assert_eq!(label(won.reply_markup.as_ref()), "🆕 New round");
    // Another member of the group presses it: the group's round starts.
    let (_, shown) = pressed(&g, press(&g, BOB, "🆕 New round")).await.unwrap();
    assert_eq!(shown, "🏳 Give up");
    assert_eq!(g.round("loldle", -500).await.map(|r| r.1), Some(String::new()));
    assert!(g.round("loldle", BOB).await.is_none(), "the group's round, not Bob's");
    // /…_stats has no button; a text-only reply stays as it was.
    let stats = command(&g, From::Group(-500, ALICE), "/loldle_stats").await;
    assert!(stats.reply_markup.is_none());
}
