//! The retry rules, written once: which failures of a call are tried
//! again ([`RetryClass`], and the codes a policy adds: [`RetryCode`]), how
//! many times and how long to wait ([`RetryPolicy`]), and the loop that
//! applies them, which the client's calls and the credential providers' STS
//! calls share.

use super::error::{Error, ServiceErrorCode};
use super::setters::setters;
use super::transport_error::TransportErrorKind;
use std::fmt;
use std::future::Future;
use std::str::FromStr;
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
/// - an HTTP 5xx status without an error envelope;
/// - an answer with one of the codes the policy chose
///   ([`RetryPolicy::retry_codes`]: `ResourceInUse`, `ResourceUnavailable.*`, …).
///
/// A [`NotIdempotent`](RetryClass::NotIdempotent) call is not retried on a
/// chosen code: an error answer says the service received the call, not
/// that it did nothing with it, so a create answered `ResourceInUse` may
/// have acted. Mark the action [`Idempotent`](RetryClass::Idempotent)
/// (below) when you know it is safe to repeat.
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
    /// code, an HTTP 5xx answer and the policy's chosen
    /// [`retry_codes`](RetryPolicy::retry_codes) are retried.
    Idempotent,
    /// Running it twice could act twice (create twice): only failures known
    /// not to have reached the server and `RequestLimitExceeded*` answers are
    /// retried (not the policy's chosen [`retry_codes`](RetryPolicy::retry_codes)).
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
/// A policy may also retry service error codes you choose
/// ([`retry_codes`](Self::retry_codes): `ResourceInUse`, or a code and its
/// sub-codes, `ResourceUnavailable.*`), with the backoff above, for
/// [`Idempotent`](RetryClass::Idempotent) calls only; [`RetryCode`] says
/// how a pattern matches.
///
/// # Where a call's policy comes from
///
/// Set it for every call of a client with
/// [`ClientBuilder::retry`](crate::ClientBuilder::retry), for every call of
/// one action through a client with
/// [`ClientBuilder::retry_policy_for`](crate::ClientBuilder::retry_policy_for),
/// or for one call with [`CallOptions::retry`](crate::CallOptions::retry) or
/// the same setter on the [`CallBuilder`](crate::CallBuilder) a generated
/// method returns. The call's own policy wins over its action's, which wins
/// over the client's; the one that wins is taken whole, not merged (a call's
/// policy without chosen codes retries none). The STS calls of the role
/// providers ([`credentials`](crate::credentials)) use the default policy,
/// as [`NotIdempotent`](RetryClass::NotIdempotent) calls.
///
/// ```
/// # use tencentcloud_runtime::RetryPolicy;
/// # use std::time::Duration;
/// # fn main() -> Result<(), tencentcloud_runtime::RetryCodeError> {
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(100))
///     .retry_codes(["ResourceInUse", "ResourceUnavailable.*"])?;
/// assert_eq!(policy.max_attempts, 5);
/// assert_eq!(policy.retry_codes.len(), 2);
/// # Ok(()) }
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
    /// The service error codes retried besides the built-in ones, for
    /// [`Idempotent`](RetryClass::Idempotent) calls; none by default. Set
    /// with [`retry_codes`](Self::retry_codes).
    pub retry_codes: Vec<RetryCode>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            retry_not_sent: true,
            retry_codes: Vec::new(),
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

    /// This policy, also retrying the service error codes `patterns`
    /// (for [`Idempotent`](RetryClass::Idempotent) calls): each an exact
    /// code (`ResourceInUse`) or a code and its sub-codes
    /// (`ResourceUnavailable.*`), as [`RetryCode`] parses them.
    ///
    /// The codes are added to those the policy already has (a pattern it
    /// has already is not added twice); to start over, clear the
    /// [`retry_codes`](Self::retry_codes) field.
    ///
    /// # Errors
    /// The first pattern that is not one, naming it; the policy is then
    /// dropped, none of the patterns added.
    pub fn retry_codes<I>(mut self, patterns: I) -> Result<Self, RetryCodeError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        for pattern in patterns {
            let code = RetryCode::parse(pattern.as_ref())?;
            if !self.retry_codes.contains(&code) {
                self.retry_codes.push(code);
            }
        }
        Ok(self)
    }

    /// Whether `code` is one of the codes this policy chose to retry.
    fn chose(&self, code: &str) -> bool {
        self.retry_codes.iter().any(|chosen| chosen.matches(code))
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
            Error::Service(err) if idempotent && self.chose(err.code.as_str()) => {
                Some("chosen code")
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
    is_code_or_sub_code(code, "RequestLimitExceeded")
}

/// Whether a service error code reports a failure inside the service
/// (`InternalError` and its sub-codes), worth retrying when safe.
pub fn is_internal_error(code: &str) -> bool {
    is_code_or_sub_code(code, "InternalError")
}

/// Whether `code` is `family` or one of its sub-codes (`family.…`): how the
/// built-in codes above and a [`RetryCode`] ending in `.*` match.
fn is_code_or_sub_code(code: &str, family: &str) -> bool {
    code.strip_prefix(family)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// A service error code a [`RetryPolicy`] retries besides the built-in ones
/// ([`RetryPolicy::retry_codes`]): an exact code, or a code and its
/// sub-codes.
///
/// - `ResourceInUse` matches `ResourceInUse` only (not
///   `ResourceInUse.Something`).
/// - `ResourceUnavailable.*` matches `ResourceUnavailable` itself and every
///   sub-code `ResourceUnavailable.…` (`ResourceUnavailable.RoomStatistics`),
///   not `ResourceUnavailableX`: the same rule as the built-in
///   `InternalError` and `RequestLimitExceeded`, which retry a code and its
///   sub-codes. `InvalidParameter.ActionInProgress.*` matches that code and
///   its sub-codes, not the rest of `InvalidParameter`.
///
/// Codes are compared as written, case included. A pattern is one or more
/// parts joined by `.`, each of ASCII letters, digits, `_` or `-`, and may
/// end with `.*`; anything else is refused ([`RetryCodeError`]): an empty
/// pattern, `*` alone, a `*` anywhere but after the last `.`, an empty part
/// (`.X`, `X.`, `X..Y`), whitespace.
///
/// ```
/// # use tencentcloud_runtime::RetryCode;
/// let family: RetryCode = "ResourceUnavailable.*".parse().unwrap();
/// assert!(family.matches("ResourceUnavailable"));
/// assert!(family.matches("ResourceUnavailable.RoomStatistics"));
/// assert!(!family.matches("ResourceInUse"));
///
/// let err = RetryCode::parse("Resource*").unwrap_err();
/// assert_eq!(err.pattern(), "Resource*");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RetryCode {
    /// The pattern as given, `.*` included.
    pattern: Box<str>,
}

impl RetryCode {
    /// Parses `pattern`: a code (`ResourceInUse`), or a code and its
    /// sub-codes (`ResourceUnavailable.*`).
    ///
    /// # Errors
    /// A pattern that is not one of these, as [`RetryCode`] says: the error
    /// names it and what is wrong.
    pub fn parse(pattern: &str) -> Result<RetryCode, RetryCodeError> {
        let refuse = |problem| RetryCodeError {
            pattern: pattern.to_owned(),
            problem,
        };
        let code = pattern.strip_suffix(".*").unwrap_or(pattern);
        if pattern.is_empty() {
            return Err(refuse("it is empty"));
        }
        if pattern.chars().any(char::is_whitespace) {
            return Err(refuse("it contains whitespace"));
        }
        if pattern == "*" || code.is_empty() {
            return Err(refuse(
                "a `*` must follow a code and a `.`, as in `ResourceUnavailable.*`",
            ));
        }
        if code.contains('*') {
            return Err(refuse("a `*` may only end the pattern, after a `.`"));
        }
        for part in code.split('.') {
            if part.is_empty() {
                return Err(refuse("it has an empty part (`.` at an end, or `..`)"));
            }
            if !part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(refuse(
                    "a code is ASCII letters, digits, `_` and `-`, in parts joined by `.`",
                ));
            }
        }
        Ok(RetryCode {
            pattern: pattern.into(),
        })
    }

    /// The pattern, as given.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the service error code `code` is one this pattern retries.
    pub fn matches(&self, code: &str) -> bool {
        match self.pattern.strip_suffix(".*") {
            Some(family) => is_code_or_sub_code(code, family),
            None => code == &*self.pattern,
        }
    }
}

impl FromStr for RetryCode {
    type Err = RetryCodeError;

    fn from_str(pattern: &str) -> Result<Self, Self::Err> {
        RetryCode::parse(pattern)
    }
}

impl fmt::Display for RetryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

/// Why a retry code pattern was refused ([`RetryCode::parse`],
/// [`RetryPolicy::retry_codes`]): it names the pattern and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid retry code pattern {pattern:?}: {problem}")]
pub struct RetryCodeError {
    pattern: String,
    problem: &'static str,
}

impl RetryCodeError {
    /// The pattern refused, as given.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &'static str {
        self.problem
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

    fn service_error(code: &str) -> Error<String> {
        Error::Service(crate::shared::ServiceError {
            action: "DescribeRoom",
            code: code.to_owned(),
            message: "m".into(),
            request_id: "r".into(),
            call: None,
        })
    }

    #[test]
    fn a_retry_code_is_an_exact_code_or_a_code_and_its_sub_codes() {
        let exact = RetryCode::parse("ResourceInUse").unwrap();
        assert!(exact.matches("ResourceInUse"));
        assert!(!exact.matches("ResourceInUse.Disk"));
        assert!(!exact.matches("ResourceInUseX"));
        assert!(!exact.matches("resourceinuse"));

        let family: RetryCode = "ResourceUnavailable.*".parse().unwrap();
        assert!(family.matches("ResourceUnavailable"));
        assert!(family.matches("ResourceUnavailable.RoomStatistics"));
        assert!(family.matches("ResourceUnavailable.A.B"));
        assert!(!family.matches("ResourceUnavailableX"));
        assert!(!family.matches("ResourceInUse"));
        assert!(!family.matches("FailedOperation.ResourceUnavailable"));

        let deep = RetryCode::parse("InvalidParameter.ActionInProgress.*").unwrap();
        assert!(deep.matches("InvalidParameter.ActionInProgress"));
        assert!(deep.matches("InvalidParameter.ActionInProgress.Now"));
        assert!(!deep.matches("InvalidParameter"));
        assert!(!deep.matches("InvalidParameter.Other"));

        assert_eq!(family.as_str(), "ResourceUnavailable.*");
        assert_eq!(family.to_string(), "ResourceUnavailable.*");
    }

    #[test]
    fn invalid_retry_code_patterns_are_refused_naming_them() {
        for pattern in [
            "",
            "*",
            ".*",
            "*.ResourceInUse",
            "Resource*",
            "ResourceUnavailable*",
            "ResourceUnavailable.*.Disk",
            "ResourceUnavailable.**",
            "ResourceUnavailable.*.*",
            "Resource InUse",
            " ResourceInUse",
            "ResourceInUse\n",
            ".ResourceInUse",
            "ResourceInUse.",
            "Resource..InUse",
            "ResourceInUse?",
            "Ressource\u{e9}",
        ] {
            let err = RetryCode::parse(pattern).unwrap_err();
            assert_eq!(err.pattern(), pattern);
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("invalid retry code pattern {pattern:?}: ")),
                "{message}"
            );
            assert!(!err.problem().is_empty());
            assert_eq!(pattern.parse::<RetryCode>(), Err(err.clone()));
            let refused = RetryPolicy::default().retry_codes(["ResourceInUse", pattern]);
            assert_eq!(refused, Err(err), "{pattern:?}");
        }
        // Each is told what is wrong with it.
        for (pattern, problem) in [
            ("", "it is empty"),
            ("Resource InUse", "it contains whitespace"),
            (
                "*",
                "a `*` must follow a code and a `.`, as in `ResourceUnavailable.*`",
            ),
            ("X.*.Y", "a `*` may only end the pattern, after a `.`"),
            ("X..Y", "it has an empty part (`.` at an end, or `..`)"),
            (
                "X/Y",
                "a code is ASCII letters, digits, `_` and `-`, in parts joined by `.`",
            ),
        ] {
            assert_eq!(RetryCode::parse(pattern).unwrap_err().problem(), problem);
        }
        for pattern in ["ResourceInUse", "A.*", "Failed_Operation.X-1", "X.Y.*"] {
            assert!(RetryCode::parse(pattern).is_ok(), "{pattern:?}");
        }
    }

    #[test]
    fn retry_codes_accumulate_without_duplicates() {
        let policy = RetryPolicy::default()
            .retry_codes(["ResourceInUse"])
            .unwrap()
            .retry_codes(vec![
                String::from("ResourceUnavailable.*"),
                String::from("ResourceInUse"),
            ])
            .unwrap();
        let patterns: Vec<&str> = policy.retry_codes.iter().map(RetryCode::as_str).collect();
        assert_eq!(patterns, ["ResourceInUse", "ResourceUnavailable.*"]);
        assert!(RetryPolicy::default().retry_codes.is_empty());
    }

    #[test]
    fn chosen_codes_are_retried_for_idempotent_calls_only() {
        let policy = RetryPolicy::default()
            .retry_codes(["ResourceInUse", "ResourceUnavailable.*"])
            .unwrap();
        for code in [
            "ResourceInUse",
            "ResourceUnavailable",
            "ResourceUnavailable.RoomStatistics",
        ] {
            let err = service_error(code);
            assert_eq!(
                policy.retry_reason(RetryClass::Idempotent, &err),
                Some("chosen code"),
                "{code}"
            );
            assert_eq!(policy.retry_reason(RetryClass::NotIdempotent, &err), None);
            assert_eq!(
                RetryPolicy::default().retry_reason(RetryClass::Idempotent, &err),
                None,
                "{code} is retried without being chosen"
            );
        }
        // The policy's normal backoff, not the rate limit's second.
        assert!(policy.wait_before(1, "chosen code") <= policy.initial_backoff);
        for code in ["ResourceBusy", "ResourceInUse.Disk", "FailedOperation"] {
            let err = service_error(code);
            assert_eq!(
                policy.retry_reason(RetryClass::Idempotent, &err),
                None,
                "{code}"
            );
        }
    }
}
