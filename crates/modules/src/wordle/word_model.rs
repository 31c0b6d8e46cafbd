//! The model the word list is coded with, shared by the encoder (`build.rs`, which includes
//! this file as a module of its own) and the decoder ([`super::words`]): both must compute
//! every probability bit for bit alike.
//!
//! The list is a trie of five levels; each node is coded as 26 yes/no answers, "does this
//! prefix go on with letter `l`?", in letter order, depth first (so the words come out sorted).
//! Each answer is coded with a binary range coder, at the probability the answers so far in
//! its context gave: the context is the depth, the prefix's last letter and `l`. That model
//! codes the 14,855 words in about 12 KB, where the LEB128 deltas it replaced took 19 KB and
//! gzip brought those to 16 KB; the coded bytes are incompressible, so they cost the Worker's
//! gzipped wasm what they weigh.

/// Bits of a probability: `1 << PROBABILITY_BITS` is certainty.
pub(crate) const PROBABILITY_BITS: u32 = 16;

/// How many contexts the model has: depth (0–4) × last letter (26, or none at depth 0) ×
/// the letter asked about.
pub(crate) const CONTEXTS: usize = 5 * 27 * 26;

/// The context of "does a prefix of `depth` letters, whose last letter is `last` (`None` for
/// the empty prefix), go on with `letter`" (letters 0–25).
pub(crate) fn context(depth: usize, last: Option<usize>, letter: usize) -> usize {
    (depth * 27 + last.unwrap_or(26)) * 26 + letter
}

/// The probability, of [`PROBABILITY_BITS`], that the answer is no, after `counts` (no, yes)
/// answers in its context (the Krichevsky–Trofimov estimate, half a count each to start).
/// Never 0 nor certainty, so either answer stays codable.
pub(crate) fn probability_of_no(counts: [u16; 2]) -> u32 {
    let no = u32::from(counts[0]);
    let yes = u32::from(counts[1]);
    // At most (2 × 14,855 + 1) << 16, well inside a u32.
    (((2 * no + 1) << PROBABILITY_BITS) / (2 * (no + yes) + 2)).clamp(1, (1 << PROBABILITY_BITS) - 1)
}

/// Counts an answer in its context.
pub(crate) fn count(counts: &mut [u16; 2], yes: bool) {
    let slot = &mut counts[usize::from(yes)];
    *slot = slot.saturating_add(1);
}
