//! Building updates and messages the way Telegram would send them (offline console, webhook
//! replies, tests, benchmarks).

use serde_json::{Map, Value};

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

/// [`sent_message`] as the Bot API's JSON: what the webhook-reply path answers a held
/// `sendMessage` with (the caller reads it back with [`FromJson`](super::FromJson)). Its own
/// members are set here and the chat and keyboard serialise themselves; serialising the whole
/// `Message` instead made `Message`'s `Serialize` part of the Worker's wasm for this one use.
pub fn sent_message_json(request: &SendMessage, chat: Option<Chat>, message_id: i64, date: i64) -> Value {
    let chat = chat.unwrap_or_else(|| private_chat(request.chat_id));
    let mut message = Map::new();
    message.insert("message_id".into(), message_id.into());
    if let Some(thread) = request.message_thread_id {
        message.insert("message_thread_id".into(), thread.into());
    }
    // The chat's and the keyboard's own `Serialize`: neither can fail (string keys only).
    message.insert("chat".into(), serde_json::to_value(chat).unwrap_or(Value::Null));
    message.insert("date".into(), date.into());
    message.insert("text".into(), request.text.clone().into());
    if let Some(markup) = &request.reply_markup {
        if let Ok(markup) = serde_json::to_value(markup) {
            message.insert("reply_markup".into(), markup);
        }
    }
    Value::Object(message)
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

    #[test]
    fn the_sent_message_json_is_the_sent_message_serialised() {
        use crate::telegram::{FromJson, InlineKeyboardButton, InlineKeyboardMarkup};

        let keyboard = InlineKeyboardMarkup::new(vec![
            vec![
                InlineKeyboardButton::callback("a", "x:1"),
                InlineKeyboardButton::url("b", "https://t.me"),
            ],
            vec![InlineKeyboardButton::callback("c", "x:2")],
        ]);
        let group = Chat {
            id: -100,
            kind: "supergroup".into(),
            title: Some("G".into()),
            username: Some("g".into()),
            first_name: None,
        };
        let requests = [
            (SendMessage::new(9, "hi"), None),
            (SendMessage::new(9, "hi").html().in_thread(Some(4)), None),
            (SendMessage::new(-100, "<b>k</b>").with_keyboard(keyboard), Some(group)),
        ];
        for (request, chat) in requests {
            let json = sent_message_json(&request, chat.clone(), 7, 5);
            let message = sent_message(&request, chat, 7, 5);
            // Member for member what `Message`'s `Serialize` writes, and it reads back the same.
            assert_eq!(Some(&json), serde_json::to_value(&message).ok().as_ref(), "{request:?}");
            assert_eq!(Message::from_json(json).ok(), Some(message));
        }
    }
}
