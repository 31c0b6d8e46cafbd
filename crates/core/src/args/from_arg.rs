use super::arg_error::ArgError;

/// A type one word of the arguments parses into (`i64`, `String`, a ticker of your own).
///
/// ```
/// use miti99bot_core::args::{parse_args, ArgError, FromArg};
///
/// /// A ticker: letters, upper-cased.
/// struct Ticker(String);
///
/// impl FromArg for Ticker {
///     fn from_arg(word: &str) -> Result<Self, ArgError> {
///         if word.chars().all(|c| c.is_ascii_alphabetic()) {
///             Ok(Ticker(word.to_uppercase()))
///         } else {
///             Err(ArgError::invalid(word, "a ticker"))
///         }
///     }
/// }
///
/// let (qty, Ticker(symbol)): (u32, Ticker) = parse_args("10 vnm").unwrap();
/// assert_eq!((qty, symbol.as_str()), (10, "VNM"));
/// ```
pub trait FromArg: Sized {
    /// Parses one word.
    fn from_arg(word: &str) -> Result<Self, ArgError>;
}

impl FromArg for String {
    fn from_arg(word: &str) -> Result<Self, ArgError> {
        Ok(word.to_owned())
    }
}

macro_rules! integer_arg {
    ($($t:ty),*) => {$(
        impl FromArg for $t {
            fn from_arg(word: &str) -> Result<Self, ArgError> {
                word.parse().map_err(|_| ArgError::invalid(word, concat!("a whole number (", stringify!($t), ")")))
            }
        }
    )*};
}

integer_arg!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl FromArg for f64 {
    fn from_arg(word: &str) -> Result<Self, ArgError> {
        match word.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(value),
            _ => Err(ArgError::invalid(word, "a number")),
        }
    }
}

impl FromArg for bool {
    fn from_arg(word: &str) -> Result<Self, ArgError> {
        match word.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(true),
            "false" | "no" | "off" | "0" => Ok(false),
            _ => Err(ArgError::invalid(word, "yes or no")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_refuse_what_is_not_one() {
        assert_eq!(i64::from_arg("-12"), Ok(-12));
        assert_eq!(
            u32::from_arg("-1"),
            Err(ArgError::invalid("-1", "a whole number (u32)"))
        );
        assert_eq!(f64::from_arg("2.5"), Ok(2.5));
        assert!(f64::from_arg("inf").is_err());
        assert!(f64::from_arg("NaN").is_err());
        assert_eq!(bool::from_arg("Yes"), Ok(true));
        assert!(bool::from_arg("maybe").is_err());
    }
}
