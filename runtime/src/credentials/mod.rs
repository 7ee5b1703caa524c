//! Tencent Cloud credentials and where they come from.
//!
//! # The default credential chain
//!
//! A client given no credentials ([`Client::from_env`](crate::Client::from_env),
//! or [`ClientBuilder::build`](crate::ClientBuilder::build) without
//! [`credentials`](crate::ClientBuilder::credentials) or
//! [`credentials_provider`](crate::ClientBuilder::credentials_provider))
//! takes them from [`ChainProvider::default_chain`]. It asks these sources
//! in turn and takes the credentials of the first that has them:
//!
//! 1. **The environment** ([`EnvProvider`]): `TENCENTCLOUD_SECRET_ID` and
//!    `TENCENTCLOUD_SECRET_KEY`, with `TENCENTCLOUD_SESSION_TOKEN` for
//!    temporary keys.
//! 2. **The profile file** ([`ProfileProvider`]): `secret_id`, `secret_key`
//!    and `token` in the `[default]` section of the file
//!    `TENCENTCLOUD_CREDENTIALS_FILE` names, else of the first that exists
//!    of `~/.tencentcloud/credentials` (the file the Tencent Cloud CLI
//!    writes) and `/etc/tencentcloud/credentials` ([`SYSTEM_PROFILE_PATH`]).
//! 3. **TKE OIDC** ([`OidcRoleArnProvider::from_tke_env`]): in a TKE pod
//!    whose service account is bound to a CAM role, `TKE_REGION`,
//!    `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`;
//!    the token is exchanged with STS `AssumeRoleWithWebIdentity` for the
//!    role's temporary credentials.
//! 4. **The CVM role** ([`CvmRoleProvider`]): the temporary credentials of
//!    the CAM role bound to this CVM instance, from the instance metadata
//!    service ([`METADATA_ROLE_URL`]), given a second to answer.
//!
//! The first two come in the official SDKs' order. Putting TKE OIDC before
//! the CVM role is this SDK's choice, not the official SDKs' order (the
//! official Python SDK, for one, asks the CVM role first): a pod runs on a
//! CVM node, and a pod given a role of its own should sign as that role,
//! not as the node's. A program that wants the other order builds its
//! chain with [`ChainProvider::new`].
//!
//! A source that is simply absent (no variables, no file, not in a TKE pod,
//! no metadata service) lets the chain move on. A source set up in part or
//! failing (a half-set environment, an unreadable or malformed file, an STS
//! error) stops it with that error, rather than silently going on with
//! another identity. When no source has credentials, the error
//! ([`CredentialsError::NotFound`]) says what each one said.
//!
//! Nothing is fetched until the first call. The client keeps what the chain
//! gave in a [`CredentialsCache`] and asks the whole chain again before
//! temporary credentials expire: [`REFRESH_LEAD`] (5 minutes) before, or a
//! quarter of their lifetime before when that is less ([`refresh_lead`]).
//! Calls go on with the current credentials while the refresh runs in the
//! background; a failed refresh is tried again after a backoff (1 s, 2 s,
//! 4 s, … up to 30 s), not by every call; only calls without valid
//! credentials wait, all of them for one fetch.
//!
//! To sign with one source only, or with your own, give the client a
//! provider: [`ClientBuilder::credentials`](crate::ClientBuilder::credentials)
//! for fixed keys, [`ClientBuilder::credentials_provider`](crate::ClientBuilder::credentials_provider)
//! for any [`ProvideCredentials`], such as a [`ChainProvider::new`] of your
//! own order or a [`RoleArnProvider`].
//!
//! # The map of this module
//!
//! - [`Credentials`]: one secret id / key pair, an optional session token and
//!   expiry; also the *static* provider (it provides itself). Signing reads
//!   them, so the type itself sits in the wire layer (`wire/keys.rs`).
//! - [`ProvideCredentials`]: the trait every source implements; implement it
//!   to plug in a vault or a secrets manager.
//! - Providers, with the inputs and behaviour of the official SDKs:
//!   [`EnvProvider`] (`env.rs`), [`ProfileProvider`] (`profile.rs`),
//!   [`CvmRoleProvider`] (`cvm_role.rs`, the instance metadata service),
//!   [`RoleArnProvider`] (`role_arn.rs`, STS `AssumeRole`),
//!   [`OidcRoleArnProvider`] (`oidc.rs`, TKE: STS `AssumeRoleWithWebIdentity`;
//!   the STS call both share is `sts.rs`, over the wire, without the client),
//!   and [`ChainProvider`] (`chain.rs`).
//! - [`CredentialsCache`] (`cache.rs`): what every client keeps its provider
//!   in: fetched once, refreshed in the background before expiry, one
//!   refresh at a time, failed ones retried after a backoff; what an
//!   [`HttpTransport`](crate::HttpTransport) signs with.
//! - [`CredentialsError`] (`error.rs`).
//!
//! Secrets are never printed: `Debug` masks them and error messages only name
//! providers, variables, paths, line numbers, codes and request ids.

mod cache;
mod chain;
mod cvm_role;
mod env;
mod error;
mod oidc;
mod profile;
mod role_arn;
mod sts;

pub use cache::{
    refresh_lead, CredentialsCache, REFRESH_LEAD, REFRESH_RETRY_FIRST, REFRESH_RETRY_MAX,
};
pub use chain::ChainProvider;
pub use cvm_role::{CvmRoleProvider, METADATA_ROLE_URL};
pub use env::{from_env, EnvProvider};
pub use error::CredentialsError;
pub use oidc::OidcRoleArnProvider;
pub use profile::{default_profile_path, from_profile_file, ProfileProvider, SYSTEM_PROFILE_PATH};
pub use role_arn::RoleArnProvider;
pub use sts::STS_ENDPOINT;

pub use crate::wire::Credentials;

use crate::shared::BoxFuture;
use crate::wire::HttpSettings;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// Looks up an environment variable: the process environment unless
/// injected, so that tests need not mutate the shared process environment.
#[derive(Clone)]
pub(crate) struct Lookup(Arc<LookupFn>);

/// A variable's value by name, `None` when unset.
type LookupFn = dyn Fn(&str) -> Option<String> + Send + Sync;

impl Lookup {
    pub(crate) fn new(get: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Lookup(Arc::new(get))
    }
}

/// The process environment, which the providers read unless told otherwise.
impl Default for Lookup {
    fn default() -> Self {
        process_env()
    }
}

impl std::ops::Deref for Lookup {
    type Target = LookupFn;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

/// The process environment; non-UTF-8 values count as unset.
pub(crate) fn process_env() -> Lookup {
    Lookup::new(|name| std::env::var(name).ok())
}

/// Looks up a variable, treating an empty value as unset.
fn non_empty(get: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    get(name).filter(|value| !value.is_empty())
}

/// Anything that yields credentials: the providers of this module, or a
/// user's own (a vault, a secrets manager).
///
/// Object-safe (the future is boxed), so a client can hold any provider as
/// `Arc<dyn ProvideCredentials>`. A provider is asked again whenever the
/// credentials it gave are about to expire; it should fetch anew each time
/// and leave caching to [`CredentialsCache`].
pub trait ProvideCredentials: fmt::Debug + Send + Sync + 'static {
    /// A short name for messages, e.g. `CVM role`; never a secret.
    fn name(&self) -> &str;

    /// Fetches credentials.
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// Takes the HTTP settings of the client this provider serves, for the
    /// requests it makes itself: its root certificates, proxy settings and
    /// connect timeout, or the user's own `reqwest::Client`.
    /// [`HttpTransport::new`](crate::HttpTransport::new), and so
    /// [`ClientBuilder::build`](crate::ClientBuilder::build), calls it
    /// with theirs before the first call. The default ignores them, as a
    /// provider that sends no request may; one that sends requests keeps
    /// them (the STS providers send with them whole, the CVM role provider
    /// without a proxy: see [`CvmRoleProvider`]), and one that holds other
    /// providers passes them on.
    fn use_http_settings(&mut self, settings: &HttpSettings) {
        let _ = settings;
    }
}

/// Fixed credentials are the static provider: they provide themselves.
impl ProvideCredentials for Credentials {
    fn name(&self) -> &str {
        "static credentials"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// A shared provider takes HTTP settings only through its only `Arc`: a
/// provider shared with another owner keeps its own.
impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide()
    }

    fn use_http_settings(&mut self, settings: &HttpSettings) {
        if let Some(provider) = Arc::get_mut(self) {
            provider.use_http_settings(settings);
        }
    }
}

impl ProvideCredentials for Box<dyn ProvideCredentials> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide()
    }

    fn use_http_settings(&mut self, settings: &HttpSettings) {
        (**self).use_http_settings(settings);
    }
}

/// Seconds since the Unix epoch as a point in time (the `ExpiredTime` of the
/// metadata service and STS); `None` when negative or out of range.
fn unix_time(seconds: i64) -> Option<SystemTime> {
    let seconds = u64::try_from(seconds).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(seconds))
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use std::collections::HashMap;

    pub const ID: &str = "AKIDtestidEXAMPLE";
    pub const KEY: &str = "s3cr3tKeyValueEXAMPLE";
    pub const TOKEN: &str = "t0kenValueEXAMPLE";

    /// An environment holding exactly `pairs`.
    pub fn env(pairs: &[(&str, &str)]) -> Lookup {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Lookup::new(move |name| map.get(name).cloned())
    }

    /// A uniquely named file under the temp dir, removed on drop.
    pub struct TempFile(pub std::path::PathBuf);

    impl TempFile {
        pub fn new(contents: Option<&str>) -> Self {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let name = format!("scratch-runtime-creds-{}-{n}.ini", std::process::id());
            let path = std::env::temp_dir().join(name);
            if let Some(contents) = contents {
                std::fs::write(&path, contents).expect("write temp profile");
            }
            Self(path)
        }

        pub fn path(&self) -> String {
            self.0.to_string_lossy().into_owned()
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    pub fn assert_no_secret(text: &str) {
        assert!(!text.contains(KEY), "secret key leaked: {text}");
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }

    /// [`assert_no_secret`] over everything a log line could show of `err`:
    /// its `Display`, its `Debug` (plain and pretty) and each of its sources.
    pub fn assert_no_secret_in(err: &CredentialsError) {
        assert_no_secret(&format!("{err:?}"));
        assert_no_secret(&format!("{err:#?}"));
        let mut next: Option<&dyn std::error::Error> = Some(err);
        while let Some(err) = next {
            assert_no_secret(&err.to_string());
            next = err.source();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use std::time::Duration;

    #[test]
    fn debug_masks_secrets() {
        let with_token = Credentials::new(ID, KEY).with_token(TOKEN);
        let text = format!("{with_token:?}");
        assert_no_secret(&text);
        assert!(text.contains(ID));
        assert!(text.contains(r#"token: Some("***")"#), "{text}");
        let text = format!("{:?}", Credentials::new(ID, KEY));
        assert_no_secret(&text);
        assert!(text.contains("token: None"), "{text}");
    }

    #[test]
    fn expiry_is_known_only_for_temporary_credentials() {
        let now = SystemTime::now();
        assert!(!Credentials::new(ID, KEY).is_expired_at(now));
        let soon = Credentials::new(ID, KEY).with_expiry(now + Duration::from_secs(1));
        assert!(!soon.is_expired_at(now));
        assert!(soon.is_expired_at(now + Duration::from_secs(1)));
        assert_eq!(unix_time(-1), None);
        assert_eq!(
            unix_time(10),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(10))
        );
    }

    /// Every failure below is produced by the real provider code from
    /// inputs that hold [`KEY`] and [`TOKEN`] (a profile file, the
    /// environment, a token file, base credentials), and each is read back
    /// through [`CredentialsCache`] as a client sees it. A message that
    /// quoted the offending line, a variable's value or a request body
    /// would fail here.
    #[tokio::test]
    async fn no_error_message_contains_a_secret() {
        use super::env::{ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN};
        use super::profile::ENV_CREDENTIALS_FILE;
        // Nothing listens on port 1, so the STS and metadata calls fail
        // without leaving the machine.
        const CLOSED: &str = "http://127.0.0.1:1/";

        let files: Vec<TempFile> = [
            // Line 3 is the key without its `secret_key =`.
            format!("[default]\nsecret_id = {ID}\n{KEY}\n"),
            // Line 4 holds the key but no `=`, after the key was read.
            format!("[default]\nsecret_key = {KEY}\ntoken = {TOKEN}\nsecret_key {KEY}\n"),
            // Line 5 is a section header, unterminated, holding the token.
            format!("[default]\nsecret_id = {ID}\nsecret_key = {KEY}\ntoken = {TOKEN}\n[{TOKEN}\n"),
            // Line 2 has the key as a value but no name.
            format!("[default]\n = {KEY}\n"),
            // The key and token, no id.
            format!("[default]\nsecret_key = {KEY}\ntoken = {TOKEN}\n"),
            // Credentials in a section nobody reads.
            format!("[other]\nsecret_id = {ID}\nsecret_key = {KEY}\ntoken = {TOKEN}\n"),
            // An OIDC web identity token is a secret too.
            TOKEN.to_owned(),
        ]
        .iter()
        .map(|text| TempFile::new(Some(text)))
        .collect();
        let file = |n: usize| files[n].path();
        let chain = |pairs: &[(&str, &str)]| {
            let get = env(pairs);
            ChainProvider::default_with_lookup(
                get.clone(),
                OidcRoleArnProvider::from_tke_lookup(get),
                CvmRoleProvider::new()
                    .base_url(CLOSED)
                    .timeout(std::time::Duration::from_millis(300)),
            )
        };
        let parse_error_at = |want: usize| move |err: &CredentialsError| matches!(err, CredentialsError::ProfileParse { line, .. } if *line == want);

        type Expect = Box<dyn Fn(&CredentialsError) -> bool>;
        let cases: Vec<(Box<dyn ProvideCredentials>, Expect)> = vec![
            (
                Box::new(ProfileProvider::from_path(file(0))),
                Box::new(parse_error_at(3)),
            ),
            (
                Box::new(ProfileProvider::from_path(file(1))),
                Box::new(parse_error_at(4)),
            ),
            (
                Box::new(ProfileProvider::from_path(file(2))),
                Box::new(parse_error_at(5)),
            ),
            (
                Box::new(ProfileProvider::from_path(file(3))),
                Box::new(parse_error_at(2)),
            ),
            (
                Box::new(ProfileProvider::from_path(file(4))),
                Box::new(
                    |err| matches!(err, CredentialsError::Incomplete { missing, .. } if *missing == "secret_id"),
                ),
            ),
            // The key and token set, the id missing.
            (
                Box::new(EnvProvider::with_lookup(env(&[
                    (ENV_SECRET_KEY, KEY),
                    (ENV_SESSION_TOKEN, TOKEN),
                ]))),
                Box::new(
                    |err| matches!(err, CredentialsError::Incomplete { missing, .. } if *missing == ENV_SECRET_ID),
                ),
            ),
            // The same through the default chain, which stops there.
            (
                Box::new(chain(&[(ENV_SECRET_KEY, KEY), (ENV_SESSION_TOKEN, TOKEN)])),
                Box::new(|err| matches!(err, CredentialsError::Incomplete { .. })),
            ),
            // Every provider of the chain says its piece, one of them after
            // reading a file full of secrets, another with a token set.
            (
                Box::new(chain(&[
                    (ENV_SESSION_TOKEN, TOKEN),
                    (ENV_CREDENTIALS_FILE, &file(5)),
                ])),
                Box::new(
                    |err| matches!(err, CredentialsError::NotFound { tried } if tried.len() == 4),
                ),
            ),
            // STS unreachable, after the token was read and put in the body.
            (
                Box::new(
                    OidcRoleArnProvider::new("ap-guangzhou", "provider", file(6), "arn")
                        .endpoint_url(CLOSED),
                ),
                Box::new(|err| matches!(err, CredentialsError::StsFailed { .. })),
            ),
            // STS unreachable, the call signed with the base key and token.
            (
                Box::new(
                    RoleArnProvider::new(Credentials::new(ID, KEY).with_token(TOKEN), "arn")
                        .endpoint_url(CLOSED),
                ),
                Box::new(|err| matches!(err, CredentialsError::StsFailed { .. })),
            ),
        ];
        for (provider, expected) in cases {
            let shown = format!("{provider:?}");
            let err = CredentialsCache::new(provider)
                .get()
                .await
                .expect_err("every case fails");
            let CredentialsError::Refresh { source, .. } = &err else {
                panic!("{shown}: expected the cache's Refresh, got {err:?}");
            };
            assert!(expected(source), "{shown}: unexpected {source:?}");
            assert_no_secret_in(&err);
        }
    }

    /// Notes the proxy of the HTTP settings it is given.
    #[derive(Debug)]
    struct Recorder(Arc<std::sync::Mutex<Vec<Option<String>>>>);

    impl ProvideCredentials for Recorder {
        fn name(&self) -> &str {
            "recorder"
        }

        fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async { Ok(Credentials::new(ID, KEY)) })
        }

        fn use_http_settings(&mut self, settings: &HttpSettings) {
            self.0.lock().unwrap().push(settings.proxy.clone());
        }
    }

    #[test]
    fn a_transport_s_settings_reach_every_provider_inside_its_provider() {
        let seen = Arc::default();
        let inner = RoleArnProvider::new(Recorder(Arc::clone(&seen)), "arn");
        let chain = ChainProvider::new(vec![Box::new(EnvProvider::new()), Box::new(inner)]);
        let settings = HttpSettings::default().proxy("http://proxy.example:3128");
        crate::wire::HttpTransport::new(chain, settings).unwrap();
        let proxy = Some("http://proxy.example:3128".to_owned());
        assert_eq!(*seen.lock().unwrap(), [proxy]);
        // A provider shared with another owner keeps its own settings.
        let seen = Arc::default();
        let shared = Arc::new(Recorder(Arc::clone(&seen)));
        crate::wire::HttpTransport::new(Arc::clone(&shared), HttpSettings::default()).unwrap();
        assert!(seen.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn static_credentials_provide_themselves() {
        let creds = Credentials::new(ID, KEY).with_token(TOKEN);
        let provider: Arc<dyn ProvideCredentials> = Arc::new(creds.clone());
        assert_eq!(provider.provide().await.unwrap(), creds);
        assert_eq!(provider.name(), "static credentials");
    }
}
