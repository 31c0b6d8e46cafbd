//! How long the client keeps retrying a call Telegram rate-limits.

use std::time::Duration;

/// The bound on retries of a 429 answer: Telegram's `retry_after` is honoured while both
/// limits hold; past them the call fails with `TelegramError::RateLimited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least 1).
    pub max_attempts: u32,
    /// The most the client sleeps across the retries of one call.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Whether to wait `retry_after` and try again after `attempts` attempts and `waited` so far.
    pub fn should_retry(&self, attempts: u32, waited: Duration, retry_after: Duration) -> bool {
        attempts < self.max_attempts.max(1) && waited.saturating_add(retry_after) <= self.max_total_wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_by_attempts_and_total_wait() {
        let policy = RetryPolicy::default();
        let s = Duration::from_secs;
        assert!(policy.should_retry(1, s(0), s(5)));
        assert!(policy.should_retry(2, s(5), s(25)));
        assert!(!policy.should_retry(3, s(0), s(0)));
        assert!(!policy.should_retry(1, s(0), s(31)));
        assert!(!policy.should_retry(2, s(20), s(11)));
        let once = RetryPolicy {
            max_attempts: 0,
            max_total_wait: s(30),
        };
        assert!(!once.should_retry(1, s(0), s(0)));
    }
}
