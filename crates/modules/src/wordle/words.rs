//! The 14,855-word list (`words.txt`, the original's allowed guesses and answers), coded at
//! build time by `build.rs` with `word_model` into about 12 KB, and
//! decoded on first use into its sorted base-26 numbers (`aaaaa` = 0; 58 KB, kept for the
//! process or isolate). Membership is a binary search; the `n`-th word is an index.

use std::sync::OnceLock;

use miti99bot_core::Random;

use super::word_model::{self, Answers, PROBABILITY_BITS};

include!(concat!(env!("OUT_DIR"), "/wordle_words.rs"));

/// A word's base-26 number (`aaaaa` = 0), or `None` unless it is five letters a–z.
fn encode(word: &str) -> Option<u32> {
    let bytes = word.as_bytes();
    if bytes.len() != 5 || !bytes.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    Some(bytes.iter().fold(0, |v, b| v * 26 + u32::from(b - b'a')))
}

/// The word of a base-26 number below 26^5.
fn decode(mut value: u32) -> String {
    let mut letters = [b'a'; 5];
    for slot in letters.iter_mut().rev() {
        // value % 26 < 26, so the cast cannot truncate.
        *slot = b'a' + (value % 26) as u8;
        value /= 26;
    }
    letters.iter().map(|&b| char::from(b)).collect()
}

/// The list's numbers, in order, decoded once.
fn numbers() -> &'static [u32] {
    static NUMBERS: OnceLock<Vec<u32>> = OnceLock::new();
    NUMBERS.get_or_init(|| {
        let mut decoder = RangeDecoder::new(CODED_WORDS);
        let mut numbers = Vec::with_capacity(WORD_COUNT);
        word_model::walk(&mut decoder, &mut |n| numbers.push(n));
        numbers
    })
}

impl Answers for RangeDecoder {
    fn answer(&mut self, _numbers: std::ops::Range<u32>, no: u32) -> bool {
        self.decode(no)
    }
}

/// The binary range decoder matching `build.rs`'s encoder (LZMA's). Past the end it reads
/// zeros, as the encoder's flush assumes.
struct RangeDecoder {
    bytes: &'static [u8],
    at: usize,
    code: u32,
    range: u32,
}

impl RangeDecoder {
    fn new(bytes: &'static [u8]) -> Self {
        let mut decoder = Self {
            bytes,
            at: 0,
            code: 0,
            range: u32::MAX,
        };
        // The encoder's first byte is always 0 and the next four start the code.
        for _ in 0..5 {
            decoder.code = (decoder.code << 8) | decoder.next_byte();
        }
        decoder
    }

    fn next_byte(&mut self) -> u32 {
        let byte = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        u32::from(byte)
    }

    /// The next answer, when no had probability `no` (of [`PROBABILITY_BITS`]).
    fn decode(&mut self, no: u32) -> bool {
        let bound = (self.range >> PROBABILITY_BITS) * no;
        let yes = self.code >= bound;
        if yes {
            self.code -= bound;
            self.range -= bound;
        } else {
            self.range = bound;
        }
        while self.range < 1 << 24 {
            self.range <<= 8;
            self.code = (self.code << 8) | self.next_byte();
        }
        yes
    }
}

/// Whether `word` (five lowercase letters) is in the list.
pub fn contains(word: &str) -> bool {
    let Some(value) = encode(word) else {
        return false;
    };
    numbers().binary_search(&value).is_ok()
}

/// The `index`-th word in list order (`None` past the end).
pub fn word_at(index: usize) -> Option<String> {
    numbers().get(index).copied().map(decode)
}

/// How many words the list has.
pub fn len() -> usize {
    numbers().len()
}

/// A uniformly random word of the whole list (the original drew answers from it too).
pub fn pick(random: &dyn Random) -> String {
    let index = random.below(len() as u64) as usize;
    word_at(index).unwrap_or_else(|| decode(0))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use miti99bot_core::SeededRandom;

    use super::*;

    const TEXT: &str = include_str!("words.txt");

    #[test]
    fn the_packed_list_is_the_text_list() {
        let words: Vec<&str> = TEXT.lines().collect();
        assert_eq!(len(), 14_855);
        assert_eq!(words.len(), len());
        for (i, word) in words.iter().enumerate() {
            assert_eq!(word_at(i).as_deref(), Some(*word), "index {i}");
            assert!(contains(word), "{word}");
        }
        assert_eq!(word_at(len()), None);
        assert_eq!(word_at(0).as_deref(), Some("aahed"));
        assert_eq!(word_at(len() - 1).as_deref(), Some("zymic"));
    }

    #[test]
    fn words_outside_the_list_are_not_found() {
        for word in [
            "zzzzz", "aaaaa", "crne", "cranes", "CRANE", "", "abcde", "zzzzy", "cr4ne",
        ] {
            assert!(!contains(word), "{word}");
        }
        for word in ["crane", "about", "abbey", "slate", "shale", "lever", "ebbed"] {
            assert!(contains(word), "{word}");
        }
    }

    #[test]
    fn a_pinned_seed_picks_a_known_word() {
        let a = pick(&SeededRandom::new(1));
        assert_eq!(a, pick(&SeededRandom::new(1)));
        assert!(contains(&a));
    }

    #[test]
    fn the_coded_list_is_under_a_seventh_of_the_text() {
        assert_eq!(WORD_COUNT, len());
        assert!(
            CODED_WORDS.len() * 7 < TEXT.len(),
            "{} bytes coded vs {} text",
            CODED_WORDS.len(),
            TEXT.len()
        );
    }
}
