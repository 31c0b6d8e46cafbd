//! How the framework answers a button press (`answerCallbackQuery`).

use crate::telegram::AnswerCallbackQuery;

/// What a callback handler returns: a silent answer, a toast, or an alert the user dismisses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallbackAnswer {
    text: Option<String>,
    alert: bool,
}

/// Telegram shows at most 200 characters of a callback answer.
const MAX_ANSWER_CHARS: usize = 200;

impl CallbackAnswer {
    /// No notification (the button's spinner just stops).
    pub fn silent() -> Self {
        Self::default()
    }

    /// A short notification at the top of the chat.
    pub fn toast(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            alert: false,
        }
    }

    /// A dialog the user dismisses.
    pub fn alert(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            alert: true,
        }
    }

    /// The text shown, if any.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Whether it is an alert.
    pub fn is_alert(&self) -> bool {
        self.alert
    }

    /// The `answerCallbackQuery` of query `id` (a text over Telegram's 200 characters cut
    /// with `…`, so the answer is never refused).
    pub(crate) fn request(&self, id: &str) -> AnswerCallbackQuery {
        let mut request = AnswerCallbackQuery::new(id);
        if let Some(text) = self.text.as_ref().filter(|t| !t.is_empty()) {
            let text = if text.chars().count() > MAX_ANSWER_CHARS {
                let mut cut: String = text.chars().take(MAX_ANSWER_CHARS - 1).collect();
                cut.push('…');
                cut
            } else {
                text.clone()
            };
            request = request.with_text(text);
            if self.alert {
                request.show_alert = Some(true);
            }
        }
        request
    }
}

impl From<()> for CallbackAnswer {
    fn from((): ()) -> Self {
        Self::silent()
    }
}

impl From<&str> for CallbackAnswer {
    fn from(text: &str) -> Self {
        Self::toast(text)
    }
}

impl From<String> for CallbackAnswer {
    fn from(text: String) -> Self {
        Self::toast(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_requests() {
        assert_eq!(CallbackAnswer::silent().request("q"), AnswerCallbackQuery::new("q"));
        assert_eq!(
            CallbackAnswer::from("hi").request("q"),
            AnswerCallbackQuery::new("q").with_text("hi")
        );
        let alert = CallbackAnswer::alert("stop").request("q");
        assert_eq!(alert.show_alert, Some(true));
        let long = CallbackAnswer::toast("é".repeat(300)).request("q");
        assert_eq!(long.text.as_deref().map(|t| t.chars().count()), Some(200));
        assert!(long.text.is_some_and(|t| t.ends_with('…')));
    }
}
