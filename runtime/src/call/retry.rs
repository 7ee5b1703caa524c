//! When to try a call again, and how long to wait; and the per-action
//! client-side rate limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// How the client retries. The default retries `RequestLimitExceeded` (and
/// its `RequestLimitExceeded.*` sub-codes) and connection failures that
/// happened before anything was sent, up to 3 attempts in all, with
/// exponential backoff and jitter. A request that may have reached the server
/// is not retried unless [`RetryPolicy::retry_maybe_sent`] is set: retrying
/// `BatchCreateRoom` after a timeout could create the rooms twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with each retry.
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
    /// Retry when the connection failed before the request was sent.
    pub retry_not_sent: bool,
    /// Retry when the request may have reached the server (timeouts after
    /// sending, connections broken mid-answer). Only for idempotent calls.
    pub retry_maybe_sent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            retry_not_sent: true,
            retry_maybe_sent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1-based): exponential, capped,
    /// with "equal jitter" (half fixed, half random) so that many clients
    /// limited at once do not retry in lockstep.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let full = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Whether a service error code asks to be retried later.
pub fn is_rate_limited(code: &str) -> bool {
    code == "RequestLimitExceeded" || code.starts_with("RequestLimitExceeded.")
}

/// Spaces the calls of each action so that one process stays within the
/// action's documented requests-per-second limit: a burst waits instead of
/// collecting `RequestLimitExceeded`.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    next_slot: Mutex<HashMap<&'static str, Instant>>,
}

impl RateLimiter {
    /// Reserves the next slot for `action` and waits for it.
    pub(crate) async fn wait(&self, action: &'static str, per_second: u32) {
        let interval = Duration::from_secs(1) / per_second.max(1);
        let slot = {
            let mut slots = self
                .next_slot
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = Instant::now();
            let slot = slots
                .get(action)
                .copied()
                .filter(|s| *s > now)
                .unwrap_or(now);
            slots.insert(action, slot + interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(
                first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
                "{first:?}"
            );
            let second = policy.backoff(2);
            assert!(
                second >= Duration::from_millis(100) && second <= Duration::from_millis(200),
                "{second:?}"
            );
            let capped = policy.backoff(20);
            assert!(
                capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350),
                "{capped:?}"
            );
        }
    }

    #[test]
    fn rate_limit_codes() {
        assert!(is_rate_limited("RequestLimitExceeded"));
        assert!(is_rate_limited("RequestLimitExceeded.UinLimitExceeded"));
        assert!(!is_rate_limited("RequestLimitExceededX"));
        assert!(!is_rate_limited("LimitExceeded"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_spaced_to_the_limit() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for _ in 0..41 {
            limiter.wait("BatchCreateRoom", 20).await;
        }
        // 41 calls at 20/s: the last one starts 2 s after the first.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        // Another action has its own budget.
        let other = Instant::now();
        limiter.wait("DescribeRoom", 20).await;
        assert_eq!(other.elapsed(), Duration::ZERO);
    }
}
