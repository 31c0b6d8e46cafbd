//! Properties of trading's argument parsing (args.rs), for any input a user can type.
#![allow(clippy::unwrap_used)]

use miti99bot_core::args::{echo, Words, ECHO_MAX_CHARS};
use miti99bot_modules::trading::args::{
    history_count, is_valid_ticker, normalize_ticker, parse_positive_whole, NumberError, MAX_HISTORY,
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
    fn the_words_of_typed_arguments_are_never_blank(args in "\\PC{0,60}") {
        let words: Vec<&str> = Words::new(&args).collect();
        for word in &words {
            prop_assert!(!word.is_empty() && !word.contains(char::is_whitespace));
        }
        prop_assert_eq!(words, args.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn an_echo_is_at_most_its_limit_and_a_prefix_of_the_input(input in "\\PC{0,80}") {
        let quoted = echo(&input);
        prop_assert!(quoted.chars().count() <= ECHO_MAX_CHARS);
        prop_assert!(input.starts_with(quoted.trim_end_matches('…')), "{input:?} -> {quoted:?}");
    }
}
