use miti99bot_core::ingress::Outcome;
use miti99bot_core::telegram::{AnswerCallbackQuery, ApiRequest, EditMessageText, SendMessage};
use miti99bot_core::Dispatch;

/// What one update made the bot do: how the ingress ended it and the Bot API calls it made,
/// typed (texts, parse modes, reply markup, edits), in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// How the update ended (applied, duplicate, failed, …).
    pub outcome: Outcome,
    /// Every Bot API call of the update, in order.
    pub requests: Vec<ApiRequest>,
}

impl Sent {
    pub(crate) fn new(outcome: Outcome, requests: Vec<ApiRequest>) -> Self {
        Self { outcome, requests }
    }

    /// The text of the one reply: `Some` when the update made exactly one call, a
    /// `sendMessage` (the framework's "exactly one reply").
    pub fn text(&self) -> Option<&str> {
        self.reply().map(|m| m.text.as_str())
    }

    /// The one reply, as [`text`](Self::text) finds it, with its parse mode and markup.
    pub fn reply(&self) -> Option<&SendMessage> {
        match self.requests.as_slice() {
            [ApiRequest::SendMessage(message)] => Some(message),
            _ => None,
        }
    }

    /// Every `sendMessage`, in order.
    pub fn messages(&self) -> Vec<&SendMessage> {
        self.requests
            .iter()
            .filter_map(|r| match r {
                ApiRequest::SendMessage(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    /// Every `editMessageText`, in order.
    pub fn edits(&self) -> Vec<&EditMessageText> {
        self.requests
            .iter()
            .filter_map(|r| match r {
                ApiRequest::EditMessageText(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    /// The `answerCallbackQuery` of a button press (its toast or alert), when one was sent.
    pub fn answer(&self) -> Option<&AnswerCallbackQuery> {
        self.requests.iter().find_map(|r| match r {
            ApiRequest::AnswerCallbackQuery(a) => Some(a),
            _ => None,
        })
    }

    /// The texts of every `sendMessage` and `editMessageText`, in order.
    pub fn texts(&self) -> Vec<&str> {
        self.requests
            .iter()
            .filter_map(|r| match r {
                ApiRequest::SendMessage(m) => Some(m.text.as_str()),
                ApiRequest::EditMessageText(e) => Some(e.text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether a command handler took the update and succeeded.
    pub fn handled(&self) -> bool {
        matches!(self.outcome, Outcome::Applied(Dispatch::Handled { .. }))
    }
}
