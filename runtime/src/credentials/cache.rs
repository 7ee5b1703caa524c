//! The cache every client keeps its credential provider in.
//!
//! While the cached credentials are valid, a call takes them at once and
//! never waits for a refresh: the refresh runs in a task of its own, one at
//! a time, and after a failure the next one waits a backoff. Only a caller
//! that has no valid credentials waits, and then one fetch serves every
//! caller waiting with it.

use super::error::no_credentials;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::shared::{BoxFuture, TransportError};
use crate::wire::{HttpSettings, HttpSetupError, HttpTransport, SigningCredentials};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::sync::Notify;
use tokio::time::Instant;
use tracing::Instrument;

/// The most time before their expiry that temporary credentials are
/// refreshed, as in the official SDKs: long enough that a call signed just
/// before the refresh still arrives while they are valid. Shorter sessions
/// are refreshed sooner before their end ([`refresh_lead`]).
pub const REFRESH_LEAD: Duration = Duration::from_secs(5 * 60);

/// The wait after a failed refresh before the next one may start; it
/// doubles with each failure in a row, up to [`REFRESH_RETRY_MAX`].
pub const REFRESH_RETRY_FIRST: Duration = Duration::from_secs(1);
/// The longest wait between two failed refreshes.
pub const REFRESH_RETRY_MAX: Duration = Duration::from_secs(30);

/// How long before their expiry credentials are refreshed that had
/// `lifetime` left when they were fetched: [`REFRESH_LEAD`], or a quarter
/// of the lifetime when that is less. A 300 s STS session is refreshed after
/// 225 s, not at every call; a two-hour one 5 minutes before its end.
pub fn refresh_lead(lifetime: Duration) -> Duration {
    REFRESH_LEAD.min(lifetime / 4)
}

/// The wait before the next refresh after `failures` failed ones in a row.
fn retry_wait(failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(16);
    REFRESH_RETRY_FIRST
        .saturating_mul(1 << exponent)
        .min(REFRESH_RETRY_MAX)
}

/// Holds the credentials of one provider: fetched at the first call and
/// reused; temporary ones are refreshed [`refresh_lead`] before they expire.
///
/// - While the credentials are valid, calls use them and never wait: the
///   call that finds them due for a refresh starts one in a task of its own
///   (spawned on the Tokio runtime it runs on; outside a Tokio runtime that
///   call refreshes them itself, and the others carry on).
/// - At most one fetch runs at a time. A failed refresh is logged and the
///   current credentials stay in use; the next refresh waits [`REFRESH_RETRY_FIRST`]
///   (1 s), then twice as long after each failure in a row, up to
///   [`REFRESH_RETRY_MAX`] (30 s), however many calls are made meanwhile.
/// - Only callers without valid credentials (none fetched yet, or expired)
///   wait, and every caller waiting at once shares one fetch and its
///   outcome: the credentials, or a [`CredentialsError::Refresh`] naming the
///   provider. Credentials known to be expired are never handed out.
///
/// The refresh schedule follows both Tokio's clock (monotonic, and paused
/// in tests that pause it) and the wall clock that expiry is judged by,
/// whichever says "due" first.
pub struct CredentialsCache {
    shared: Arc<Shared>,
}

/// What the cache and its refresh tasks share.
struct Shared {
    provider: Box<dyn ProvideCredentials>,
    state: Mutex<State>,
    /// Wakes the callers waiting for a fetch when it ends or is abandoned.
    fetch_ended: Notify,
}

/// The credentials in use and the fetch under way, if any.
#[derive(Default)]
struct State {
    current: Option<Cached>,
    /// Whether a fetch is under way (at most one is).
    fetching: bool,
    /// How many fetches have ended: a waiter knows its fetch ended when this moved.
    ended: u64,
    /// Why the last fetch failed; `None` after a success.
    failure: Option<CredentialsError>,
    /// Failed fetches in a row, and when the next refresh may start.
    failures: u32,
    retry_at: Option<Instant>,
}

/// Credentials and when to refresh them.
struct Cached {
    credentials: Arc<Credentials>,
    /// `None` for long-lived credentials; else the same moment on Tokio's
    /// clock and on the wall clock.
    refresh_at: Option<(Instant, SystemTime)>,
}

impl Cached {
    fn new(credentials: Credentials) -> Self {
        let refresh_at = credentials.expires_at().map(|expires| {
            let left = expires
                .duration_since(SystemTime::now())
                .unwrap_or_default();
            let lead = refresh_lead(left);
            (Instant::now() + (left - lead), expires - lead)
        });
        Cached {
            credentials: Arc::new(credentials),
            refresh_at,
        }
    }

    fn is_valid_at(&self, now: SystemTime) -> bool {
        !self.credentials.is_expired_at(now)
    }

    fn is_due_at(&self, now: SystemTime) -> bool {
        self.refresh_at
            .is_some_and(|(at, wall)| Instant::now() >= at || now >= wall)
    }
}

/// What a caller of [`CredentialsCache::get`] does next.
enum Step {
    /// Use these.
    Use(Arc<Credentials>),
    /// Use these, and make the refresh they are due for.
    UseAndRefresh(Arc<Credentials>, Claim),
    /// Fetch, for every caller that waits meanwhile.
    Fetch(Claim),
    /// Wait for the fetch under way: the one after the `ended`-th.
    Wait(u64),
    /// The fetch waited for failed.
    Failed(CredentialsError),
}

/// The one fetch under way, claimed in [`Shared::step`]: dropped
/// unfinished (its caller gave up, or its task was dropped before it ran),
/// it lets the next caller fetch; either way the waiters are woken.
struct Claim {
    shared: Arc<Shared>,
    finished: bool,
}

impl Drop for Claim {
    fn drop(&mut self) {
        if !self.finished {
            self.shared.lock().fetching = false;
        }
        self.shared.fetch_ended.notify_waiters();
    }
}

impl CredentialsCache {
    /// A cache of `provider`; nothing is fetched until the first [`get`](Self::get).
    pub fn new(provider: impl ProvideCredentials) -> Self {
        CredentialsCache {
            shared: Arc::new(Shared {
                provider: Box::new(provider),
                state: Mutex::default(),
                fetch_ended: Notify::new(),
            }),
        }
    }

    /// The provider's name.
    pub fn provider_name(&self) -> &str {
        self.shared.provider.name()
    }

    /// Credentials to sign a call with now.
    ///
    /// # Errors
    /// [`CredentialsError::Refresh`] when none are cached or the cached ones
    /// have expired, and the provider fails.
    pub async fn get(&self) -> Result<Arc<Credentials>, CredentialsError> {
        let mut waited = None;
        loop {
            // Made before the state is read, so that the end of a fetch
            // found under way there cannot be missed.
            let fetch_ended = self.shared.fetch_ended.notified();
            match self.shared.step(waited) {
                Step::Use(credentials) => return Ok(credentials),
                Step::UseAndRefresh(credentials, claim) => {
                    return Ok(self.refresh(credentials, claim).await)
                }
                Step::Fetch(claim) => return claim.fetch().await,
                Step::Wait(ended) => {
                    waited = Some(ended);
                    fetch_ended.await;
                }
                Step::Failed(err) => return Err(err),
            }
        }
    }

    /// Starts the refresh `current` is due for in a task of its own and
    /// returns `current`; outside a Tokio runtime, refreshes them here.
    async fn refresh(&self, current: Arc<Credentials>, claim: Claim) -> Arc<Credentials> {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return claim.fetch().await.unwrap_or(current);
        };
        let span = tracing::debug_span!(
            "tencentcloud.credentials.refresh",
            provider = self.provider_name()
        );
        runtime.spawn(async move { claim.fetch().await.ok() }.instrument(span));
        current
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a caller panicked; the state is still whole.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What a caller does next, having waited for the fetch after the
    /// `waited`-th (if it waited); claims the fetch it is to make.
    fn step(self: &Arc<Self>, waited: Option<u64>) -> Step {
        let now = SystemTime::now();
        let mut state = self.lock();
        if let Some(cached) = state.current.as_ref().filter(|c| c.is_valid_at(now)) {
            let credentials = Arc::clone(&cached.credentials);
            let may_start = state.retry_at.is_none_or(|at| Instant::now() >= at);
            if !cached.is_due_at(now) || state.fetching || !may_start {
                return Step::Use(credentials);
            }
            state.fetching = true;
            return Step::UseAndRefresh(credentials, self.claim());
        }
        if let (Some(seen), Some(failure)) = (waited, &state.failure) {
            if seen != state.ended {
                return Step::Failed(self.refresh_error(failure.duplicate()));
            }
        }
        if state.fetching {
            return Step::Wait(state.ended);
        }
        state.fetching = true;
        Step::Fetch(self.claim())
    }

    /// The fetch the caller has just marked as under way.
    fn claim(self: &Arc<Self>) -> Claim {
        Claim {
            shared: Arc::clone(self),
            finished: false,
        }
    }

    /// Records the outcome of a fetch; the credentials, or the error for its caller.
    fn finish(
        &self,
        outcome: Result<Credentials, CredentialsError>,
    ) -> Result<Arc<Credentials>, CredentialsError> {
        let mut state = self.lock();
        state.fetching = false;
        state.ended += 1;
        let failure = match outcome {
            Ok(fresh) => {
                let cached = Cached::new(fresh);
                let credentials = Arc::clone(&cached.credentials);
                *state = State {
                    current: Some(cached),
                    ended: state.ended,
                    ..State::default()
                };
                drop(state);
                let id = credentials.secret_id();
                tracing::debug!(
                    provider = self.provider.name(),
                    secret_id = id,
                    "fetched credentials"
                );
                return Ok(credentials);
            }
            Err(failure) => failure,
        };
        state.failures += 1;
        let wait = retry_wait(state.failures);
        state.retry_at = Some(Instant::now() + wait);
        let in_use = state
            .current
            .as_ref()
            .is_some_and(|c| c.is_valid_at(SystemTime::now()));
        let err = self.refresh_error(failure.duplicate());
        state.failure = Some(failure);
        drop(state);
        if in_use {
            tracing::warn!(
                provider = self.provider.name(),
                error = %err,
                retry_in_ms = wait.as_millis() as u64,
                "refreshing credentials failed; using the current ones until they expire"
            );
        }
        Err(err)
    }

    fn refresh_error(&self, source: CredentialsError) -> CredentialsError {
        CredentialsError::Refresh {
            provider: self.provider.name().to_owned(),
            source: Box::new(source),
        }
    }
}

impl Claim {
    /// Asks the provider and keeps what it gives, unless it has already
    /// expired.
    async fn fetch(mut self) -> Result<Arc<Credentials>, CredentialsError> {
        let shared = Arc::clone(&self.shared);
        let outcome = match shared.provider.provide().await {
            Ok(fresh) if fresh.is_expired_at(SystemTime::now()) => Err(CredentialsError::Expired {
                provider: shared.provider.name().to_owned(),
            }),
            outcome => outcome,
        };
        let kept = shared.finish(outcome);
        self.finished = true;
        kept
    }
}

/// Written by hand: shows the provider and the secret id in use, no secret.
impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self
            .shared
            .lock()
            .current
            .as_ref()
            .map(|c| Arc::clone(&c.credentials));
        f.debug_struct("CredentialsCache")
            .field("provider", &self.shared.provider)
            .field("current", &current)
            .finish()
    }
}

/// What an [`HttpTransport`] signs with: the cache's credentials, refreshed
/// as [`get`](CredentialsCache::get) does.
impl SigningCredentials for CredentialsCache {
    fn current(&self) -> BoxFuture<'_, Result<Arc<Credentials>, TransportError>> {
        Box::pin(async move { self.get().await.map_err(no_credentials) })
    }
}

impl HttpTransport {
    /// A transport with its own connection pool (or the user's client,
    /// [`HttpSettings::http_client`]), signing with the credentials of
    /// `credentials` (fixed [`Credentials`] or any provider), kept in a
    /// [`CredentialsCache`]. The provider takes `settings` for its own
    /// requests first
    /// ([`use_http_settings`](ProvideCredentials::use_http_settings)).
    ///
    /// # Errors
    /// An [`HttpSetupError`] when no HTTP client can be made from `settings`
    /// (a bad root certificate bundle or proxy URL).
    pub fn new(
        mut credentials: impl ProvideCredentials,
        settings: HttpSettings,
    ) -> Result<Self, HttpSetupError> {
        credentials.use_http_settings(&settings);
        HttpTransport::signed(CredentialsCache::new(credentials), settings)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Answers fetch n with `answers[n]` (the last repeats), after `delay`,
    /// and notes when (on Tokio's clock) each fetch started.
    #[derive(Debug)]
    struct Script {
        answers: Vec<Result<Credentials, &'static str>>,
        calls: AtomicUsize,
        started: Mutex<Vec<Instant>>,
        delay: Duration,
    }

    impl Script {
        fn new(answers: Vec<Result<Credentials, &'static str>>) -> Arc<Self> {
            Self::slow(Duration::from_millis(20), answers)
        }

        fn slow(delay: Duration, answers: Vec<Result<Credentials, &'static str>>) -> Arc<Self> {
            Arc::new(Script {
                answers,
                calls: AtomicUsize::new(0),
                started: Mutex::default(),
                delay,
            })
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl ProvideCredentials for Script {
        fn name(&self) -> &str {
            "script"
        }

        fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            self.started.lock().unwrap().push(Instant::now());
            let answer = self.answers[n.min(self.answers.len() - 1)].clone();
            Box::pin(async move {
                if !self.delay.is_zero() {
                    tokio::time::sleep(self.delay).await;
                }
                answer.map_err(|reason| CredentialsError::NotSet {
                    provider: "script".into(),
                    reason: reason.into(),
                })
            })
        }
    }

    impl CredentialsCache {
        /// Puts `credentials` in the cache as if fetched, due for a refresh
        /// now when `due`.
        fn put(&self, credentials: Credentials, due: bool) {
            let mut cached = Cached::new(credentials);
            if due {
                cached.refresh_at = Some((Instant::now(), SystemTime::now()));
            }
            self.shared.lock().current = Some(cached);
        }
    }

    fn expiring_in(token: &str, seconds: u64) -> Credentials {
        Credentials::new(ID, KEY)
            .with_token(token)
            .with_expiry(SystemTime::now() + Duration::from_secs(seconds))
    }

    /// `n` calls of `cache.get()`, each in a task of its own.
    fn spawn_gets(
        cache: &Arc<CredentialsCache>,
        n: usize,
    ) -> Vec<tokio::task::JoinHandle<Result<Arc<Credentials>, CredentialsError>>> {
        (0..n)
            .map(|_| {
                let cache = Arc::clone(cache);
                tokio::spawn(async move { cache.get().await })
            })
            .collect()
    }

    fn token(credentials: &Credentials) -> &str {
        credentials.token().unwrap_or("")
    }

    /// Lets the refresh tasks spawned so far run to their end.
    async fn settle() {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }

    #[test]
    fn the_lead_is_five_minutes_or_a_quarter_of_the_session() {
        let s = Duration::from_secs;
        assert_eq!(refresh_lead(s(7200)), REFRESH_LEAD);
        assert_eq!(refresh_lead(s(1200)), REFRESH_LEAD);
        assert_eq!(refresh_lead(s(300)), s(75));
        assert_eq!(refresh_lead(s(60)), s(15));
        let waits: Vec<u64> = (1..=7).map(|n| retry_wait(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
    }

    #[tokio::test]
    async fn long_lived_credentials_are_fetched_once() {
        let script = Script::new(vec![Ok(Credentials::new(ID, KEY))]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        for _ in 0..3 {
            assert_eq!(cache.get().await.unwrap().secret_id(), ID);
        }
        assert_eq!(script.calls(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn due_credentials_are_used_at_once_and_refreshed_in_the_background() {
        let script = Script::new(vec![
            Ok(expiring_in("first", 3600)),
            Ok(expiring_in("second", 3600)),
        ]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        assert_eq!(token(&cache.get().await.unwrap()), "first");
        // Due 5 minutes before expiry, not sooner.
        tokio::time::advance(Duration::from_secs(3299)).await;
        assert_eq!(token(&cache.get().await.unwrap()), "first");
        settle().await;
        assert_eq!(script.calls(), 1, "refreshed while fresh");
        tokio::time::advance(Duration::from_secs(2)).await;
        let started = Instant::now();
        assert_eq!(token(&cache.get().await.unwrap()), "first");
        assert_eq!(started.elapsed(), Duration::ZERO, "the caller waited");
        settle().await;
        assert_eq!(script.calls(), 2);
        assert_eq!(token(&cache.get().await.unwrap()), "second");
        assert_eq!(script.calls(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_short_session_is_refreshed_after_three_quarters_of_it() {
        let script = Script::new(vec![Ok(expiring_in("s", 300))]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        for _ in 0..50 {
            cache.get().await.unwrap();
            tokio::time::advance(Duration::from_secs(4)).await;
        }
        // 200 s on: not renewed at every call, not renewed at all yet.
        assert_eq!(script.calls(), 1);
        tokio::time::advance(Duration::from_secs(26)).await;
        cache.get().await.unwrap();
        settle().await;
        assert_eq!(script.calls(), 2);
    }

    /// The outage of issue #27: the provider answers every refresh with a
    /// failure after a second while the credentials are valid and due.
    #[tokio::test(start_paused = true)]
    async fn an_outage_costs_the_callers_nothing_and_is_retried_with_backoff() {
        let script = Script::slow(
            Duration::from_secs(1),
            vec![Ok(expiring_in("valid", 3600)), Err("metadata service down")],
        );
        let cache = Arc::new(CredentialsCache::new(Arc::clone(&script)));
        cache.get().await.unwrap();
        tokio::time::advance(Duration::from_secs(3301)).await;
        let outage = Instant::now();
        for call in spawn_gets(&cache, 20) {
            assert_eq!(token(&call.await.unwrap().unwrap()), "valid");
        }
        // On the paused clock: had a call waited for the refresh, a second
        // would have passed.
        assert_eq!(Instant::now(), outage);
        // A call every 100 ms for a minute: every one served at once.
        for _ in 0..600 {
            let started = Instant::now();
            assert_eq!(token(&cache.get().await.unwrap()), "valid");
            assert_eq!(started.elapsed(), Duration::ZERO);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // One attempt at a time, each after the last failed (1 s) and its
        // backoff (1, 2, 4, 8, 16 s), at the first call then: at 0, 2, 5,
        // 10, 19 and 36 s.
        let started = script.started.lock().unwrap().clone();
        assert_eq!(started.len(), 7, "{started:?}");
        assert_eq!(started[1], outage);
        for (n, pair) in (1..).zip(started[1..].windows(2)) {
            let least = Duration::from_secs(1) + retry_wait(n);
            let gap = pair[1] - pair[0];
            assert!(
                gap >= least && gap <= least + Duration::from_millis(150),
                "{n}: {gap:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_refresh_after_an_outage_replaces_the_credentials() {
        let script = Script::new(vec![
            Ok(expiring_in("old", 3600)),
            Err("down"),
            Ok(expiring_in("new", 3600)),
        ]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        cache.get().await.unwrap();
        tokio::time::advance(Duration::from_secs(3301)).await;
        assert_eq!(token(&cache.get().await.unwrap()), "old");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(token(&cache.get().await.unwrap()), "old", "no wait yet");
        assert_eq!(script.calls(), 2);
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(token(&cache.get().await.unwrap()), "old");
        settle().await;
        assert_eq!(token(&cache.get().await.unwrap()), "new");
        assert_eq!(script.calls(), 3);
    }

    #[tokio::test]
    async fn expired_credentials_make_callers_wait_for_one_fetch_that_serves_all() {
        let script = Script::new(vec![Ok(expiring_in("new", 3600))]);
        let cache = Arc::new(CredentialsCache::new(Arc::clone(&script)));
        cache.put(expiring_in("old", 0), true);
        for call in spawn_gets(&cache, 100) {
            assert_eq!(token(&call.await.unwrap().unwrap()), "new");
        }
        assert_eq!(script.calls(), 1);
    }

    #[tokio::test]
    async fn callers_that_waited_together_share_the_failure() {
        let script = Script::slow(Duration::from_millis(300), vec![Err("vault sealed")]);
        let cache = Arc::new(CredentialsCache::new(Arc::clone(&script)));
        for call in spawn_gets(&cache, 20) {
            let err = call.await.unwrap().unwrap_err();
            assert_eq!(
                err.to_string(),
                "cannot get Tencent Cloud credentials from script: script: vault sealed"
            );
        }
        assert_eq!(script.calls(), 1);
        // No valid credentials: the next caller asks again, without backoff.
        cache.get().await.unwrap_err();
        assert_eq!(script.calls(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_gives_up_does_not_hold_up_the_next() {
        let script = Script::slow(Duration::from_secs(10), vec![Ok(expiring_in("s", 3600))]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        let gave_up = tokio::time::timeout(Duration::from_secs(1), cache.get()).await;
        assert!(gave_up.is_err());
        let credentials = tokio::time::timeout(Duration::from_secs(11), cache.get()).await;
        assert_eq!(token(&credentials.unwrap().unwrap()), "s");
        assert_eq!(script.calls(), 2);
    }

    /// A cache holding "old" credentials due for a refresh, of a provider
    /// answering "new" at once.
    fn due_for_refresh() -> (Arc<Script>, CredentialsCache) {
        let script = Script::slow(Duration::ZERO, vec![Ok(expiring_in("new", 3600))]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        cache.put(expiring_in("old", 3600), true);
        (script, cache)
    }

    #[test]
    fn outside_a_tokio_runtime_the_caller_refreshes_itself() {
        let (script, cache) = due_for_refresh();
        assert_eq!(token(&block_on(cache.get()).unwrap()), "new");
        assert_eq!(token(&block_on(cache.get()).unwrap()), "new");
        assert_eq!(script.calls(), 1);
    }

    #[test]
    fn a_refresh_task_dropped_before_it_ran_does_not_hold_up_the_next() {
        let (script, cache) = due_for_refresh();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        // The call returns at once; its refresh task goes with the runtime.
        assert_eq!(token(&runtime.block_on(cache.get()).unwrap()), "old");
        drop(runtime);
        assert_eq!(script.calls(), 0);
        assert_eq!(token(&block_on(cache.get()).unwrap()), "new");
    }

    /// Runs `future` on this thread, without a Tokio runtime.
    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Arc::new(Unpark(std::thread::current())).into();
        let mut context = std::task::Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut context) {
                return out;
            }
            std::thread::park();
        }
    }

    #[tokio::test]
    async fn a_failed_first_fetch_names_the_provider() {
        let cache = CredentialsCache::new(Script::new(vec![Err("vault sealed")]));
        let err = cache.get().await.unwrap_err();
        assert!(
            matches!(&err, CredentialsError::Refresh { provider, .. } if provider == "script"),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "cannot get Tencent Cloud credentials from script: script: vault sealed"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_keeps_valid_credentials_but_never_expired_ones() {
        let script = Script::new(vec![Ok(expiring_in("soon", 3600)), Err("STS down")]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        cache.get().await.unwrap();
        tokio::time::advance(Duration::from_secs(3400)).await;
        assert_eq!(token(&cache.get().await.unwrap()), "soon");
        settle().await;
        assert_eq!(script.calls(), 2);
        cache.put(expiring_in("gone", 0), false);
        let err = cache.get().await.unwrap_err();
        assert!(matches!(err, CredentialsError::Refresh { .. }), "{err:?}");
        assert_eq!(script.calls(), 3, "expired credentials wait for no backoff");
    }

    #[tokio::test]
    async fn credentials_that_arrive_expired_are_refused() {
        let expired = Credentials::new(ID, KEY).with_expiry(SystemTime::UNIX_EPOCH);
        let cache = CredentialsCache::new(Script::new(vec![Ok(expired)]));
        let err = cache.get().await.unwrap_err();
        let CredentialsError::Refresh { source, .. } = &err else {
            panic!("{err:?}");
        };
        assert!(
            matches!(**source, CredentialsError::Expired { .. }),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn debug_shows_no_secret() {
        let cache = CredentialsCache::new(Credentials::new(ID, KEY).with_token(TOKEN));
        cache.get().await.unwrap();
        let shown = format!("{cache:?}");
        assert!(shown.contains(ID), "{shown}");
        assert_no_secret(&shown);
    }

    #[test]
    fn a_transport_s_debug_shows_no_secret() {
        let transport = HttpTransport::new(
            Credentials::new("AKIDid", "very-secret-key").with_token("tok-secret"),
            HttpSettings::default(),
        )
        .unwrap();
        let shown = format!("{transport:?}");
        assert!(shown.contains("AKIDid"));
        assert!(
            !shown.contains("very-secret-key") && !shown.contains("tok-secret"),
            "{shown}"
        );
    }
}
