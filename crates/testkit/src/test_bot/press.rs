use std::future::{Future, IntoFuture};
use std::pin::Pin;

use miti99bot_core::telegram::synthetic::{callback_update, sent_message};
use miti99bot_core::telegram::Update;
use miti99bot_core::Clock;

use super::{BotMessage, Sent, TestBot, DEFAULT_USER};

/// A press of a button the bot sent, set up builder-style; `.await` sends the callback query
/// through the ingress and gives the [`Sent`] (the edit, the `answerCallbackQuery`). From
/// [`TestBot::press`]:
///
/// ```text
/// bot.press("Next").from(ALICE).await
/// ```
#[derive(Debug)]
#[must_use = "a press is sent by awaiting it"]
pub struct PressBuilder<'a> {
    bot: &'a TestBot,
    label: String,
    user: i64,
    message_id: Option<i64>,
}

impl<'a> PressBuilder<'a> {
    pub(crate) fn new(bot: &'a TestBot, label: &str) -> Self {
        Self {
            bot,
            label: label.to_owned(),
            user: DEFAULT_USER,
            message_id: None,
        }
    }

    /// Who presses (default [`DEFAULT_USER`]).
    pub fn from(mut self, user: i64) -> Self {
        self.user = user;
        self
    }

    /// The button under the bot's message `message_id` (default: the newest that has one).
    pub fn on(mut self, message_id: i64) -> Self {
        self.message_id = Some(message_id);
        self
    }

    /// The callback query update, or what the bot shows instead (to say what is there).
    pub fn update(&self) -> Result<Update, String> {
        let messages = self.bot.sent_messages();
        let data_of = |m: &BotMessage| {
            m.request.reply_markup.as_ref().and_then(|markup| {
                markup
                    .inline_keyboard
                    .iter()
                    .flatten()
                    .find(|b| b.text == self.label)
                    .and_then(|b| b.callback_data.clone())
            })
        };
        let found = messages
            .iter()
            .rev()
            .filter(|m| self.message_id.is_none_or(|id| id == m.message_id))
            .find_map(|m| data_of(m).map(|data| (m, data)));
        let Some((shown, data)) = found else {
            let labels: Vec<&str> = messages
                .iter()
                .filter_map(|m| m.request.reply_markup.as_ref())
                .flat_map(|markup| markup.inline_keyboard.iter().flatten())
                .map(|b| b.text.as_str())
                .collect();
            return Err(format!(
                "no button {:?} with callback data on the bot's messages (buttons: {labels:?})",
                self.label
            ));
        };
        let date = self.bot.clock().now_ms() / 1000;
        let message = sent_message(&shown.request, Some(shown.chat.clone()), shown.message_id, date);
        Ok(callback_update(self.bot.next_id(), self.user, message, &data))
    }
}

impl<'a> IntoFuture for PressBuilder<'a> {
    type Output = Sent;
    type IntoFuture = Pin<Box<dyn Future<Output = Sent> + Send + 'a>>;

    /// # Panics
    /// When the bot shows no such button (a mistake in the test), naming the buttons it shows.
    #[allow(clippy::panic)]
    fn into_future(self) -> Self::IntoFuture {
        let update = match self.update() {
            Ok(update) => update,
            Err(reason) => panic!("{reason}"),
        };
        Box::pin(self.bot.send_update(update))
    }
}
