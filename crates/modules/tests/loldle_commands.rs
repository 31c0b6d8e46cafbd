//! loldle through the ingress (the `TestBot` harness) on real SQLite, the answer pinned to Wukong (id
//! `MonkeyKing`): every reply text, the fixes of games.md §9 and one SQL round trip per command.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod games_support;

use games_support::*;
use miti99bot_core::params;

const HINT: &str = "No guesses yet. Reply with `/loldle <champion>`.";
const AHRI: &str = "🎯 Ahri\n❌ Gender: Female\n❌ Genre: Mage, Assassin\n❌ Range: Ranged\n✅ Resource: Mana\n\
                    ✅ Region: Ionia\n❌ Lane: Mid\n✅ Year: 2011";
const WUKONG: &str = "🎯 Wukong\n✅ Gender: Male\n✅ Genre: Fighter, Tank\n✅ Range: Melee\n✅ Resource: Mana\n\
                      ✅ Region: Ionia\n✅ Lane: Jungle\n✅ Year: 2011";

#[tokio::test]
async fn a_round_won_in_two_then_over_by_display_name() {
    let g = Games::new("crane", "MonkeyKing").await;
    assert_eq!(
        g.send("/loldle").await,
        format!("Guess 0/8. Use `/loldle <champion>`.\n\n{HINT}")
    );
    assert_eq!(g.send("/loldle ka").await, "Champion not found: \"ka\".");
    assert_eq!(g.send("/loldle   zzz  ").await, "Champion not found: \"zzz\".");
    g.take_round_trips();
    assert_eq!(g.send("/loldle ahri").await, format!("{AHRI}\n\nGuess 1/8."));
    assert_eq!(g.take_round_trips(), 1, "a guess is one batch");
    assert_eq!(
        g.send("/loldle monkeyking").await,
        format!("{WUKONG}\n\n🎉 Solved in 2/8! Streak: 1. /loldle_new for another.")
    );
    assert_eq!(
        g.send("/loldle").await,
        format!("🎉 Solved in 2/8. /loldle_new for another.\n\n{AHRI}\n\n{WUKONG}")
    );
    // §9.4: the display name, never the id.
    assert_eq!(
        g.send("/loldle Kha'Zix").await,
        "Current round is over. Use /loldle_new to start another. Answer was Wukong."
    );
    assert_eq!(g.send("/loldle_giveup").await, "Already solved — Wukong.");
    assert_eq!(
        g.send("/loldle_stats").await,
        "📊 Loldle your stats\nPlayed: 1\nWins: 1 (100%)\nCurrent streak: 1\nBest streak: 1"
    );
    assert_eq!(g.round("loldle", ALICE).await.unwrap().1, "Ahri,MonkeyKing");
}

#[tokio::test]
async fn eight_misses_lose_and_the_loss_counts_once() {
    let g = Games::new("crane", "MonkeyKing").await;
    for n in 1..8 {
        assert_eq!(g.send("/loldle Ahri").await, format!("{AHRI}\n\nGuess {n}/8."));
    }
    assert_eq!(
        g.send("/loldle Ahri").await,
        format!("{AHRI}\n\n❌ Out of guesses. Answer was Wukong. /loldle_new to retry.")
    );
    let board = [AHRI; 8].join("\n\n");
    assert_eq!(
        g.send("/loldle").await,
        format!("❌ Out of guesses. Answer was Wukong. /loldle_new to retry.\n\n{board}")
    );
    assert_eq!(g.send("/loldle_giveup").await, "Already out of guesses — Wukong.");
    assert_eq!(
        g.send("/loldle wukong").await,
        "Current round is over. Use /loldle_new to start another. Answer was Wukong."
    );
    assert_eq!(
        g.send("/loldle_stats").await,
        "📊 Loldle your stats\nPlayed: 1\nWins: 0 (0%)\nCurrent streak: 0\nBest streak: 0"
    );
}

#[tokio::test]
async fn give_up_new_round_and_group_stats() {
    let g = Games::new("crane", "MonkeyKing").await;
    assert_eq!(
        g.send("/loldle_giveup").await,
        "No round in progress. /loldle_new to start one."
    );
    assert_eq!(
        g.send("/loldle_new").await,
        "🆕 New round started. Use `/loldle <champion>` to guess."
    );
    assert_eq!(
        g.send("/loldle_giveup").await,
        "🏳️ Answer was Wukong — the Monkey King. /loldle_new for another."
    );
    assert_eq!(g.send("/loldle_giveup").await, "Already gave up — Wukong.");
    assert_eq!(
        g.send("/loldle").await,
        format!("🏳️ Gave up. Answer was Wukong. /loldle_new for another.\n\n{HINT}")
    );
    g.send("/loldle_new").await;
    g.send("/loldle lee").await;
    assert_eq!(
        g.send("/loldle_new").await,
        "🏳️ Previous round abandoned (auto-giveup). Answer was Wukong.\n\n🆕 New round started. Use `/loldle <champion>` to guess."
    );
    assert_eq!(g.stats("loldle", ALICE).await, Some((2, 0, 0, 0)));

    let group = From::Group(GROUP, BOB);
    assert_eq!(
        g.send_from(group, "/loldle wukong").await,
        format!("{WUKONG}\n\n🎉 Solved in 1/8! Streak: 1. /loldle_new for another.")
    );
    assert_eq!(
        g.send_from(group, "/loldle_stats").await,
        "📊 Loldle group stats\nPlayed: 1\nWins: 1 (100%)\nCurrent streak: 1\nBest streak: 1"
    );
    for command in [
        "/loldle",
        "/loldle ahri",
        "/loldle_new",
        "/loldle_giveup",
        "/loldle_stats",
    ] {
        assert_eq!(
            g.send_from(From::Channel(-100_777), command).await,
            "Cannot identify chat.",
            "{command}"
        );
    }
    let g = Games::without_sql().await;
    assert_eq!(
        g.send("/loldle ahri").await,
        "Loldle needs a database; it is not available here."
    );
}

#[tokio::test]
async fn an_answer_the_data_lost_is_a_clear_reply() {
    // §9.10: a champion renamed or removed by a data update while a round was running.
    let g = Games::new("crane", "MonkeyKing").await;
    g.send("/loldle ahri").await;
    g.game_sql("loldle")
        .run(
            "UPDATE loldle_rounds SET target = 'Gone' WHERE subject = ?",
            params![ALICE],
        )
        .await
        .unwrap();
    let stale = "This round's champion (Gone) is no longer in the game's data. /loldle_new to start another.";
    assert_eq!(g.send("/loldle").await, stale);
    assert_eq!(g.send("/loldle ahri").await, stale);
    assert_eq!(
        g.send("/loldle_new").await,
        "🏳️ Previous round abandoned (auto-giveup). Answer was Gone.\n\n🆕 New round started. Use `/loldle <champion>` to guess."
    );
    assert_eq!(g.send("/loldle ahri").await, format!("{AHRI}\n\nGuess 1/8."));
}
