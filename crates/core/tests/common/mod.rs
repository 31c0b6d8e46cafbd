//! Shared helpers of the core's integration tests.
#![allow(dead_code, unreachable_pub, missing_docs, clippy::unwrap_used)]

use std::sync::Arc;

use miti99bot_core::telegram::{Chat, Message, MessageEntity, Update, User};
use miti99bot_core::{Bot, Config, Module, Services, WiringError};
use miti99bot_testkit::{MemoryKv, RecordingTelegram, TestClock};

pub fn services(vars: &[(&str, &str)]) -> (Services, MemoryKv) {
    let clock = TestClock::at(1_795_885_200_000);
    let kv = MemoryKv::new(Arc::new(clock.clone()));
    let config = Config::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string()))).unwrap();
    (Services::new(config, Arc::new(kv.clone()), None, Arc::new(clock)), kv)
}

pub async fn start(modules: Vec<Module>, vars: &[(&str, &str)]) -> Result<Bot, WiringError> {
    Bot::from_modules(modules, services(vars).0).await
}

pub fn message(text: &str, entities: Vec<MessageEntity>, from: i64) -> Message {
    Message {
        message_id: 10,
        message_thread_id: None,
        is_topic_message: None,
        from: Some(User {
            id: from,
            is_bot: false,
            first_name: "U".into(),
            last_name: None,
            username: None,
        }),
        chat: Chat {
            id: from,
            kind: "private".into(),
            title: None,
            username: None,
            first_name: None,
        },
        date: 0,
        text: Some(text.into()),
        entities: Some(entities),
        caption: None,
        caption_entities: None,
        reply_to_message: None,
        reply_markup: None,
    }
}

pub fn update_of(message: Message) -> Update {
    Update {
        update_id: 1,
        message: Some(message),
        edited_message: None,
        channel_post: None,
        callback_query: None,
        my_chat_member: None,
    }
}

pub fn command_update(text: &str, from: i64) -> Update {
    miti99bot_testkit::private_text_update(1, 1, from, from, 0, text)
}

pub fn recorder() -> (RecordingTelegram, Arc<dyn miti99bot_core::telegram::TelegramApi>) {
    let r = RecordingTelegram::new();
    let api: Arc<dyn miti99bot_core::telegram::TelegramApi> = Arc::new(r.clone());
    (r, api)
}
