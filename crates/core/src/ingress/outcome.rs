//! How applying one update ended, and what the webhook answers for it.

use crate::bot::Dispatch;

/// How applying an update ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Dispatched: handled, refused, or ignored (no handler takes it: nothing was written).
    Applied(Dispatch),
    /// Another delivery had applied it: nothing more was done.
    Duplicate,
    /// The handler failed after its first effect (logged); the update counts as applied, so a
    /// redelivery is skipped rather than half-applied twice.
    Failed(String),
    /// The handler failed before any effect, of something permanent (logged); nothing was
    /// applied and a redelivery would fail alike, so it is acknowledged.
    Rejected(String),
    /// The handler panicked (logged); acknowledged like [`Outcome::Failed`].
    Panicked,
    /// Nothing was applied because a dependency failed (the ledger, the database, the
    /// network) before the first effect: the update should be delivered again.
    Unavailable(String),
}

impl Outcome {
    /// Whether the update may be acknowledged (everything but [`Outcome::Unavailable`]).
    pub fn acknowledged(&self) -> bool {
        !matches!(self, Outcome::Unavailable(_))
    }

    /// A short label for logs and metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Applied(Dispatch::Handled { .. }) => "handled",
            Outcome::Applied(Dispatch::Refused { .. }) => "refused",
            Outcome::Applied(Dispatch::Ignored) => "ignored",
            Outcome::Applied(Dispatch::Pressed { refused: false, .. }) => "pressed",
            Outcome::Applied(Dispatch::Pressed { refused: true, .. }) => "press refused",
            Outcome::Applied(Dispatch::Stale) => "stale press",
            Outcome::Applied(Dispatch::Delivered { .. }) => "delivered",
            Outcome::Duplicate => "duplicate",
            Outcome::Failed(_) => "failed",
            Outcome::Rejected(_) => "rejected",
            Outcome::Panicked => "panicked",
            Outcome::Unavailable(_) => "unavailable",
        }
    }
}

/// What the webhook answers: a status and a body the HTTP layer sends as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAnswer {
    /// HTTP status.
    pub status: u16,
    /// The body.
    pub body: AnswerBody,
}

/// A webhook answer's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerBody {
    /// No body.
    Empty,
    /// `text/plain; charset=utf-8`.
    Text(&'static str),
    /// `application/json`: a Bot API call Telegram makes on the bot's behalf (webhook reply).
    Json(String),
}

impl AnswerBody {
    /// The `Content-Type` to send, if any.
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            AnswerBody::Empty => None,
            AnswerBody::Text(_) => Some("text/plain; charset=utf-8"),
            AnswerBody::Json(_) => Some("application/json"),
        }
    }

    /// The bytes to send.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            AnswerBody::Empty => b"",
            AnswerBody::Text(text) => text.as_bytes(),
            AnswerBody::Json(json) => json.as_bytes(),
        }
    }
}

impl WebhookAnswer {
    /// `status` with a plain-text body.
    pub fn text(status: u16, body: &'static str) -> Self {
        Self {
            status,
            body: AnswerBody::Text(body),
        }
    }

    /// 200 with no body: acknowledged.
    pub fn ok() -> Self {
        Self {
            status: 200,
            body: AnswerBody::Empty,
        }
    }

    /// 200 with a Bot API call to make inline.
    pub fn inline(json: String) -> Self {
        Self {
            status: 200,
            body: AnswerBody::Json(json),
        }
    }

    /// 503: not applied, deliver again later.
    pub fn retry_later() -> Self {
        Self::text(503, "try again later")
    }
}
