//! The top of the runtime: what a client gets when it is not told
//! otherwise. Here the default credential chain (`credentials/`) meets the
//! client (`call/`): [`ClientBuilder::build`] and [`Client::from_env`]; and
//! the region and endpoint are read from the environment
//! ([`ClientBuilder::with_env`], [`ENV_REGION`], [`ENV_ENDPOINT`]).

use crate::call::{BuildError, Client, ClientBuilder};
use crate::credentials::ChainProvider;
use crate::wire::api_service_of;

/// Environment variable naming the region (`X-TC-Region`).
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// Environment variable naming an endpoint: a URL, or a host for HTTPS. A
/// `<service>.….tencentcloudapi.com` host moves that service's calls only;
/// any other URL (a local stand-in, a proxy) takes every service's calls.
pub const ENV_ENDPOINT: &str = "TENCENTCLOUD_ENDPOINT";

impl ClientBuilder {
    /// Takes the region from `TENCENTCLOUD_REGION` and an endpoint from
    /// `TENCENTCLOUD_ENDPOINT` (a URL, or a host reached over HTTPS), when set.
    /// An endpoint whose host is `<service>.….tencentcloudapi.com` moves the
    /// calls of that service only (as [`service_endpoint`](Self::service_endpoint));
    /// any other URL takes the calls of every service (as
    /// [`endpoint_url`](Self::endpoint_url)).
    pub fn with_env(self) -> Self {
        self.with_env_from(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    fn with_env_from(mut self, get: impl Fn(&str) -> Option<String>) -> Self {
        if let Some(region) = get(ENV_REGION) {
            self = self.region(region);
        }
        if let Some(endpoint) = get(ENV_ENDPOINT) {
            let url = if endpoint.contains("://") {
                endpoint
            } else {
                format!("https://{endpoint}")
            };
            self = match api_service_of(&url) {
                Some(service) => self.service_endpoint(service, url),
                None => self.endpoint_url(url),
            };
        }
        self
    }

    /// Builds an HTTPS client. Credentials are fetched at the first call,
    /// from the provider given, else from the default chain
    /// ([`credentials`](crate::credentials) says what it reads, in which
    /// order), so that a provider reaching a metadata service or STS is not
    /// asked in vain.
    pub fn build(self) -> Result<Client, BuildError> {
        self.build_signed(|| Box::new(ChainProvider::default_chain()))
    }
}

impl Client {
    /// The default setup, what most programs want:
    ///
    /// - credentials from the default chain, which takes the first of, in
    ///   this order: the environment (`TENCENTCLOUD_SECRET_ID` and
    ///   `TENCENTCLOUD_SECRET_KEY`), the profile file
    ///   (`~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`),
    ///   TKE OIDC (the `TKE_*` variables
    ///   of a pod bound to a role), the CVM role (the instance metadata
    ///   service). What each source reads, when the chain moves on and when
    ///   credentials are refreshed: [`credentials`](crate::credentials).
    /// - the region from `TENCENTCLOUD_REGION` and an endpoint from
    ///   `TENCENTCLOUD_ENDPOINT`, when set ([`ClientBuilder::with_env`]).
    ///
    /// Nothing is fetched until the first call.
    pub fn from_env() -> Result<Client, BuildError> {
        Client::builder().with_env().build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Endpoint;

    #[test]
    fn environment_sets_region_and_endpoint() {
        let env = |name: &str| match name {
            ENV_REGION => Some("ap-guangzhou".to_owned()),
            ENV_ENDPOINT => Some("lcic.intl.tencentcloudapi.com".to_owned()),
            _ => None,
        };
        let builder = ClientBuilder::default().with_env_from(env);
        assert_eq!(builder.settings.region.as_deref(), Some("ap-guangzhou"));
        // An API host moves its own service only.
        assert_eq!(builder.settings.endpoint, Endpoint::Default);
        assert_eq!(
            builder.service_endpoints,
            [(
                "lcic".to_owned(),
                "https://lcic.intl.tencentcloudapi.com".to_owned()
            )]
        );
        let url = ClientBuilder::default()
            .with_env_from(|n| (n == ENV_ENDPOINT).then(|| "http://127.0.0.1:9".to_owned()));
        assert_eq!(
            url.settings.endpoint,
            Endpoint::Url("http://127.0.0.1:9".into())
        );
        assert!(url.service_endpoints.is_empty());
    }
}
