//! The chain: providers tried in order, the first that yields credentials wins.

use super::{
    process_env, Credentials, CredentialsError, CvmRoleProvider, EnvProvider, Lookup,
    OidcRoleArnProvider, ProfileProvider, ProvideCredentials,
};
use crate::shared::BoxFuture;
use crate::wire::HttpSettings;

/// Tries its providers in order and returns the first credentials found.
///
/// A provider whose source is simply absent (no variables, no file, not on a
/// CVM, the metadata service unreachable, slow or answering nonsense) lets
/// the chain move on; any other failure (a half-set configuration, an
/// unreadable file, an STS error) stops it, rather than silently continuing
/// with another identity. When no provider has credentials the error lists
/// what each one said.
#[derive(Debug)]
pub struct ChainProvider {
    providers: Vec<Box<dyn ProvideCredentials>>,
}

impl ChainProvider {
    /// A chain of `providers`, tried in this order.
    pub fn new(providers: Vec<Box<dyn ProvideCredentials>>) -> Self {
        ChainProvider { providers }
    }

    /// The default chain: [`EnvProvider`], [`ProfileProvider`],
    /// [`OidcRoleArnProvider::from_tke_env`], then [`CvmRoleProvider`].
    /// TKE OIDC before the CVM role is this SDK's choice, not the official
    /// SDKs' order (the Python SDK asks the CVM role first): in a pod on a
    /// CVM node, the pod's own role wins over the node's. What each reads,
    /// when the chain moves on and why this order:
    /// [the module docs](crate::credentials#the-default-credential-chain).
    pub fn default_chain() -> Self {
        Self::default_with(OidcRoleArnProvider::from_tke_env(), CvmRoleProvider::new())
    }

    /// The default order with these OIDC and CVM role providers, e.g.
    /// pointed at a stand-in for STS or the metadata service.
    pub fn default_with(oidc: OidcRoleArnProvider, cvm: CvmRoleProvider) -> Self {
        Self::default_with_lookup(process_env(), oidc, cvm)
    }

    pub(crate) fn default_with_lookup(
        get: Lookup,
        oidc: OidcRoleArnProvider,
        cvm: CvmRoleProvider,
    ) -> Self {
        Self::new(vec![
            Box::new(EnvProvider::with_lookup(get.clone())),
            Box::new(ProfileProvider::with_lookup(get)),
            Box::new(oidc),
            Box::new(cvm),
        ])
    }

    async fn first(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(self.providers.len());
        for provider in &self.providers {
            match provider.provide().await {
                Ok(credentials) => {
                    tracing::debug!(provider = provider.name(), "found credentials");
                    return Ok(credentials);
                }
                Err(err) if err.lets_chain_continue() => {
                    tracing::debug!(provider = provider.name(), reason = %err, "no credentials");
                    tried.push(err.to_string());
                }
                Err(err) => return Err(err),
            }
        }
        Err(CredentialsError::NotFound { tried })
    }
}

impl ProvideCredentials for ChainProvider {
    fn name(&self) -> &str {
        "credential chain"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.first())
    }

    /// Passes `settings` on to every provider of the chain.
    fn use_http_settings(&mut self, settings: &HttpSettings) {
        for provider in &mut self.providers {
            provider.use_http_settings(settings);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::env::{ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN};
    use super::super::profile::ENV_CREDENTIALS_FILE;
    use super::super::test_support::*;
    use super::*;
    use std::time::Duration;

    /// The default chain over `pairs`, its CVM role provider pointed at a
    /// closed loopback port so that nothing leaves the machine.
    fn chain(pairs: &[(&str, &str)]) -> ChainProvider {
        let get = env(pairs);
        let cvm = CvmRoleProvider::new()
            .base_url("http://127.0.0.1:1/")
            .timeout(Duration::from_millis(300));
        ChainProvider::default_with_lookup(
            get.clone(),
            OidcRoleArnProvider::from_tke_lookup(get),
            cvm,
        )
    }

    #[tokio::test]
    async fn reads_profile_from_override() {
        let file = TempFile::new(Some(&format!(
            "[default]\nsecret_id={ID}\nsecret_key={KEY}\n"
        )));
        let creds = chain(&[(ENV_CREDENTIALS_FILE, &file.path())])
            .provide()
            .await
            .expect("found");
        assert_eq!(creds.secret_id(), ID);
    }

    #[tokio::test]
    async fn prefers_env_over_file() {
        let file = TempFile::new(Some("[default]\nsecret_id=fromfile\nsecret_key=filekey\n"));
        let creds = chain(&[
            (ENV_CREDENTIALS_FILE, &file.path()),
            (ENV_SECRET_ID, ID),
            (ENV_SECRET_KEY, KEY),
        ])
        .provide()
        .await
        .expect("found");
        assert_eq!(creds.secret_id(), ID);
        assert_eq!(creds.secret_key(), KEY);
    }

    #[tokio::test]
    async fn not_found_says_what_each_provider_said_in_order() {
        let missing = TempFile::new(None);
        // A token alone is not credentials: the environment is not set up,
        // and what it says must not repeat the token.
        let err = chain(&[
            (ENV_CREDENTIALS_FILE, &missing.path()),
            (ENV_SESSION_TOKEN, TOKEN),
        ])
        .provide()
        .await
        .expect_err("none");
        let CredentialsError::NotFound { tried } = &err else {
            panic!("expected NotFound, got {err:?}");
        };
        assert_eq!(tried.len(), 4, "{tried:?}");
        assert!(tried[0].starts_with("environment: "), "{tried:?}");
        assert!(tried[1].starts_with("profile file: ") && tried[1].contains(&missing.path()));
        assert!(tried[2].starts_with("TKE OIDC: "), "{tried:?}");
        assert!(tried[3].starts_with("CVM role: "), "{tried:?}");
        assert_no_secret(&err.to_string());
    }

    #[tokio::test]
    async fn a_misconfiguration_stops_the_chain() {
        let file = TempFile::new(Some(&format!(
            "[default]\nsecret_id={ID}\nsecret_key={KEY}\n"
        )));
        let err = chain(&[(ENV_SECRET_ID, ID), (ENV_CREDENTIALS_FILE, &file.path())])
            .provide()
            .await
            .expect_err("half-set environment");
        assert!(
            matches!(err, CredentialsError::Incomplete { .. }),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn user_providers_chain_too() {
        let chain = ChainProvider::new(vec![
            Box::new(EnvProvider::with_lookup(env(&[]))),
            Box::new(Credentials::new(ID, KEY)),
        ]);
        assert_eq!(chain.provide().await.unwrap().secret_id(), ID);
    }
}
