//! The retry rules, written once: which failures of a call are tried
//! again ([`RetryClass`]), how many times and how long to wait
//! ([`RetryPolicy`]), and the loop that applies them, which the client's
//! calls and the credential providers' STS calls share.

use super::error::{Error, ServiceErrorCode};
use super::setters::setters;
use super::transport_error::TransportErrorKind;
use std::future::Future;
use std::time::Duration;

/// The window Tencent Cloud counts its rate limits in: a rate-limited call
/// is retried once it has passed.
const RATE_LIMIT_WINDOW: Duration = Duration::from_secs(1);
/// The retry reason of a `RequestLimitExceeded*` answer.
const RATE_LIMITED: &str = "RequestLimitExceeded";

/// Whether running an action twice is safe, which decides what may be
/// retried after the request may have reached the server.
///
/// This is the one place the retry rules are written; the generated crates
/// link here.
///
/// # What is retried
///
/// Every call, of either class, is tried again after:
/// - a `RequestLimitExceeded` answer, or one of its
///   `RequestLimitExceeded.*` sub-codes, once the one-second window the
///   quota is counted in has passed: at least 1 s, then 2 s, … (see
///   [`RetryPolicy::rate_limit_backoff`]);
/// - a connection failure known not to have reached the server
///   ([`TransportErrorKind::NotSent`]: connection refused, DNS, TLS), unless
///   the policy's [`retry_not_sent`](RetryPolicy::retry_not_sent) is off.
///
/// An [`Idempotent`](RetryClass::Idempotent) call is also tried again after
/// a failure that may have reached the server:
/// - a timeout after sending, or a connection reset or cut mid-answer
///   ([`TransportErrorKind::MaybeSent`]);
/// - an `InternalError` answer, or one of its `InternalError.*` sub-codes;
/// - an HTTP 5xx status without an error envelope.
///
/// Nothing else is retried: other error codes, other HTTP statuses, an
/// answer that does not decode or is over the size cap, a request that
/// cannot be built, missing credentials. How many attempts a call gets and
/// how long it waits between them is the [`RetryPolicy`]'s.
///
/// # Who decides an action's class
///
/// The generator decides it, per action, from the action's spec; each
/// generated method's docs say which class the action is of and why. An
/// action made by hand ([`Action::new`](crate::Action::new),
/// [`Client::call_json`](crate::Client::call_json)) is
/// [`NotIdempotent`](RetryClass::NotIdempotent) unless told otherwise.
///
/// # Overriding it
///
/// - For every call of one action through a client:
///   [`ClientBuilder::retry_class`](crate::ClientBuilder::retry_class), e.g.
///   `.retry_class("cvm", "RunInstances", RetryClass::Idempotent)` for a
///   create that is safe to repeat, or [`NotIdempotent`](RetryClass::NotIdempotent)
///   for a read with side effects.
/// - For one call: [`CallOptions::retry_class`](crate::CallOptions::retry_class),
///   or the same setter on the [`CallBuilder`](crate::CallBuilder) every
///   generated method returns
///   (`lcic.describe_room(&request).retry_class(RetryClass::NotIdempotent).await`).
///
/// The call's own class wins over the client's override, which wins over
/// the generated class.
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

/// How many attempts a call gets and how long it waits between them.
/// Which failures are retried is decided by the call's [`RetryClass`],
/// whose docs list them.
///
/// The default ([`RetryPolicy::default`]): up to 3 attempts in all, the
/// first included; before retry *n* a backoff of `initial_backoff` ×
/// 2<sup>*n*−1</sup> (200 ms, then 400 ms, …) capped at `max_backoff` (5 s),
/// with equal jitter (a random wait between half of that and all of it, so
/// that clients limited at once do not retry in lockstep); connection
/// failures before sending are retried. [`RetryPolicy::never`] makes one
/// attempt only.
///
/// A `RequestLimitExceeded*` answer waits longer: Tencent Cloud counts its
/// quotas per second, so a retry sooner than a second later meets the same
/// limit. Before retry *n* of a rate-limited call the wait is at least
/// 1 s × 2<sup>*n*−1</sup> (1 s, then 2 s, as the official Python SDK
/// waits; `initial_backoff` × 2<sup>*n*−1</sup> when that is longer), plus
/// up to half again of jitter, capped at `max_backoff`
/// ([`rate_limit_backoff`](Self::rate_limit_backoff)). A policy whose
/// `max_backoff` is under a second therefore retries a rate-limited call
/// sooner than the quota window, and may meet the limit again.
///
/// Set it for every call of a client with
/// [`ClientBuilder::retry`](crate::ClientBuilder::retry), or for one call
/// with [`CallOptions::retry`](crate::CallOptions::retry) or the same setter
/// on the [`CallBuilder`](crate::CallBuilder) a generated method returns.
/// The STS calls of the role providers
/// ([`credentials`](crate::credentials)) use the default policy, as
/// [`NotIdempotent`](RetryClass::NotIdempotent) calls.
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

    /// The wait before retry number `retry` (1-based) of a call answered
    /// `RequestLimitExceeded*`: past the one-second quota window, 1 s ×
    /// 2<sup>*retry*−1</sup> (or the [`backoff`](Self::backoff)'s base when
    /// longer), plus up to half again of jitter, capped at `max_backoff`.
    pub fn rate_limit_backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let base = self
            .initial_backoff
            .max(RATE_LIMIT_WINDOW)
            .saturating_mul(1 << exponent);
        let jitter = (base / 2).mul_f64(fastrand::f64());
        base.saturating_add(jitter).min(self.max_backoff)
    }

    /// The wait before retry number `retry` after a failure retried for `reason`.
    fn wait_before(&self, retry: u32, reason: &str) -> Duration {
        if reason == RATE_LIMITED {
            self.rate_limit_backoff(retry)
        } else {
            self.backoff(retry)
        }
    }

    /// Why `error` may be retried under this policy for a call of `class`,
    /// if it may: the rules [`RetryClass`] documents.
    fn retry_reason<E: ServiceErrorCode>(
        &self,
        class: RetryClass,
        error: &Error<E>,
    ) -> Option<&'static str> {
        let idempotent = class.is_idempotent();
        match error {
            Error::Service(err) if is_rate_limited(err.code.as_str()) => Some(RATE_LIMITED),
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

/// Runs `attempt` (given its number, from 1) until it succeeds, fails in a
/// way `policy` does not retry for a call of `class`, or has been run
/// `policy.max_attempts` times, waiting [`RetryPolicy::backoff`] before each
/// retry. Records `attempts` on the current span and logs each retry.
pub(crate) async fn retrying<T, E, F>(
    policy: &RetryPolicy,
    class: RetryClass,
    mut run: impl FnMut(u32) -> F,
) -> Result<T, Error<E>>
where
    E: ServiceErrorCode,
    F: Future<Output = Result<T, Error<E>>>,
{
    let mut attempt = 1;
    loop {
        let outcome = run(attempt).await;
        tracing::Span::current().record("attempts", attempt);
        let Some(reason) = outcome
            .as_ref()
            .err()
            .and_then(|err| policy.retry_reason(class, err))
        else {
            return outcome;
        };
        if attempt >= policy.max_attempts {
            tracing::warn!(attempt, reason, "giving up");
            return outcome;
        }
        let wait = policy.wait_before(attempt, reason);
        tracing::info!(
            attempt,
            reason,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        tokio::time::sleep(wait).await;
        attempt += 1;
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
    fn rate_limited_retries_wait_past_the_quota_window() {
        let s = Duration::from_secs;
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            let first = policy.rate_limit_backoff(1);
            assert!(first >= s(1) && first <= s(1) + s(1) / 2, "{first:?}");
            let second = policy.rate_limit_backoff(2);
            assert!(second >= s(2) && second <= s(3), "{second:?}");
            // 4..=6 s, capped at the default's 5 s.
            let third = policy.rate_limit_backoff(3);
            assert!(third >= s(4) && third <= s(5), "{third:?}");
        }
        let short = policy.clone().max_backoff(Duration::from_millis(300));
        assert_eq!(short.rate_limit_backoff(1), Duration::from_millis(300));
        let slow = policy.initial_backoff(s(3)).max_backoff(s(60));
        assert!(slow.rate_limit_backoff(1) >= s(3));
        assert!(slow.wait_before(1, "not sent") <= s(3));
        assert!(slow.wait_before(2, RATE_LIMITED) >= s(6));
    }

    #[test]
    fn paginator_errors_are_never_retried() {
        let policy = RetryPolicy::default();
        let errors: [Error<String>; 2] = [
            Error::TooManyPages {
                action: "ListThings",
                pages: 3,
            },
            Error::FirstPageUnknown {
                action: "ListThings",
                member: "page_number",
            },
        ];
        for err in &errors {
            for class in [RetryClass::Idempotent, RetryClass::NotIdempotent] {
                assert_eq!(policy.retry_reason(class, err), None, "{err:?}");
            }
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
}
