//! Argument parsing: whole positive numbers, tickers and `/history`'s count.
//!
//! The commands take typed arguments ([`miti99bot_core::args`]): `/trade_topup` an
//! [`Amount`], `/trade_buy` and `/trade_sell` a `(`[`Qty`]`, `[`Ticker`]`)`. A missing argument
//! answers with the command's usage; a bad number with its own reply ([`render::bad_qty`]).
//!
//! The original used JavaScript's `Number()`; here a number is a whole decimal (or a float
//! literal such as `1e6` that is whole), so money and quantities stay integers end to end.

use miti99bot_core::args::{ArgError, FromArg};

use super::float_literal::{self, Reading};
use super::portfolio::{MAX_QTY, MAX_VND};
use super::render;

/// A top-up amount in VND: positive, whole, at most [`MAX_VND`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub i64);

impl FromArg for Amount {
    fn from_arg(word: &str) -> Result<Self, ArgError> {
        parse_amount(word)
            .map(Self)
            .map_err(|e| ArgError::refused(render::bad_amount(e)))
    }
}

/// A share quantity: positive, whole, at most [`MAX_QTY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Qty(pub i64);

impl FromArg for Qty {
    fn from_arg(word: &str) -> Result<Self, ArgError> {
        parse_qty(word)
            .map(Self)
            .map_err(|e| ArgError::refused(render::bad_qty(e)))
    }
}

/// A ticker as the user typed it, upper-cased (checked with [`is_valid_ticker`] where the
/// command needs a listed one; a reply quotes it through [`echo`](miti99bot_core::args::echo)).
///
/// ```
/// use miti99bot_core::args::parse_args;
/// use miti99bot_modules::trading::args::{Qty, Ticker};
///
/// let (Qty(qty), Ticker(symbol)) = parse_args("100 vnm").unwrap();
/// assert_eq!((qty, symbol.as_str()), (100, "VNM"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticker(pub String);

impl FromArg for Ticker {
    fn from_arg(word: &str) -> Result<Self, ArgError> {
        Ok(Self(normalize_ticker(word)))
    }
}

/// Why an amount or quantity argument was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number, zero, negative or not finite.
    NotPositive,
    /// Positive but with a fractional part.
    NotWhole,
    /// Larger than the limit.
    TooLarge,
}

/// Parses a positive whole number no larger than `max` (below 2^53).
///
/// ```
/// use miti99bot_modules::trading::args::{parse_positive_whole, NumberError};
/// assert_eq!(parse_positive_whole("5000000", 10_000_000), Ok(5_000_000));
/// assert_eq!(parse_positive_whole("1e3", 10_000), Ok(1_000));
/// assert_eq!(parse_positive_whole("1.5", 10), Err(NumberError::NotWhole));
/// assert_eq!(parse_positive_whole("-3", 10), Err(NumberError::NotPositive));
/// assert_eq!(parse_positive_whole("99999999999999999999999", 10), Err(NumberError::TooLarge));
/// ```
pub fn parse_positive_whole(raw: &str, max: i64) -> Result<i64, NumberError> {
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match digits.parse::<i64>() {
            Ok(0) => Err(NumberError::NotPositive),
            Ok(n) if n <= max => Ok(n),
            // All digits but no i64: certainly too large.
            _ => Err(NumberError::TooLarge),
        };
    }
    // Float literals (`1e6`, `2.0`, `0.5`) as JavaScript's Number() reads them: the nearest
    // f64, worked out from the digits (float_literal: Rust's parser costs the wasm several KB).
    match float_literal::read(raw) {
        Reading::NotPositive => Err(NumberError::NotPositive),
        Reading::NotWhole => Err(NumberError::NotWhole),
        // `max` is below 2^53 (MAX_VND at most): a Large value is over it. `n` <= 2^53 is an i64.
        Reading::Whole(n) if n as i64 <= max => Ok(n as i64),
        Reading::Whole(_) | Reading::Large => Err(NumberError::TooLarge),
    }
}

/// Parses a top-up amount in VND (at most [`MAX_VND`]).
pub fn parse_amount(raw: &str) -> Result<i64, NumberError> {
    parse_positive_whole(raw, MAX_VND)
}

/// Parses a share quantity (at most [`MAX_QTY`]).
pub fn parse_qty(raw: &str) -> Result<i64, NumberError> {
    parse_positive_whole(raw, MAX_QTY)
}

/// The ticker as the user typed it, upper-cased in ASCII (a valid ticker is ASCII; a refused
/// one is echoed with its other letters as typed: Unicode's case tables would cost the
/// Worker's wasm ~3 KB for that echo alone, where the original's `toUpperCase` changed them).
pub fn normalize_ticker(raw: &str) -> String {
    raw.to_ascii_uppercase()
}

/// True for a well-formed ticker: 1 to 10 ASCII letters or digits (VN tickers are 3 letters;
/// ETFs and warrants are longer).
pub fn is_valid_ticker(symbol: &str) -> bool {
    (1..=10).contains(&symbol.len()) && symbol.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Default number of trades `/history` shows.
pub const DEFAULT_HISTORY: i64 = 10;
/// Most trades `/history` shows.
pub const MAX_HISTORY: i64 = 50;

/// `/history [n]`'s count, read like JavaScript's `parseInt`: leading digits count, anything
/// else (none, zero, negative, not a number) is [`DEFAULT_HISTORY`]; more than
/// [`MAX_HISTORY`] is [`MAX_HISTORY`].
///
/// ```
/// use miti99bot_modules::trading::args::history_count;
/// assert_eq!(history_count(""), 10);
/// assert_eq!(history_count("25"), 25);
/// assert_eq!(history_count("999"), 50);
/// assert_eq!(history_count("0"), 10);
/// assert_eq!(history_count("7 trades"), 7);
/// ```
pub fn history_count(args: &str) -> i64 {
    let trimmed = args.trim();
    let (negative, rest) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() || negative {
        return DEFAULT_HISTORY;
    }
    match digits.parse::<i64>() {
        Ok(0) => DEFAULT_HISTORY,
        Ok(n) => n.min(MAX_HISTORY),
        // Only digits, so the only failure is overflow.
        Err(_) => MAX_HISTORY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_qty("100"), Ok(100));
        assert_eq!(parse_qty("+7"), Ok(7));
        assert_eq!(parse_qty("2.0"), Ok(2));
        assert_eq!(parse_qty("0"), Err(NumberError::NotPositive));
        assert_eq!(parse_qty("0.0"), Err(NumberError::NotPositive));
        assert_eq!(parse_qty("abc"), Err(NumberError::NotPositive));
        assert_eq!(parse_qty("NaN"), Err(NumberError::NotPositive));
        assert_eq!(parse_qty("inf"), Err(NumberError::NotPositive));
        assert_eq!(parse_qty("1e300"), Err(NumberError::TooLarge));
        assert_eq!(parse_qty("1000000001"), Err(NumberError::TooLarge));
        assert_eq!(parse_qty("1000000000"), Ok(MAX_QTY));
        assert_eq!(parse_amount("1000000000000001"), Err(NumberError::TooLarge));
        assert_eq!(parse_amount("9223372036854775808"), Err(NumberError::TooLarge));
        assert_eq!(parse_amount("0.5"), Err(NumberError::NotWhole));
    }

    /// The implementation before float_literal, on `str::parse::<f64>`.
    fn parse_positive_whole_f64(raw: &str, max: i64) -> Result<i64, NumberError> {
        let digits = raw.strip_prefix('+').unwrap_or(raw);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return match digits.parse::<i64>() {
                Ok(0) => Err(NumberError::NotPositive),
                Ok(n) if n <= max => Ok(n),
                _ => Err(NumberError::TooLarge),
            };
        }
        let Ok(value) = raw.parse::<f64>() else {
            return Err(NumberError::NotPositive);
        };
        if !value.is_finite() || value <= 0.0 {
            return Err(NumberError::NotPositive);
        }
        if value.fract() != 0.0 {
            return Err(NumberError::NotWhole);
        }
        if value > max as f64 {
            return Err(NumberError::TooLarge);
        }
        Ok(value as i64)
    }

    #[test]
    fn same_answers_as_the_f64_parser() {
        // Deterministic xorshift; literals near the limits, whole numbers and halves.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let pieces = [
            "", "+", "-", "0", "1", "5", "9", "99", "000", ".", ".0", ".5", ".25", ".9999999", "e", "e3", "e-2", "e+9",
            "e15", "1000", "999999",
        ];
        for max in [1, 10, MAX_QTY, MAX_VND, (1 << 53) - 1] {
            let max_text = max.to_string();
            for _ in 0..20_000 {
                let mut raw = String::new();
                if next() % 3 == 0 {
                    raw.push_str(&max_text[..(next() % (max_text.len() as u64 + 1)) as usize]);
                }
                for _ in 0..next() % 5 {
                    raw.push_str(pieces[(next() % pieces.len() as u64) as usize]);
                }
                assert_eq!(
                    parse_positive_whole(&raw, max),
                    parse_positive_whole_f64(&raw, max),
                    "{raw:?} max {max}"
                );
            }
        }
    }

    #[test]
    fn tickers() {
        assert_eq!(normalize_ticker("vnm"), "VNM");
        assert!(is_valid_ticker("VNM"));
        assert!(is_valid_ticker("E1VFVN30"));
        assert!(!is_valid_ticker(""));
        assert!(!is_valid_ticker("<B>"));
        assert!(!is_valid_ticker("ABCDEFGHIJK"));
    }

    #[test]
    fn history_counts() {
        assert_eq!(history_count("-5"), 10);
        assert_eq!(history_count("abc"), 10);
        assert_eq!(history_count("1"), 1);
        assert_eq!(history_count("50"), 50);
        assert_eq!(history_count("51"), 50);
        assert_eq!(history_count("99999999999999999999999"), 50);
    }
}
