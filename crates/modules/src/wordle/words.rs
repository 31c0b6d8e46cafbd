//! The 14,855-word list (`words.txt`, the original's allowed guesses and answers), packed at
//! build time by `build.rs`: sorted base-26 numbers cut into blocks of 128, each block its first
//! number and the LEB128 deltas to the next words. Membership is a binary search over the
//! blocks and a scan of at most 128 deltas; the `n`-th word decodes one block.

use miti99bot_core::Random;

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

/// The numbers of block `block`, in order (empty past the end).
fn block_values(block: usize) -> impl Iterator<Item = u32> {
    let first = WORD_BLOCK_FIRST.get(block).copied();
    let start = WORD_BLOCK_OFFSET
        .get(block)
        .map_or(WORD_DELTAS.len(), |&o| usize::from(o));
    let len = WORDS_PER_BLOCK.min(WORD_COUNT.saturating_sub(block * WORDS_PER_BLOCK));
    let mut bytes = WORD_DELTAS.get(start..).unwrap_or_default().iter();
    let mut current = first;
    (0..len).map_while(move |i| {
        if i > 0 {
            let mut delta = 0u32;
            let mut shift = 0;
            loop {
                let byte = *bytes.next()?;
                delta |= u32::from(byte & 0x7f) << shift;
                if byte & 0x80 == 0 {
                    break;
                }
                shift += 7;
            }
            current = current.map(|c| c + delta);
        }
        current
    })
}

/// Whether `word` (five lowercase letters) is in the list.
pub fn contains(word: &str) -> bool {
    let Some(value) = encode(word) else {
        return false;
    };
    let block = WORD_BLOCK_FIRST.partition_point(|&first| first <= value);
    block > 0 && block_values(block - 1).any(|v| v == value)
}

/// The `index`-th word in list order (`None` past the end).
pub fn word_at(index: usize) -> Option<String> {
    block_values(index / WORDS_PER_BLOCK)
        .nth(index % WORDS_PER_BLOCK)
        .map(decode)
}

/// How many words the list has.
pub fn len() -> usize {
    WORD_COUNT
}

/// A uniformly random word of the whole list (the original drew answers from it too).
pub fn pick(random: &dyn Random) -> String {
    let index = random.below(WORD_COUNT as u64) as usize;
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
    fn the_packing_is_about_a_quarter_of_the_text() {
        let packed = WORD_DELTAS.len() + 6 * WORD_BLOCK_FIRST.len();
        assert!(
            packed * 4 < TEXT.len() + TEXT.len() / 10,
            "{packed} bytes packed vs {} text",
            TEXT.len()
        );
    }
}
