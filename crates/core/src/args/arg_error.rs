use super::echo::echo;

/// Why a command's arguments did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgError {
    /// Fewer words than the command takes.
    Missing,
    /// More words than the command takes; `word` is the first one too many.
    Extra {
        /// The first word left over.
        word: String,
    },
    /// A word that is not what the command takes there.
    Invalid {
        /// The word as written.
        word: String,
        /// What was expected, e.g. `"a whole number"`.
        expected: &'static str,
    },
    /// The type's own reply ("Amount must be a positive number."), sent instead of the usage.
    Refused(String),
}

impl ArgError {
    /// `word` is not `expected` (e.g. `"a whole number"`).
    pub fn invalid(word: &str, expected: &'static str) -> Self {
        Self::Invalid {
            word: word.to_owned(),
            expected,
        }
    }

    /// A refusal whose text is the reply.
    pub fn refused(reply: impl Into<String>) -> Self {
        Self::Refused(reply.into())
    }

    /// The reply to a command whose arguments failed: a [`Refused`](Self::Refused)'s own text;
    /// otherwise `usage` (the command's [`usage`](crate::Command::usage)), after a line naming
    /// the bad word for [`Invalid`](Self::Invalid). Without a usage, one line naming `/command`
    /// and what is wrong. Quoted input is bounded by [`echo`].
    ///
    /// ```
    /// use miti99bot_core::args::ArgError;
    ///
    /// let usage = Some("Usage: /double <number>");
    /// assert_eq!(ArgError::Missing.reply_text("double", usage), "Usage: /double <number>");
    /// assert_eq!(
    ///     ArgError::invalid("x", "a whole number").reply_text("double", usage),
    ///     "\"x\" is not a whole number.\nUsage: /double <number>"
    /// );
    /// assert_eq!(ArgError::Missing.reply_text("double", None), "/double: an argument is missing.");
    /// ```
    pub fn reply_text(&self, command: &str, usage: Option<&str>) -> String {
        match (self, usage) {
            (Self::Refused(text), _) => text.clone(),
            (_, None) => format!("/{command}: {self}."),
            (Self::Invalid { .. }, Some(usage)) => format!("{self}.\n{usage}"),
            (_, Some(usage)) => usage.to_owned(),
        }
    }
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => write!(f, "an argument is missing"),
            Self::Extra { word } => write!(f, "\"{}\" is one argument too many", echo(word)),
            Self::Invalid { word, expected } => write!(f, "\"{}\" is not {expected}", echo(word)),
            Self::Refused(text) => write!(f, "{text}"),
        }
    }
}

impl std::error::Error for ArgError {}
