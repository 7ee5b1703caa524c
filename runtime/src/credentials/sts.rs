//! The STS call the role ARN and OIDC providers share: one action of
//! `sts` 2018-08-13 sent through the runtime's own client (signing, retries,
//! envelope decoding), its answer turned into temporary [`Credentials`].

use super::{unix_time, Credentials, CredentialsError, ProvideCredentials};
use crate::http::{Endpoint, HttpSettings, HttpTransport};
use crate::json::Value;
use crate::{Action, Client, Error, Service};
use std::sync::Arc;

/// Where STS calls go unless a provider is pointed elsewhere.
pub const STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com";

/// The STS service and API version of `AssumeRole` and `AssumeRoleWithWebIdentity`.
const STS: Service = Service {
    name: "sts",
    version: "2018-08-13",
    intl_endpoint: None,
};

/// The longest session STS grants, in seconds (12 hours).
pub(crate) const MAX_DURATION_SECONDS: u64 = 43_200;
/// The session length the official SDKs ask for, in seconds.
pub(crate) const DEFAULT_DURATION_SECONDS: u64 = 7_200;

/// One STS action of one provider.
pub(crate) struct StsCall<'a> {
    /// The provider, for messages.
    pub provider: &'a str,
    /// `AssumeRole` or `AssumeRoleWithWebIdentity`.
    pub action: &'static str,
    /// The base URL, [`STS_ENDPOINT`] unless pointed elsewhere.
    pub endpoint: &'a str,
    /// Sent as `X-TC-Region`.
    pub region: &'a str,
}

impl StsCall<'_> {
    /// Sends `params`, signed with `signer` or, without one, unsigned
    /// (`Authorization: SKIP`, as the official SDKs send
    /// `AssumeRoleWithWebIdentity`, whose proof is the token in the body).
    pub async fn assume(
        &self,
        signer: Option<&Arc<dyn ProvideCredentials>>,
        params: &Value,
    ) -> Result<Credentials, CredentialsError> {
        let settings = HttpSettings {
            endpoint: Endpoint::Url(self.endpoint.to_owned()),
            region: Some(self.region.to_owned()),
            ..HttpSettings::default()
        };
        let transport = match signer {
            Some(signer) => HttpTransport::new(Arc::clone(signer), settings),
            None => HttpTransport::unsigned(settings),
        }
        .map_err(|e| self.failed(format!("cannot set up the HTTP client: {e}")))?;
        let client = Client::builder()
            .rate_limit(false)
            .build_with_transport(transport);
        let action = Action {
            name: self.action,
            rate_limit_per_second: None,
        };
        let answer: Value = client
            .call::<Value, Value, String>(&STS, &action, params)
            .await
            .map_err(|e| self.error(e))?;
        self.credentials(&answer)
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
