//! The dispatch path: command matching, access rules, help rendering, replies.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{command_update, message, recorder, start, update_of};
use miti99bot_core::help::{render_help, render_help_pages, MAX_MESSAGE_UNITS};
use miti99bot_core::telegram::MessageEntity;
use miti99bot_core::{Access, Bot, Command, Cron, Dispatch, Error, HttpError, HttpGet, HttpResponse, Module};

fn echo(name: &str) -> Command {
    Command::public(name, "Echo the arguments", |ctx| async move {
        let text = format!("{}:[{}]", ctx.command(), ctx.args());
        ctx.reply(text).await?;
        Ok(())
    })
}

fn entity(offset: usize, length: usize) -> MessageEntity {
    MessageEntity {
        kind: "bot_command".into(),
        offset,
        length,
    }
}

#[tokio::test]
async fn matches_commands_as_telegram_marks_them() {
    let mut bot = start(vec![Module::new("m").command(echo("ping"))], &[]).await.unwrap();
    bot.set_username(Some("@MitiBot".into()));
    let (rec, api) = recorder();

    let run = |text: &'static str, entities: Vec<MessageEntity>| update_of(message(text, entities, 5));
    assert!(matches!(
        bot.handle_update(run("/ping  a b ", vec![entity(0, 5)]), api.clone())
            .await
            .unwrap(),
        Dispatch::Handled { .. }
    ));
    bot.handle_update(run("/ping@mitibot x", vec![entity(0, 13)]), api.clone())
        .await
        .unwrap();
    assert_eq!(
        bot.handle_update(run("/ping@OtherBot x", vec![entity(0, 14)]), api.clone())
            .await
            .unwrap(),
        Dispatch::Ignored
    );
    // Emoji before the command: the entity is not at offset 0.
    assert_eq!(
        bot.handle_update(run("😀 /ping", vec![entity(3, 5)]), api.clone())
            .await
            .unwrap(),
        Dispatch::Ignored
    );
    // Case-sensitive names, unknown commands and plain text are ignored.
    assert_eq!(
        bot.handle_update(run("/Ping", vec![entity(0, 5)]), api.clone())
            .await
            .unwrap(),
        Dispatch::Ignored
    );
    assert_eq!(
        bot.handle_update(run("/nosuch", vec![entity(0, 7)]), api.clone())
            .await
            .unwrap(),
        Dispatch::Ignored
    );
    assert_eq!(
        bot.handle_update(run("hello", vec![]), api.clone()).await.unwrap(),
        Dispatch::Ignored
    );
    // Captions are never commands.
    let mut captioned = message("", vec![], 5);
    captioned.text = None;
    captioned.entities = None;
    captioned.caption = Some("/ping".into());
    captioned.caption_entities = Some(vec![entity(0, 5)]);
    assert_eq!(
        bot.handle_update(update_of(captioned), api.clone()).await.unwrap(),
        Dispatch::Ignored
    );
    // Edited messages do not re-run commands.
    let mut edited = update_of(message("/ping", vec![entity(0, 5)], 5));
    edited.edited_message = edited.message.take();
    assert_eq!(bot.handle_update(edited, api.clone()).await.unwrap(), Dispatch::Ignored);

    assert_eq!(rec.sent_texts(), ["ping:[a b]", "ping:[x]"]);
}

#[tokio::test]
async fn unknown_update_kinds_and_fields_parse() {
    let json = r#"{"update_id": 9, "poll": {"id": "x"}, "brand_new_kind": {"a": 1}}"#;
    let update: miti99bot_core::telegram::Update = serde_json::from_str(json).unwrap();
    assert!(update.message.is_none());
    let json = r#"{"update_id": 9, "message": {"message_id": 1, "chat": {"id": 7123456789, "type": "private", "new": true},
        "text": "/ping", "entities": [{"type": "bot_command", "offset": 0, "length": 5}, {"type": "future_kind", "offset": 0, "length": 1}],
        "some_new_field": [1, 2]}}"#;
    let update: miti99bot_core::telegram::Update = serde_json::from_str(json).unwrap();
    assert_eq!(update.message.unwrap().chat.id, 7_123_456_789);
}

#[tokio::test]
async fn access_rules_refuse_with_a_short_reply_and_run_nothing() {
    let ran = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = |name: &str, access: Access| {
        let ran = ran.clone();
        Command::public(name, "Count", move |ctx| {
            let ran = ran.clone();
            async move {
                ran.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                ctx.reply("done").await?;
                Ok(())
            }
        })
        .access(access)
    };
    let bot = start(
        vec![Module::new("m")
            .command(counter("open", Access::Anyone))
            .command(counter("adm", Access::Admins))
            .command(counter("own", Access::Owner))],
        &[("BOT_OWNER_ID", "1"), ("BOT_ADMIN_IDS", "2,3")],
    )
    .await
    .unwrap();
    let (rec, api) = recorder();
    let outcome = |text: &str, from: i64| {
        let bot = bot.clone();
        let api = api.clone();
        let update = command_update(text, from);
        async move { bot.handle_update(update, api).await.unwrap() }
    };
    assert!(matches!(outcome("/open", 9).await, Dispatch::Handled { .. }));
    assert!(matches!(outcome("/adm", 9).await, Dispatch::Refused { .. }));
    assert!(matches!(outcome("/own", 2).await, Dispatch::Refused { .. }));
    assert!(matches!(outcome("/adm", 2).await, Dispatch::Handled { .. }));
    assert!(
        matches!(outcome("/adm", 1).await, Dispatch::Handled { .. }),
        "the owner is an admin"
    );
    assert!(matches!(outcome("/own", 1).await, Dispatch::Handled { .. }));
    assert_eq!(ran.load(std::sync::atomic::Ordering::SeqCst), 4);
    assert_eq!(
        rec.sent_texts(),
        [
            "done",
            "Sorry, /adm is only for admins.",
            "Sorry, /own is only for the bot owner.",
            "done",
            "done",
            "done"
        ]
    );
}

#[tokio::test]
async fn handler_errors_are_reported_with_module_and_command() {
    let bot = start(
        vec![Module::new("m").command(Command::public("boom", "Fails", |_| async {
            Err::<(), _>(Error::msg("kaput"))
        }))],
        &[],
    )
    .await
    .unwrap();
    let (_rec, api) = recorder();
    let failure = bot.handle_update(command_update("/boom", 1), api).await.unwrap_err();
    assert_eq!(failure.to_string(), "module \"m\" command \"boom\" failed: kaput");
}

#[tokio::test]
async fn replies_go_to_the_same_forum_topic() {
    let bot = start(vec![Module::new("m").command(echo("ping"))], &[]).await.unwrap();
    let (rec, api) = recorder();
    let mut msg = message("/ping", vec![entity(0, 5)], 5);
    msg.message_thread_id = Some(77);
    msg.is_topic_message = Some(true);
    bot.handle_update(update_of(msg), api).await.unwrap();
    assert_eq!(rec.calls()[0].payload["message_thread_id"], 77);
}

#[tokio::test]
async fn help_lists_public_then_protected_per_module_and_never_private() {
    let cmd = |name: &str, desc: &str, vis| Command::new(name, desc, vis, |_| async { Ok(()) });
    use miti99bot_core::Visibility::*;
    let bot = start(
        vec![
            Module::new("z-mod")
                .command(cmd("zp", "Protected & <b>", Protected))
                .command(cmd("zpub", "Public \"q\"", Public)),
            Module::new("hidden").command(cmd("secret", "Secret thing", Private)),
            Module::new("a").command(cmd("apub", "A pub", Public)),
        ],
        &[],
    )
    .await
    .unwrap();
    let help = render_help(bot.registry().command_list());
    assert_eq!(
        help,
        "<b>z-mod</b>\n/zpub — Public &quot;q&quot;\n/zp — Protected &amp; &lt;b&gt; (protected)\n\n<b>a</b>\n/apub — A pub"
    );
    assert!(!help.contains("secret") && !help.contains("Secret"));
    let empty = start(vec![Module::new("hidden").command(cmd("secret", "S", Private))], &[])
        .await
        .unwrap();
    assert_eq!(render_help(empty.registry().command_list()), "no commands registered");
    // The menu holds public commands only, in registry order.
    let menu: Vec<String> = bot.registry().menu().into_iter().map(|c| c.command).collect();
    assert_eq!(menu, ["zpub", "apub"]);
}

/// Answers every `GET` with the URL it was asked for.
struct EchoHttp;

#[miti99bot_core::async_trait]
impl HttpGet for EchoHttp {
    async fn get(&self, url: &str, timeout: Duration) -> Result<HttpResponse, HttpError> {
        Ok(HttpResponse {
            status: 200,
            body: format!("{url} in {}ms", timeout.as_millis()),
        })
    }
}

fn fetch_command() -> Command {
    Command::public("fetch", "GET the argument", |ctx| async move {
        let text = match ctx.http().get(ctx.args(), Duration::from_millis(250)).await {
            Ok(answer) => format!("{}: {}", answer.status, answer.body),
            Err(error) => error.to_string(),
        };
        ctx.reply(text).await?;
        Ok(())
    })
}

#[tokio::test]
async fn handlers_crons_and_inits_reach_the_runtimes_http_client() {
    let (rec, api) = recorder();
    // Without a client (Services::new), requests fail with a clear error instead of panicking.
    let bot = start(vec![Module::new("m").command(fetch_command())], &[])
        .await
        .unwrap();
    bot.handle_update(command_update("/fetch http://x/a", 5), api.clone())
        .await
        .unwrap();
    assert_eq!(
        rec.sent_texts(),
        ["HTTP request failed: this runtime provides no HTTP client"]
    );

    // With one (Services::with_http), every context hands out the same client.
    rec.clear();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (init_seen, cron_seen) = (seen.clone(), seen.clone());
    let module = Module::new("m")
        .command(fetch_command())
        .init(move |ctx| {
            let seen = init_seen.clone();
            async move {
                let answer = ctx.http().get("http://x/init", Duration::from_secs(1)).await?;
                seen.lock().unwrap().push(answer.body);
                Ok(())
            }
        })
        .cron(Cron::new("c", "0 17 * * *", move |ctx| {
            let seen = cron_seen.clone();
            async move {
                let answer = ctx.http().get("http://x/cron", Duration::from_secs(2)).await?;
                seen.lock().unwrap().push(answer.body);
                Ok(())
            }
        }));
    let services = common::services(&[]).0.with_http(Arc::new(EchoHttp));
    let bot = Bot::from_modules(vec![module], services).await.unwrap();
    bot.handle_update(command_update("/fetch http://x/a", 5), api.clone())
        .await
        .unwrap();
    assert_eq!(rec.sent_texts(), ["200: http://x/a in 250ms"]);
    let outcomes = bot.run_scheduled("0 17 * * *", 0, api).await;
    assert!(outcomes.iter().all(|o| o.result.is_ok()));
    assert_eq!(
        *seen.lock().unwrap(),
        ["http://x/init in 1000ms", "http://x/cron in 2000ms"]
    );
}

#[tokio::test]
async fn long_help_is_split_into_messages_telegram_accepts() {
    let cmd = |name: String| Command::public(&name, &"é".repeat(200), |_| async { Ok(()) });
    // 30 modules × 3 commands × ~210 characters: about 19,000 characters in all.
    let modules: Vec<Module> = (0..30)
        .map(|m| {
            (0..3).fold(Module::new(&format!("mod{m}")), |module, c| {
                module.command(cmd(format!("c{m}_{c}")))
            })
        })
        .collect();
    let bot = start(modules, &[]).await.unwrap();
    let whole = render_help(bot.registry().command_list());
    assert!(whole.chars().count() > 3 * MAX_MESSAGE_UNITS);
    let pages = render_help_pages(bot.registry().command_list(), MAX_MESSAGE_UNITS);
    assert!(pages.len() >= 4, "{}", pages.len());
    assert!(pages.iter().all(|p| p.encode_utf16().count() <= MAX_MESSAGE_UNITS));
    // Split only between sections here, so the pages read as the whole text.
    assert_eq!(pages.join("\n\n"), whole);
    // A section longer than a message is split between lines, its header repeated.
    let one = start(
        vec![(0..40).fold(Module::new("big"), |m, c| m.command(cmd(format!("c{c}"))))],
        &[],
    )
    .await
    .unwrap();
    let pages = render_help_pages(one.registry().command_list(), MAX_MESSAGE_UNITS);
    assert!(pages.len() >= 2);
    for page in &pages {
        assert!(
            page.starts_with("<b>big</b>\n/c") && page.encode_utf16().count() <= MAX_MESSAGE_UNITS,
            "{page}"
        );
    }
    assert_eq!(pages.iter().map(|p| p.lines().count() - 1).sum::<usize>(), 40);
    // Short lists stay one message.
    assert_eq!(render_help_pages(one.registry().command_list(), usize::MAX).len(), 1);
}
