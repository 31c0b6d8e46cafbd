use serde::{Deserialize, Serialize};

use super::InlineKeyboardMarkup;

/// An incoming update. Kinds the bot does not handle are ignored, not rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Update {
    /// Monotonic id; used to recognise redeliveries.
    pub update_id: i64,
    /// A new message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// An edited message: never runs a command again; goes to the modules that opted in with
    /// [`Module::on_edited_message`](crate::Module::on_edited_message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_message: Option<Message>,
    /// A new channel post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_post: Option<Message>,
    /// A button of an inline keyboard was pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_query: Option<CallbackQuery>,
    /// The bot's own membership in a chat changed (added, removed, promoted, blocked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackQuery {
    /// Answer it with `answerCallbackQuery` (the framework does, exactly once).
    pub id: String,
    /// Who pressed.
    pub from: User,
    /// The message the button was under. Telegram sends only its chat, id and `date: 0`
    /// when the message is too old to be accessible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// The message's id when it was sent in inline mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_message_id: Option<String>,
    /// Identifies the chat the message is in (stable across presses).
    #[serde(default)]
    pub chat_instance: String,
    /// The button's `callback_data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

/// A change of the bot's (or a member's) status in a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMemberUpdated {
    /// The chat.
    pub chat: Chat,
    /// Who made the change.
    pub from: User,
    /// Unix seconds.
    #[serde(default)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMember {
    /// `creator`, `administrator`, `member`, `restricted`, `left` or `kicked`.
    pub status: String,
    /// The member.
    pub user: User,
    /// For `restricted`: whether the member is still in the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Id within the chat.
    pub message_id: i64,
    /// Forum topic (or reply thread) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_thread_id: Option<i64>,
    /// True when sent inside a forum topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_topic_message: Option<bool>,
    /// The sender (absent in channels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<User>,
    /// The chat it belongs to.
    pub chat: Chat,
    /// Unix seconds.
    #[serde(default)]
    pub date: i64,
    /// Text of a text message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Entities of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<MessageEntity>>,
    /// Caption of a media message (never a command source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Entities of `caption`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption_entities: Option<Vec<MessageEntity>>,
    /// The message this one replies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_message: Option<Box<Message>>,
    /// Buttons under the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Telegram id (can exceed 32 bits).
    pub id: i64,
    /// True for bots.
    #[serde(default)]
    pub is_bot: bool,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `@username` without the `@`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// A chat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chat {
    /// Telegram id (can exceed 32 bits; negative for groups).
    pub id: i64,
    /// `private`, `group`, `supergroup` or `channel`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Group title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Public username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// First name (private chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
}

/// A special span of text: command, mention, bold, ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageEntity {
    /// `bot_command`, `mention`, `bold`, ... (unknown kinds are kept as text).
    #[serde(rename = "type")]
    pub kind: String,
    /// Start, in UTF-16 code units.
    pub offset: usize,
    /// Length, in UTF-16 code units.
    pub length: usize,
}
