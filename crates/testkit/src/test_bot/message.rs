use std::future::{Future, IntoFuture};
use std::pin::Pin;

use miti99bot_core::telegram::synthetic::{bot_message, private_text_update};
use miti99bot_core::telegram::{Chat, Update};
use miti99bot_core::Clock;

use super::{Sent, TestBot, DEFAULT_USER};

/// Where a line is sent.
#[derive(Debug, Clone)]
enum Place {
    /// The sender's private chat.
    Private,
    /// A private chat of this id.
    Chat(i64),
    /// A group (negative id) or supergroup.
    Group { id: i64, supergroup: bool },
}

/// A line a user sends, set up builder-style; `.await` sends it through the ingress and gives
/// the [`Sent`]. From [`TestBot::message`]:
///
/// ```text
/// bot.message("/trade_buy 10 VNM").from(ALICE).group(-100).username("alice").reply_to(5).await
/// ```
#[derive(Debug)]
#[must_use = "a message is sent by awaiting it"]
pub struct MessageBuilder<'a> {
    bot: &'a TestBot,
    text: String,
    user: i64,
    username: Option<String>,
    place: Place,
    reply_to: Option<i64>,
    thread: Option<i64>,
    update_id: Option<i64>,
}

impl<'a> MessageBuilder<'a> {
    pub(crate) fn new(bot: &'a TestBot, text: &str) -> Self {
        Self {
            bot,
            text: text.to_owned(),
            user: DEFAULT_USER,
            username: None,
            place: Place::Private,
            reply_to: None,
            thread: None,
            update_id: None,
        }
    }

    /// The sender's user id (default [`DEFAULT_USER`]); in a private chat also the chat id.
    pub fn from(mut self, user: i64) -> Self {
        self.user = user;
        self
    }

    /// The sender's `@username` (without the `@`).
    pub fn username(mut self, username: &str) -> Self {
        self.username = Some(username.trim_start_matches('@').to_owned());
        self
    }

    /// A private chat of id `chat` (not the sender's id).
    pub fn chat(mut self, chat: i64) -> Self {
        self.place = Place::Chat(chat);
        self
    }

    /// A group chat of id `chat` (Telegram's are negative).
    pub fn group(mut self, chat: i64) -> Self {
        self.place = Place::Group {
            id: chat,
            supergroup: false,
        };
        self
    }

    /// A supergroup of id `chat`, in forum topic `thread` when given.
    pub fn supergroup(mut self, chat: i64, thread: Option<i64>) -> Self {
        self.place = Place::Group {
            id: chat,
            supergroup: true,
        };
        self.thread = thread;
        self
    }

    /// In reply to the message `message_id` of the chat (one of the bot's, by default).
    pub fn reply_to(mut self, message_id: i64) -> Self {
        self.reply_to = Some(message_id);
        self
    }

    /// The update's id (default: the bot's next id); the same id twice is a redelivery.
    pub fn update_id(mut self, update_id: i64) -> Self {
        self.update_id = Some(update_id);
        self
    }

    /// The update this line is, as Telegram would send it (command entities included).
    pub fn update(&self) -> Update {
        let id = self.update_id.unwrap_or_else(|| self.bot.next_id());
        let date = self.bot.clock().now_ms() / 1000;
        let chat_id = match self.place {
            Place::Private => self.user,
            Place::Chat(id) | Place::Group { id, .. } => id,
        };
        let mut update = private_text_update(id, id, chat_id, self.user, date, &self.text);
        if let Some(message) = update.message.as_mut() {
            if let Some(from) = message.from.as_mut() {
                from.username.clone_from(&self.username);
            }
            message.chat = match self.place {
                Place::Private | Place::Chat(_) => Chat {
                    username: self.username.clone(),
                    ..message.chat.clone()
                },
                Place::Group { id, supergroup } => Chat {
                    id,
                    kind: if supergroup { "supergroup" } else { "group" }.to_owned(),
                    title: Some("Test group".to_owned()),
                    username: None,
                    first_name: None,
                },
            };
            if let Some(thread) = self.thread {
                message.message_thread_id = Some(thread);
                message.is_topic_message = Some(true);
            }
            message.reply_to_message = self
                .reply_to
                .map(|reply_to| Box::new(bot_message(message.chat.clone(), reply_to, date, None)));
        }
        update
    }
}

impl<'a> IntoFuture for MessageBuilder<'a> {
    type Output = Sent;
    type IntoFuture = Pin<Box<dyn Future<Output = Sent> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        let update = self.update();
        Box::pin(self.bot.send_update(update))
    }
}
