//! Properties of trading's argument parsing (args.rs), for any input a user can type.
#![allow(clippy::unwrap_used)]

use miti99bot_modules::trading::args::{
    history_count, is_valid_ticker, normalize_ticker, parse_positive_whole, split_args, NumberError, MAX_HISTORY,
};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn a_parsed_number_is_positive_whole_and_within_its_limit(raw in "\\PC{0,30}", max in 1i64..(1 << 53)) {
        if let Ok(n) = parse_positive_whole(&raw, max) {
            prop_assert!(n >= 1 && n <= max, "{raw:?} -> {n}");
        }
    }

    #[test]
    fn every_decimal_in_range_reads_as_itself(n in 1i64..(1 << 53), plus in any::<bool>()) {
        let raw = if plus { format!("+{n}") } else { n.to_string() };
        prop_assert_eq!(parse_positive_whole(&raw, 1 << 53), Ok(n));
        prop_assert_eq!(parse_positive_whole(&raw, n - 1), Err(NumberError::TooLarge));
    }

    #[test]
    fn zero_negative_and_fractions_are_refused(n in 0i64..1_000_000, frac in 1u32..100) {
        prop_assert_eq!(parse_positive_whole(&format!("-{n}"), 1 << 53).is_err(), true);
        prop_assert_eq!(parse_positive_whole(&format!("{n}.{frac:02}"), 1 << 53).is_err(), true);
        prop_assert_eq!(parse_positive_whole("0", 10), Err(NumberError::NotPositive));
    }

    #[test]
    fn history_count_is_always_within_1_and_the_maximum(args in "\\PC{0,40}") {
        let n = history_count(&args);
        prop_assert!((1..=MAX_HISTORY).contains(&n), "{args:?} -> {n}");
    }

    #[test]
    fn a_valid_ticker_is_its_own_normal_form(raw in "\\PC{0,20}") {
        let symbol = normalize_ticker(&raw);
        if is_valid_ticker(&symbol) {
            prop_assert_eq!(normalize_ticker(&symbol), symbol.clone());
            prop_assert!(symbol.len() <= 10);
        }
    }

    #[test]
    fn split_args_has_no_blank_argument(args in "\\PC{0,60}") {
        for arg in split_args(&args) {
            prop_assert!(!arg.is_empty() && !arg.contains(char::is_whitespace));
        }
    }
}
