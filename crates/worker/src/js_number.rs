//! D1 hands every number to JavaScript as a double; this maps one back to a typed value.

use miti99bot_core::sql::Value;

/// An integral double becomes [`Value::Integer`] (then checked against ±(2^53 − 1) by the core
/// rules, so a rounded big integer is an error, not a silent change); anything else is
/// [`Value::Real`].
///
/// D1 cannot tell a REAL column's `3.0` from an INTEGER `3`: both arrive as the number 3 and read
/// as an integer here. Decode such columns into `f64`, which accepts both.
pub fn number_to_value(n: f64) -> Value {
    const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
    if n.fract() == 0.0 && (-TWO_POW_63..TWO_POW_63).contains(&n) {
        // Exact: the value is integral and inside i64's range.
        #[allow(clippy::cast_possible_truncation)]
        Value::Integer(n as i64)
    } else {
        Value::Real(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_numbers_are_integers() {
        assert_eq!(number_to_value(7_123_456_789.0), Value::Integer(7_123_456_789));
        assert_eq!(
            number_to_value(-1_001_234_567_890.0),
            Value::Integer(-1_001_234_567_890)
        );
        assert_eq!(number_to_value(2.5), Value::Real(2.5));
        assert_eq!(number_to_value(9_007_199_254_740_992.0), Value::Integer(1 << 53));
        assert!(matches!(number_to_value(f64::NAN), Value::Real(r) if r.is_nan()));
        assert!(matches!(number_to_value(1e300), Value::Real(_)));
    }
}
