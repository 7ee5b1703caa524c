//! The cache every client keeps its credential provider in.

use super::error::no_credentials;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::shared::{BoxFuture, TransportError};
use crate::wire::{HttpSettings, HttpTransport, SigningCredentials};
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// How long before their expiry temporary credentials are refreshed, as in
/// the official SDKs: long enough that a call signed just before the refresh
/// still arrives while they are valid.
pub const REFRESH_LEAD: Duration = Duration::from_secs(5 * 60);

/// Holds the credentials of one provider: fetched at the first call and
/// reused; temporary ones are refreshed [`REFRESH_LEAD`] before they expire.
///
/// Concurrent calls that find the credentials stale wait for **one** refresh
/// rather than each starting their own. A failed refresh is a
/// [`CredentialsError::Refresh`] naming the provider, unless the current
/// credentials are still valid, in which case they are used (and the next
/// call tries again). Credentials known to be expired are never handed out.
pub struct CredentialsCache {
    provider: Box<dyn ProvideCredentials>,
    current: RwLock<Current>,
    /// Held by the one caller that refreshes; the others wait on it.
    refreshing: tokio::sync::Mutex<()>,
}

/// The credentials in use and how many times they were replaced.
#[derive(Default)]
struct Current {
    credentials: Option<Arc<Credentials>>,
    generation: u64,
}

impl CredentialsCache {
    /// A cache of `provider`; nothing is fetched until the first [`get`](Self::get).
    pub fn new(provider: impl ProvideCredentials) -> Self {
        CredentialsCache {
            provider: Box::new(provider),
            current: RwLock::default(),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The provider's name.
    pub fn provider_name(&self) -> &str {
        self.provider.name()
    }

    /// Credentials to sign a call with now.
    ///
    /// # Errors
    /// [`CredentialsError::Refresh`] when none are cached or the cached ones
    /// have expired, and the provider fails.
    pub async fn get(&self) -> Result<Arc<Credentials>, CredentialsError> {
        let (seen, generation) = self.snapshot();
        if let Some(fresh) = seen.filter(|c| !needs_refresh(c)) {
            return Ok(fresh);
        }
        let _turn = self.refreshing.lock().await;
        let (current, now_generation) = self.snapshot();
        if now_generation != generation {
            // Another caller refreshed while this one waited: use its result.
            if let Some(usable) = current
                .as_ref()
                .filter(|c| !c.is_expired_at(SystemTime::now()))
            {
                return Ok(Arc::clone(usable));
            }
        }
        self.refresh(current).await
    }

    /// Asks the provider; keeps what it gives unless it has already expired.
    async fn refresh(
        &self,
        current: Option<Arc<Credentials>>,
    ) -> Result<Arc<Credentials>, CredentialsError> {
        let failure = match self.provider.provide().await {
            Ok(fresh) if fresh.is_expired_at(SystemTime::now()) => CredentialsError::Expired {
                provider: self.provider_name().to_owned(),
            },
            Ok(fresh) => return Ok(self.store(fresh)),
            Err(err) => err,
        };
        if let Some(usable) = current.filter(|c| !c.is_expired_at(SystemTime::now())) {
            tracing::warn!(provider = self.provider_name(), error = %failure,
                "refreshing credentials failed; using the current ones until they expire");
            return Ok(usable);
        }
        Err(CredentialsError::Refresh {
            provider: self.provider_name().to_owned(),
            source: Box::new(failure),
        })
    }

    fn snapshot(&self) -> (Option<Arc<Credentials>>, u64) {
        // A poisoned lock only means a caller panicked; the value is still whole.
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        (current.credentials.clone(), current.generation)
    }

    fn store(&self, fresh: Credentials) -> Arc<Credentials> {
        let fresh = Arc::new(fresh);
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        current.credentials = Some(Arc::clone(&fresh));
        current.generation += 1;
        tracing::debug!(
            provider = self.provider_name(),
            secret_id = fresh.secret_id(),
            "fetched credentials"
        );
        fresh
    }
}

/// Whether `credentials` are within [`REFRESH_LEAD`] of their expiry now
/// (long-lived ones never are; the clock is read only for temporary ones).
fn needs_refresh(credentials: &Credentials) -> bool {
    credentials
        .expires_at()
        .is_some_and(|at| at <= SystemTime::now() + REFRESH_LEAD)
}

/// Written by hand: shows the provider and the secret id in use, no secret.
impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (current, _) = self.snapshot();
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
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
    /// A transport with its own connection pool, signing with the credentials
    /// of `credentials` (fixed [`Credentials`] or any provider), kept in a
    /// [`CredentialsCache`].
    pub fn new(
        credentials: impl ProvideCredentials,
        settings: HttpSettings,
    ) -> Result<Self, reqwest::Error> {
        HttpTransport::signed(CredentialsCache::new(credentials), settings)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    /// Answers fetch n with `answers[n]` (the last repeats), after `delay`.
    #[derive(Debug)]
    struct Script {
        answers: Mutex<Vec<Result<Credentials, &'static str>>>,
        calls: AtomicUsize,
        delay: Duration,
    }

    impl Script {
        fn new(answers: Vec<Result<Credentials, &'static str>>) -> Arc<Self> {
            Arc::new(Script {
                answers: Mutex::new(answers),
                calls: AtomicUsize::new(0),
                delay: Duration::from_millis(20),
            })
        }
    }

    impl ProvideCredentials for Script {
        fn name(&self) -> &str {
            "script"
        }

        fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let answers = self.answers.lock().unwrap();
            let answer = answers[n.min(answers.len() - 1)].clone();
            Box::pin(async move {
                tokio::time::sleep(self.delay).await;
                answer.map_err(|reason| CredentialsError::NotSet {
                    provider: "script".into(),
                    reason: reason.into(),
                })
            })
        }
    }

    fn expiring_in(token: &str, seconds: u64) -> Credentials {
        Credentials::new(ID, KEY)
            .with_token(token)
            .with_expiry(SystemTime::now() + Duration::from_secs(seconds))
    }

    #[tokio::test]
    async fn long_lived_credentials_are_fetched_once() {
        let script = Script::new(vec![Ok(Credentials::new(ID, KEY))]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        for _ in 0..3 {
            assert_eq!(cache.get().await.unwrap().secret_id(), ID);
        }
        assert_eq!(script.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn credentials_are_refreshed_five_minutes_before_expiry() {
        let script = Script::new(vec![Ok(expiring_in("far", 3600))]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        cache.get().await.unwrap();
        cache.get().await.unwrap();
        assert_eq!(
            script.calls.load(Ordering::SeqCst),
            1,
            "refreshed while fresh"
        );

        let script = Script::new(vec![
            Ok(expiring_in("near", 299)),
            Ok(expiring_in("far", 3600)),
        ]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        // Within five minutes of expiry but valid: used once, then refreshed.
        assert_eq!(cache.get().await.unwrap().token(), Some("near"));
        assert_eq!(cache.get().await.unwrap().token(), Some("far"));
        assert_eq!(cache.get().await.unwrap().token(), Some("far"));
        assert_eq!(script.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_refresh() {
        let script = Script::new(vec![
            Ok(expiring_in("stale", 10)),
            Ok(expiring_in("new", 100)),
        ]);
        let cache = Arc::new(CredentialsCache::new(Arc::clone(&script)));
        cache.get().await.unwrap();
        let calls: Vec<_> = (0..100)
            .map(|_| {
                let cache = Arc::clone(&cache);
                tokio::spawn(async move { cache.get().await.unwrap() })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().token(), Some("new"));
        }
        assert_eq!(script.calls.load(Ordering::SeqCst), 2);
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

    #[tokio::test]
    async fn a_failed_refresh_keeps_valid_credentials_but_never_expired_ones() {
        let script = Script::new(vec![Ok(expiring_in("soon", 60)), Err("STS down")]);
        let cache = CredentialsCache::new(Arc::clone(&script));
        cache.get().await.unwrap();
        // Stale but valid: the failed refresh falls back to them.
        assert_eq!(cache.get().await.unwrap().token(), Some("soon"));
        cache.store(Credentials::new(ID, KEY).with_expiry(SystemTime::now()));
        let err = cache.get().await.unwrap_err();
        assert!(matches!(err, CredentialsError::Refresh { .. }), "{err:?}");
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
