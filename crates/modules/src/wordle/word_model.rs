//! How the word list is coded, shared by the encoder (`build.rs`, which includes this file as
//! a module of its own) and the decoder ([`super::words`]): one walk of the list's trie and one
//! model, so both sides compute every probability bit for bit alike.
//!
//! The list is a trie of five levels, walked depth first in letter order (so the words come
//! out sorted). A node's letters are found by halving the alphabet: "does some word go on with
//! a letter in a–m?", then in each half that has one, down to single letters; an answer the
//! previous one implies (the right half, when the left had none) is not asked. Each answer is
//! coded with a binary range coder at the probability the earlier answers in its context gave:
//! the context is the depth, the prefix's last letter and which part of the alphabet is asked.
//! That codes the 14,855 words in about 11.4 KB with about 144,000 answers; the LEB128 deltas
//! this replaced took 19 KB, 16.4 KB gzipped. The coded bytes are incompressible, so they cost
//! the Worker's gzipped wasm what they weigh.

use std::ops::Range;

/// Bits of a probability: `1 << PROBABILITY_BITS` is certainty.
pub(crate) const PROBABILITY_BITS: u32 = 16;

/// Parts of the alphabet asked about, numbered as a heap (the whole alphabet is 0, the halves
/// of part `i` are `2i + 1` and `2i + 2`): halving 26 letters takes five steps, so below 63.
const PARTS: usize = 63;

/// Contexts: depth (0–4) × last letter (26, or none at depth 0) × part of the alphabet.
const CONTEXTS: usize = 5 * 27 * PARTS;

/// One side of the coder: the encoder answers from the list and writes the answer, the decoder
/// reads it.
pub(crate) trait Answers {
    /// Whether some word's base-26 number is in `numbers`, coded when "none" has probability
    /// `no` (of [`PROBABILITY_BITS`]).
    fn answer(&mut self, numbers: Range<u32>, no: u32) -> bool;
}

/// Walks the list's trie through `answers`, in word order; `word` gets each word's base-26
/// number (`aaaaa` = 0).
pub(crate) fn walk(answers: &mut impl Answers, word: &mut impl FnMut(u32)) {
    let mut walk = Walk {
        answers,
        word,
        counts: vec![[0; 2]; CONTEXTS],
    };
    walk.node(0, 0, None);
}

struct Walk<'a, A, W> {
    answers: &'a mut A,
    word: &'a mut W,
    /// Per context, the answers so far: (no, yes).
    counts: Vec<[u16; 2]>,
}

impl<A: Answers, W: FnMut(u32)> Walk<'_, A, W> {
    /// The node of the `depth`-letter prefix `prefix` (its base-26 number), whose last letter
    /// is `last` (`None` for the empty prefix).
    fn node(&mut self, depth: u32, prefix: u32, last: Option<u32>) {
        if depth == 5 {
            (self.word)(prefix);
        } else {
            // Every node below the root has a word, so "some letter of a–z" is known.
            self.letters(depth, prefix, last, 0..26, 0, true);
        }
    }

    /// Whether some word goes on from `prefix` with a letter of `letters` (alphabet part
    /// `part`), asked unless `known`; then those letters' nodes.
    fn letters(
        &mut self,
        depth: u32,
        prefix: u32,
        last: Option<u32>,
        letters: Range<u32>,
        part: usize,
        known: bool,
    ) -> bool {
        if !known && !self.ask(depth, prefix, last, letters.clone(), part) {
            return false;
        }
        if letters.len() == 1 {
            self.node(depth + 1, prefix * 26 + letters.start, Some(letters.start));
        } else {
            let middle = (letters.start + letters.end) / 2;
            let left = self.letters(depth, prefix, last, letters.start..middle, 2 * part + 1, false);
            self.letters(depth, prefix, last, middle..letters.end, 2 * part + 2, !left);
        }
        true
    }

    fn ask(&mut self, depth: u32, prefix: u32, last: Option<u32>, letters: Range<u32>, part: usize) -> bool {
        // The words going on from `prefix` with letter `l` are the numbers
        // (prefix × 26 + l) × 26^(4 − depth) up to the next letter's.
        let span = 26u32.pow(4 - depth);
        let numbers = (prefix * 26 + letters.start) * span..(prefix * 26 + letters.end) * span;
        let context = ((depth as usize * 27) + last.map_or(26, |l| l as usize)) * PARTS + part;
        let Some(counts) = self.counts.get_mut(context) else {
            return false;
        };
        let yes = self.answers.answer(numbers, probability_of_no(*counts));
        let slot = &mut counts[usize::from(yes)];
        *slot = slot.saturating_add(1);
        yes
    }
}

/// The probability, of [`PROBABILITY_BITS`], that the answer is no, after `counts` (no, yes)
/// answers in its context (the Krichevsky–Trofimov estimate: half a count each to start).
/// Never 0 nor certainty, so either answer stays codable.
fn probability_of_no(counts: [u16; 2]) -> u32 {
    let no = u32::from(counts[0]);
    let yes = u32::from(counts[1]);
    // At most (2 × 65,535 + 1) << 16, inside a u32.
    (((2 * no + 1) << PROBABILITY_BITS) / (2 * (no + yes) + 2)).clamp(1, (1 << PROBABILITY_BITS) - 1)
}
