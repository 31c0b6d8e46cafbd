#[allow(unused_imports)]
use super::Update;
use super::{
    AnswerCallbackQuery, ApiRequest, DeleteMyCommands, DeleteWebhook, EditMessageReplyMarkup, EditMessageText,
    FromJson, GetUpdates, Message, SendMessage, SetMyCommands, SetWebhook, TelegramError, User,
};
use crate::maybe_send::{MaybeSend, MaybeSync};

/// The Bot API, reduced to one call: a typed [`ApiRequest`] in, Telegram's `result` out.
///
/// Implementations: reqwest natively, Fetch on Workers, recorders in tests. Typed calls are
/// inherent methods on `dyn TelegramApi`, so an implementation writes only [`call`](Self::call).
#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
pub trait TelegramApi: MaybeSend + MaybeSync {
    /// Sends `request` and returns Telegram's `result`.
    async fn call(&self, request: &ApiRequest) -> Result<serde_json::Value, TelegramError>;
}

/// What an edit (`editMessageText`, `editMessageReplyMarkup`) ended in.
#[derive(Debug, Clone, PartialEq)]
pub enum Edited {
    /// The message after the edit, as Telegram returned it (boxed: it is large).
    Message(Box<Message>),
    /// Telegram answered "message is not modified": the message already showed exactly this,
    /// which is not an error (a button pressed twice, a refresh with nothing new).
    NotModified,
    /// Telegram answered `true`: an inline-mode message was edited, and Telegram returns no
    /// message for those.
    Inline,
}

fn from_result<T: FromJson>(method: &str, value: serde_json::Value) -> Result<T, TelegramError> {
    T::from_json(value).map_err(|e| TelegramError::Decode {
        method: method.into(),
        reason: e.to_string(),
    })
}

fn edited(method: &str, answer: Result<serde_json::Value, TelegramError>) -> Result<Edited, TelegramError> {
    match answer {
        Ok(serde_json::Value::Bool(true)) => Ok(Edited::Inline),
        Ok(result) => from_result(method, result).map(|message| Edited::Message(Box::new(message))),
        Err(error) if error.is_not_modified() => Ok(Edited::NotModified),
        Err(error) => Err(error),
    }
}

impl<'a> dyn TelegramApi + 'a {
    /// `sendMessage`.
    pub async fn send_message(&self, request: &SendMessage) -> Result<Message, TelegramError> {
        let result = self.call(&ApiRequest::SendMessage(request.clone())).await?;
        from_result("sendMessage", result)
    }

    /// `editMessageText`; "message is not modified" is [`Edited::NotModified`], not an error.
    pub async fn edit_message_text(&self, request: &EditMessageText) -> Result<Edited, TelegramError> {
        let answer = self.call(&ApiRequest::EditMessageText(request.clone())).await;
        edited("editMessageText", answer)
    }

    /// `editMessageReplyMarkup`; "message is not modified" is [`Edited::NotModified`].
    pub async fn edit_message_reply_markup(&self, request: &EditMessageReplyMarkup) -> Result<Edited, TelegramError> {
        let answer = self.call(&ApiRequest::EditMessageReplyMarkup(request.clone())).await;
        edited("editMessageReplyMarkup", answer)
    }

    /// `answerCallbackQuery`.
    pub async fn answer_callback_query(&self, request: &AnswerCallbackQuery) -> Result<(), TelegramError> {
        self.call(&ApiRequest::AnswerCallbackQuery(request.clone()))
            .await
            .map(drop)
    }

    /// `getMe`.
    pub async fn get_me(&self) -> Result<User, TelegramError> {
        let result = self.call(&ApiRequest::GetMe).await?;
        from_result("getMe", result)
    }

    /// `getUpdates`, each update still raw JSON so that one malformed update cannot hide the
    /// others: parse each with [`Update`]'s [`FromJson`] and skip (but count) what fails.
    pub async fn get_updates(&self, request: &GetUpdates) -> Result<Vec<serde_json::Value>, TelegramError> {
        let result = self.call(&ApiRequest::GetUpdates(request.clone())).await?;
        from_result("getUpdates", result)
    }

    /// `setWebhook`.
    pub async fn set_webhook(&self, request: &SetWebhook) -> Result<(), TelegramError> {
        self.call(&ApiRequest::SetWebhook(request.clone())).await.map(drop)
    }

    /// `deleteWebhook` (pending updates are kept).
    pub async fn delete_webhook(&self) -> Result<(), TelegramError> {
        self.call(&ApiRequest::DeleteWebhook(DeleteWebhook::default()))
            .await
            .map(drop)
    }

    /// `setMyCommands`, for the request's scope and language (every user when unset).
    pub async fn set_my_commands(&self, request: &SetMyCommands) -> Result<(), TelegramError> {
        self.call(&ApiRequest::SetMyCommands(request.clone())).await.map(drop)
    }

    /// `deleteMyCommands`.
    pub async fn delete_my_commands(&self, request: &DeleteMyCommands) -> Result<(), TelegramError> {
        self.call(&ApiRequest::DeleteMyCommands(request.clone()))
            .await
            .map(drop)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Mutex;

    use serde_json::{json, Value};

    use super::*;

    /// Answers every call with one canned outcome and keeps the requests.
    struct Canned {
        answer: Box<dyn Fn() -> Result<Value, TelegramError> + Send + Sync>,
        requests: Mutex<Vec<ApiRequest>>,
    }

    impl Canned {
        fn new(answer: impl Fn() -> Result<Value, TelegramError> + Send + Sync + 'static) -> Self {
            Self {
                answer: Box::new(answer),
                requests: Mutex::new(Vec::new()),
            }
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
    #[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
    impl TelegramApi for Canned {
        async fn call(&self, request: &ApiRequest) -> Result<Value, TelegramError> {
            self.requests.lock().unwrap().push(request.clone());
            (self.answer)()
        }
    }

    fn refused(description: &str) -> Result<Value, TelegramError> {
        Err(TelegramError::Api {
            method: "editMessageText".into(),
            status: 400,
            description: description.into(),
            migrate_to_chat_id: None,
        })
    }

    #[tokio::test]
    async fn not_modified_is_not_an_error() {
        let canned = Canned::new(|| {
            refused("Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
        });
        let api: &dyn TelegramApi = &canned;
        let edit = EditMessageText::new(1, 2, "same");
        assert_eq!(api.edit_message_text(&edit).await.unwrap(), Edited::NotModified);
        let markup = EditMessageReplyMarkup {
            target: edit.target.clone(),
            reply_markup: None,
        };
        assert_eq!(
            api.edit_message_reply_markup(&markup).await.unwrap(),
            Edited::NotModified
        );
        assert_eq!(
            *canned.requests.lock().unwrap(),
            [
                ApiRequest::EditMessageText(edit),
                ApiRequest::EditMessageReplyMarkup(markup)
            ]
        );

        let other = Canned::new(|| refused("Bad Request: message to edit not found"));
        let api: &dyn TelegramApi = &other;
        let err = api
            .edit_message_text(&EditMessageText::new(1, 2, "x"))
            .await
            .unwrap_err();
        assert!(matches!(err, TelegramError::Api { status: 400, .. }));
    }

    #[tokio::test]
    async fn edits_return_the_message_or_inline() {
        let canned =
            Canned::new(|| Ok(json!({ "message_id": 2, "chat": { "id": 1, "type": "private" }, "text": "new" })));
        let api: &dyn TelegramApi = &canned;
        let Edited::Message(message) = api.edit_message_text(&EditMessageText::new(1, 2, "new")).await.unwrap() else {
            unreachable!("a message was answered")
        };
        assert_eq!((message.message_id, message.text.as_deref()), (2, Some("new")));

        let inline = Canned::new(|| Ok(Value::Bool(true)));
        let api: &dyn TelegramApi = &inline;
        assert_eq!(
            api.edit_message_text(&EditMessageText::new(1, 2, "x")).await.unwrap(),
            Edited::Inline
        );
        let broken = Canned::new(|| Ok(json!(3)));
        let api: &dyn TelegramApi = &broken;
        assert!(matches!(
            api.edit_message_text(&EditMessageText::new(1, 2, "x")).await,
            Err(TelegramError::Decode { .. })
        ));
    }

    #[tokio::test]
    async fn typed_calls_send_typed_requests() {
        let canned = Canned::new(|| Ok(Value::Bool(true)));
        let api: &dyn TelegramApi = &canned;
        api.answer_callback_query(&AnswerCallbackQuery::new("q")).await.unwrap();
        api.set_my_commands(&SetMyCommands::default()).await.unwrap();
        api.delete_my_commands(&DeleteMyCommands::default()).await.unwrap();
        api.delete_webhook().await.unwrap();
        let methods: Vec<String> = canned
            .requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.method().to_owned())
            .collect();
        assert_eq!(
            methods,
            [
                "answerCallbackQuery",
                "setMyCommands",
                "deleteMyCommands",
                "deleteWebhook"
            ]
        );
        assert!(matches!(api.get_me().await, Err(TelegramError::Decode { .. })));
    }
}
