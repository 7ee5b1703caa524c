//! The STS call the role ARN and OIDC providers share: one action of
//! `sts` 2018-08-13 sent by a small caller of its own over the wire
//! (signing, the envelope, one traced attempt) and the retry rules, as
//! every call is, without the client above; its answer turned into
//! temporary [`Credentials`].

use super::{unix_time, Credentials, CredentialsError, ProvideCredentials};
use crate::shared::{retrying, Action, CallIds, Error, RetryClass, RetryPolicy, Service};
use crate::wire::{
    attempt, call_span, mainland_url, Call, ContentType, Endpoint, HttpSettings, HttpTransport,
    Opened,
};
use serde_json::Map;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tencentcloud_json::Value;
use tracing::Instrument;

/// Where STS calls go unless a provider is pointed elsewhere.
pub const STS_ENDPOINT: &str = mainland_url!("sts");

/// The STS service and API version of `AssumeRole` and `AssumeRoleWithWebIdentity`.
const STS: Service = Service {
    name: "sts",
    version: "2018-08-13",
    intl_endpoint: None,
};

/// The session length the official SDKs ask for, in seconds.
const DEFAULT_DURATION_SECONDS: u64 = 7_200;
/// The longest session STS grants, `AssumeRole` and
/// `AssumeRoleWithWebIdentity` alike: 12 hours.
pub(crate) const MAX_DURATION_SECONDS: u64 = 43_200;

/// What both STS providers let the user set: where STS is, and the name and
/// length of the sessions asked for; and the HTTP settings of the client
/// they serve.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// `None`: a new `tencentcloud-rust-sdk-<microseconds>` at each call,
    /// as the official SDKs name sessions.
    pub name: Option<String>,
    pub duration: Duration,
    /// The base URL, [`STS_ENDPOINT`] unless pointed elsewhere.
    pub endpoint: String,
    /// The connection settings STS is reached with (roots, proxy, connect
    /// timeout, or the user's client): the client's
    /// ([`ProvideCredentials::use_http_settings`]), else the defaults.
    pub http: HttpSettings,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            name: None,
            duration: Duration::from_secs(DEFAULT_DURATION_SECONDS),
            endpoint: STS_ENDPOINT.to_owned(),
            http: HttpSettings::default(),
        }
    }
}

/// What both STS providers share, written once for each (`$provider`): the
/// setters of the [`Session`] it keeps in a `session` field, its
/// [`StsCall`]s (`sts_call`), and
/// [`ProvideCredentials`], naming it `$name`, asking STS with its
/// `async fn fetch(&self)`, keeping the client's HTTP settings in its
/// session and passing them on to the provider in its `$inner` field, if
/// any (the base credentials `AssumeRole` is signed with).
macro_rules! sts_provider {
    ($provider:ty, $name:expr $(, $inner:ident)?) => {
        impl $provider {
            $crate::shared::setters! {
                /// The session name CAM records (`RoleSessionName`).
                session_name(name: impl Into<String>) => session.name = Some(name.into());
                /// How long each set of credentials lasts (`DurationSeconds`: up to
                /// 12 hours, 43 200 s). They are refreshed a quarter of that, at
                /// most 5 minutes, before they end
                /// ([`refresh_lead`](crate::credentials::refresh_lead)).
                duration(duration: std::time::Duration) => session.duration = duration;
                /// Sends the STS call to this base URL instead of
                /// [`STS_ENDPOINT`](crate::credentials::STS_ENDPOINT).
                endpoint_url(url: impl Into<String>) => session.endpoint = url.into();
            }
        }

        impl $provider {
            /// STS `action` for this provider, sent to `region`.
            fn sts_call<'a>(
                &'a self,
                action: &'static str,
                region: &'a str,
            ) -> $crate::credentials::sts::StsCall<'a> {
                $crate::credentials::sts::StsCall {
                    provider: $name,
                    action,
                    session: &self.session,
                    region,
                }
            }
        }

        impl $crate::credentials::ProvideCredentials for $provider {
            fn name(&self) -> &str {
                $name
            }

            fn provide(
                &self,
            ) -> $crate::shared::BoxFuture<
                '_,
                Result<$crate::credentials::Credentials, $crate::credentials::CredentialsError>,
            > {
                Box::pin(self.fetch())
            }

            fn use_http_settings(&mut self, settings: &$crate::wire::HttpSettings) {
                self.session.http = settings.clone();
                $($crate::credentials::ProvideCredentials::use_http_settings(
                    &mut self.$inner,
                    settings,
                );)?
            }
        }
    };
}

pub(crate) use sts_provider;

/// One STS action of one provider.
pub(crate) struct StsCall<'a> {
    /// The provider, for messages.
    pub provider: &'a str,
    /// `AssumeRole` or `AssumeRoleWithWebIdentity`.
    pub action: &'static str,
    pub session: &'a Session,
    /// Sent as `X-TC-Region`.
    pub region: &'a str,
}

impl StsCall<'_> {
    /// Sends `params` plus the session's name and duration, signed with
    /// `signer` or, without one, unsigned (`Authorization: SKIP`, as the
    /// official SDKs send `AssumeRoleWithWebIdentity`, whose proof is the
    /// token in the body).
    pub async fn assume(
        &self,
        signer: Option<&Arc<dyn ProvideCredentials>>,
        mut params: Map<String, Value>,
    ) -> Result<Credentials, CredentialsError> {
        let name = self
            .session
            .name
            .clone()
            .unwrap_or_else(default_session_name);
        params.insert("RoleSessionName".into(), name.into());
        params.insert("DurationSeconds".into(), self.duration_seconds()?.into());
        let transport = self.transport(signer)?;
        let answer = self
            .send(&transport, &Value::Object(params))
            .await
            .map_err(|e| self.error(e))?;
        self.credentials(&answer)
    }

    /// A transport to the session's endpoint, signing with `signer` or
    /// unsigned, over the session's connection settings (its timeouts and
    /// answer cap too).
    fn transport(
        &self,
        signer: Option<&Arc<dyn ProvideCredentials>>,
    ) -> Result<HttpTransport, CredentialsError> {
        let settings = HttpSettings {
            endpoint: Endpoint::Url(self.session.endpoint.clone()),
            region: Some(self.region.to_owned()),
            language: None,
            ..self.session.http.clone()
        };
        match signer {
            Some(signer) => HttpTransport::new(Arc::clone(signer), settings),
            None => HttpTransport::unsigned(settings),
        }
        .map_err(|e| self.failed(e.to_string()))
    }

    /// Sends `request` as this action, retried by the default
    /// [`RetryPolicy`] as a [`NotIdempotent`](RetryClass::NotIdempotent)
    /// call and traced as every call is: the `Response` of the answer.
    async fn send(
        &self,
        transport: &HttpTransport,
        request: &Value,
    ) -> Result<Value, Error<String>> {
        let action = Action::new(self.action);
        let body = serde_json::to_vec(request)
            .expect("invariant: a serde_json::Value always serializes to a Vec");
        let ids = CallIds::new(None);
        let call = Call {
            service: &STS,
            action: &action,
            body: &body,
            content_type: ContentType::Json,
            headers: &[],
            endpoint: None,
            region: None,
            language: None,
            timeout: None,
            trace_id: &ids.trace_id,
        };
        retrying(&RetryPolicy::default(), RetryClass::NotIdempotent, |n| {
            attempt(transport, call, n)
        })
        .instrument(call_span(&STS, &action, &ids))
        .await
        .and_then(Opened::decode)
        .map_err(|err| err.of_call(&ids))
    }

    /// The session's duration in whole seconds, checked against STS's range.
    fn duration_seconds(&self) -> Result<u64, CredentialsError> {
        let (seconds, max) = (self.session.duration.as_secs(), MAX_DURATION_SECONDS);
        if (1..=max).contains(&seconds) {
            return Ok(seconds);
        }
        Err(CredentialsError::InvalidSetting {
            provider: self.provider.to_owned(),
            message: format!("the duration must be 1 to {max} seconds, not {seconds}"),
        })
    }

    /// Reads `Credentials.{TmpSecretId, TmpSecretKey, Token}` and `ExpiredTime`.
    fn credentials(&self, answer: &Value) -> Result<Credentials, CredentialsError> {
        let field = |name: &str| {
            answer["Credentials"][name]
                .as_str()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| self.failed(format!("the answer has no Credentials.{name}")))
        };
        let expires_at = answer["ExpiredTime"]
            .as_i64()
            .and_then(unix_time)
            .ok_or_else(|| self.failed("the answer has no valid ExpiredTime".into()))?;
        Ok(
            Credentials::new(field("TmpSecretId")?, field("TmpSecretKey")?)
                .with_token(field("Token")?)
                .with_expiry(expires_at),
        )
    }

    /// A call failure as a credentials error; answers are never quoted, as
    /// they may hold keys.
    fn error(&self, err: Error<String>) -> CredentialsError {
        match err {
            Error::Service(e) => CredentialsError::Sts {
                provider: self.provider.to_owned(),
                action: self.action,
                code: e.code,
                message: e.message,
                request_id: e.request_id,
            },
            Error::Transport { source, .. } => self.failed(source.to_string()),
            Error::Http { status, .. } => self.failed(format!("HTTP status {status}")),
            Error::Decode { status, .. } => self.failed(format!(
                "HTTP status {status}: the answer is not an STS response"
            )),
            // STS calls are single calls, never paginated.
            Error::TooManyPages { pages, .. } => self.failed(format!("{pages} pages")),
            Error::FirstPageUnknown { member, .. } => {
                self.failed(format!("no first page for `{member}`"))
            }
        }
    }

    fn failed(&self, reason: String) -> CredentialsError {
        CredentialsError::StsFailed {
            provider: self.provider.to_owned(),
            action: self.action,
            reason,
        }
    }
}

/// `tencentcloud-rust-sdk-<microseconds since the epoch>`, unique enough for
/// CAM's records, as the official SDKs name sessions.
fn default_session_name() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    format!("tencentcloud-rust-sdk-{micros}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_named_like_the_official_sdks() {
        assert!(default_session_name().starts_with("tencentcloud-rust-sdk-"));
    }
}
