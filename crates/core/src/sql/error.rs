use thiserror::Error;

/// What can go wrong with a SQL call.
#[derive(Debug, Error)]
pub enum SqlError {
    /// More bound parameters than D1 allows in one statement.
    #[error("too many bound parameters: {count} (D1 allows at most {max} per statement)")]
    TooManyParameters {
        /// Parameters bound.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A transaction-control statement; batches are the atomic unit.
    #[error("{keyword} is not allowed: D1 has no explicit transactions, use batch() for atomic writes")]
    TransactionControl {
        /// The offending keyword, upper-cased.
        keyword: String,
    },
    /// An integer that JavaScript cannot hold exactly.
    #[error("integer {value} is outside ±(2^53 − 1), which D1 cannot represent exactly ({place})")]
    IntegerOutOfRange {
        /// The value.
        value: i64,
        /// Where it was seen ("bound parameter 3", "column \"id\"").
        place: String,
    },
    /// A real that is NaN or infinite.
    #[error("non-finite real {} at {place}", non_finite_name(*.value))]
    NonFiniteReal {
        /// The value.
        value: f64,
        /// Where it was seen.
        place: String,
    },
    /// The number of `?` placeholders differs from the number of values bound.
    #[error("statement expects {expected} bound parameters, {given} given")]
    ParameterCount {
        /// Placeholders in the statement.
        expected: usize,
        /// Values bound.
        given: usize,
    },
    /// The statement text holds no statement, or more than one.
    #[error("invalid statement: {0}")]
    InvalidStatement(String),
    /// A row could not be turned into the caller's type.
    #[error("row does not match the requested type: {0}")]
    Decode(String),
    /// The update this write belongs to was already applied by another delivery (see
    /// [`UpdateClaim`](crate::ledger::UpdateClaim)): nothing was written.
    #[error("update {update_id} was already applied by another delivery")]
    AlreadyApplied {
        /// The update's id.
        update_id: i64,
    },
    /// The database refused or failed the statement.
    #[error("sql error: {message}")]
    Database {
        /// The database's message.
        message: String,
    },
}

impl SqlError {
    /// A database error with `message`.
    pub fn database(message: impl Into<String>) -> Self {
        Self::Database {
            message: message.into(),
        }
    }
}

/// `NaN`, `inf` or `-inf`: a non-finite real's name without Rust's float formatting (which
/// would cost the Worker's wasm ~10 KB for this one message).
fn non_finite_name(value: f64) -> &'static str {
    if value.is_nan() {
        "NaN"
    } else if value > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}
