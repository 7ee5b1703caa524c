//! When to try a call again, and how long to wait; and the per-action
//! client-side rate limit.

use crate::setters::setters;
use crate::{Error, ServiceErrorCode, TransportErrorKind};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Whether running an action twice is safe, which decides what may be
/// retried after the request may have reached the server.
///
/// The generator decides it per action (stated in each method's docs): an
/// action whose request has a `ClientToken` member, or that is read-only by
/// Tencent's naming convention (`Describe…`, `Get…`, `List…`, `Query…`,
/// `Inquir…`), is [`Idempotent`](RetryClass::Idempotent); every other one is
/// [`NotIdempotent`](RetryClass::NotIdempotent). Override it per action with
/// [`ClientBuilder::retry_class`](crate::ClientBuilder::retry_class), or for
/// one call with [`CallOptions::retry_class`](crate::CallOptions::retry_class).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryClass {
    /// Safe to run again: besides what every call retries, a timeout after
    /// sending, a connection reset or cut mid-answer, an `InternalError*`
    /// code and an HTTP 5xx answer are retried.
    Idempotent,
    /// Running it twice could act twice (create twice): only failures known
    /// not to have reached the server and `RequestLimitExceeded*` answers are
    /// retried.
    NotIdempotent,
}

impl RetryClass {
    /// Whether a call that may have reached the server can be sent again.
    pub fn is_idempotent(self) -> bool {
        self == RetryClass::Idempotent
    }
}

/// How the client retries, whatever the action: how many attempts and how
/// long to wait. Which failures are retried depends on the action's
/// [`RetryClass`]: every call retries `RequestLimitExceeded` (and its
/// `RequestLimitExceeded.*` sub-codes) and connection failures that happened
/// before anything was sent; idempotent calls also retry failures after
/// sending, `InternalError*` and HTTP 5xx. The default: up to 3 attempts in
/// all, exponential backoff from 200 ms to 5 s with jitter.
///
/// ```
/// # use tencentcloud_runtime::RetryPolicy;
/// # use std::time::Duration;
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(100));
/// assert_eq!(policy.max_attempts, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with each retry.
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
    /// Retry when the connection failed before the request was sent.
    pub retry_not_sent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            retry_not_sent: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    setters! {
        /// This policy with `attempts` attempts in all, the first included (at
        /// least 1).
        max_attempts(attempts: u32) => max_attempts = attempts.max(1);
        /// This policy with this backoff before the first retry.
        initial_backoff(backoff: Duration) => initial_backoff = backoff;
        /// This policy with this largest backoff.
        max_backoff(backoff: Duration) => max_backoff = backoff;
        /// This policy, retrying connection failures before sending or not.
        retry_not_sent(retry: bool) => retry_not_sent = retry;
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

    /// Why `error` may be retried under this policy for a call of `class`,
    /// if it may.
    pub(crate) fn retry_reason<E: ServiceErrorCode>(
        &self,
        class: RetryClass,
        error: &Error<E>,
    ) -> Option<&'static str> {
        let idempotent = class.is_idempotent();
        match error {
            Error::Service(err) if is_rate_limited(err.code.as_str()) => {
                Some("RequestLimitExceeded")
            }
            Error::Service(err) if idempotent && is_internal_error(err.code.as_str()) => {
                Some("InternalError")
            }
            Error::Transport { source, .. } => match source.kind() {
                TransportErrorKind::NotSent if self.retry_not_sent => Some("not sent"),
                TransportErrorKind::MaybeSent if idempotent => Some("may have been sent"),
                _ => None,
            },
            Error::Http { status, .. } if idempotent && *status >= 500 => Some("HTTP 5xx"),
            _ => None,
        }
    }
}

/// Whether a service error code asks to be retried later.
pub fn is_rate_limited(code: &str) -> bool {
    code == "RequestLimitExceeded" || code.starts_with("RequestLimitExceeded.")
}

/// Whether a service error code reports a failure inside the service
/// (`InternalError` and its sub-codes), worth retrying when safe.
pub fn is_internal_error(code: &str) -> bool {
    code == "InternalError" || code.starts_with("InternalError.")
}

/// Spaces the calls of each action of each service so that the calls
/// through one runtime [`Client`](crate::Client) (and its clones) stay
/// within the action's documented requests-per-second limit: a burst waits
/// instead of collecting `RequestLimitExceeded`. Its scope is that client:
/// two clients built separately, or two processes, each have their own
/// budget, as the service's limit does not (it counts per account).
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    next_slot: Mutex<HashMap<(&'static str, &'static str), Instant>>,
}

impl RateLimiter {
    /// Reserves the next slot for `action` of `service` and waits for it.
    pub(crate) async fn wait(&self, service: &'static str, action: &'static str, per_second: u32) {
        let interval = Duration::from_secs(1) / per_second.max(1);
        let slot = {
            let mut slots = self
                .next_slot
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = Instant::now();
            let key = (service, action);
            let slot = slots.get(&key).copied().filter(|s| *s > now).unwrap_or(now);
            slots.insert(key, slot + interval);
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
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
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
        assert!(is_internal_error("InternalError"));
        assert!(is_internal_error("InternalError.DbError"));
        assert!(!is_internal_error("InternalErrorX"));
        assert!(!is_internal_error("FailedOperation"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_spaced_to_the_limit() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for _ in 0..41 {
            limiter.wait("lcic", "BatchCreateRoom", 20).await;
        }
        // 41 calls at 20/s: the last one starts 2 s after the first.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        // Another action, and the same action of another service, have their own budget.
        let other = Instant::now();
        limiter.wait("lcic", "DescribeRoom", 20).await;
        limiter.wait("dnspod", "BatchCreateRoom", 20).await;
        assert_eq!(other.elapsed(), Duration::ZERO);
    }
}
