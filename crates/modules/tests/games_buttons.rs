//! The games' buttons through the ingress on real SQLite: Give up under a running board, New
//! round under a finished one, each press editing its message with the command's text; New
//! round from a button never abandons a running round; groups play as the chat.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod games_support;

use games_support::*;
use miti99bot_core::ingress::Outcome;
use miti99bot_core::telegram::synthetic::{callback_update, sent_message};
use miti99bot_core::telegram::{ApiRequest, Message, SendMessage};
use miti99bot_core::Dispatch;

/// The message `/text` from `from` produced, as Telegram would return it.
async fn command(g: &Games, id: i64, from: From, text: &str) -> Message {
    g.telegram.clear();
    let outcome = g.apply(id, from, text).await;
    assert!(
        matches!(outcome, Outcome::Applied(Dispatch::Handled { .. })),
        "{outcome:?}"
    );
    let requests = g.telegram.requests();
    let [ApiRequest::SendMessage(send)] = requests.as_slice() else {
        panic!("one sendMessage: {requests:?}")
    };
    let mut message = sent_message(send, None, 900 + id, 0);
    message.chat = g.update(id, from, text).message.unwrap().chat;
    message
}

fn label(message: &Message) -> String {
    let keyboard = message.reply_markup.as_ref().expect("a button");
    keyboard.inline_keyboard[0][0].text.clone()
}

/// `user` presses the button under `message`: the edited message, or the toast when nothing
/// was edited.
async fn press(g: &Games, id: i64, user: i64, message: &Message) -> Result<Message, Option<String>> {
    let data = message.reply_markup.as_ref().unwrap().inline_keyboard[0][0]
        .callback_data
        .clone()
        .unwrap();
    g.telegram.clear();
    let outcome = g.ingress.apply(callback_update(id, user, message.clone(), &data)).await;
    assert!(
        matches!(outcome, Outcome::Applied(Dispatch::Pressed { .. })),
        "{outcome:?}"
    );
    match g.telegram.requests().as_slice() {
        [ApiRequest::EditMessageText(edit), ApiRequest::AnswerCallbackQuery(_)] => {
            let mut send = SendMessage::new(message.chat.id, edit.text.clone());
            send.reply_markup = edit.reply_markup.clone();
            let mut edited = sent_message(&send, Some(message.chat.clone()), message.message_id, 0);
            edited.chat = message.chat.clone();
            Ok(edited)
        }
        [ApiRequest::AnswerCallbackQuery(answer)] => Err(answer.text.clone()),
        other => panic!("an edit and an answer, or an answer: {other:?}"),
    }
}

#[tokio::test]
async fn give_up_then_new_round_from_the_buttons_edit_the_board() {
    let g = Games::new("crane", "Ahri").await;
    let board = command(&g, 1, From::Private(ALICE), "/wordle slate").await;
    assert_eq!(label(&board), "🏳 Give up");
    assert_eq!(
        board.reply_markup.as_ref().unwrap().inline_keyboard[0][0]
            .callback_data
            .as_deref(),
        Some("wordle:act:\"g\"")
    );

    let given_up = press(&g, 2, ALICE, &board).await.unwrap();
    assert_eq!(
        given_up.text.as_deref(),
        Some("🏳️ Answer was CRANE. /wordle_new for another.")
    );
    assert_eq!(label(&given_up), "🆕 New round");
    assert_eq!(
        g.stats("wordle", ALICE).await.map(|s| s.0),
        Some(1),
        "the give-up counts as played"
    );

    let fresh = press(&g, 3, ALICE, &given_up).await.unwrap();
    assert_eq!(
        fresh.text.as_deref(),
        Some("🆕 New round started. Use `/wordle <word>` to guess.")
    );
    assert_eq!(label(&fresh), "🏳 Give up");

    // The old New round button, pressed while the new round runs: a toast, nothing abandoned.
    assert_eq!(
        press(&g, 4, ALICE, &given_up).await.unwrap_err().as_deref(),
        Some("A round is already running.")
    );
    assert_eq!(g.stats("wordle", ALICE).await.map(|s| s.0), Some(1));

    // A redelivered press does nothing.
    g.telegram.clear();
    let data = "wordle:act:\"g\"";
    assert_eq!(
        g.ingress.apply(callback_update(2, ALICE, board, data)).await,
        Outcome::Duplicate
    );
    assert!(g.telegram.requests().is_empty());
}

#[tokio::test]
async fn a_won_round_offers_a_new_one_and_groups_play_as_the_chat() {
    let g = Games::new("crane", "Ahri").await;
    let won = command(&g, 1, From::Group(-500, ALICE), "/loldle Ahri").await;
    assert!(won.text.as_deref().unwrap().contains("Solved"), "{:?}", won.text);
    assert_eq!(label(&won), "🆕 New round");
    // Another member of the group presses it: the group's round starts.
    let fresh = press(&g, 2, BOB, &won).await.unwrap();
    assert_eq!(label(&fresh), "🏳 Give up");
    assert_eq!(g.round("loldle", -500).await.map(|r| r.1), Some(String::new()));
    assert!(g.round("loldle", BOB).await.is_none(), "the group's round, not Bob's");
    // /…_stats has no button; a text-only reply stays as it was.
    g.telegram.clear();
    g.apply(3, From::Group(-500, ALICE), "/loldle_stats").await;
    let ApiRequest::SendMessage(stats) = &g.telegram.requests()[0] else {
        panic!()
    };
    assert!(stats.reply_markup.is_none());
}
