//! The client every generated service client wraps: configuration,
//! credentials, retries, the per-action rate limit and tracing around a
//! [`Transport`].

use super::envelope::{open, Opened};
use super::retry::{is_rate_limited, RateLimiter, RetryPolicy};
use crate::credentials::{ChainProvider, Credentials, ProvideCredentials};
use crate::json::{FromJson, ToJson, Writer};
use crate::wire::{Call, Endpoint, HttpSettings, HttpTransport, Transport, TransportErrorKind};
use crate::{Error, ServiceErrorCode};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::{field, Instrument};

/// A service and API version, as generated into each version module (`SERVICE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// The service short name used in endpoints and signatures (`lcic`).
    pub name: &'static str,
    /// The API version sent in `X-TC-Version` (`2022-08-17`).
    pub version: &'static str,
    /// The documented international domain, when the spec records it;
    /// [`Endpoint::International`] calls it instead of `<name>.intl.tencentcloudapi.com`.
    pub intl_endpoint: Option<&'static str>,
}

/// An action, as generated into each client method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    /// The wire name sent in `X-TC-Action` (`BatchCreateRoom`).
    pub name: &'static str,
    /// The documented rate limit, in requests per second.
    pub rate_limit_per_second: Option<u32>,
}

/// Environment variable naming the region (`X-TC-Region`).
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// Environment variable naming an endpoint: a URL, or a host for HTTPS. A
/// `<service>.….tencentcloudapi.com` host moves that service's calls only;
/// any other URL (a local stand-in, a proxy) takes every service's calls.
pub const ENV_ENDPOINT: &str = "TENCENTCLOUD_ENDPOINT";
/// The root domain of Tencent Cloud API hosts.
const API_ROOT_DOMAIN: &str = ".tencentcloudapi.com";

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

/// The shared client: cheap to clone; clones share the connection pool,
/// the credentials and the rate limiter.
#[derive(Debug, Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    limiter: Option<Arc<RateLimiter>>,
    /// Per service, the URL its calls go to instead of the transport's endpoint.
    service_endpoints: Arc<[(String, String)]>,
}

/// Configures a [`Client`]. Defaults: the default credential chain
/// ([`ChainProvider::default_chain`]: environment, profile file, TKE OIDC,
/// CVM role), the mainland endpoint, no region, a 10 s connect and 60 s call
/// timeout, a 32 MiB answer cap, the default [`RetryPolicy`], and the
/// client-side rate limit on.
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Option<Box<dyn ProvideCredentials>>,
    settings: HttpSettings,
    service_endpoints: Vec<(String, String)>,
    retry: RetryPolicy,
    rate_limit: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            settings: HttpSettings::default(),
            service_endpoints: Vec::new(),
            retry: RetryPolicy::default(),
            rate_limit: true,
        }
    }
}

impl ClientBuilder {
    /// Signs with these fixed credentials instead of the default chain.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// Takes credentials from `provider` instead of the default chain: a
    /// provider of [`credentials`](crate::credentials) or one of your own.
    /// They are fetched at the first call and refreshed before they expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(Box::new(provider));
        self
    }

    /// Sends `X-TC-Region`, e.g. `ap-guangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = Some(region.into());
        self
    }

    /// Where calls go.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.settings.endpoint = endpoint;
        self
    }

    /// Calls the international site (`<service>.intl.tencentcloudapi.com`,
    /// or the domain the service's spec records).
    pub fn international(self) -> Self {
        self.endpoint(Endpoint::International)
    }

    /// Calls `<service>.<region>.tencentcloudapi.com`, in the [`region`](Self::region).
    pub fn regional(self) -> Self {
        self.endpoint(Endpoint::Regional)
    }

    /// Calls `<service>.<domain>`, for clouds with their own root domain.
    pub fn root_domain(self, domain: impl Into<String>) -> Self {
        self.endpoint(Endpoint::RootDomain(domain.into()))
    }

    /// Calls this base URL for every service (`http://` allowed, e.g. a
    /// local test server); see [`service_endpoint`](Self::service_endpoint)
    /// to move one service only.
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        self.endpoint(Endpoint::Url(url.into()))
    }

    /// Sends the calls of `service` (its short name, e.g. `lcic`) to `url`;
    /// the calls of every other service go where they went before.
    pub fn service_endpoint(mut self, service: impl Into<String>, url: impl Into<String>) -> Self {
        set_service_endpoint(&mut self.service_endpoints, service.into(), url.into());
        self
    }

    /// Sends `X-TC-Language` (`zh-CN` or `en-US`), the language of messages.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.settings.language = Some(language.into());
        self
    }

    /// Time allowed to connect.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the end of the answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Answers larger than this many bytes are an error.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.settings.max_response_bytes = bytes;
        self
    }

    /// How calls are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Whether to space each action's calls to its documented rate limit.
    pub fn rate_limit(mut self, enabled: bool) -> Self {
        self.rate_limit = enabled;
        self
    }

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
            self.settings.region = Some(region);
        }
        if let Some(endpoint) = get(ENV_ENDPOINT) {
            let url = if endpoint.contains("://") {
                endpoint
            } else {
                format!("https://{endpoint}")
            };
            match api_service_of(&url) {
                Some(service) => set_service_endpoint(&mut self.service_endpoints, service, url),
                None => self.settings.endpoint = Endpoint::Url(url),
            }
        }
        self
    }

    /// Builds an HTTPS client. Credentials are fetched at the first call
    /// (from the default chain unless a provider was given), so that a
    /// provider reaching a metadata service or STS is not asked in vain.
    pub fn build(mut self) -> Result<Client, BuildError> {
        let credentials = self
            .credentials
            .take()
            .unwrap_or_else(|| Box::new(ChainProvider::default_chain()));
        let transport = HttpTransport::new(credentials, self.settings.clone())?;
        Ok(self.build_with_transport(transport))
    }

    /// Builds a client that sends through `transport` (tests, embedders),
    /// with this builder's retry policy, rate limit and service endpoints.
    pub fn build_with_transport(self, transport: impl Transport) -> Client {
        Client {
            transport: Arc::new(transport),
            retry: self.retry,
            limiter: self.rate_limit.then(Arc::default),
            service_endpoints: self.service_endpoints.into(),
        }
    }
}

impl Client {
    /// Configures a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The default setup: credentials from the default chain
    /// ([`ChainProvider::default_chain`]), region and endpoint from
    /// `TENCENTCLOUD_REGION` / `TENCENTCLOUD_ENDPOINT`.
    pub fn from_env() -> Result<Client, BuildError> {
        Client::builder().with_env().build()
    }

    /// A client that sends every call through `transport`, with the default
    /// retry policy and rate limit.
    pub fn with_transport(transport: impl Transport) -> Self {
        ClientBuilder::default().build_with_transport(transport)
    }

    /// This client, sending the calls of `service` to `url`; the calls of
    /// other services, and the clients this one was cloned from, are
    /// unaffected. Clones share the connection pool and credentials.
    pub fn with_service_endpoint(&self, service: &str, url: impl Into<String>) -> Client {
        let mut endpoints = self.service_endpoints.to_vec();
        set_service_endpoint(&mut endpoints, service.to_owned(), url.into());
        Client {
            service_endpoints: endpoints.into(),
            ..self.clone()
        }
    }

    /// The URL set for `service`'s calls, if any.
    fn service_endpoint(&self, service: &str) -> Option<&str> {
        self.service_endpoints
            .iter()
            .find(|(name, _)| name == service)
            .map(|(_, url)| url.as_str())
    }

    /// Sends `request` as `action` of `service`, retrying as the policy
    /// allows, and decodes the answer.
    ///
    /// Only the encoding and the final decoding depend on the request and
    /// response types; sending, retrying and opening the envelope are
    /// compiled once per error type, not once per action.
    ///
    /// # Errors
    /// A service error, or a transport, HTTP or decoding failure.
    pub async fn call<Req, Resp, E>(
        &self,
        service: &Service,
        action: &Action,
        request: &Req,
    ) -> Result<Resp, Error<E>>
    where
        Req: ToJson + ?Sized,
        Resp: FromJson,
        E: ServiceErrorCode,
    {
        // Most request bodies are small; one allocation usually holds them.
        let mut body = Writer::with_capacity(512);
        request.write_json(&mut body);
        self.send(service, action, body.into_bytes())
            .await?
            .decode()
    }

    async fn send<E: ServiceErrorCode>(
        &self,
        service: &Service,
        action: &Action,
        body: Vec<u8>,
    ) -> Result<Opened, Error<E>> {
        let span = tracing::info_span!(
            "tencentcloud.call",
            service = service.name,
            version = service.version,
            action = action.name,
            attempts = field::Empty,
        );
        self.attempts(service, action, &body).instrument(span).await
    }

    async fn attempts<E: ServiceErrorCode>(
        &self,
        service: &Service,
        action: &Action,
        body: &[u8],
    ) -> Result<Opened, Error<E>> {
        let mut attempt = 1;
        loop {
            if let (Some(limiter), Some(limit)) = (&self.limiter, action.rate_limit_per_second) {
                limiter.wait(action.name, limit).await;
            }
            let span = tracing::info_span!(
                "attempt",
                attempt,
                status = field::Empty,
                request_id = field::Empty,
                latency_ms = field::Empty,
            );
            let outcome = self.attempt(service, action, body).instrument(span).await;
            tracing::Span::current().record("attempts", attempt);
            let Some(reason) = self.retry_reason(&outcome) else {
                return outcome;
            };
            if attempt >= self.retry.max_attempts {
                tracing::warn!(attempt, reason, "giving up");
                return outcome;
            }
            let wait = self.retry.backoff(attempt);
            tracing::info!(
                attempt,
                reason,
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt: send, then open the envelope; records status, request id
    /// and latency on the attempt's span.
    async fn attempt<E: ServiceErrorCode>(
        &self,
        service: &Service,
        action: &Action,
        body: &[u8],
    ) -> Result<Opened, Error<E>> {
        let span = tracing::Span::current();
        let started = Instant::now();
        let outcome = match self
            .transport
            .send(Call {
                service,
                action,
                body,
                endpoint: self.service_endpoint(service.name),
            })
            .await
        {
            Ok(reply) => {
                span.record("status", reply.status);
                let (request_id, result) = open(action.name, reply.status, reply.body);
                if let Some(id) = &request_id {
                    span.record("request_id", id.as_str());
                }
                result
            }
            Err(source) => Err(Error::Transport {
                action: action.name,
                source,
            }),
        };
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        outcome
    }

    /// Why `outcome` may be retried under the policy, if it may.
    fn retry_reason<T, E: ServiceErrorCode>(
        &self,
        outcome: &Result<T, Error<E>>,
    ) -> Option<&'static str> {
        match outcome {
            Err(Error::Service(err)) if is_rate_limited(err.code.as_str()) => {
                Some("RequestLimitExceeded")
            }
            Err(Error::Transport { source, .. }) => match source.kind() {
                TransportErrorKind::NotSent if self.retry.retry_not_sent => Some("not sent"),
                TransportErrorKind::MaybeSent if self.retry.retry_maybe_sent => {
                    Some("may have been sent")
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// Sets (or replaces) the endpoint of `service`.
fn set_service_endpoint(endpoints: &mut Vec<(String, String)>, service: String, url: String) {
    endpoints.retain(|(name, _)| *name != service);
    endpoints.push((service, url));
}

/// The service a Tencent Cloud API URL is for: the first label of a
/// `<service>.….tencentcloudapi.com` host.
fn api_service_of(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    let host = url.host_str()?;
    let (service, rest) = host.split_once('.')?;
    let on_api_domain = rest == &API_ROOT_DOMAIN[1..] || rest.ends_with(API_ROOT_DOMAIN);
    (on_api_domain && !service.is_empty()).then(|| service.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{BoxFuture, Reply, TransportError};
    use std::sync::Mutex;

    /// Answers attempt n with `answers[n]` (the last one repeats) and records every body.
    #[derive(Debug)]
    struct Script {
        answers: Vec<Result<(u16, &'static str), TransportErrorKind>>,
        seen: Arc<Mutex<Vec<Vec<u8>>>>,
    }

    impl Transport for Script {
        fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
            let mut seen = self.seen.lock().unwrap();
            seen.push(call.body.to_vec());
            let answer = self.answers[(seen.len() - 1).min(self.answers.len() - 1)];
            Box::pin(async move {
                match answer {
                    Ok((status, body)) => Ok(Reply {
                        status,
                        body: body.as_bytes().to_vec(),
                    }),
                    Err(kind) => Err(TransportError::new(kind, "scripted failure", None)),
                }
            })
        }
    }

    const SERVICE: Service = Service {
        name: "lcic",
        version: "2022-08-17",
        intl_endpoint: None,
    };
    const ACTION: Action = Action {
        name: "BatchCreateRoom",
        rate_limit_per_second: None,
    };
    const OK: &str = r#"{"Response":{"RoomIds":[1],"RequestId":"r"}}"#;
    const LIMITED: &str = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded.UinLimitExceeded","Message":"slow down"},"RequestId":"r"}}"#;

    fn scripted(
        answers: Vec<Result<(u16, &'static str), TransportErrorKind>>,
        retry: RetryPolicy,
    ) -> (Client, Arc<Mutex<Vec<Vec<u8>>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let client = Client::builder().retry(retry).build_with_transport(Script {
            answers,
            seen: seen.clone(),
        });
        (client, seen)
    }

    async fn run(client: &Client) -> Result<serde_json::Value, Error<String>> {
        client
            .call(&SERVICE, &ACTION, &serde_json::json!({"SdkAppId": 1}))
            .await
    }

    #[tokio::test(start_paused = true)]
    async fn request_limit_exceeded_is_retried_with_backoff() {
        let (client, seen) = scripted(
            vec![Ok((200, LIMITED)), Ok((200, LIMITED)), Ok((200, OK))],
            RetryPolicy::default(),
        );
        let out = run(&client).await.unwrap();
        assert_eq!(out["RoomIds"][0], 1);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 3);
        assert!(seen.iter().all(|b| b == br#"{"SdkAppId":1}"#));
    }

    #[tokio::test(start_paused = true)]
    async fn retries_are_bounded() {
        let (client, seen) = scripted(
            vec![Ok((200, LIMITED))],
            RetryPolicy {
                max_attempts: 4,
                ..RetryPolicy::default()
            },
        );
        let err = run(&client).await.unwrap_err();
        assert_eq!(
            err.code().map(String::as_str),
            Some("RequestLimitExceeded.UinLimitExceeded")
        );
        assert_eq!(seen.lock().unwrap().len(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn only_failures_before_sending_are_retried_by_default() {
        let (client, seen) = scripted(
            vec![Err(TransportErrorKind::NotSent), Ok((200, OK))],
            RetryPolicy::default(),
        );
        assert!(run(&client).await.is_ok());
        assert_eq!(seen.lock().unwrap().len(), 2);

        let (client, seen) = scripted(
            vec![Err(TransportErrorKind::MaybeSent), Ok((200, OK))],
            RetryPolicy::default(),
        );
        let err = run(&client).await.unwrap_err();
        assert!(
            matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::MaybeSent)
        );
        assert_eq!(
            seen.lock().unwrap().len(),
            1,
            "a request that may have reached the server was sent again"
        );

        let opt_in = RetryPolicy {
            retry_maybe_sent: true,
            ..RetryPolicy::default()
        };
        let (client, seen) = scripted(
            vec![Err(TransportErrorKind::MaybeSent), Ok((200, OK))],
            opt_in,
        );
        assert!(run(&client).await.is_ok());
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn other_service_errors_are_not_retried() {
        let failed =
            r#"{"Response":{"Error":{"Code":"FailedOperation","Message":"no"},"RequestId":"r"}}"#;
        let (client, seen) = scripted(
            vec![Ok((200, failed)), Ok((200, OK))],
            RetryPolicy::default(),
        );
        assert!(run(&client).await.is_err());
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

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

    #[test]
    fn only_api_hosts_name_a_service() {
        let service = |url: &str| api_service_of(url);
        assert_eq!(
            service("https://lcic.tencentcloudapi.com"),
            Some("lcic".into())
        );
        assert_eq!(
            service("https://dnspod.ap-guangzhou.tencentcloudapi.com/"),
            Some("dnspod".into())
        );
        assert_eq!(service("https://tencentcloudapi.com"), None);
        assert_eq!(service("https://lcic.nottencentcloudapi.com"), None);
        assert_eq!(service("http://127.0.0.1:9"), None);
    }

    #[tokio::test]
    async fn a_service_endpoint_travels_with_that_service_only() {
        let (client, _) = scripted(vec![Ok((200, OK))], RetryPolicy::default());
        let moved = client.with_service_endpoint("lcic", "http://127.0.0.1:7");
        assert_eq!(moved.service_endpoint("lcic"), Some("http://127.0.0.1:7"));
        assert_eq!(moved.service_endpoint("dnspod"), None);
        assert_eq!(
            client.service_endpoint("lcic"),
            None,
            "the original changed"
        );
        let again = moved.with_service_endpoint("lcic", "http://127.0.0.1:8");
        assert_eq!(again.service_endpoint("lcic"), Some("http://127.0.0.1:8"));
    }
}
