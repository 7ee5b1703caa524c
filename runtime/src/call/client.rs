//! The client every generated service client wraps: configuration,
//! credentials, retries, the per-action rate limit and tracing around a
//! [`Transport`].

use super::options::CallOptions;
use super::rate_limit::RateLimiter;
use super::token;
use crate::credentials::{Credentials, ProvideCredentials};
use crate::shared::{
    retrying, setters, Action, CallIds, Error, RetryClass, RetryPolicy, Service, ServiceErrorCode,
    TransportError,
};
use crate::wire::{
    app_name_problem, attempt, call_span, check_headers, http_settings_setters, region_problem,
    Call, ContentType, Endpoint, HttpSettings, HttpSetupError, HttpTransport, Opened, Transport,
};
use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;
use tencentcloud_json::{FromJson, ToJson};
use tracing::Instrument;

/// What one call sends, the same at every attempt: the body, what it is,
/// and the headers it adds to every call's.
#[derive(Debug, Clone, Copy)]
pub(super) struct Payload<'a> {
    pub(super) body: &'a [u8],
    pub(super) content_type: ContentType,
    pub(super) headers: &'a [(String, String)],
}

impl<'a> Payload<'a> {
    /// A JSON body, and no headers of its own: every call but an
    /// octet-stream one.
    pub(super) fn json(body: &'a [u8]) -> Self {
        Payload {
            body,
            content_type: ContentType::Json,
            headers: &[],
        }
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No HTTP client could be made from the settings: a root certificate
    /// bundle or a proxy URL is invalid, or reqwest could not build it.
    #[error(transparent)]
    Http(#[from] HttpSetupError),
    /// The region is not a region name (`ap-guangzhou`: lowercase letters,
    /// digits and `-`), so it could change the host a call goes to.
    #[error("invalid region {region:?}: {problem}")]
    InvalidRegion {
        /// The region given.
        region: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A header given to [`ClientBuilder::header`] is one the client
    /// writes itself (`Authorization`, `X-TC-Action`, …), or is no valid
    /// HTTP header.
    #[error("invalid header: {0}")]
    InvalidHeader(#[source] TransportError),
    /// The app name ([`ClientBuilder::app_name`]) cannot go in the
    /// `X-TC-RequestClient` header.
    #[error("invalid app name {name:?}: {problem}")]
    InvalidAppName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        problem: &'static str,
    },
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
    /// Per (service, action), the retry class the user chose over the generated one.
    retry_classes: Arc<PerAction<RetryClass>>,
    /// Per (service, action), the retry policy the user chose over the client's.
    retry_policies: Arc<PerAction<RetryPolicy>>,
    /// Headers every call sends ([`ClientBuilder::header`]).
    headers: Arc<[(String, String)]>,
}

/// Configures a [`Client`]. Defaults: the default credential chain (what
/// it reads, in which order: [`credentials`](crate::credentials)), the
/// mainland endpoint, no region, a 10 s connect and 60 s call timeout, a
/// 32 MiB answer cap, the bundled Mozilla root certificates, the
/// environment's proxies, the default [`RetryPolicy`], and the client-side
/// rate limit on. What the connection settings do, and the credential
/// providers' own requests with them: [`HttpSettings`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Option<Box<dyn ProvideCredentials>>,
    pub(crate) settings: HttpSettings,
    pub(crate) service_endpoints: Vec<(String, String)>,
    retry: RetryPolicy,
    retry_classes: PerAction<RetryClass>,
    retry_policies: PerAction<RetryPolicy>,
    headers: Vec<(String, String)>,
    rate_limit: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            settings: HttpSettings::default(),
            service_endpoints: Vec::new(),
            retry: RetryPolicy::default(),
            retry_classes: PerAction::default(),
            retry_policies: PerAction::default(),
            headers: Vec::new(),
            rate_limit: true,
        }
    }
}

impl ClientBuilder {
    http_settings_setters!(settings);

    setters! {
        /// Takes credentials from `provider` instead of the default chain: a
        /// provider of [`credentials`](crate::credentials) or one of your own.
        /// They are fetched at the first call and refreshed before they expire.
        credentials_provider(provider: impl ProvideCredentials) =>
            credentials = Some(Box::new(provider));
        /// How calls are retried, unless their action's policy
        /// ([`retry_policy_for`](Self::retry_policy_for)) or their own says
        /// otherwise (see [`RetryPolicy`]).
        retry(policy: RetryPolicy) => retry = policy;
        /// Whether to space each action's calls to its documented rate limit.
        /// The budget is kept per action of each service, in the built client
        /// and its clones: separately built clients, and other processes, do
        /// not share it.
        rate_limit(enabled: bool) => rate_limit = enabled;
    }

    /// Signs with these fixed credentials instead of the default chain.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
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

    /// Treats `action` of `service` (its short name, e.g. `cvm`) as of
    /// retry class `class`, whatever the generated code says: mark a create
    /// that is safe to repeat [`Idempotent`](RetryClass::Idempotent), or a
    /// read with side effects [`NotIdempotent`](RetryClass::NotIdempotent).
    /// A call's own class ([`CallOptions::retry_class`]) still wins; what
    /// each class retries is [`RetryClass`]'s.
    pub fn retry_class(
        mut self,
        service: impl Into<String>,
        action: impl Into<String>,
        class: RetryClass,
    ) -> Self {
        self.retry_classes.set(service.into(), action.into(), class);
        self
    }

    /// Retries every call of `action` of `service` (its short name, e.g.
    /// `cvm`) under `policy` instead of the client's
    /// [`retry`](Self::retry) policy, e.g. to retry `ResourceInUse`
    /// ([`RetryPolicy::retry_codes`]) for that action only. Set twice for an
    /// action, the last one stays. A call's own policy
    /// ([`CallOptions::retry`]) still wins; [`RetryPolicy`] says how a
    /// call's policy is chosen, and the action's [`RetryClass`] still
    /// decides what may be retried.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use tencentcloud_runtime::{Client, RetryClass, RetryPolicy};
    ///
    /// let busy = RetryPolicy::default().retry_codes(["ResourceInUse", "ResourceUnavailable.*"])?;
    /// let runtime = Client::builder()
    ///     .retry_policy_for("cvm", "ModifyInstancesAttribute", busy)
    ///     // Chosen codes are retried for idempotent calls only.
    ///     .retry_class("cvm", "ModifyInstancesAttribute", RetryClass::Idempotent)
    ///     .build()?;
    /// # drop(runtime); Ok(()) }
    /// ```
    pub fn retry_policy_for(
        mut self,
        service: impl Into<String>,
        action: impl Into<String>,
        policy: RetryPolicy,
    ) -> Self {
        self.retry_policies
            .set(service.into(), action.into(), policy);
        self
    }

    /// Sends `name: value` with every call of the client (`X-TC-Canary:
    /// true`, a header of your gateway), before the call's own headers
    /// ([`CallOptions::header`]); set twice, both are sent. A header the
    /// client writes itself (`Authorization`, `Content-Type`, `Host`,
    /// `X-TC-Action`, `X-TC-Timestamp`, `X-TC-TraceId`, …: those it signs or
    /// routes by) is refused, as is one that is no valid HTTP header:
    /// [`build`](Self::build) fails with [`BuildError::InvalidHeader`], and
    /// a client built with [`build_with_transport`](Self::build_with_transport)
    /// fails each call as an `InvalidRequest`, with nothing sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Builds an HTTPS client that signs with the provider given, else
    /// with the one `default` makes (the default chain: `defaults/`).
    pub(crate) fn build_signed(
        mut self,
        default: impl FnOnce() -> Box<dyn ProvideCredentials>,
    ) -> Result<Client, BuildError> {
        if let Some(region) = &self.settings.region {
            if let Some(problem) = region_problem(region) {
                let region = region.clone();
                return Err(BuildError::InvalidRegion { region, problem });
            }
        }
        if let Some(name) = &self.settings.app_name {
            if let Some(problem) = app_name_problem(name) {
                let name = name.clone();
                return Err(BuildError::InvalidAppName { name, problem });
            }
        }
        check_headers(&self.headers).map_err(BuildError::InvalidHeader)?;
        let credentials = self.credentials.take().unwrap_or_else(default);
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
            retry_classes: Arc::new(self.retry_classes),
            retry_policies: Arc::new(self.retry_policies),
            headers: self.headers.into(),
        }
    }
}

impl Client {
    /// Configures a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
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

    /// The retry class of `action` of `service`: the user's override, else
    /// the generated one.
    fn retry_class_of(&self, service: &Service, action: &Action) -> RetryClass {
        self.retry_classes
            .get(service, action)
            .map_or(action.retry_class, |class| *class)
    }

    /// The retry policy of `action` of `service`: the user's for that
    /// action, else the client's.
    fn retry_policy_of(&self, service: &Service, action: &Action) -> &RetryPolicy {
        self.retry_policies
            .get(service, action)
            .unwrap_or(&self.retry)
    }

    /// Sends `request` as `action` of `service`, retrying as the policy
    /// allows, and decodes the answer: [`call_with`](Self::call_with) with
    /// no per-call options.
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
        self.call_with(service, action, request, &CallOptions::default())
            .await
    }

    /// Sends `request` as `action` of `service` with `options` for this
    /// call, retrying as the policy allows, and decodes the answer. A
    /// request whose action names a client-token member gets a fresh token
    /// when that member is unset or empty, before the first attempt; every
    /// attempt sends the same token.
    ///
    /// Only the encoding and the final decoding depend on the request and
    /// response types; sending, retrying and opening the envelope are
    /// compiled once per error type, not once per action.
    ///
    /// # Errors
    /// A service error, or a transport, HTTP or decoding failure; each
    /// carries the client token the call sent, if any.
    pub async fn call_with<Req, Resp, E>(
        &self,
        service: &Service,
        action: &Action,
        request: &Req,
        options: &CallOptions,
    ) -> Result<Resp, Error<E>>
    where
        Req: ToJson + ?Sized,
        Resp: FromJson,
        E: ServiceErrorCode,
    {
        let (body, client_token) = token::encode(request, action.client_token, None);
        let ids = CallIds::new(client_token);
        self.send(service, action, Payload::json(&body), &ids, options)
            .await
            .and_then(Opened::decode)
            .map_err(|err| err.of_call(&ids))
    }

    /// Sends `payload` as `action` of `service`, in the call's span, with
    /// the attempts the retry rules allow: the answer opened, not decoded
    /// (compiled once per error type, whatever the request and response).
    pub(super) async fn send<E: ServiceErrorCode>(
        &self,
        service: &Service,
        action: &Action,
        payload: Payload<'_>,
        ids: &CallIds,
        options: &CallOptions,
    ) -> Result<Opened, Error<E>> {
        let headers = self.headers_of(action, payload, options)?;
        let payload = Payload {
            headers: &headers,
            ..payload
        };
        self.attempts(service, action, payload, ids, options, attempt)
            .instrument(call_span(service, action, ids))
            .await
    }

    /// The attempts of one call, each made by `attempt` (given the
    /// transport, the call and its number), as the retry rules allow, under
    /// the call's policy (else the action's, else the client's) and class
    /// (else the client's for the action, else the action's), each once the
    /// action's rate limit allows, each with the call's trace id. The
    /// payload's headers are all the call adds ([`headers_of`](Self::headers_of)).
    pub(super) async fn attempts<'s, T, E, A, F>(
        &'s self,
        service: &'s Service,
        action: &'s Action,
        payload: Payload<'s>,
        ids: &'s CallIds,
        options: &'s CallOptions,
        attempt: A,
    ) -> Result<T, Error<E>>
    where
        E: ServiceErrorCode,
        A: Fn(&'s dyn Transport, Call<'s>, u32) -> F,
        F: Future<Output = Result<T, Error<E>>>,
    {
        let policy = options
            .retry
            .as_ref()
            .unwrap_or_else(|| self.retry_policy_of(service, action));
        let class = options
            .retry_class
            .unwrap_or_else(|| self.retry_class_of(service, action));
        // Every attempt sends the same call.
        let call = Call {
            service,
            action,
            body: payload.body,
            content_type: payload.content_type,
            headers: payload.headers,
            trace_id: &ids.trace_id,
            endpoint: self.service_endpoint(service.name),
            region: options.region.as_deref(),
            language: options.language.as_deref(),
            timeout: options.timeout,
        };
        // Each attempt's future borrows the call, copied only into the
        // attempt: a copy in the future as well would be moved with it.
        let (attempt, call) = (&attempt, &call);
        retrying(policy, class, |number| async move {
            self.pace(call).await;
            attempt(&*self.transport, *call, number).await
        })
        .await
    }

    /// The headers a call of `action` adds to every call's: the client's,
    /// the call's, then the payload's. The client's and the call's are
    /// checked here (a client built with a transport of its own has not
    /// checked its own), so a bad one fails the call with nothing sent.
    pub(super) fn headers_of<'p, E: ServiceErrorCode>(
        &self,
        action: &Action,
        payload: Payload<'p>,
        options: &CallOptions,
    ) -> Result<Cow<'p, [(String, String)]>, Error<E>> {
        if self.headers.is_empty() && options.headers.is_empty() {
            return Ok(Cow::Borrowed(payload.headers));
        }
        check_headers(&self.headers)
            .and_then(|()| check_headers(&options.headers))
            .map_err(|source| Error::Transport {
                action: action.name,
                source,
                call: None,
            })?;
        let mut headers = self.headers.to_vec();
        headers.extend_from_slice(&options.headers);
        headers.extend_from_slice(payload.headers);
        Ok(Cow::Owned(headers))
    }

    /// Waits until the action's rate limit allows another attempt of `call`.
    async fn pace(&self, call: &Call<'_>) {
        if let (Some(limiter), Some(limit)) = (&self.limiter, call.action.rate_limit_per_second) {
            limiter
                .wait(call.service.name, call.action.name, limit)
                .await;
        }
    }
}

/// What the user set for single actions of a client (a retry class, a
/// retry policy): per (service, action), the last one set.
#[derive(Debug, Clone)]
struct PerAction<T>(Vec<(String, String, T)>);

impl<T> Default for PerAction<T> {
    fn default() -> Self {
        PerAction(Vec::new())
    }
}

impl<T> PerAction<T> {
    /// Sets `value` for `action` of `service`, replacing one set before.
    fn set(&mut self, service: String, action: String, value: T) {
        self.0.retain(|(s, a, _)| *s != service || *a != action);
        self.0.push((service, action, value));
    }

    /// What was set for `action` of `service`, if anything.
    fn get(&self, service: &Service, action: &Action) -> Option<&T> {
        self.0
            .iter()
            .find(|(s, a, _)| s == service.name && a == action.name)
            .map(|(_, _, value)| value)
    }
}

/// Sets (or replaces) the endpoint of `service`.
fn set_service_endpoint(endpoints: &mut Vec<(String, String)>, service: String, url: String) {
    endpoints.retain(|(name, _)| *name != service);
    endpoints.push((service, url));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::{BoxFuture, TransportError, TransportErrorKind};
    use crate::wire::Reply;
    use std::sync::Mutex;

    /// Answers attempt n with `answers[n]` (the last one repeats) and records
    /// every body, and when (on tokio's clock) each attempt was sent.
    #[derive(Debug)]
    struct Script {
        answers: Vec<Result<(u16, &'static str), TransportErrorKind>>,
        seen: Arc<Mutex<Vec<Vec<u8>>>>,
        sent_at: Arc<Mutex<Vec<tokio::time::Instant>>>,
    }

    impl Transport for Script {
        fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
            self.sent_at
                .lock()
                .unwrap()
                .push(tokio::time::Instant::now());
            let mut seen = self.seen.lock().unwrap();
            seen.push(call.body.to_vec());
            let answer = self.answers[(seen.len() - 1).min(self.answers.len() - 1)];
            Box::pin(async move {
                match answer {
                    Ok((status, body)) => Ok(Reply::new(status, body.as_bytes().to_vec())),
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
    const ACTION: Action = Action::new("BatchCreateRoom");
    const DESCRIBE: Action = Action::new("DescribeRoom").retry_class(RetryClass::Idempotent);
    const OK: &str = r#"{"Response":{"RoomIds":[1],"RequestId":"r"}}"#;
    const LIMITED: &str = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded.UinLimitExceeded","Message":"slow down"},"RequestId":"r"}}"#;

    fn scripted(
        answers: Vec<Result<(u16, &'static str), TransportErrorKind>>,
        retry: RetryPolicy,
    ) -> (Client, Arc<Mutex<Vec<Vec<u8>>>>) {
        let (client, seen, _) = scripted_timed(answers, retry);
        (client, seen)
    }

    /// [`scripted`], also returning when each attempt was sent.
    #[allow(clippy::type_complexity)]
    fn scripted_timed(
        answers: Vec<Result<(u16, &'static str), TransportErrorKind>>,
        retry: RetryPolicy,
    ) -> (
        Client,
        Arc<Mutex<Vec<Vec<u8>>>>,
        Arc<Mutex<Vec<tokio::time::Instant>>>,
    ) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sent_at = Arc::new(Mutex::new(Vec::new()));
        let client = Client::builder().retry(retry).build_with_transport(Script {
            answers,
            seen: seen.clone(),
            sent_at: sent_at.clone(),
        });
        (client, seen, sent_at)
    }

    /// The waits between consecutive attempts.
    fn gaps(sent_at: &Mutex<Vec<tokio::time::Instant>>) -> Vec<std::time::Duration> {
        let sent_at = sent_at.lock().unwrap();
        sent_at.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// Whether `wait`, before retry number `retry` (1-based), is within what
    /// `RetryPolicy` documents, computed here from the policy's fields: the
    /// backoff starts at `initial_backoff`, doubles with each retry, is capped
    /// at `max_backoff`, and has "equal jitter" (between half of that and all of it).
    fn within_documented_backoff(
        policy: &RetryPolicy,
        retry: u32,
        wait: std::time::Duration,
    ) -> bool {
        let mut full = policy.initial_backoff;
        for _ in 1..retry {
            full *= 2;
        }
        let full = full.min(policy.max_backoff);
        // tokio's timer fires on the millisecond after the deadline at the latest.
        let slack = std::time::Duration::from_millis(1);
        wait >= full / 2 && wait <= full + slack
    }

    async fn run(client: &Client) -> Result<serde_json::Value, Error<String>> {
        run_action(client, &ACTION).await
    }

    async fn run_action(
        client: &Client,
        action: &Action,
    ) -> Result<serde_json::Value, Error<String>> {
        client
            .call(&SERVICE, action, &serde_json::json!({"SdkAppId": 1}))
            .await
    }

    #[tokio::test(start_paused = true)]
    async fn request_limit_exceeded_is_retried_past_the_quota_window() {
        // The default policy, as documented: past the one-second window,
        // 1 s then 2 s, each with up to half again of jitter; so
        // 1..=1.5 s before the first retry and 2..=3 s before the second,
        // on the paused clock.
        let (client, seen, sent_at) = scripted_timed(
            vec![Ok((200, LIMITED)), Ok((200, LIMITED)), Ok((200, OK))],
            RetryPolicy::default(),
        );
        let started = tokio::time::Instant::now();
        let out = run(&client).await.unwrap();
        assert_eq!(out["RoomIds"][0], 1);
        let elapsed = started.elapsed();
        {
            let seen = seen.lock().unwrap();
            assert_eq!(seen.len(), 3);
            assert!(seen.iter().all(|b| b == br#"{"SdkAppId":1}"#));
        }
        let ms = std::time::Duration::from_millis;
        let gaps = gaps(&sent_at);
        assert_eq!(gaps.len(), 2);
        assert!(gaps[0] >= ms(1000) && gaps[0] <= ms(1501), "{gaps:?}");
        assert!(gaps[1] >= ms(2000) && gaps[1] <= ms(3001), "{gaps:?}");
        assert!(elapsed >= ms(3000) && elapsed <= ms(4502), "{elapsed:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_doubles_up_to_the_cap_between_attempts() {
        // 100, 200, 400, then capped at 500 ms, with equal jitter.
        let policy = RetryPolicy::default()
            .max_attempts(6)
            .initial_backoff(std::time::Duration::from_millis(100))
            .max_backoff(std::time::Duration::from_millis(500));
        for _ in 0..20 {
            let failure = Err(TransportErrorKind::NotSent);
            let (client, seen, sent_at) = scripted_timed(vec![failure], policy.clone());
            assert!(run(&client).await.is_err());
            assert_eq!(seen.lock().unwrap().len(), 6);
            let gaps = gaps(&sent_at);
            assert_eq!(gaps.len(), 5);
            for (retry, wait) in (1..).zip(&gaps) {
                assert!(
                    within_documented_backoff(&policy, retry, *wait),
                    "retry {retry} after {wait:?}: {gaps:?}"
                );
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_are_bounded() {
        let (client, seen) = scripted(
            vec![Ok((200, LIMITED))],
            RetryPolicy::default().max_attempts(4),
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

        // The same failure of an idempotent action is retried.
        let (client, seen) = scripted(
            vec![Err(TransportErrorKind::MaybeSent), Ok((200, OK))],
            RetryPolicy::default(),
        );
        assert!(run_action(&client, &DESCRIBE).await.is_ok());
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    const INTERNAL: &str =
        r#"{"Response":{"Error":{"Code":"InternalError.DbError","Message":"db"},"RequestId":"r"}}"#;

    #[tokio::test(start_paused = true)]
    async fn idempotent_calls_retry_internal_errors_and_5xx_others_do_not() {
        for failure in [Ok((200, INTERNAL)), Ok((503, "<html>busy</html>"))] {
            let (client, seen) = scripted(vec![failure, Ok((200, OK))], RetryPolicy::default());
            assert!(run_action(&client, &DESCRIBE).await.is_ok(), "{failure:?}");
            assert_eq!(seen.lock().unwrap().len(), 2, "{failure:?}");

            let (client, seen) = scripted(vec![failure, Ok((200, OK))], RetryPolicy::default());
            assert!(run(&client).await.is_err(), "{failure:?}");
            assert_eq!(seen.lock().unwrap().len(), 1, "{failure:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn overrides_decide_the_class_both_ways() {
        let maybe_sent = || vec![Err(TransportErrorKind::MaybeSent), Ok((200, OK))];
        let seen = Arc::new(Mutex::new(Vec::new()));
        let client = Client::builder()
            .retry_class("lcic", "BatchCreateRoom", RetryClass::Idempotent)
            .retry_class("lcic", "DescribeRoom", RetryClass::NotIdempotent)
            .build_with_transport(Script {
                answers: maybe_sent(),
                seen: seen.clone(),
                sent_at: Arc::default(),
            });
        assert!(run_action(&client, &ACTION).await.is_ok());
        assert_eq!(seen.lock().unwrap().len(), 2);
        let (client, seen) = scripted(maybe_sent(), RetryPolicy::default());
        let mut not_idempotent = PerAction::default();
        not_idempotent.set(
            "lcic".into(),
            "DescribeRoom".into(),
            RetryClass::NotIdempotent,
        );
        let client = Client {
            retry_classes: Arc::new(not_idempotent),
            ..client
        };
        assert!(run_action(&client, &DESCRIBE).await.is_err());
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_with_a_client_token_sends_the_same_token_every_attempt() {
        const CREATE: Action = Action::new("RunInstances")
            .retry_class(RetryClass::Idempotent)
            .client_token("ClientToken");
        let (client, seen) = scripted(
            vec![
                Err(TransportErrorKind::MaybeSent),
                Err(TransportErrorKind::MaybeSent),
                Err(TransportErrorKind::MaybeSent),
            ],
            RetryPolicy::default(),
        );
        let err = client
            .call::<_, serde_json::Value, String>(&SERVICE, &CREATE, &serde_json::json!({}))
            .await
            .unwrap_err();
        let token = err.client_token().expect("the error carries the token");
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 3);
        for body in seen.iter() {
            let body: serde_json::Value = serde_json::from_slice(body).unwrap();
            assert_eq!(body["ClientToken"], token);
        }
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
    fn a_region_that_is_no_region_name_is_refused_at_build() {
        let err = Client::builder()
            .credentials(Credentials::new("id", "key"))
            .region("ap-x/evil")
            .build_signed(|| unreachable!("credentials are given"))
            .unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidRegion { region, .. } if region == "ap-x/evil"),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("invalid region \"ap-x/evil\": "),
            "{err}"
        );
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
