//! One Bot API request, typed: what [`TelegramApi::call`](super::TelegramApi::call) receives.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::params::{
    AnswerCallbackQuery, DeleteMyCommands, DeleteWebhook, EditMessageReplyMarkup, EditMessageText, GetUpdates,
    SendMessage, SetMyCommands, SetWebhook,
};

/// A Bot API call: the method and its parameters.
///
/// Serialising it (`serde_json::to_vec(&request)`, [`to_json`](Self::to_json)) gives the JSON
/// body Telegram expects; [`method`](Self::method) names the URL's last segment. A method the
/// framework has no type for goes through [`Raw`](Self::Raw).
#[derive(Debug, Clone, PartialEq)]
pub enum ApiRequest {
    /// `sendMessage`.
    SendMessage(SendMessage),
    /// `editMessageText`.
    EditMessageText(EditMessageText),
    /// `editMessageReplyMarkup`.
    EditMessageReplyMarkup(EditMessageReplyMarkup),
    /// `answerCallbackQuery`.
    AnswerCallbackQuery(AnswerCallbackQuery),
    /// `setMyCommands`.
    SetMyCommands(SetMyCommands),
    /// `deleteMyCommands`.
    DeleteMyCommands(DeleteMyCommands),
    /// `getMe` (an empty payload).
    GetMe,
    /// `getUpdates`.
    GetUpdates(GetUpdates),
    /// `setWebhook`.
    SetWebhook(SetWebhook),
    /// `deleteWebhook`.
    DeleteWebhook(DeleteWebhook),
    /// Any other method, with its payload as given (a JSON object).
    Raw {
        /// The method name, e.g. `getWebhookInfo`.
        method: String,
        /// Its parameters.
        payload: Value,
    },
}

impl ApiRequest {
    /// The Bot API method name, e.g. `sendMessage`.
    pub fn method(&self) -> &str {
        match self {
            Self::SendMessage(_) => "sendMessage",
            Self::EditMessageText(_) => "editMessageText",
            Self::EditMessageReplyMarkup(_) => "editMessageReplyMarkup",
            Self::AnswerCallbackQuery(_) => "answerCallbackQuery",
            Self::SetMyCommands(_) => "setMyCommands",
            Self::DeleteMyCommands(_) => "deleteMyCommands",
            Self::GetMe => "getMe",
            Self::GetUpdates(_) => "getUpdates",
            Self::SetWebhook(_) => "setWebhook",
            Self::DeleteWebhook(_) => "deleteWebhook",
            Self::Raw { method, .. } => method,
        }
    }

    /// The parameters as a JSON value (an object; unset optional fields left out).
    ///
    /// Serialising these types cannot fail (every key is a string, no custom serialiser
    /// errs); were it to, the payload would be `{}`.
    pub fn payload(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| Value::Object(serde_json::Map::new()))
    }

    /// The parameters as a compact JSON text, the request body (`{}` in the impossible case
    /// [`payload`](Self::payload) describes).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

impl Serialize for ApiRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::SendMessage(request) => request.serialize(serializer),
            Self::EditMessageText(request) => request.serialize(serializer),
            Self::EditMessageReplyMarkup(request) => request.serialize(serializer),
            Self::AnswerCallbackQuery(request) => request.serialize(serializer),
            Self::SetMyCommands(request) => request.serialize(serializer),
            Self::DeleteMyCommands(request) => request.serialize(serializer),
            Self::GetMe => serializer.serialize_map(Some(0))?.end(),
            Self::GetUpdates(request) => request.serialize(serializer),
            Self::SetWebhook(request) => request.serialize(serializer),
            Self::DeleteWebhook(request) => request.serialize(serializer),
            Self::Raw { payload, .. } => payload.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::telegram::params::{
        BotCommand, BotCommandScope, EditTarget, InlineKeyboardButton, InlineKeyboardMarkup,
    };

    #[test]
    fn send_message_payload_is_exact() {
        let plain = ApiRequest::SendMessage(SendMessage::new(5, "hi"));
        assert_eq!(plain.method(), "sendMessage");
        assert_eq!(plain.to_json(), r#"{"chat_id":5,"text":"hi"}"#);

        let full = ApiRequest::SendMessage(
            SendMessage::new(-100, "<b>hi</b>")
                .html()
                .in_thread(Some(3))
                .replying_to(41)
                .with_keyboard(InlineKeyboardMarkup::new(vec![vec![
                    InlineKeyboardButton::callback("Yes", "vote:yes"),
                    InlineKeyboardButton::url("Docs", "https://example.org"),
                ]])),
        );
        assert_eq!(
            full.to_json(),
            concat!(
                r#"{"chat_id":-100,"message_thread_id":3,"text":"<b>hi</b>","parse_mode":"HTML","#,
                r#""link_preview_options":{"is_disabled":true},"reply_parameters":{"message_id":41},"#,
                r#""reply_markup":{"inline_keyboard":[[{"text":"Yes","callback_data":"vote:yes"},"#,
                r#"{"text":"Docs","url":"https://example.org"}]]}}"#
            )
        );
        assert_eq!(full.payload()["reply_parameters"], json!({ "message_id": 41 }));
    }

    #[test]
    fn edits_and_callback_answers() {
        let edit = ApiRequest::EditMessageText(EditMessageText::new(7, 12, "new").html());
        assert_eq!(edit.method(), "editMessageText");
        assert_eq!(
            edit.to_json(),
            r#"{"chat_id":7,"message_id":12,"text":"new","parse_mode":"HTML","link_preview_options":{"is_disabled":true}}"#
        );
        let inline = ApiRequest::EditMessageText(EditMessageText::of(
            EditTarget::Inline {
                inline_message_id: "AbC".into(),
            },
            "x",
        ));
        assert_eq!(inline.to_json(), r#"{"inline_message_id":"AbC","text":"x"}"#);
        let markup = ApiRequest::EditMessageReplyMarkup(EditMessageReplyMarkup {
            target: EditTarget::Chat {
                chat_id: 7,
                message_id: 12,
            },
            reply_markup: None,
        });
        assert_eq!(markup.method(), "editMessageReplyMarkup");
        assert_eq!(markup.to_json(), r#"{"chat_id":7,"message_id":12}"#);
        let answer = ApiRequest::AnswerCallbackQuery(AnswerCallbackQuery::new("q1"));
        assert_eq!(answer.to_json(), r#"{"callback_query_id":"q1"}"#);
        let answer = ApiRequest::AnswerCallbackQuery(AnswerCallbackQuery {
            show_alert: Some(true),
            ..AnswerCallbackQuery::new("q1").with_text("done")
        });
        assert_eq!(
            answer.to_json(),
            r#"{"callback_query_id":"q1","text":"done","show_alert":true}"#
        );
    }

    #[test]
    fn command_menus_and_scopes() {
        let commands = vec![BotCommand {
            command: "ping".into(),
            description: "Check".into(),
        }];
        let default = ApiRequest::SetMyCommands(SetMyCommands::new(commands.clone()));
        assert_eq!(
            default.to_json(),
            r#"{"commands":[{"command":"ping","description":"Check"}]}"#
        );
        let scoped = ApiRequest::SetMyCommands(SetMyCommands {
            scope: Some(BotCommandScope::Chat { chat_id: -5 }),
            language_code: Some("vi".into()),
            ..SetMyCommands::new(commands)
        });
        assert_eq!(scoped.payload()["scope"], json!({ "type": "chat", "chat_id": -5 }));
        assert_eq!(scoped.payload()["language_code"], "vi");
        let delete = ApiRequest::DeleteMyCommands(DeleteMyCommands {
            scope: Some(BotCommandScope::AllPrivateChats),
            language_code: None,
        });
        assert_eq!(delete.method(), "deleteMyCommands");
        assert_eq!(delete.to_json(), r#"{"scope":{"type":"all_private_chats"}}"#);
        assert_eq!(
            serde_json::to_string(&BotCommandScope::Default).unwrap_or_default(),
            r#"{"type":"default"}"#
        );
    }

    #[test]
    fn the_other_methods() {
        assert_eq!(
            (ApiRequest::GetMe.method(), ApiRequest::GetMe.to_json().as_str()),
            ("getMe", "{}")
        );
        let delete = ApiRequest::DeleteWebhook(DeleteWebhook::default());
        assert_eq!(
            (delete.method(), delete.payload()),
            ("deleteWebhook", json!({ "drop_pending_updates": false }))
        );
        let updates = ApiRequest::GetUpdates(GetUpdates {
            offset: None,
            timeout: 30,
            limit: None,
            allowed_updates: Vec::new(),
        });
        assert_eq!(
            (updates.method(), updates.to_json().as_str()),
            ("getUpdates", r#"{"timeout":30}"#)
        );
        let webhook = ApiRequest::SetWebhook(SetWebhook {
            url: "https://x/webhook".into(),
            secret_token: "s".into(),
            allowed_updates: vec!["message".into()],
            drop_pending_updates: false,
        });
        assert_eq!(
            webhook.to_json(),
            r#"{"url":"https://x/webhook","secret_token":"s","allowed_updates":["message"],"drop_pending_updates":false}"#
        );
        let raw = ApiRequest::Raw {
            method: "getWebhookInfo".into(),
            payload: json!({ "a": 1 }),
        };
        assert_eq!((raw.method(), raw.payload()), ("getWebhookInfo", json!({ "a": 1 })));
    }
}
