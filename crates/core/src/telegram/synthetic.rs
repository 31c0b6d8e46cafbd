//! Building updates the way Telegram would send them (offline console, tests, benchmarks).

use super::{Chat, Message, Update, User};
use crate::command_parse::command_entities;

/// A private-chat text message from `user_id`, with `bot_command` entities computed as
/// Telegram computes them.
pub fn private_text_update(
    update_id: i64,
    message_id: i64,
    chat_id: i64,
    user_id: i64,
    date: i64,
    text: &str,
) -> Update {
    let entities = command_entities(text);
    Update {
        update_id,
        message: Some(Message {
            message_id,
            message_thread_id: None,
            is_topic_message: None,
            from: Some(User {
                id: user_id,
                is_bot: false,
                first_name: "Console".to_owned(),
                last_name: None,
                username: Some("console_user".to_owned()),
            }),
            chat: Chat {
                id: chat_id,
                kind: "private".to_owned(),
                title: None,
                username: Some("console_user".to_owned()),
                first_name: Some("Console".to_owned()),
            },
            date,
            text: Some(text.to_owned()),
            entities: (!entities.is_empty()).then_some(entities),
            caption: None,
            caption_entities: None,
            reply_to_message: None,
        }),
        edited_message: None,
        channel_post: None,
    }
}
