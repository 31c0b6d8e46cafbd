//! Randomness, supplied by the runtime like the clock.
//!
//! The core draws no randomness of its own: the native runtime passes a generator seeded from
//! the operating system (or pinned with `MITI99BOT_RANDOM_SEED`), the Worker passes
//! `crypto.getRandomValues`, and tests pass a [`SeededRandom`] with a seed they choose, so a
//! test knows what a game will pick.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::maybe_send::{MaybeSend, MaybeSync};

/// A source of uniformly distributed random numbers.
pub trait Random: MaybeSend + MaybeSync {
    /// The next 64 random bits.
    fn next_u64(&self) -> u64;

    /// A uniformly distributed number in `0..n` (`0` when `n` is 0), without modulo bias: draws
    /// that fall in the incomplete last stretch of the `u64` range are drawn again.
    fn below(&self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// A source that always draws the same: `below(n)` is `value % n` (tests that need to know
/// exactly what every draw picks, like [`FixedClock`](crate::FixedClock) for time).
///
/// ```
/// use miti99bot_core::{FixedRandom, Random};
///
/// assert_eq!(FixedRandom(175).below(172), 3);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FixedRandom(pub u64);

impl Random for FixedRandom {
    fn next_u64(&self) -> u64 {
        self.0
    }

    fn below(&self, n: u64) -> u64 {
        self.0.checked_rem(n).unwrap_or(0)
    }
}

/// A deterministic generator (SplitMix64): the same seed gives the same numbers, on every
/// platform. Tests pin a seed with it; the native runtime seeds it once at start-up. Shared
/// between threads without a lock (the state is one atomic counter).
///
/// ```
/// use miti99bot_core::{Random, SeededRandom};
///
/// let a = SeededRandom::new(7);
/// let b = SeededRandom::new(7);
/// assert_eq!(a.below(172), b.below(172));
/// ```
#[derive(Debug)]
pub struct SeededRandom {
    state: AtomicU64,
}

/// SplitMix64's increment (the golden ratio, odd).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl SeededRandom {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: AtomicU64::new(seed),
        }
    }
}

impl Random for SeededRandom {
    fn next_u64(&self) -> u64 {
        let mut z = self.state.fetch_add(GAMMA, Ordering::Relaxed).wrapping_add(GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_its_reference_sequence() {
        // The first outputs of SplitMix64 from seed 0 (Vigna's reference implementation).
        let r = SeededRandom::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn below_stays_in_range_and_reaches_every_value() {
        let r = SeededRandom::new(42);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let x = r.below(7);
            assert!(x < 7);
            seen[x as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(r.below(0), 0);
        assert_eq!(r.below(1), 0);
    }

    #[test]
    fn the_same_seed_gives_the_same_draws() {
        let a = SeededRandom::new(99);
        let b = SeededRandom::new(99);
        let c = SeededRandom::new(100);
        let draw = |r: &SeededRandom| (0..8).map(|_| r.below(14_855)).collect::<Vec<_>>();
        assert_eq!(draw(&a), draw(&b));
        assert_ne!(draw(&SeededRandom::new(99)), draw(&c));
    }
}
