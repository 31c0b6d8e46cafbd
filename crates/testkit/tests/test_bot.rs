//! The module authors' harness: a notes module (a table, a KV counter, an init that reads its
//! table, a cron) driven through it.
#![cfg(feature = "harness")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use miti99bot_core::ingress::Outcome;
use miti99bot_core::migrate::Migration;
use miti99bot_core::sql::Value;
use miti99bot_core::telegram::ParseMode;
use miti99bot_core::{Command, CommandCtx, Cron, Error, Module, Reply};
use miti99bot_testkit::{TestBot, DEFAULT_USER, T0};

async fn add(ctx: CommandCtx) -> Result<String, Error> {
    let miti99bot_core::args::Rest(text) = ctx.parse_args()?;
    let sql = ctx.sql().ok_or_else(|| Error::reply("no database"))?;
    sql.run(
        "INSERT INTO notes_items (chat_id, text) VALUES (?, ?)",
        vec![Value::Integer(ctx.chat_id()), Value::Text(text)],
    )
    .await?;
    let count: i64 = ctx.kv().get("added").await?.and_then(|n| n.parse().ok()).unwrap_or(0);
    ctx.kv().put("added", &(count + 1).to_string()).await?;
    Ok(format!("noted in {}", ctx.chat_id()))
}

fn notes() -> Module {
    Module::new("notes")
        .migrations([Migration::new(
            "notes",
            "0001_items.sql",
            "CREATE TABLE notes_items (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, text TEXT NOT NULL);",
        )])
        // Fails unless the migrations ran first.
        .init(|ctx| async move {
            let sql = ctx.sql().ok_or_else(|| Error::msg("notes needs a database"))?;
            sql.all_rows("SELECT id FROM notes_items", vec![]).await?;
            Ok(())
        })
        .command(Command::public("add", "Add a note", add).usage("Usage: /add <text>"))
        .command(Command::public(
            "twice",
            "Repeat a number",
            |ctx: CommandCtx| async move {
                let (n, times): (i64, Option<i64>) = ctx.parse_args()?;
                Ok(Reply::html(format!("<b>{}</b>", n * times.unwrap_or(2))))
            },
        ))
        .cron(Cron::new("purge", "0 3 * * *", |ctx| async move {
            ctx.sql().unwrap().run("DELETE FROM notes_items", vec![]).await?;
            Ok(())
        }))
}

#[tokio::test]
async fn a_line_in_a_group_is_stored_and_answered_once() {
    let bot = TestBot::builder().module(notes()).start().await.unwrap();
    let sent = bot.message("/add buy  milk").from(7).group(-100).username("ann").await;
    assert!(sent.handled(), "{sent:?}");
    assert_eq!(sent.text(), Some("noted in -100"));
    assert_eq!(bot.kv("notes").get("added").await.unwrap().as_deref(), Some("1"));
    #[derive(serde::Deserialize)]
    struct Item {
        chat_id: i64,
        text: String,
    }
    let items: Vec<Item> = bot
        .sql("notes")
        .all("SELECT chat_id, text FROM notes_items", vec![])
        .await
        .unwrap();
    assert_eq!((items[0].chat_id, items[0].text.as_str()), (-100, "buy  milk"));
}

#[tokio::test]
async fn wrong_arguments_answer_with_the_usage_or_name_the_word() {
    let bot = TestBot::builder().module(notes()).start().await.unwrap();
    assert_eq!(bot.send("/add").await.text(), Some("Usage: /add <text>"));
    let reply = bot.send("/twice x").await;
    assert_eq!(reply.text(), Some("/twice: \"x\" is not a whole number (i64)."));
    let html = bot.send("/twice 4 3").await;
    assert_eq!(html.text(), Some("<b>12</b>"));
    assert_eq!(html.reply().unwrap().parse_mode, Some(ParseMode::Html));
    assert_eq!(
        bot.send("/twice 4 3 2").await.text(),
        Some("/twice: \"2\" is one argument too many.")
    );
}

#[tokio::test]
async fn a_redelivered_update_is_applied_once() {
    let bot = TestBot::builder().module(notes()).start().await.unwrap();
    let first = bot.message("/add a").update_id(42).await;
    let again = bot.message("/add a").update_id(42).await;
    assert!(first.handled());
    assert_eq!(again.outcome, Outcome::Duplicate);
    assert!(again.requests.is_empty());
    assert_eq!(bot.kv("notes").get("added").await.unwrap().as_deref(), Some("1"));
}

#[tokio::test]
async fn users_chats_replies_and_the_clock_reach_the_update() {
    let bot = TestBot::builder()
        .module(notes())
        .at_ms(T0 + 5_000)
        .start()
        .await
        .unwrap();
    let line = bot.message("/add x").from(9).chat(33).reply_to(4);
    let update = line.update();
    let message = update.message.as_ref().unwrap();
    assert_eq!((message.chat.id, message.chat.kind.as_str()), (33, "private"));
    assert_eq!(message.from.as_ref().unwrap().id, 9);
    assert_eq!(message.reply_to_message.as_ref().unwrap().message_id, 4);
    assert_eq!(message.date, (T0 + 5_000) / 1000);
    let default = bot.message("/add y").update();
    assert_eq!(default.message.unwrap().chat.id, DEFAULT_USER);
    let topic = bot.message("/add z").supergroup(-5, Some(8)).await;
    assert_eq!(topic.reply().unwrap().message_thread_id, Some(8));
    assert_eq!(bot.sent_messages().len(), 1);
    assert_eq!(bot.sent_messages()[0].request.chat_id, -5);
}

#[tokio::test]
async fn crons_run_by_id_and_a_missing_one_is_an_error() {
    let bot = TestBot::builder().module(notes()).start().await.unwrap();
    bot.send("/add a").await;
    assert!(bot.run_cron("notes/purge").await.result.is_ok());
    let left: Vec<serde_json::Value> = bot
        .sql("notes")
        .all("SELECT id FROM notes_items", vec![])
        .await
        .unwrap();
    assert!(left.is_empty());
    assert!(bot.run_cron("notes/nope").await.result.is_err());
}

#[tokio::test]
async fn without_sql_the_module_sees_none() {
    let bot = TestBot::builder()
        .module(
            Module::new("bare").command(Command::public("db", "Has a database?", |ctx: CommandCtx| async move {
                Ok(if ctx.sql().is_some() { "yes" } else { "no" })
            })),
        )
        .without_sql()
        .start()
        .await
        .unwrap();
    assert_eq!(bot.send("/db").await.text(), Some("no"));
    assert!(TestBot::builder().module(notes()).without_sql().start().await.is_err());
}

mod buttons {
    use miti99bot_core::callback::Callback;
    use miti99bot_core::telegram::InlineKeyboardMarkup;
    use miti99bot_core::{CallbackCtx, Command, CommandCtx, Error, Module, ModuleEnv, Reply};
    use miti99bot_testkit::TestBot;

    const ADD: Callback<u32> = Callback::new("add");

    fn board(env: &ModuleEnv, n: u32) -> Result<Reply, Error> {
        let button = ADD.button(env, "+1", &(n + 1))?;
        Ok(Reply::text(format!("Count: {n}")).keyboard(InlineKeyboardMarkup::new(vec![vec![button]])))
    }

    fn counter() -> Module {
        Module::new("counter")
            .command(Command::public(
                "count",
                "Count presses",
                |ctx: CommandCtx| async move { board(&ctx, 0) },
            ))
            .callback(ADD.handle(|ctx: CallbackCtx<u32>| async move {
                ctx.edit(board(&ctx, *ctx.data())?).await?;
                Ok(format!("Now {}", ctx.data()))
            }))
    }

    #[tokio::test]
    async fn a_press_edits_the_message_and_a_second_press_uses_the_edited_button() {
        let bot = TestBot::builder().module(counter()).start().await.unwrap();
        let shown = bot.message("/count").group(-100).await;
        assert_eq!(shown.text(), Some("Count: 0"));
        let pressed = bot.press("+1").from(7).await;
        assert_eq!(pressed.edits()[0].text, "Count: 1");
        assert_eq!(pressed.answer().and_then(|a| a.text.as_deref()), Some("Now 1"));
        let message = &bot.sent_messages()[0];
        assert_eq!((message.chat.id, message.request.text.as_str()), (-100, "Count: 1"));
        let again = bot.press("+1").on(message.message_id).await;
        assert_eq!(again.texts(), ["Count: 2"]);
        let missing = bot.press("-1").update().unwrap_err();
        assert!(missing.contains("\"-1\"") && missing.contains("\"+1\""), "{missing}");
    }
}
