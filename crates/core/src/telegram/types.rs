use serde::Serialize;
use serde_json::Value;

use super::from_json::{deserialize_through_from_json, DecodeError, Fields, FromJson};

use super::InlineKeyboardMarkup;

/// An incoming update. Kinds the bot does not handle are ignored, not rejected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    /// Monotonic id; used to recognise redeliveries.
    pub update_id: i64,
    /// A new message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// An edited message: never runs a command again; goes to the modules that opted in with
    /// [`Module::on_edited_message`](crate::Module::on_edited_message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edited_message: Option<Message>,
    /// A new channel post.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_post: Option<Message>,
    /// A button of an inline keyboard was pressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_query: Option<CallbackQuery>,
    /// The bot's own membership in a chat changed (added, removed, promoted, blocked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_chat_member: Option<ChatMemberUpdated>,
}

/// The kinds of update the framework routes (the names Telegram uses in `allowed_updates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UpdateKind {
    /// `message`.
    Message,
    /// `edited_message`.
    EditedMessage,
    /// `channel_post`.
    ChannelPost,
    /// `callback_query`.
    CallbackQuery,
    /// `my_chat_member`.
    MyChatMember,
}

impl UpdateKind {
    /// Telegram's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::EditedMessage => "edited_message",
            Self::ChannelPost => "channel_post",
            Self::CallbackQuery => "callback_query",
            Self::MyChatMember => "my_chat_member",
        }
    }
}

impl Update {
    /// An update with only an id; set one of its fields.
    pub fn empty(update_id: i64) -> Self {
        Self {
            update_id,
            message: None,
            edited_message: None,
            channel_post: None,
            callback_query: None,
            my_chat_member: None,
        }
    }

    /// The message a command can come from: a new message or channel post.
    pub fn command_message(&self) -> Option<&Message> {
        self.message.as_ref().or(self.channel_post.as_ref())
    }

    /// What kind of update it is, when it is one the framework routes.
    pub fn kind(&self) -> Option<UpdateKind> {
        if self.message.is_some() {
            Some(UpdateKind::Message)
        } else if self.channel_post.is_some() {
            Some(UpdateKind::ChannelPost)
        } else if self.callback_query.is_some() {
            Some(UpdateKind::CallbackQuery)
        } else if self.edited_message.is_some() {
            Some(UpdateKind::EditedMessage)
        } else if self.my_chat_member.is_some() {
            Some(UpdateKind::MyChatMember)
        } else {
            None
        }
    }

    /// The chat the update happened in (for per-chat order and replies): the message's, the
    /// pressed button's message's (or, for a button under an inline-mode message, the private
    /// chat of whoever pressed it), the membership's.
    pub fn chat(&self) -> Option<&Chat> {
        if let Some(message) = self
            .command_message()
            .or(self.edited_message.as_ref())
            .or_else(|| self.callback_query.as_ref().and_then(|q| q.message.as_ref()))
        {
            return Some(&message.chat);
        }
        self.my_chat_member.as_ref().map(|m| &m.chat)
    }

    /// The id used to keep one chat's updates in order: [`chat`](Self::chat)'s id, or the
    /// presser's user id for a button under an inline-mode message.
    pub fn order_key(&self) -> Option<i64> {
        self.chat()
            .map(|c| c.id)
            .or_else(|| self.callback_query.as_ref().map(|q| q.from.id))
    }

    /// When it happened, Unix seconds (0 when the update carries no date, as callback queries).
    pub fn date(&self) -> i64 {
        self.command_message()
            .or(self.edited_message.as_ref())
            .map(|m| m.date)
            .or_else(|| self.my_chat_member.as_ref().map(|m| m.date))
            .unwrap_or(0)
    }
}

/// A press of an inline keyboard button.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallbackQuery {
    /// Answer it with `answerCallbackQuery` (the framework does, exactly once).
    pub id: String,
    /// Who pressed.
    pub from: User,
    /// The message the button was under. Telegram sends only its chat, id and `date: 0`
    /// when the message is too old to be accessible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// The message's id when it was sent in inline mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline_message_id: Option<String>,
    /// Identifies the chat the message is in (stable across presses).
    pub chat_instance: String,
    /// The button's `callback_data`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

/// A change of the bot's (or a member's) status in a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatMemberUpdated {
    /// The chat.
    pub chat: Chat,
    /// Who made the change.
    pub from: User,
    /// Unix seconds.
    pub date: i64,
    /// The status before.
    pub old_chat_member: ChatMember,
    /// The status after.
    pub new_chat_member: ChatMember,
}

impl ChatMemberUpdated {
    /// The change made the member present (it was not before).
    pub fn joined(&self) -> bool {
        !self.old_chat_member.is_present() && self.new_chat_member.is_present()
    }

    /// The change made the member absent (it was present before): removed, left, or a private
    /// chat's user blocked the bot.
    pub fn left(&self) -> bool {
        self.old_chat_member.is_present() && !self.new_chat_member.is_present()
    }
}

/// One member of a chat and its status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChatMember {
    /// `creator`, `administrator`, `member`, `restricted`, `left` or `kicked`.
    pub status: String,
    /// The member.
    pub user: User,
    /// For `restricted`: whether the member is still in the chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_member: Option<bool>,
}

impl ChatMember {
    /// In the chat: creator, administrator, member, or restricted but still a member.
    pub fn is_present(&self) -> bool {
        match self.status.as_str() {
            "creator" | "administrator" | "member" => true,
            "restricted" => self.is_member.unwrap_or(false),
            _ => false,
        }
    }
}

/// A message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Id within the chat.
    pub message_id: i64,
    /// Forum topic (or reply thread) id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_thread_id: Option<i64>,
    /// True when sent inside a forum topic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_topic_message: Option<bool>,
    /// The sender (absent in channels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<User>,
    /// The chat it belongs to.
    pub chat: Chat,
    /// Unix seconds.
    pub date: i64,
    /// Text of a text message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Entities of `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<MessageEntity>>,
    /// Caption of a media message (never a command source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Entities of `caption`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption_entities: Option<Vec<MessageEntity>>,
    /// The message this one replies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to_message: Option<Box<Message>>,
    /// Buttons under the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_markup: Option<InlineKeyboardMarkup>,
}

impl Message {
    /// The forum topic a reply to this message goes into: its thread when it was sent inside a
    /// topic (a plain reply thread is not a topic).
    pub fn topic_thread(&self) -> Option<i64> {
        match self.is_topic_message {
            Some(true) => self.message_thread_id,
            _ => None,
        }
    }
}

/// A user or bot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct User {
    /// Telegram id (can exceed 32 bits).
    pub id: i64,
    /// True for bots.
    pub is_bot: bool,
    /// First name.
    pub first_name: String,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `@username` without the `@`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// A chat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Chat {
    /// Telegram id (can exceed 32 bits; negative for groups).
    pub id: i64,
    /// `private`, `group`, `supergroup` or `channel`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Group title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Public username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// First name (private chats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
}

/// A special span of text: command, mention, bold, ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageEntity {
    /// `bot_command`, `mention`, `bold`, ... (unknown kinds are kept as text).
    #[serde(rename = "type")]
    pub kind: String,
    /// Start, in UTF-16 code units.
    pub offset: usize,
    /// Length, in UTF-16 code units.
    pub length: usize,
}

// Reading the types from the Bot API's JSON (see `from_json`): one function per type, next to
// its fields, so that a field added above is added here too.

impl FromJson for Update {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            update_id: f.required("update_id"),
            message: f.optional("message"),
            edited_message: f.optional("edited_message"),
            channel_post: f.optional("channel_post"),
            callback_query: f.optional("callback_query"),
            my_chat_member: f.optional("my_chat_member"),
        };
        f.finish(value)
    }
}

impl FromJson for CallbackQuery {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            id: f.required("id"),
            from: f.required("from"),
            message: f.optional("message"),
            inline_message_id: f.optional("inline_message_id"),
            chat_instance: f.or_default("chat_instance"),
            data: f.optional("data"),
        };
        f.finish(value)
    }
}

impl FromJson for ChatMemberUpdated {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            chat: f.required("chat"),
            from: f.required("from"),
            date: f.or_default("date"),
            old_chat_member: f.required("old_chat_member"),
            new_chat_member: f.required("new_chat_member"),
        };
        f.finish(value)
    }
}

impl FromJson for ChatMember {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            status: f.required("status"),
            user: f.required("user"),
            is_member: f.optional("is_member"),
        };
        f.finish(value)
    }
}

impl FromJson for Message {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            message_id: f.required("message_id"),
            message_thread_id: f.optional("message_thread_id"),
            is_topic_message: f.optional("is_topic_message"),
            from: f.optional("from"),
            chat: f.required("chat"),
            date: f.or_default("date"),
            text: f.optional("text"),
            entities: f.optional("entities"),
            caption: f.optional("caption"),
            caption_entities: f.optional("caption_entities"),
            reply_to_message: f.optional("reply_to_message"),
            reply_markup: f.optional("reply_markup"),
        };
        f.finish(value)
    }
}

impl FromJson for User {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            id: f.required("id"),
            is_bot: f.or_default("is_bot"),
            first_name: f.or_default("first_name"),
            last_name: f.optional("last_name"),
            username: f.optional("username"),
        };
        f.finish(value)
    }
}

impl FromJson for Chat {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            id: f.required("id"),
            kind: f.or_default("type"),
            title: f.optional("title"),
            username: f.optional("username"),
            first_name: f.optional("first_name"),
        };
        f.finish(value)
    }
}

impl FromJson for MessageEntity {
    fn from_json(value: Value) -> Result<Self, DecodeError> {
        let mut f = Fields::of(value)?;
        let value = Self {
            kind: f.required("type"),
            offset: f.required("offset"),
            length: f.required("length"),
        };
        f.finish(value)
    }
}

deserialize_through_from_json!(
    Update,
    CallbackQuery,
    ChatMemberUpdated,
    ChatMember,
    Message,
    User,
    Chat,
    MessageEntity
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::telegram::InlineKeyboardButton;

    /// A message with every field the types read, and some they do not.
    fn full_message() -> Value {
        json!({
            "message_id": 10, "message_thread_id": 3, "is_topic_message": true,
            "from": { "id": 7, "is_bot": false, "first_name": "A", "last_name": "B", "username": "ab", "language_code": "en" },
            "chat": { "id": -100, "type": "supergroup", "title": "T", "username": "t", "is_forum": true },
            "date": 1_700_000_000, "text": "/ping@bot x",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 9 }],
            "caption": "c", "caption_entities": [{ "type": "bold", "offset": 0, "length": 1 }],
            "reply_to_message": { "message_id": 9, "chat": { "id": -100, "type": "supergroup" }, "date": 1 },
            "reply_markup": { "inline_keyboard": [[{ "text": "go", "callback_data": "d" }, { "text": "u", "url": "https://t.me" }]] },
            "sticker": { "file_id": "x" }
        })
    }

    #[test]
    fn every_field_reads_and_serialises_back_to_the_same_json() {
        let message = Message::from_json(full_message()).unwrap();
        assert_eq!(message.topic_thread(), Some(3));
        assert_eq!(message.from.as_ref().unwrap().username.as_deref(), Some("ab"));
        assert_eq!(message.chat.kind, "supergroup");
        assert_eq!(message.entities.as_ref().unwrap()[0].length, 9);
        assert_eq!(message.reply_to_message.as_ref().unwrap().message_id, 9);
        assert_eq!(
            message.reply_markup.as_ref().unwrap().inline_keyboard[0],
            [
                InlineKeyboardButton::callback("go", "d"),
                InlineKeyboardButton::url("u", "https://t.me")
            ]
        );
        // What it serialises to reads back to the same message (the unknown fields are gone).
        let again = Message::from_json(serde_json::to_value(&message).unwrap()).unwrap();
        assert_eq!(again, message);
        // And serde's `Deserialize` is the same reader.
        assert_eq!(serde_json::from_value::<Message>(full_message()).unwrap(), message);
    }

    #[test]
    fn absent_and_null_fields_take_their_defaults() {
        let update = Update::from_json(json!({
            "update_id": 1,
            "message": { "message_id": 2, "chat": { "id": 3 }, "from": null, "text": null },
            "callback_query": { "id": "q", "from": { "id": 4 } }
        }))
        .unwrap();
        let message = update.message.unwrap();
        assert_eq!((message.date, message.from, message.text), (0, None, None));
        assert_eq!(
            message.chat,
            Chat {
                id: 3,
                ..Chat::default()
            }
        );
        let query = update.callback_query.unwrap();
        assert_eq!(
            (
                query.from.first_name.as_str(),
                query.from.is_bot,
                query.chat_instance.as_str()
            ),
            ("", false, "")
        );
        assert_eq!(update.my_chat_member, None);
        let member = ChatMemberUpdated::from_json(json!({
            "chat": { "id": 1, "type": "group" }, "from": { "id": 2 }, "date": 5,
            "old_chat_member": { "status": "left", "user": { "id": 9, "is_bot": true } },
            "new_chat_member": { "status": "restricted", "is_member": true, "user": { "id": 9, "is_bot": true } }
        }))
        .unwrap();
        assert!(member.joined());
    }

    #[test]
    fn a_missing_or_mistyped_field_is_named_by_its_path() {
        let cases = [
            (json!({ "message": {} }), "update_id: expected a value"),
            (
                json!({ "update_id": "1" }),
                "update_id: expected a whole number within 64 bits",
            ),
            (
                json!({ "update_id": 1, "message": { "message_id": 2 } }),
                "message.chat: expected a value",
            ),
            (
                json!({ "update_id": 1, "message": { "message_id": 2, "chat": { "id": 3 }, "entities": [{ "type": "x", "offset": -1, "length": 1 }] } }),
                "message.entities.0.offset: expected a whole number, not negative",
            ),
            (
                json!({ "update_id": 1, "callback_query": { "id": "q", "from": { "id": 1 }, "message": { "message_id": 1, "chat": "c" } } }),
                "callback_query.message.chat: expected an object",
            ),
            (json!([]), "expected an object"),
        ];
        for (json, error) in cases {
            assert_eq!(
                Update::from_json(json.clone()).unwrap_err().to_string(),
                error,
                "{json}"
            );
        }
        let error = serde_json::from_str::<Update>(r#"{"update_id": 1, "message": 5}"#).unwrap_err();
        assert_eq!(error.to_string(), "message: expected an object");
    }
}
