//! The native random source: a [`SeededRandom`] seeded once from the operating system, or from
//! `MITI99BOT_RANDOM_SEED` when set (the console transcript and tests pin it).
//!
//! The seed comes from std's `RandomState`, whose keys std draws from the OS (`getrandom(2)` on
//! Linux) the first time a thread asks: no dependency of our own for 64 bits once per process.
//! The games draw one number per round, so a fast, seeded generator after that is enough; none
//! of it is a secret (a round's answer is stored in plain text).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use miti99bot_core::{Config, SeededRandom};

use crate::error::CliError;

/// The variable that pins the seed.
pub const SEED_VAR: &str = "MITI99BOT_RANDOM_SEED";

/// 64 bits from the operating system, through std's hash keys.
pub fn os_seed() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0);
    hasher.finish()
}

/// The runtime's random source: seeded from `MITI99BOT_RANDOM_SEED` (a whole number) when it is
/// set, else from the OS.
pub fn random_from_config(config: &Config) -> Result<SeededRandom, CliError> {
    match config.get(SEED_VAR) {
        None => Ok(SeededRandom::new(os_seed())),
        Some(raw) => raw
            .trim()
            .parse::<u64>()
            .map(SeededRandom::new)
            .map_err(|_| CliError::Config(format!("{SEED_VAR}: {raw:?} is not a whole number (0 to 2^64 - 1)"))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use miti99bot_core::Random;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        Config::from_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))).unwrap()
    }

    #[test]
    fn a_pinned_seed_repeats_and_a_bad_one_is_refused() {
        let a = random_from_config(&config(&[(SEED_VAR, "7")])).unwrap();
        assert_eq!(a.next_u64(), SeededRandom::new(7).next_u64());
        let error = random_from_config(&config(&[(SEED_VAR, "seven")])).unwrap_err();
        assert!(error.to_string().contains("MITI99BOT_RANDOM_SEED"), "{error}");
    }

    #[test]
    fn os_seeds_differ_between_draws() {
        // Every RandomState gets fresh keys, so two seeds in one process differ too.
        let seeds: std::collections::HashSet<u64> = (0..16).map(|_| os_seed()).collect();
        assert_eq!(seeds.len(), 16);
    }
}
