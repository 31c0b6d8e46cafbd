//! Buttons and their presses through the one dispatch path: typed data, exactly one answer,
//! stale and foreign data, access, webhook reply; and the other update kinds modules take
//! (plain text, edits, the bot's membership, `/start` deep links).
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{command_update, recorder, start};
use miti99bot_core::callback::{Callback, FAILED_TOAST, STALE_TOAST};
use miti99bot_core::ingress::{AnswerBody, Ingress, Outcome};
use miti99bot_core::ledger::MemoryLedger;
use miti99bot_core::telegram::synthetic::{bot_message, private_chat};
use miti99bot_core::telegram::{
    AnswerCallbackQuery, ApiRequest, BotCommandScope, ChatMember, ChatMemberUpdated, InlineKeyboardMarkup, Message,
    Update, UpdateKind, User,
};
use miti99bot_core::webhook::WebhookSecret;
use miti99bot_core::{
    Access, CallbackAnswer, CallbackCtx, Command, CommandCtx, Dispatch, Error, MessageCtx, Module, Reply, WiringError,
};
use miti99bot_testkit::callback_update;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Page {
    n: u32,
}

const PAGE: Callback<Page> = Callback::new("page");
const BOOM: Callback<()> = Callback::new("boom");
const SHY: Callback<()> = Callback::new("shy");

fn board(ctx: &miti99bot_core::ModuleEnv, n: u32) -> Result<Reply, Error> {
    let next = PAGE.button(ctx, "Next", &Page { n: n + 1 })?;
    Ok(Reply::text(format!("page {n}")).keyboard(InlineKeyboardMarkup::new(vec![vec![next]])))
}

async fn show(ctx: CommandCtx) -> Result<Reply, Error> {
    board(&ctx, 1)
}

async fn page(ctx: CallbackCtx<Page>) -> Result<CallbackAnswer, Error> {
    if ctx.data().n > 3 {
        return Err(Error::reply("That is the last page."));
    }
    ctx.edit(board(&ctx, ctx.data().n)?).await?;
    Ok(CallbackAnswer::toast(format!("Page {}", ctx.data().n)))
}

async fn boom(_: CallbackCtx<()>) -> Result<(), Error> {
    Err(Error::msg("the handler broke"))
}

async fn shy(_: CallbackCtx<()>) -> Result<(), Error> {
    Ok(())
}

fn pager() -> Module {
    Module::new("pager")
        .command(Command::public("show", "Show a page", show))
        .callback(PAGE.handle(page))
        .callback(BOOM.handle(boom))
        .callback(SHY.handle(shy).access(Access::Admins))
}

fn message_under_button(chat: i64) -> Message {
    bot_message(private_chat(chat), 7, 0, Some("page 1"))
}

fn press(update_id: i64, data: &str) -> Update {
    callback_update(update_id, 5, message_under_button(5), data)
}

fn methods(requests: &[ApiRequest]) -> Vec<&str> {
    requests.iter().map(ApiRequest::method).collect()
}

fn answer_of(requests: &[ApiRequest]) -> Vec<AnswerCallbackQuery> {
    requests
        .iter()
        .filter_map(|r| match r {
            ApiRequest::AnswerCallbackQuery(a) => Some(a.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_press_is_decoded_edits_its_message_and_is_answered_once() {
    let bot = start(vec![pager()], &[]).await.unwrap();
    let (rec, api) = recorder();

    bot.handle_update(command_update("/show", 5), api.clone())
        .await
        .unwrap();
    let ApiRequest::SendMessage(sent) = &rec.requests()[0] else {
        unreachable!("a message was sent")
    };
    let button = &sent.reply_markup.as_ref().unwrap().inline_keyboard[0][0];
    assert_eq!(button.callback_data.as_deref(), Some("pager:page:2"));
    rec.clear();

    let dispatch = bot.handle_update(press(2, "pager:page:2"), api.clone()).await.unwrap();
    assert_eq!(
        dispatch,
        Dispatch::Pressed {
            module: "pager".into(),
            callback: "page".into(),
            refused: false
        }
    );
    let requests = rec.requests();
    assert_eq!(methods(&requests), ["editMessageText", "answerCallbackQuery"]);
    let ApiRequest::EditMessageText(edit) = &requests[0] else {
        unreachable!()
    };
    assert_eq!(edit.text, "page 2");
    assert_eq!(
        edit.reply_markup.as_ref().unwrap().inline_keyboard[0][0]
            .callback_data
            .as_deref(),
        Some("pager:page:3")
    );
    assert_eq!(
        answer_of(&requests),
        [AnswerCallbackQuery::new("2").with_text("Page 2")]
    );
}

#[tokio::test]
async fn stale_foreign_failing_and_refused_presses_get_a_toast_and_one_answer() {
    let bot = start(vec![pager()], &[]).await.unwrap();
    let (rec, api) = recorder();
    let cases: [(&str, &str); 7] = [
        ("other:page:2", STALE_TOAST),
        ("pager:gone", STALE_TOAST),
        ("pager:page:\"two\"", STALE_TOAST),
        ("pager:page:2,3", STALE_TOAST),
        ("no colon at all", STALE_TOAST),
        ("pager:page:4", "That is the last page."),
        ("pager:shy", "Sorry, this button is only for admins."),
    ];
    for (i, (data, toast)) in cases.iter().enumerate() {
        rec.clear();
        let result = bot.handle_update(press(i as i64, data), api.clone()).await;
        assert!(result.is_ok(), "{data}: {result:?}");
        let requests = rec.requests();
        assert_eq!(methods(&requests), ["answerCallbackQuery"], "{data}");
        assert_eq!(answer_of(&requests)[0].text.as_deref(), Some(*toast), "{data}");
    }

    rec.clear();
    let failure = bot
        .handle_update(press(9, "pager:boom"), api.clone())
        .await
        .unwrap_err();
    assert_eq!(failure.command, "callback boom");
    assert!(failure.to_string().contains("the handler broke"));
    assert_eq!(answer_of(&rec.requests())[0].text.as_deref(), Some(FAILED_TOAST));
    assert_eq!(rec.requests().len(), 1);

    // A press without data (a game's button) is not the framework's to answer.
    rec.clear();
    let mut game = press(10, "x");
    if let Some(q) = game.callback_query.as_mut() {
        q.data = None;
    }
    assert_eq!(bot.handle_update(game, api).await.unwrap(), Dispatch::Ignored);
    assert!(rec.requests().is_empty());
}

#[tokio::test]
async fn through_the_ingress_a_redelivered_press_does_nothing_and_webhook_reply_answers_inline() {
    let bot = Arc::new(start(vec![pager()], &[]).await.unwrap());
    let (rec, api) = recorder();
    let ingress = Ingress::new(bot.clone(), Arc::new(MemoryLedger::new()), api.clone());

    let first = ingress.apply(press(100, "pager:page:2")).await;
    assert!(matches!(first, Outcome::Applied(Dispatch::Pressed { .. })), "{first:?}");
    assert_eq!(methods(&rec.requests()), ["editMessageText", "answerCallbackQuery"]);
    rec.clear();
    assert_eq!(ingress.apply(press(100, "pager:page:2")).await, Outcome::Duplicate);
    assert!(rec.requests().is_empty(), "{:?}", rec.requests());

    // Webhook reply: the edit is a call of its own, the answer goes back in the webhook answer.
    let inline = Ingress::new(bot, Arc::new(MemoryLedger::new()), api).webhook(WebhookSecret::new("s"), true);
    let body = serde_json::to_vec(&press(101, "pager:page:3")).unwrap();
    let answer = inline.handle_webhook(Some(b"s"), &body).await;
    assert_eq!(answer.status, 200);
    let AnswerBody::Json(json) = answer.body else {
        unreachable!("an inline answer: {:?}", answer.body)
    };
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value,
        serde_json::json!({ "method": "answerCallbackQuery", "callback_query_id": "101", "text": "Page 3" })
    );
    assert_eq!(methods(&rec.requests()), ["editMessageText"]);
}

#[tokio::test]
async fn callbacks_are_checked_at_start_up() {
    let bad = |module: Module| async move { start(vec![module], &[]).await.unwrap_err() };
    let invalid = bad(Module::new("m").callback(Callback::<()>::new("Bad-Name").handle(shy))).await;
    assert!(matches!(invalid, WiringError::InvalidCallback { .. }), "{invalid}");
    let twice = bad(Module::new("m").callback(SHY.handle(shy)).callback(SHY.handle(shy))).await;
    assert!(twice.to_string().contains("declared twice"), "{twice}");
    let long_name = "a".repeat(32);
    let module = Module::new(&long_name).callback(Callback::<()>::new("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb").handle(shy));
    let no_room = bad(module).await;
    assert!(no_room.to_string().contains("leaves no room"), "{no_room}");
    // The same callback name in two modules is two callbacks: data is namespaced by module.
    start(
        vec![
            Module::new("a").callback(SHY.handle(shy)),
            Module::new("b").callback(SHY.handle(shy)),
        ],
        &[],
    )
    .await
    .unwrap();
}

async fn guess(ctx: MessageCtx) -> Result<Reply, Error> {
    if ctx.reply_to_bot().is_some() {
        Ok(Reply::text(format!("answer: {}", ctx.text())))
    } else if ctx.is_edit() {
        Ok(Reply::text(format!("edited to {}", ctx.text())))
    } else {
        Ok(Reply::nothing())
    }
}

async fn welcome(ctx: miti99bot_core::ChatMemberCtx) -> Result<&'static str, Error> {
    Ok(if ctx.joined() { "Hello, group!" } else { "" })
}

fn member_update(old: &str, new: &str) -> Update {
    let bot = User {
        id: 1,
        is_bot: true,
        first_name: "bot".into(),
        last_name: None,
        username: None,
    };
    let member = |status: &str| ChatMember {
        status: status.into(),
        user: bot.clone(),
        is_member: None,
    };
    Update {
        my_chat_member: Some(ChatMemberUpdated {
            chat: private_chat(-100),
            from: bot.clone(),
            date: 0,
            old_chat_member: member(old),
            new_chat_member: member(new),
        }),
        ..Update::empty(3)
    }
}

#[tokio::test]
async fn text_edits_and_membership_go_to_the_modules_that_take_them() {
    let module = Module::new("quiz")
        .command(Command::public("ask", "Ask", |_| async { Ok::<_, Error>("question?") }))
        .on_text(guess)
        .on_edited_message(guess)
        .on_my_chat_member(welcome);
    let bot = start(vec![module, Module::new("plain").on_text(guess)], &[])
        .await
        .unwrap();
    let (rec, api) = recorder();

    // Plain text that replies to the bot's question: both modules see it, in order.
    let mut answer = command_update("Paris", 5);
    let mut question = bot_message(private_chat(5), 2, 0, Some("question?"));
    question.from = Some(User {
        id: 1,
        is_bot: true,
        first_name: "bot".into(),
        last_name: None,
        username: Some("bot".into()),
    });
    answer.message.as_mut().unwrap().reply_to_message = Some(Box::new(question));
    let dispatch = bot.handle_update(answer, api.clone()).await.unwrap();
    assert_eq!(
        dispatch,
        Dispatch::Delivered {
            kind: UpdateKind::Message,
            modules: vec!["quiz".into(), "plain".into()]
        }
    );
    assert_eq!(rec.sent_texts(), ["answer: Paris", "answer: Paris"]);

    // A command is not text; an unknown command is not text either.
    rec.clear();
    bot.handle_update(command_update("/ask", 5), api.clone()).await.unwrap();
    bot.handle_update(command_update("/unknown", 5), api.clone())
        .await
        .unwrap();
    assert_eq!(rec.sent_texts(), ["question?"]);

    // An edit goes to the module that opted in, never to a command.
    rec.clear();
    let mut edit = command_update("/ask again", 5);
    edit.edited_message = edit.message.take();
    let dispatch = bot.handle_update(edit, api.clone()).await.unwrap();
    assert!(
        matches!(dispatch, Dispatch::Delivered { kind: UpdateKind::EditedMessage, ref modules } if modules == &["quiz"])
    );
    assert_eq!(rec.sent_texts(), ["edited to /ask again"]);

    // The bot added to a group, then removed.
    rec.clear();
    bot.handle_update(member_update("left", "member"), api.clone())
        .await
        .unwrap();
    bot.handle_update(member_update("member", "kicked"), api.clone())
        .await
        .unwrap();
    assert_eq!(rec.sent_texts(), ["Hello, group!"]);

    // Kinds nobody takes are ignored without failing.
    let poll: Update = serde_json::from_value(serde_json::json!({ "update_id": 9, "poll": { "id": "1" } })).unwrap();
    assert_eq!(bot.handle_update(poll, api).await.unwrap(), Dispatch::Ignored);
}

#[tokio::test]
async fn allowed_updates_and_menus_follow_the_modules_and_access_rules() {
    let handler = |_| async { Ok::<_, Error>(()) };
    let modules = vec![Module::new("a")
        .command(Command::public("help", "Help", handler))
        .command(Command::public("ban", "Ban", handler).access(Access::Admins))
        .command(Command::public("deploy", "Deploy", handler).access(Access::Owner))
        .command(Command::protected("stats", "Stats", handler).access(Access::Admins))
        .callback(SHY.handle(shy))];
    let bot = start(modules, &[("BOT_OWNER_ID", "1"), ("BOT_ADMIN_IDS", "1,2,3")])
        .await
        .unwrap();
    let registry = bot.registry();
    assert_eq!(
        registry.allowed_updates(),
        ["message", "channel_post", "callback_query"]
    );
    let menus = registry.menus(&bot.services().config);
    let shown: Vec<(Option<BotCommandScope>, Vec<&str>)> = menus
        .iter()
        .map(|m| (m.scope, m.commands.iter().map(|c| c.command.as_str()).collect()))
        .collect();
    let chat = |chat_id| Some(BotCommandScope::Chat { chat_id });
    assert_eq!(
        shown,
        [
            (None, vec!["help"]),
            (chat(2), vec!["help", "ban"]),
            (chat(3), vec!["help", "ban"]),
            (chat(1), vec!["help", "ban", "deploy"]),
        ]
    );
    let text_only = start(vec![Module::new("t").on_text(guess)], &[]).await.unwrap();
    assert_eq!(text_only.registry().allowed_updates(), ["message"]);
}

async fn referred(ctx: CommandCtx) -> Result<String, Error> {
    Ok(format!("referred by {}", miti99bot_core::deep_link::arg(ctx.args())))
}

async fn start_cmd(ctx: CommandCtx) -> Result<String, Error> {
    Ok(format!("welcome [{}]", ctx.args()))
}

#[tokio::test]
async fn start_payloads_route_by_deep_link_prefix() {
    let modules = vec![
        Module::new("base").command(Command::private("start", "Start", start_cmd)),
        Module::new("invite").deep_link("ref", referred),
    ];
    let bot = start(modules, &[]).await.unwrap();
    let (rec, api) = recorder();
    for text in [
        "/start ref-42",
        "/start",
        "/start other-1",
        "/start ref-bad!char",
        "/start ref",
    ] {
        bot.handle_update(command_update(text, 5), api.clone()).await.unwrap();
    }
    assert_eq!(
        rec.sent_texts(),
        [
            "referred by 42",
            "welcome []",
            "welcome [other-1]",
            "welcome [ref-bad!char]",
            "referred by "
        ]
    );
    let taken = start(
        vec![
            Module::new("a").deep_link("ref", referred),
            Module::new("b").deep_link("ref", referred),
        ],
        &[],
    )
    .await
    .unwrap_err();
    assert!(taken.to_string().contains("already claimed by module \"a\""), "{taken}");
    let invalid = start(vec![Module::new("a").deep_link("Ref-1", referred)], &[])
        .await
        .unwrap_err();
    assert!(matches!(invalid, WiringError::InvalidDeepLink { .. }), "{invalid}");
    // Without a start command, an unclaimed payload is ignored.
    let bare = start(vec![Module::new("invite").deep_link("ref", referred)], &[])
        .await
        .unwrap();
    assert_eq!(bare.registry().allowed_updates(), ["message"]);
    assert_eq!(
        bare.handle_update(command_update("/start x", 5), api).await.unwrap(),
        Dispatch::Ignored
    );
}

const LONG: Callback<()> = Callback::new("long");

async fn long(ctx: CallbackCtx<()>) -> Result<(), Error> {
    let keyboard = InlineKeyboardMarkup::new(vec![vec![PAGE.button(&ctx, "Next", &Page { n: 2 })?]]);
    ctx.send(Reply::text("line\n".repeat(1000)).keyboard(keyboard)).await?;
    Ok(())
}

#[tokio::test]
async fn a_long_message_sent_from_a_press_is_split_with_the_buttons_on_its_last_part() {
    let bot = start(vec![pager().callback(LONG.handle(long))], &[]).await.unwrap();
    let (rec, api) = recorder();
    bot.handle_update(press(1, "pager:long"), api).await.unwrap();
    let requests = rec.requests();
    assert_eq!(
        methods(&requests),
        ["sendMessage", "sendMessage", "answerCallbackQuery"]
    );
    let sends: Vec<_> = requests
        .iter()
        .filter_map(|r| match r {
            ApiRequest::SendMessage(s) => Some(s),
            _ => None,
        })
        .collect();
    assert_eq!(
        sends.iter().map(|s| s.text.as_str()).collect::<String>(),
        "line\n".repeat(1000)
    );
    assert!(sends
        .iter()
        .all(|s| s.text.encode_utf16().count() <= 4096 && s.chat_id == 5));
    assert!(sends[0].reply_markup.is_none() && sends[1].reply_markup.is_some());
}
