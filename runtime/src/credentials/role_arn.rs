//! The role ARN provider: temporary credentials of a CAM role from STS
//! `AssumeRole`, signed with base credentials, refreshed before they expire.

use super::sts::{StsCall, DEFAULT_DURATION_SECONDS, MAX_DURATION_SECONDS, STS_ENDPOINT};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::transport::BoxFuture;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The provider's name in messages.
const NAME: &str = "role ARN";
/// The region STS `AssumeRole` is sent to, as in the official SDKs.
const DEFAULT_REGION: &str = "ap-guangzhou";

/// Assumes a CAM role (`qcs::cam::uin/…:roleName/…`) with STS `AssumeRole`,
/// signing the call with the credentials of `base`.
///
/// ```no_run
/// use tencentcloud_runtime::credentials::{EnvProvider, RoleArnProvider};
/// use std::time::Duration;
///
/// let provider = RoleArnProvider::new(EnvProvider::new(), "qcs::cam::uin/100000000001:roleName/reader")
///     .session_name("nightly-report")
///     .duration(Duration::from_secs(3600));
/// let runtime = tencentcloud_runtime::Client::builder().credentials_provider(provider).build()?;
/// # Ok::<(), tencentcloud_runtime::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RoleArnProvider {
    base: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration: Duration,
    endpoint: String,
    region: String,
}

impl RoleArnProvider {
    /// Assumes `role_arn` with the credentials of `base`, for two hours at a
    /// time, as session `tencentcloud-rust-sdk-<microseconds>`.
    pub fn new(base: impl ProvideCredentials, role_arn: impl Into<String>) -> Self {
        RoleArnProvider {
            base: Arc::new(base),
            role_arn: role_arn.into(),
            session_name: default_session_name(),
            duration: Duration::from_secs(DEFAULT_DURATION_SECONDS),
            endpoint: STS_ENDPOINT.to_owned(),
            region: DEFAULT_REGION.to_owned(),
        }
    }

    /// The session name CAM records (`RoleSessionName`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// How long each set of credentials lasts (`DurationSeconds`, under 12 hours).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = duration;
        self
    }

    /// Sends `AssumeRole` to this base URL instead of [`STS_ENDPOINT`].
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// Sends `X-TC-Region: region` instead of `ap-guangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let seconds = duration_seconds(NAME, self.duration, MAX_DURATION_SECONDS - 1)?;
        let params = json!({
            "RoleArn": self.role_arn,
            "RoleSessionName": self.session_name,
            "DurationSeconds": seconds,
        });
        let call = StsCall {
            provider: NAME,
            action: "AssumeRole",
            endpoint: &self.endpoint,
            region: &self.region,
        };
        call.assume(Some(&self.base), &params).await
    }
}

impl ProvideCredentials for RoleArnProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

/// `tencentcloud-rust-sdk-<microseconds since the epoch>`, unique enough for
/// CAM's records, as the official SDKs name sessions.
pub(crate) fn default_session_name() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    format!("tencentcloud-rust-sdk-{micros}")
}

/// `duration` in whole seconds, checked against STS's range `1..=max`.
pub(crate) fn duration_seconds(
    provider: &str,
    duration: Duration,
    max: u64,
) -> Result<u64, CredentialsError> {
    let seconds = duration.as_secs();
    if (1..=max).contains(&seconds) {
        return Ok(seconds);
    }
    Err(CredentialsError::InvalidSetting {
        provider: provider.to_owned(),
        message: format!("the duration must be 1 to {max} seconds, not {seconds}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_out_of_range_duration_is_a_typed_error_before_any_call() {
        let provider = RoleArnProvider::new(Credentials::new("id", "key"), "arn")
            .duration(Duration::from_secs(43_200))
            .endpoint_url("http://127.0.0.1:1");
        let err = provider.provide().await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "role ARN: the duration must be 1 to 43199 seconds, not 43200"
        );
        assert!(!err.lets_chain_continue());
    }

    #[test]
    fn sessions_are_named_like_the_official_sdks() {
        assert!(default_session_name().starts_with("tencentcloud-rust-sdk-"));
    }
}
