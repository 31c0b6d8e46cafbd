//! The offline console, piped end to end through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use miti99bot_testkit::{FakeHttp, FakeReply};

fn chat(db: &Path, input: &str, extra_env: &[(&str, &str)]) -> (String, String, i32) {
    chat_with(&[], db, input, extra_env)
}

/// `miti99bot chat <args> --db <db>` with `input` piped in: (stdout, stderr, exit code).
fn chat_with(args: &[&str], db: &Path, input: &str, extra_env: &[(&str, &str)]) -> (String, String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_miti99bot"));
    cmd.arg("chat").args(args).arg("--db").arg(db);
    // A clean environment: no .env of the developer's, no inherited MODULES.
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(std::env::temp_dir());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn piped_session_prints_replies_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested").join("x.db");
    let (out, err, code) = chat(&db, "/help\n/ping\n/mstats\n/info\n/fortytwo\n/nosuch\nhello\n", &[]);
    assert_eq!(code, 0, "stderr: {err}");
    let lines: Vec<&str> = out.lines().collect();
    // /help: module headers rendered without HTML, public then protected, private never.
    assert!(
        out.starts_with("util\n/help — Show all available commands\n/info — "),
        "{out}"
    );
    assert!(
        out.contains("misc\n/ping — Check the bot is alive\n/mstats — Show when /ping was last used (protected)"),
        "{out}"
    );
    assert!(!out.contains("fortytwo"), "private command listed: {out}");
    assert!(!out.contains("<b>"), "HTML not rendered: {out}");
    assert!(lines.contains(&"pong"));
    let last_ping = lines.iter().find(|l| l.starts_with("last ping: ")).unwrap();
    assert!(
        last_ping.ends_with('Z') && last_ping.len() == "last ping: 2026-11-28T03:56:04.827Z".len(),
        "{last_ping}"
    );
    assert!(
        out.contains("chat id: 100000001\nthread id: n/a\nsender id: 100000001"),
        "{out}"
    );
    assert_eq!(
        lines.last(),
        Some(&"The answer."),
        "nothing after /fortytwo for /nosuch and plain text: {out}"
    );

    // A second run on the same file remembers the ping.
    let (out2, _, code2) = chat(&db, "/mstats\n", &[]);
    assert_eq!(code2, 0);
    assert_eq!(out2.trim_end(), *last_ping);
}

#[test]
fn first_mstats_says_never_and_ids_follow_flags() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let mut cmd_out = chat(&db, "/mstats\n", &[]);
    assert_eq!(cmd_out.0, "last ping: never\n");
    cmd_out = chat_with(
        &["--user-id", "7123456789", "--chat-id", "-100123"],
        &db,
        "/info\n",
        &[],
    );
    assert_eq!(
        cmd_out.0, "chat id: -100123\nthread id: n/a\nsender id: 7123456789\n",
        "{}",
        cmd_out.1
    );
}

#[test]
fn modules_selects_what_the_console_serves_and_errors_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    // Without util there is no /help: only misc answers.
    let (out, _, code) = chat(&db, "/help\n/ping\n", &[("MODULES", "misc")]);
    assert_eq!(code, 0);
    assert_eq!(out, "pong\n");
    let (out, err, code) = chat(&db, "/help\n", &[("MODULES", "util, nosuch")]);
    assert_ne!(code, 0);
    assert!(out.is_empty());
    assert!(err.contains("unknown module: nosuch"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let (_, err, code) = chat(&db, "/help\n", &[("BOT_OWNER_ID", "me")]);
    assert_ne!(code, 0);
    assert!(err.contains("BOT_OWNER_ID") && !err.contains("panicked"), "{err}");
}

#[test]
fn migrate_reports_and_dry_run_applies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_miti99bot"))
            .arg("migrate")
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_clear()
            .current_dir(dir.path())
            .output()
            .unwrap();
        (String::from_utf8(out.stdout).unwrap(), out.status.code())
    };
    let (dry, code) = run(&["--dry-run"]);
    assert_eq!(code, Some(0));
    assert!(!db.exists(), "a dry run on a new path creates no database file");
    assert!(dry.contains("does not exist; a dry run creates nothing"), "{dry}");
    let pending = dry.lines().filter(|l| l.trim_start().starts_with("pending")).count();
    if pending > 0 {
        assert!(dry.contains("dry run"), "{dry}");
        let (again, _) = run(&["--dry-run"]);
        assert_eq!(
            again.lines().filter(|l| l.trim_start().starts_with("pending")).count(),
            pending,
            "dry run applied something"
        );
        let (applied, code) = run(&[]);
        assert_eq!(code, Some(0));
        assert!(
            applied.contains(&format!("applied {pending} migration(s)")),
            "{applied}"
        );
    }
    let (last, _) = run(&[]);
    assert!(last.contains("nothing to apply"), "{last}");
    // Nor its folder.
    let nested = dir.path().join("data/m.db");
    let out = Command::new(env!("CARGO_BIN_EXE_miti99bot"))
        .args(["migrate", "--dry-run", "--db"])
        .arg(&nested)
        .env_clear()
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!dir.path().join("data").exists(), "a dry run creates no folder");
}

#[test]
fn the_console_trades_at_static_prices() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let input = "/trade_topup 1000000\n/trade_buy 10 VNM\n/trade_sell 5 VNM\n/trade_stats\n/history\n";
    let (out, err, code) = chat(&db, input, &[("TRADING_PRICES", "VNM=70000")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Bought 10 VNM @ 70.000 VND\nCost: 700.000 VND"), "{out}");
    assert!(out.contains("Sold 5 VNM @ 70.000 VND\nRevenue: 350.000 VND"), "{out}");
    assert!(out.contains("VNM x5 @ 70.000 VND = 350.000 VND"), "{out}");
    assert!(
        out.contains("Trade History\nSELL 5 VNM @ 70.000 VND") && out.contains("BUY  10 VNM @ 70.000 VND"),
        "{out}"
    );
    // Without any price source the console falls back to its demo prices.
    let (out, _, _) = chat(&db, "/trade_buy 1 FPT\n", &[]);
    assert!(out.starts_with("Bought 1 FPT @ 120.000 VND"), "{out}");
}

/// A fake price API on 127.0.0.1: `GET /VNM` is 65.000 VND, anything else 404.
async fn fake_price_api() -> FakeHttp {
    FakeHttp::start(|path| match path {
        "/VNM" => FakeReply::new(200, r#"{"symbol":"VNM","price_vnd":65000}"#),
        _ => FakeReply::new(404, r#"{"error":"unknown symbol"}"#),
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_trades_at_api_prices_through_the_native_http_client() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("api.db");
    let api = fake_price_api().await;
    let base = api.base_url();
    let run = |db: std::path::PathBuf, input: &'static str, api: String| {
        tokio::task::spawn_blocking(move || chat(&db, input, &[("TRADING_PRICE_API", api.as_str())]))
    };

    // TRADING_PRICE_API set: no demo prices, the price comes from the API.
    let (out, err, code) = run(db.clone(), "/trade_topup 1000000\n/trade_buy 2 VNM\n", base.clone())
        .await
        .unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Bought 2 VNM @ 65.000 VND\nCost: 130.000 VND"), "{out}");
    // FPT is a demo price, not one the API knows: proof the demo prices are off.
    let (out, err, code) = run(db.clone(), "/trade_buy 1 FPT\n", base.clone()).await.unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Unknown stock ticker \"FPT\"."), "{out}");
    assert_eq!(api.paths(), ["/VNM", "/FPT"]);

    // The API gone: the trade is refused politely, nothing panics.
    let addr = base.trim_start_matches("http://").to_owned();
    drop(api);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(&addr).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let (out, err, code) = run(db, "/trade_buy 1 VNM\n", base).await.unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "Could not fetch price. Try again later.\n");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn the_console_plays_a_round_of_each_game_to_a_win_with_a_pinned_seed() {
    use miti99bot_core::{Random, SeededRandom};
    use miti99bot_modules::loldle::champions;
    use miti99bot_modules::wordle::words;

    // Boards come with their button (Give up while running, New round once over).
    // The console draws from SeededRandom(MITI99BOT_RANDOM_SEED): every /wordle… and /loldle…
    // command that may start a round draws once, in order, so the test replays the draws.
    let draws = SeededRandom::new(42);
    let wordle_draw = || words::word_at(draws.below(words::len() as u64) as usize).unwrap();
    let word = wordle_draw(); // /wordle_new
    let _ = wordle_draw(); // /wordle slate
    let _ = wordle_draw(); // /wordle <word>
    let champion = &champions::all()[draws.below(champions::all().len() as u64) as usize]; // /loldle_new
    assert_eq!((word.as_str(), champion.id), ("fresh", "Pyke"), "the seed's answers");

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("games.db");
    let input = "/wordle_new\n/wordle slate\n/wordle fresh\n/loldle_new\n/loldle ahri\n/loldle pyke\n/wordle_stats\n/loldle_stats\n";
    let (out, err, code) = chat(&db, input, &[("MITI99BOT_RANDOM_SEED", "42")]);
    assert_eq!(code, 0, "{err}");
    let expected = "\
🆕 New round started. Use `/wordle <word>` to guess.
[1] 🏳 Give up
🟨⬜⬜⬜🟨
 S  L  A  T  E 

Guess 1/6.
[1] 🏳 Give up
🟩🟩🟩🟩🟩
 F  R  E  S  H 

🎉 Solved in 2/6! Streak: 1. /wordle_new for another.
[1] 🆕 New round
🆕 New round started. Use `/loldle <champion>` to guess.
[1] 🏳 Give up
🎯 Ahri
❌ Gender: Female
🟨 Genre: Mage, Assassin
❌ Range: Ranged
✅ Resource: Mana
❌ Region: Ionia
❌ Lane: Mid
❌ Year: 2011 ⬆

Guess 1/8.
[1] 🏳 Give up
🎯 Pyke
✅ Gender: Male
✅ Genre: Support, Assassin
✅ Range: Melee
✅ Resource: Mana
✅ Region: Bilgewater
✅ Lane: Support
✅ Year: 2018

🎉 Solved in 2/8! Streak: 1. /loldle_new for another.
[1] 🆕 New round
📊 Wordle your stats
Played: 1
Wins: 1 (100%)
Current streak: 1
Best streak: 1
📊 Loldle your stats
Played: 1
Wins: 1 (100%)
Current streak: 1
Best streak: 1
";
    assert_eq!(out, expected);
}

#[test]
fn buttons_are_numbered_and_hash_n_presses_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let input = "#1\n/trade_topup 1000000\n/trade_buy 10 VNM\n/trade_stats\n#1\n/trade_buy 2 VNM\n#1\n#7\n";
    let (out, err, code) = chat(&db, input, &[("TRADING_PRICES", "VNM=70000")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("(no message with buttons yet)\n"), "{out}");
    let stats = "📊 Portfolio Summary\n\nVND: 300.000 VND\n\nStocks:\n  VNM x10 @ 70.000 VND = 700.000 VND\n";
    assert!(out.contains(&format!("{stats}\nTotal value: 1.000.000 VND\n")), "{out}");
    assert!(out.contains("P&L: +0 VND (+0.00%)\n[1] 🔄 Refresh\n"), "{out}");
    // Nothing changed: Telegram's "not modified", shown as the toast, no edit printed.
    assert!(
        out.contains("[1] 🔄 Refresh\n(toast) Up to date\nBought 2 VNM"),
        "{out}"
    );
    // After the buy, the same button edits the stats in place.
    assert!(
        out.contains(
            "(edited) 📊 Portfolio Summary\n\nVND: 160.000 VND\n\nStocks:\n  VNM x12 @ 70.000 VND = 840.000 VND\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("(toast) Updated\n(no button 7 under the latest message)\n"),
        "{out}"
    );
    assert!(out.ends_with("(no button 7 under the latest message)\n"), "{out}");

    // History pages in place: two trades, one per page, older then newer again.
    let (out, err, code) = chat(&db, "/history 1\n#1\n#1\n#2\n", &[("TRADING_PRICES", "VNM=70000")]);
    assert_eq!(code, 0, "{err}");
    let pages: Vec<&str> = out.split("Trade History\n").skip(1).collect();
    assert_eq!(pages.len(), 3, "{out}");
    assert!(
        pages[0].starts_with("BUY  2 VNM") && pages[0].ends_with("[1] ◀ Older\n(edited) "),
        "{out}"
    );
    assert!(
        pages[1].starts_with("BUY  10 VNM") && pages[1].ends_with("[1] Newer ▶\n(edited) "),
        "{out}"
    );
    assert!(
        pages[2].starts_with("BUY  2 VNM") && pages[2].contains("[1] ◀ Older\n"),
        "{out}"
    );
    assert!(out.ends_with("(no button 2 under the latest message)\n"), "{out}");
}
