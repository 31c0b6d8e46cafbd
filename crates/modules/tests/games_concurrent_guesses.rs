//! Guesses through the real pipeline (core's ingress, the update ledger in the same SQLite
//! database), sent at once: none is lost, a finished round takes no more, a result is recorded
//! once, and a redelivered guess is not applied twice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod games_support;

use std::sync::Arc;

use games_support::*;
use miti99bot_core::ingress::Outcome;
use miti99bot_core::Dispatch;

fn handled(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Applied(Dispatch::Handled { .. }))
}

/// `texts` sent at once in the group, by alternating players, update ids from `first_id`, each
/// on its own task of a multi-threaded runtime.
async fn all_at_once(g: &Arc<Games>, first_id: i64, texts: &[&str]) -> Vec<Outcome> {
    let tasks: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let g = g.clone();
            let id = first_id + i as i64;
            let user = if i % 2 == 0 { ALICE } else { BOB };
            let text = (*text).to_owned();
            tokio::spawn(async move { g.apply(id, From::Group(GROUP, user), &text).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_guesses_back_to_back_are_both_recorded() {
    let g = Arc::new(Games::new("crane", "MonkeyKing").await);
    for round in 0..20 {
        let first = 1000 * (round + 1);
        assert!(handled(&g.apply(first, From::Group(GROUP, ALICE), "/wordle_new").await));
        assert!(handled(
            &g.apply(first + 1, From::Group(GROUP, ALICE), "/loldle_new").await
        ));
        let outcomes = all_at_once(
            &g,
            first + 10,
            &["/wordle slate", "/wordle about", "/loldle ahri", "/loldle lee"],
        )
        .await;
        assert!(outcomes.iter().all(handled), "{outcomes:?}");
        let (_, words, n, state, _) = g.round("wordle", GROUP).await.unwrap();
        assert_eq!((n, state.as_str()), (2, "open"), "round {round}: {words}");
        let mut words: Vec<&str> = words.split(',').collect();
        words.sort_unstable();
        assert_eq!(words, ["about", "slate"]);
        let (_, champions, n, _, _) = g.round("loldle", GROUP).await.unwrap();
        assert_eq!(n, 2, "round {round}: {champions}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_finished_round_takes_no_more_guesses_and_counts_once() {
    let g = Arc::new(Games::new("crane", "MonkeyKing").await);
    let texts = vec!["/wordle slate"; 12];
    let outcomes = all_at_once(&g, 100, &texts).await;
    assert!(outcomes.iter().all(handled), "{outcomes:?}");
    let (_, words, n, state, _) = g.round("wordle", GROUP).await.unwrap();
    assert_eq!((n, state.as_str()), (6, "lost"));
    assert_eq!(words, ["slate"; 6].join(","));
    assert_eq!(g.stats("wordle", GROUP).await, Some((1, 0, 0, 0)), "one loss");
    let replies = g.telegram().sent_texts();
    assert_eq!(replies.len(), 12);
    let over = "Current round is over. Use /wordle_new to start another. Answer was CRANE.";
    assert_eq!(replies.iter().filter(|r| *r == over).count(), 6, "{replies:#?}");
    assert_eq!(replies.iter().filter(|r| r.contains("❌ Out of guesses")).count(), 1);
    for n in 1..6 {
        assert_eq!(
            replies.iter().filter(|r| r.ends_with(&format!("Guess {n}/6."))).count(),
            1
        );
    }

    // A win among concurrent guesses is recorded once, and nothing is guessed after it.
    let g = Arc::new(Games::new("crane", "MonkeyKing").await);
    let outcomes = all_at_once(
        &g,
        100,
        &["/wordle crane", "/wordle crane", "/wordle crane", "/wordle slate"],
    )
    .await;
    assert!(outcomes.iter().all(handled), "{outcomes:?}");
    assert_eq!(g.stats("wordle", GROUP).await, Some((1, 1, 1, 1)));
    let (_, words, _, state, _) = g.round("wordle", GROUP).await.unwrap();
    assert_eq!(state, "won");
    assert!(
        words.ends_with("crane") && words.matches("crane").count() == 1,
        "{words}"
    );
}

#[tokio::test]
async fn a_redelivered_guess_is_not_applied_twice() {
    let g = Games::new("crane", "MonkeyKing").await;
    assert!(handled(&g.apply(7, From::Private(ALICE), "/wordle slate").await));
    assert!(matches!(
        g.apply(7, From::Private(ALICE), "/wordle slate").await,
        Outcome::Duplicate
    ));
    assert_eq!(g.round("wordle", ALICE).await.unwrap().2, 1);
    assert_eq!(g.telegram().sent_texts().len(), 1);
}
