//! Building updates and messages the way Telegram would send them (offline console, webhook
//! replies, tests, benchmarks).

use super::{CallbackQuery, Chat, Message, SendMessage, Update, User};
use crate::command_parse::command_entities;

/// The user the console (and the builders here) speak as.
fn console_user(id: i64) -> User {
    User {
        id,
        is_bot: false,
        first_name: "Console".to_owned(),
        last_name: None,
        username: Some("console_user".to_owned()),
    }
}

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
            from: Some(console_user(user_id)),
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
            reply_markup: None,
        }),
        edited_message: None,
        channel_post: None,
        callback_query: None,
        my_chat_member: None,
    }
}

/// The message Telegram answers `request` (a `sendMessage`) with, as far as it is known without
/// sending it: numbered `message_id`, dated `date`, in `chat` (a private chat with the
/// request's `chat_id` when `None`), in the request's thread, with its text.
pub fn sent_message(request: &SendMessage, chat: Option<Chat>, message_id: i64, date: i64) -> Message {
    let chat = chat.unwrap_or_else(|| private_chat(request.chat_id));
    Message {
        message_thread_id: request.message_thread_id,
        reply_markup: request.reply_markup.clone(),
        ..bot_message(chat, message_id, date, Some(&request.text))
    }
}

/// A press by `user_id` of a button carrying `data` under `message` (the query's id is the
/// update's, as a string).
pub fn callback_update(update_id: i64, user_id: i64, message: Message, data: &str) -> Update {
    Update {
        callback_query: Some(CallbackQuery {
            id: update_id.to_string(),
            from: console_user(user_id),
            chat_instance: message.chat.id.to_string(),
            message: Some(message),
            inline_message_id: None,
            data: Some(data.to_owned()),
        }),
        ..Update::empty(update_id)
    }
}

/// A message of the bot in `chat`: numbered `message_id`, dated `date`, with `text`.
pub fn bot_message(chat: Chat, message_id: i64, date: i64, text: Option<&str>) -> Message {
    Message {
        message_id,
        message_thread_id: None,
        is_topic_message: None,
        from: None,
        chat,
        date,
        text: text.map(str::to_owned),
        entities: None,
        caption: None,
        caption_entities: None,
        reply_to_message: None,
        reply_markup: None,
    }
}

/// A private chat known only by its id.
pub fn private_chat(id: i64) -> Chat {
    Chat {
        id,
        kind: "private".to_owned(),
        title: None,
        username: None,
        first_name: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_message_serialises_like_telegram_s_minimal_answer() {
        let request = SendMessage::new(9, "hi").html().in_thread(Some(4));
        let message = sent_message(&request, None, 7, 5);
        assert_eq!(
            serde_json::to_value(&message).ok(),
            Some(serde_json::json!({
                "message_id": 7,
                "message_thread_id": 4,
                "chat": { "id": 9, "type": "private" },
                "date": 5,
                "text": "hi",
            }))
        );
    }
}
