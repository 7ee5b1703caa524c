//! The TKE OIDC provider: a pod's service-account token exchanged with STS
//! `AssumeRoleWithWebIdentity` for the temporary credentials of a CAM role.

use super::error::{incomplete, not_set};
use super::sts::{sts_provider, Session};
use super::{non_empty, process_env, Credentials, CredentialsError, Lookup};
use serde_json::Map;
use std::fmt;
use std::path::PathBuf;

/// The provider's name in messages.
const NAME: &str = "TKE OIDC";
/// The variables TKE sets in a pod whose service account is bound to a role.
const TKE_REGION: &str = "TKE_REGION";
const TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
const TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
const TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

/// What `AssumeRoleWithWebIdentity` needs, except the token itself.
#[derive(Debug, Clone)]
struct Identity {
    region: String,
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
}

/// Where the [`Identity`] comes from.
#[derive(Clone)]
enum Source {
    Given(Identity),
    /// The `TKE_*` variables, read at each refresh.
    TkeEnv(Lookup),
}

/// Exchanges an OIDC token (re-read from its file at each refresh, since
/// Kubernetes rotates it) for a CAM role's temporary credentials with STS
/// `AssumeRoleWithWebIdentity`. The call is sent unsigned, as in the
/// official SDKs: the token is the proof. STS is reached with the HTTP
/// settings of the client the provider serves (its proxy, root certificates
/// and timeouts, or its own `reqwest::Client`:
/// [`use_http_settings`](crate::ProvideCredentials::use_http_settings)).
///
/// ```no_run
/// use tencentcloud_runtime::credentials::OidcRoleArnProvider;
///
/// // In a TKE pod: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN.
/// let provider = OidcRoleArnProvider::from_tke_env();
/// let runtime = tencentcloud_runtime::Client::builder().credentials_provider(provider).build()?;
/// # Ok::<(), tencentcloud_runtime::BuildError>(())
/// ```
#[derive(Clone)]
pub struct OidcRoleArnProvider {
    source: Source,
    session: Session,
}

impl OidcRoleArnProvider {
    /// Assumes `role_arn` with the token in `token_file`, issued by the OIDC
    /// identity provider `provider_id`; STS is called in `region`.
    pub fn new(
        region: impl Into<String>,
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> Self {
        Self::with_source(Source::Given(Identity {
            region: region.into(),
            provider_id: provider_id.into(),
            token_file: token_file.into(),
            role_arn: role_arn.into(),
        }))
    }

    /// Takes everything from `TKE_REGION`, `TKE_PROVIDER_ID`,
    /// `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`, read at each
    /// refresh; when none is set the provider says so and a chain moves on.
    pub fn from_tke_env() -> Self {
        Self::from_tke_lookup(process_env())
    }

    pub(crate) fn from_tke_lookup(get: Lookup) -> Self {
        Self::with_source(Source::TkeEnv(get))
    }

    fn with_source(source: Source) -> Self {
        OidcRoleArnProvider {
            source,
            session: Session::default(),
        }
    }

    fn identity(&self) -> Result<Identity, CredentialsError> {
        let get = match &self.source {
            Source::Given(identity) => return Ok(identity.clone()),
            Source::TkeEnv(get) => get,
        };
        let names = [
            TKE_REGION,
            TKE_PROVIDER_ID,
            TKE_WEB_IDENTITY_TOKEN_FILE,
            TKE_ROLE_ARN,
        ];
        let values = names.map(|name| non_empty(&**get, name));
        if values.iter().all(Option::is_none) {
            return Err(not_set(NAME, format!("{} are not set", names.join(", "))));
        }
        let [region, provider_id, token_file, role_arn] = values;
        let origin = "environment (TKE OIDC)";
        Ok(Identity {
            region: region.ok_or_else(|| incomplete(origin, TKE_REGION))?,
            provider_id: provider_id.ok_or_else(|| incomplete(origin, TKE_PROVIDER_ID))?,
            token_file: token_file
                .ok_or_else(|| incomplete(origin, TKE_WEB_IDENTITY_TOKEN_FILE))?
                .into(),
            role_arn: role_arn.ok_or_else(|| incomplete(origin, TKE_ROLE_ARN))?,
        })
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let identity = self.identity()?;
        let token = std::fs::read_to_string(&identity.token_file).map_err(|source| {
            CredentialsError::TokenFile {
                provider: NAME.to_owned(),
                path: identity.token_file.clone(),
                source,
            }
        })?;
        let call = self.sts_call("AssumeRoleWithWebIdentity", &identity.region);
        let mut params = Map::new();
        params.insert("ProviderId".into(), identity.provider_id.into());
        params.insert("WebIdentityToken".into(), token.trim().into());
        params.insert("RoleArn".into(), identity.role_arn.into());
        call.assume(None, params).await
    }
}

/// Written by hand: the identity settings, never the token.
impl fmt::Debug for OidcRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("OidcRoleArnProvider");
        match &self.source {
            Source::Given(identity) => s.field("identity", identity),
            Source::TkeEnv(_) => s.field("identity", &"from TKE_* variables"),
        };
        s.field("session", &self.session).finish()
    }
}

sts_provider!(OidcRoleArnProvider, NAME);

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::credentials::ProvideCredentials;

    #[tokio::test]
    async fn without_tke_variables_the_chain_moves_on() {
        let err = OidcRoleArnProvider::from_tke_lookup(env(&[]))
            .provide()
            .await
            .unwrap_err();
        assert!(err.lets_chain_continue(), "{err:?}");
        assert!(err.to_string().contains("TKE_ROLE_ARN"), "{err}");
    }

    #[tokio::test]
    async fn some_tke_variables_are_a_configuration_error() {
        let get = env(&[(TKE_REGION, "ap-guangzhou"), (TKE_ROLE_ARN, "arn")]);
        let err = OidcRoleArnProvider::from_tke_lookup(get)
            .provide()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CredentialsError::Incomplete {
                    missing: TKE_PROVIDER_ID,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(!err.lets_chain_continue());
    }

    #[tokio::test]
    async fn an_unreadable_token_file_names_the_file() {
        let missing = TempFile::new(None);
        let provider = OidcRoleArnProvider::new("ap-guangzhou", "p", &missing.0, "arn")
            .endpoint_url("http://127.0.0.1:1");
        let err = provider.provide().await.unwrap_err();
        assert!(matches!(err, CredentialsError::TokenFile { .. }), "{err:?}");
        assert!(err.to_string().contains(&missing.path()), "{err}");
    }
}
