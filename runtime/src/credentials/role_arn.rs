//! The role ARN provider: temporary credentials of a CAM role from STS
//! `AssumeRole`, signed with base credentials, refreshed before they expire.

use super::sts::{sts_provider, Session};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::shared::setters;
use serde_json::Map;
use std::sync::Arc;

/// The provider's name in messages.
const NAME: &str = "role ARN";
/// The region STS `AssumeRole` is sent to, as in the official SDKs.
const DEFAULT_REGION: &str = "ap-guangzhou";

/// Assumes a CAM role (`qcs::cam::uin/…:roleName/…`) with STS `AssumeRole`,
/// signing the call with the credentials of `base`. STS is reached with the
/// HTTP settings of the client the provider serves (its proxy, root
/// certificates and timeouts, or its own `reqwest::Client`), which `base`
/// gets too ([`use_http_settings`](ProvideCredentials::use_http_settings)).
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
    session: Session,
    region: String,
}

impl RoleArnProvider {
    /// Assumes `role_arn` with the credentials of `base`, for two hours at a
    /// time, each session named `tencentcloud-rust-sdk-<microseconds>`.
    pub fn new(base: impl ProvideCredentials, role_arn: impl Into<String>) -> Self {
        RoleArnProvider {
            base: Arc::new(base),
            role_arn: role_arn.into(),
            session: Session::default(),
            region: DEFAULT_REGION.to_owned(),
        }
    }

    setters! {
        /// Sends `X-TC-Region: region` instead of `ap-guangzhou`.
        region(region: impl Into<String>) => region = region.into();
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let mut params = Map::new();
        params.insert("RoleArn".into(), self.role_arn.clone().into());
        let call = self.sts_call("AssumeRole", &self.region);
        call.assume(Some(&self.base), params).await
    }
}

sts_provider!(RoleArnProvider, NAME, base);

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// What the provider says when asked for a session of `seconds`,
    /// with STS unreachable.
    async fn failure_for(seconds: u64) -> CredentialsError {
        let provider = RoleArnProvider::new(Credentials::new("id", "key"), "arn")
            .duration(Duration::from_secs(seconds))
            .endpoint_url("http://127.0.0.1:1");
        provider.provide().await.unwrap_err()
    }

    #[tokio::test]
    async fn an_out_of_range_duration_is_a_typed_error_before_any_call() {
        let err = failure_for(43_201).await;
        assert_eq!(
            err.to_string(),
            "role ARN: the duration must be 1 to 43200 seconds, not 43201"
        );
        assert!(!err.lets_chain_continue());
    }

    #[tokio::test]
    async fn twelve_hours_is_a_duration_assume_role_takes() {
        // The duration passed the check; then STS was unreachable.
        let err = failure_for(43_200).await;
        assert!(matches!(err, CredentialsError::StsFailed { .. }), "{err:?}");
    }
}
