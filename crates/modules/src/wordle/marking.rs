//! Guess validation and the standard two-pass letter marking.

use super::words;

/// How one letter of a guess scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The right letter in the right place (🟩).
    Correct,
    /// A letter of the answer, elsewhere (🟨).
    Partial,
    /// Not in the answer, or every copy already marked (⬜).
    Wrong,
}

/// Lowercases and deletes every character outside `a–z` (spaces, digits, accents, punctuation).
/// ASCII lowercasing: the only letters whose Unicode lowercase is ASCII are `İ` and the Kelvin
/// sign, which the original kept as `i` and `k`; here they are dropped like every other
/// non-ASCII letter, and the Worker carries no Unicode case tables.
pub fn normalize_word(input: &str) -> String {
    input
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(char::is_ascii_lowercase)
        .collect()
}

/// Why a guess is refused (it does not use up a turn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Nothing left after normalising.
    Empty,
    /// Not five letters.
    Length,
    /// Five letters, not in the list.
    Unknown,
}

impl Invalid {
    /// The reply.
    pub fn text(self) -> &'static str {
        match self {
            Invalid::Empty => "Please provide a 5-letter word.",
            Invalid::Length => "Word must be exactly 5 letters.",
            Invalid::Unknown => "Not in the word list.",
        }
    }
}

/// The normalised guess, or why it is refused.
pub fn validate_guess(input: &str) -> Result<String, Invalid> {
    let word = normalize_word(input);
    if word.is_empty() {
        Err(Invalid::Empty)
    } else if word.len() != 5 {
        Err(Invalid::Length)
    } else if !words::contains(&word) {
        Err(Invalid::Unknown)
    } else {
        Ok(word)
    }
}

/// Marks `guess` against `target` (both five lowercase letters): exact positions first, then
/// left to right, each remaining letter is partial while the answer has an unmarked copy left.
pub fn mark(guess: &str, target: &str) -> Vec<(char, Mark)> {
    let guess: Vec<char> = guess.chars().collect();
    let target: Vec<char> = target.chars().collect();
    let mut marks = vec![Mark::Wrong; guess.len()];
    let mut pool: Vec<char> = Vec::new();
    for (i, &t) in target.iter().enumerate() {
        if guess.get(i) == Some(&t) {
            marks[i] = Mark::Correct;
        } else {
            pool.push(t);
        }
    }
    for (i, g) in guess.iter().enumerate() {
        if marks[i] == Mark::Correct {
            continue;
        }
        if let Some(at) = pool.iter().position(|p| p == g) {
            pool.swap_remove(at);
            marks[i] = Mark::Partial;
        }
    }
    guess.into_iter().zip(marks).collect()
}

#[cfg(test)]
mod tests {
    use super::Mark::{Correct as C, Partial as P, Wrong as W};
    use super::*;

    fn marks(guess: &str, target: &str) -> Vec<Mark> {
        mark(guess, target).into_iter().map(|(_, m)| m).collect()
    }

    #[test]
    fn the_originals_marking_examples() {
        assert_eq!(marks("slate", "shale"), [C, P, C, W, C]);
        assert_eq!(marks("babes", "abbey"), [P, P, C, C, W]);
        assert_eq!(marks("aahed", "abide"), [C, W, W, P, P]);
        assert_eq!(marks("ebbed", "lever"), [P, W, W, C, W]);
    }

    #[test]
    fn all_correct_all_wrong_and_letters_in_order() {
        assert_eq!(marks("crane", "crane"), [C; 5]);
        assert_eq!(marks("abcde", "fghij"), [W; 5]);
        let letters: String = mark("crane", "cloud").into_iter().map(|(l, _)| l).collect();
        assert_eq!(letters, "crane");
        assert_eq!(marks("crane", "cloud"), [C, W, W, W, W]);
    }

    #[test]
    fn normalisation_as_in_the_original() {
        assert_eq!(normalize_word("  CRANE  "), "crane");
        assert_eq!(normalize_word("cr-ane"), "crane");
        assert_eq!(normalize_word("cr4ne"), "crne");
        assert_eq!(normalize_word(""), "");
        assert_eq!(normalize_word("crâne"), "crne");
    }

    #[test]
    fn validation_as_in_the_original() {
        assert_eq!(validate_guess("crane").as_deref(), Ok("crane"));
        assert_eq!(validate_guess("CRANE").as_deref(), Ok("crane"));
        assert_eq!(validate_guess("cr-ane").as_deref(), Ok("crane"));
        assert_eq!(validate_guess(""), Err(Invalid::Empty));
        assert_eq!(validate_guess("---"), Err(Invalid::Empty));
        assert_eq!(validate_guess("12345"), Err(Invalid::Empty));
        assert_eq!(validate_guess("cat"), Err(Invalid::Length));
        assert_eq!(validate_guess("catnaps"), Err(Invalid::Length));
        assert_eq!(validate_guess("cr4ne"), Err(Invalid::Length));
        assert_eq!(validate_guess("zzzzz"), Err(Invalid::Unknown));
    }
}
