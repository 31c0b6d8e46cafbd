//! wordle through the ingress (the `TestBot` harness) on real SQLite, the answer pinned: every reply text,
//! the fixes of games.md §9 and one SQL round trip per command.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod games_support;

use games_support::*;

const HINT: &str = "No guesses yet. Reply with `/wordle <word>`.";
const SLATE: &str = "⬜⬜🟩⬜🟩\n S  L  A  T  E ";
const CRANE: &str = "🟩🟩🟩🟩🟩\n C  R  A  N  E ";

#[tokio::test]
async fn a_round_won_in_two_then_over() {
    let g = Games::new("crane", "Ahri").await;
    assert_eq!(
        g.send("/wordle").await,
        format!("Guess 0/6. Use `/wordle <word>`.\n\n{HINT}")
    );
    g.take_round_trips();
    assert_eq!(g.send("/wordle slate").await, format!("{SLATE}\n\nGuess 1/6."));
    assert_eq!(g.take_round_trips(), 1, "a guess is one batch");
    assert_eq!(
        g.send("/wordle CRANE").await,
        format!("{CRANE}\n\n🎉 Solved in 2/6! Streak: 1. /wordle_new for another.")
    );
    assert_eq!(g.take_round_trips(), 1, "a winning guess is one batch too");
    assert_eq!(
        g.send("/wordle").await,
        format!("🎉 Solved in 2/6. /wordle_new for another.\n\n{SLATE}\n\n{CRANE}")
    );
    assert_eq!(
        g.send("/wordle about").await,
        "Current round is over. Use /wordle_new to start another. Answer was CRANE."
    );
    assert_eq!(g.send("/wordle_giveup").await, "Already solved — CRANE.");
    assert_eq!(
        g.send("/wordle_stats").await,
        "📊 Wordle your stats\nPlayed: 1\nWins: 1 (100%)\nCurrent streak: 1\nBest streak: 1"
    );
    assert_eq!(g.round("wordle", ALICE).await.unwrap().1, "slate,crane");
}

#[tokio::test]
async fn a_round_lost_shows_as_lost_and_a_give_up_after_it_records_nothing() {
    let g = Games::new("crane", "Ahri").await;
    for n in 1..6 {
        assert_eq!(g.send("/wordle slate").await, format!("{SLATE}\n\nGuess {n}/6."));
    }
    assert_eq!(
        g.send("/wordle slate").await,
        format!("{SLATE}\n\n❌ Out of guesses. Answer was CRANE. /wordle_new to retry.")
    );
    // §9.1: lost, not "Guess 6/6".
    let board = [SLATE; 6].join("\n\n");
    assert_eq!(
        g.send("/wordle").await,
        format!("❌ Out of guesses. Answer was CRANE. /wordle_new to retry.\n\n{board}")
    );
    // §9.2: no second loss.
    assert_eq!(g.send("/wordle_giveup").await, "Already out of guesses — CRANE.");
    assert_eq!(
        g.send("/wordle_stats").await,
        "📊 Wordle your stats\nPlayed: 1\nWins: 0 (0%)\nCurrent streak: 0\nBest streak: 0"
    );
    assert_eq!(
        g.send("/wordle crane").await,
        "Current round is over. Use /wordle_new to start another. Answer was CRANE."
    );
    assert_eq!(g.round("wordle", ALICE).await.unwrap().2, 6);
}

#[tokio::test]
async fn refused_words_use_no_turn_and_touch_no_store() {
    let g = Games::new("crane", "Ahri").await;
    g.take_round_trips();
    assert_eq!(g.send("/wordle 12345").await, "Please provide a 5-letter word.");
    assert_eq!(g.send("/wordle ---").await, "Please provide a 5-letter word.");
    assert_eq!(g.send("/wordle cr4ne").await, "Word must be exactly 5 letters.");
    assert_eq!(g.send("/wordle catnaps").await, "Word must be exactly 5 letters.");
    assert_eq!(g.send("/wordle zzzzz").await, "Not in the word list.");
    assert_eq!(g.take_round_trips(), 0);
    assert_eq!(g.round("wordle", ALICE).await, None);
    // The argument starts after the first space: a newline is no argument.
    assert_eq!(
        g.send("/wordle\ncrane").await,
        format!("Guess 0/6. Use `/wordle <word>`.\n\n{HINT}")
    );
    assert_eq!(
        g.send("/wordle cr-ane").await,
        format!("{CRANE}\n\n🎉 Solved in 1/6! Streak: 1. /wordle_new for another.")
    );
}

#[tokio::test]
async fn give_up_and_new_round_with_and_without_abandoning() {
    let g = Games::new("crane", "Ahri").await;
    // §9.3: no round, nothing started or lost.
    assert_eq!(
        g.send("/wordle_giveup").await,
        "No round in progress. /wordle_new to start one."
    );
    assert_eq!(g.round("wordle", ALICE).await, None);
    assert_eq!(g.stats("wordle", ALICE).await, None);
    assert_eq!(
        g.send("/wordle_new").await,
        "🆕 New round started. Use `/wordle <word>` to guess."
    );
    g.take_round_trips();
    assert_eq!(
        g.send("/wordle_giveup").await,
        "🏳️ Answer was CRANE. /wordle_new for another."
    );
    assert_eq!(g.take_round_trips(), 1);
    assert_eq!(g.send("/wordle_giveup").await, "Already gave up — CRANE.");
    assert_eq!(
        g.send("/wordle").await,
        format!("🏳️ Gave up. Answer was CRANE. /wordle_new for another.\n\n{HINT}")
    );
    // A finished round is not abandoned.
    assert_eq!(
        g.send("/wordle_new").await,
        "🆕 New round started. Use `/wordle <word>` to guess."
    );
    assert_eq!(g.stats("wordle", ALICE).await, Some((1, 0, 0, 0)));
    g.send("/wordle slate").await;
    g.take_round_trips();
    assert_eq!(
        g.send("/wordle_new").await,
        "🏳️ Previous round abandoned (auto-giveup). Answer was CRANE.\n\n🆕 New round started. Use `/wordle <word>` to guess."
    );
    assert_eq!(g.take_round_trips(), 1);
    assert_eq!(g.stats("wordle", ALICE).await, Some((2, 0, 0, 0)));
    assert_eq!(
        g.round("wordle", ALICE).await.unwrap().1,
        "",
        "the new round has no guesses"
    );
}

#[tokio::test]
async fn streaks_count_consecutive_round_wins() {
    let g = Games::new("crane", "Ahri").await;
    g.send("/wordle crane").await;
    g.send("/wordle_new").await;
    assert_eq!(
        g.send("/wordle crane").await,
        format!("{CRANE}\n\n🎉 Solved in 1/6! Streak: 2. /wordle_new for another.")
    );
    g.send("/wordle_new").await;
    g.send("/wordle_giveup").await;
    g.send("/wordle_new").await;
    g.send("/wordle crane").await;
    assert_eq!(
        g.send("/wordle_stats").await,
        "📊 Wordle your stats\nPlayed: 4\nWins: 3 (75%)\nCurrent streak: 1\nBest streak: 2"
    );
}

#[tokio::test]
async fn a_group_plays_one_round_and_has_its_own_stats() {
    let g = Games::new("crane", "Ahri").await;
    assert_eq!(
        g.send_from(From::Group(GROUP, ALICE), "/wordle slate").await,
        format!("{SLATE}\n\nGuess 1/6.")
    );
    assert_eq!(
        g.send_from(From::Group(GROUP, BOB), "/wordle crane").await,
        format!("{CRANE}\n\n🎉 Solved in 2/6! Streak: 1. /wordle_new for another.")
    );
    assert_eq!(
        g.send_from(From::Group(GROUP, BOB), "/wordle_stats").await,
        "📊 Wordle group stats\nPlayed: 1\nWins: 1 (100%)\nCurrent streak: 1\nBest streak: 1"
    );
    assert_eq!(
        g.send("/wordle_stats").await,
        "📊 Wordle your stats\nPlayed: 0\nWins: 0 (0%)\nCurrent streak: 0\nBest streak: 0"
    );
    assert_eq!(g.round("wordle", ALICE).await, None);
}

#[tokio::test]
async fn no_subject_and_no_database_are_clear_replies() {
    const COMMANDS: [&str; 5] = [
        "/wordle",
        "/wordle crane",
        "/wordle_new",
        "/wordle_giveup",
        "/wordle_stats",
    ];
    let g = Games::new("crane", "Ahri").await;
    for command in COMMANDS {
        let reply = g.send_from(From::Channel(-100_777), command).await;
        assert_eq!(reply, "Cannot identify chat.", "{command}");
    }
    let g = Games::without_sql().await;
    for command in COMMANDS {
        let reply = g.send(command).await;
        assert_eq!(reply, "Wordle needs a database; it is not available here.", "{command}");
    }
}

#[tokio::test]
async fn rounds_expire_after_seven_days_idle_and_the_cron_purges_them() {
    const DAY: i64 = 24 * 60 * 60 * 1000;
    let g = Games::new("crane", "Ahri").await;
    g.send("/wordle slate").await;
    g.clock().advance(6 * DAY);
    // A change keeps the round alive for 7 more days.
    assert_eq!(g.send("/wordle slate").await, format!("{SLATE}\n\nGuess 2/6."));
    g.clock().advance(7 * DAY - 1);
    assert_eq!(
        g.send("/wordle_giveup").await,
        "🏳️ Answer was CRANE. /wordle_new for another."
    );
    g.clock().advance(7 * DAY);
    // Expired: gone for every read, though the row is still there until the purge.
    assert_eq!(
        g.send("/wordle_giveup").await,
        "No round in progress. /wordle_new to start one."
    );
    assert!(g.round("wordle", ALICE).await.is_some());
    assert!(g.run_cron("wordle/purge-rounds").await.result.is_ok());
    assert_eq!(g.round("wordle", ALICE).await, None);
    assert_eq!(g.stats("wordle", ALICE).await, Some((1, 0, 0, 0)), "stats stay");
    assert_eq!(
        g.send("/wordle").await,
        format!("Guess 0/6. Use `/wordle <word>`.\n\n{HINT}")
    );
}
