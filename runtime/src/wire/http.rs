//! The HTTPS transport: TC3-HMAC-SHA256 signed `POST /` over reqwest with
//! rustls (no system OpenSSL), one connection pool per client.

use super::clock::Clock;
use super::connect::{http_client, tls_failure, HttpSetupError};
use super::endpoint::{check_region, host_header, invalid, parse_url, Endpoint};
use super::headers::{
    checked_header, request_client, X_TC_ACTION, X_TC_LANGUAGE, X_TC_REGION, X_TC_REQUEST_CLIENT,
    X_TC_TIMESTAMP, X_TC_TOKEN, X_TC_TRACE_ID, X_TC_VERSION,
};
use super::keys::Credentials;
use super::log;
use super::sign::{authorization_cached, KeyCache, SigningParams};
use super::transport::{is_event_stream_type, BodyStream, Call, Reply, StreamingReply, Transport};
use crate::shared::{excerpt, BoxFuture, Service, TransportError, TransportErrorKind};
use bytes::Bytes;
use futures_util::{stream, FutureExt};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, HOST, LOCATION};
use reqwest::{Method, Url};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::{timeout, timeout_at, Instant};

/// Where an [`HttpTransport`] gets the credentials it signs each attempt
/// with. The credentials layer's
/// [`CredentialsCache`](crate::credentials::CredentialsCache) is one
/// (`credentials/cache.rs`, with the public [`HttpTransport::new`]), so
/// the wire needs nothing above it.
pub(crate) trait SigningCredentials: fmt::Debug + Send + Sync + 'static {
    /// The credentials to sign an attempt with now; when there are none, a
    /// [`Credentials`](TransportErrorKind::Credentials) error.
    fn current(&self) -> BoxFuture<'_, Result<Arc<Credentials>, TransportError>>;
}

/// Where the calls of one service go.
#[derive(Debug)]
struct Target {
    /// Everything that picks the URL: the service and the international
    /// domain it records, the URL it was sent to instead of the endpoint,
    /// and the region, when the endpoint's URL depends on it.
    service: &'static str,
    intl_endpoint: Option<&'static str>,
    endpoint: Option<String>,
    region: Option<String>,
    url: Url,
    /// The `Host` header, as signed.
    host: String,
    /// The same, as sent (cloning it shares the bytes).
    host_value: HeaderValue,
}

/// Settings of an [`HttpTransport`]: the defaults, changed one by one.
///
/// ```
/// # use tencentcloud_runtime::{Endpoint, HttpSettings};
/// # use std::time::Duration;
/// let settings = HttpSettings::default()
///     .endpoint(Endpoint::International)
///     .region("ap-singapore")
///     .timeout(Duration::from_secs(30));
/// assert_eq!(settings.region.as_deref(), Some("ap-singapore"));
/// ```
///
/// # The connection
///
/// The transport's `reqwest::Client` is made from the settings: rustls
/// trusting the bundled Mozilla roots (and the platform's, with this
/// crate's `native-roots` feature) plus
/// [`add_root_certificates_pem`](Self::add_root_certificates_pem)'s; the
/// [`proxy`](Self::proxy) (except the hosts of [`no_proxy`](Self::no_proxy)),
/// else the environment's proxies unless [`env_proxy`](Self::env_proxy) is
/// off; the [`connect_timeout`](Self::connect_timeout). A client's
/// credential providers make their own requests (STS, the metadata
/// service) with the same settings
/// ([`ProvideCredentials::use_http_settings`](crate::ProvideCredentials::use_http_settings)).
///
/// With no proxy set, reqwest takes the environment's when the client is
/// made: `HTTP_PROXY` for `http://` URLs and `HTTPS_PROXY` for `https://`
/// ones, `ALL_PROXY` for either when that one is unset (each also in lower
/// case, the upper case winning; a value without a scheme is taken as
/// `http://`), except for the hosts `NO_PROXY` (or `no_proxy`) lists; none
/// at all when `REQUEST_METHOD` is set (a CGI program, where `HTTP_PROXY`
/// may come from a request header). Only the environment is read, unless
/// another crate of the build turns on reqwest's `system-proxy` feature,
/// which also reads Windows' and macOS's proxy settings.
///
/// With [`http_client`](Self::http_client), the user's client is used as it
/// is, and the roots, proxy settings and connect timeout here do not apply.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpSettings {
    /// Where calls go.
    pub endpoint: Endpoint,
    /// Sent as `X-TC-Region` when set.
    pub region: Option<String>,
    /// Sent as `X-TC-Language` when set (`zh-CN` or `en-US`).
    pub language: Option<String>,
    /// Time allowed to establish a connection (TLS handshake included).
    pub connect_timeout: Duration,
    /// Time allowed for a whole attempt, from sending to the last byte of
    /// the answer. An answer that is a stream of events may last longer:
    /// the time is allowed for its head, then between each two chunks.
    pub timeout: Duration,
    /// Answers larger than this are not read. (An answer that is a stream
    /// of events is capped per event instead, by the streaming call.)
    pub max_response_bytes: usize,
    /// Your application's name, sent after this SDK's in
    /// `X-TC-RequestClient` (`SDK_RUST_0.1.0: billing-sync`).
    pub app_name: Option<String>,
    /// PEM bundles of root certificates to trust besides the built-in ones
    /// (a private CA), each read when the client is made.
    pub root_certificates_pem: Vec<Vec<u8>>,
    /// The URL of a proxy for every request, `http://` and `https://` alike
    /// (`http://host:port`, `http://user:password@host:port` with basic
    /// authentication); when set, the environment's proxies are not used.
    pub proxy: Option<String>,
    /// The hosts reached without [`proxy`](Self::proxy), in `NO_PROXY`'s
    /// format: comma-separated domains (each matching its subdomains too),
    /// IP addresses, CIDR ranges, or `*` for every host.
    pub no_proxy: Option<String>,
    /// Whether the environment's proxies are used when no
    /// [`proxy`](Self::proxy) is set (true by default).
    pub env_proxy: bool,
    /// The user's own client, used instead of one made from these settings.
    pub http_client: Option<reqwest::Client>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            endpoint: Endpoint::Default,
            region: None,
            language: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_response_bytes: 32 * 1024 * 1024,
            app_name: None,
            root_certificates_pem: Vec::new(),
            proxy: None,
            no_proxy: None,
            env_proxy: true,
            http_client: None,
        }
    }
}

/// Written by hand: the proxy's credentials are masked, and PEM bundles and a
/// user's client are summed up rather than printed whole.
impl fmt::Debug for HttpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proxy = self.proxy.as_deref().map(masked_password);
        let roots = self.root_certificates_pem.len();
        let user_client = self.http_client.as_ref().map(|_| "user's reqwest::Client");
        f.debug_struct("HttpSettings")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("root_certificates_pem", &format_args!("{roots} bundle(s)"))
            .field("proxy", &proxy)
            .field("no_proxy", &self.no_proxy)
            .field("env_proxy", &self.env_proxy)
            .field("http_client", &user_client)
            .finish()
    }
}

/// A proxy URL with its user information (`user:password@`), if any, as
/// `***@`; with or without a scheme, parsed or not (reqwest takes
/// `user:password@host:port` too).
fn masked_password(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    match url.rfind('@') {
        Some(at) if at >= start => format!("{}***{}", &url[..start], &url[at..]),
        _ => url.to_owned(),
    }
}

/// The setters of the [`HttpSettings`] fields, written once for the two
/// types that take them: `HttpSettings` itself (`http_settings_setters!()`)
/// and [`ClientBuilder`](crate::ClientBuilder), which holds its settings in a
/// field (`http_settings_setters!(settings)`). See `setters.rs`.
macro_rules! http_settings_setters {
    ($($settings:ident)?) => {
        $crate::shared::setters! {
            /// Sends calls to `endpoint`.
            endpoint(endpoint: $crate::wire::Endpoint) => $($settings.)? endpoint = endpoint;
            /// Sends `X-TC-Region: region` (e.g. `ap-guangzhou`), which a
            /// regional endpoint also puts in the host. A region must be a
            /// region name (lowercase letters, digits, `-`); any other is
            /// refused before anything is sent (`BuildError::InvalidRegion`
            /// from a client builder's `build`, else an `InvalidRequest` error).
            region(region: impl Into<String>) => $($settings.)? region = Some(region.into());
            /// Sends `X-TC-Language: language` (`zh-CN` or `en-US`), the
            /// language of messages.
            language(language: impl Into<String>) =>
                $($settings.)? language = Some(language.into());
            /// Allows `timeout` to connect.
            connect_timeout(timeout: std::time::Duration) =>
                $($settings.)? connect_timeout = timeout;
            /// Allows `timeout` for one attempt, from sending to the end of the answer.
            timeout(timeout: std::time::Duration) => $($settings.)? timeout = timeout;
            /// Refuses answers over `bytes` bytes, as an error.
            max_response_bytes(bytes: usize) => $($settings.)? max_response_bytes = bytes;
            /// Names your application in the `X-TC-RequestClient` header every
            /// call sends, after this SDK and its version
            /// (`SDK_RUST_0.1.0: billing-sync`), so that Tencent's support can
            /// tell your calls apart: 1 to 128 ASCII letters, digits, spaces
            /// and `-_,;.`; any other is refused before anything is sent
            /// (`BuildError::InvalidAppName` from a client builder's `build`,
            /// else an `InvalidRequest` error).
            app_name(name: impl Into<String>) => $($settings.)? app_name = Some(name.into());
            /// Sends every request, `http://` and `https://` alike, through
            /// the proxy at `url` (`http://host:port`, or
            /// `http://user:password@host:port` with basic authentication),
            /// instead of the environment's proxies, except to the hosts of
            /// `no_proxy`. A URL that is not one is refused when the client
            /// is made (`BuildError::Http` from a client builder's `build`).
            proxy(url: impl Into<String>) => $($settings.)? proxy = Some(url.into());
            /// Reaches these hosts without the `proxy`: a comma-separated
            /// list in `NO_PROXY`'s format (`internal.example.com` also
            /// matches its subdomains; IP addresses, CIDR ranges such as
            /// `10.0.0.0/8`, and `*` for every host). It applies to the
            /// proxy set with `proxy`; the environment's proxies follow
            /// the environment's `NO_PROXY`.
            no_proxy(hosts: impl Into<String>) => $($settings.)? no_proxy = Some(hosts.into());
            /// Whether to use the environment's proxies (`HTTPS_PROXY`,
            /// `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`; see `HttpSettings`)
            /// when no `proxy` is set; `false` connects directly.
            env_proxy(enabled: bool) => $($settings.)? env_proxy = enabled;
            /// Sends with `client`, your own `reqwest::Client` (its
            /// connection pool, DNS resolver, TLS and proxy configuration),
            /// instead of one made from these settings: the root
            /// certificates, proxy settings and connect timeout set here then
            /// do not apply. Signing, credentials, retries, endpoints, the
            /// per-attempt timeout and the answer cap stay as configured.
            ///
            /// Build it with `redirect(reqwest::redirect::Policy::none())`:
            /// reqwest follows redirects by default, and a followed redirect
            /// sends the signed call (its `X-TC-Token` included) to another
            /// host before the transport sees the answer. The transport
            /// takes no answer from a host the call was not sent to: a call
            /// whose client followed a redirect fails with a `MaybeSent`
            /// transport error naming where it went.
            http_client(client: reqwest::Client) => $($settings.)? http_client = Some(client);
        }

        /// Also trusts the root certificates of `pem`, a PEM bundle (one or
        /// more `-----BEGIN CERTIFICATE-----` blocks, as in a `.pem` or
        /// `.crt` file), besides the built-in roots: for a private CA. Each
        /// call adds one more bundle. A bundle that is not PEM, or holds no
        /// certificate or an invalid one, is refused when the client is made
        /// (`BuildError::Http` from a client builder's `build`).
        pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
            self.$($settings.)? root_certificates_pem.push(pem.into());
            self
        }
    };
}

pub(crate) use http_settings_setters;

impl HttpSettings {
    http_settings_setters!();
}

/// Signs and sends calls over HTTPS. Cheap to share: it holds one
/// connection pool that every call reuses.
///
/// Redirects are not followed: a signed call (with its `X-TC-Token`) goes
/// to the host it was signed for and nowhere else. A 3xx answer is an
/// [`Error::Http`](crate::Error::Http) carrying its status and `Location`
/// ([`Error::location`](crate::Error::location)). (A user's own client,
/// [`HttpSettings::http_client`], must be built not to follow them; an
/// answer from another host than the call's is refused.)
///
/// A call refused as signed at the wrong time (`AuthFailure.SignatureExpire`,
/// this machine's clock more than five minutes off) is signed again with the
/// time the answer's `Date` header gives and sent once more; the transport
/// signs its later calls with that time too.
pub struct HttpTransport {
    http: reqwest::Client,
    /// `None`: calls go unsigned (`Authorization: SKIP`), as STS
    /// `AssumeRoleWithWebIdentity` is sent.
    credentials: Option<Box<dyn SigningCredentials>>,
    settings: HttpSettings,
    /// URL and `Host` header per service and override, parsed once rather than per call.
    targets: Mutex<Vec<Arc<Target>>>,
    keys: KeyCache,
    /// The time calls are signed with.
    clock: Clock,
}

/// Written by hand so that the credentials show only their id.
impl fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransport")
            .field("credentials", &self.credentials)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// A transport with its own connection pool, signing each attempt with
    /// what `credentials` gives then.
    pub(crate) fn signed(
        credentials: impl SigningCredentials,
        settings: HttpSettings,
    ) -> Result<Self, HttpSetupError> {
        Self::with_credentials(Some(Box::new(credentials)), settings)
    }

    /// A transport that sends its calls unsigned.
    pub(crate) fn unsigned(settings: HttpSettings) -> Result<Self, HttpSetupError> {
        Self::with_credentials(None, settings)
    }

    fn with_credentials(
        credentials: Option<Box<dyn SigningCredentials>>,
        settings: HttpSettings,
    ) -> Result<Self, HttpSetupError> {
        let http = http_client(&settings)?;
        Ok(HttpTransport {
            http,
            credentials,
            settings,
            targets: Mutex::default(),
            keys: KeyCache::default(),
            clock: Clock::default(),
        })
    }

    /// Where calls of `service` in `region` go: `endpoint` when the call
    /// carries one, else the configured [`Endpoint`].
    fn target(
        &self,
        service: &Service,
        endpoint: Option<&str>,
        region: Option<&str>,
    ) -> Result<Arc<Target>, TransportError> {
        // Only a regional endpoint's URL depends on the region.
        let region =
            region.filter(|_| endpoint.is_none() && self.settings.endpoint == Endpoint::Regional);
        // A poisoned lock only means another call panicked; the cache is still valid.
        let mut targets = self.targets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(target) = targets.iter().find(|t| {
            t.service == service.name
                && t.intl_endpoint == service.intl_endpoint
                && t.endpoint.as_deref() == endpoint
                && t.region.as_deref() == region
        }) {
            return Ok(target.clone());
        }
        let url = match endpoint {
            Some(url) => parse_url(url)?,
            None => self.settings.endpoint.url(service, region)?,
        };
        let host = host_header(&url);
        let host_value = HeaderValue::try_from(host.as_str())
            .map_err(|e| invalid(format!("invalid endpoint host {host:?}: {e}")))?;
        let target = Arc::new(Target {
            service: service.name,
            intl_endpoint: service.intl_endpoint,
            endpoint: endpoint.map(str::to_owned),
            region: region.map(str::to_owned),
            url,
            host,
            host_value,
        });
        targets.push(Arc::clone(&target));
        Ok(target)
    }

    /// The `Authorization` header and token of a call, or `SKIP` unsigned,
    /// and the timestamp they are for, taken once the credentials are in
    /// hand (however long getting them took).
    async fn authorize(
        &self,
        call: &Call<'_>,
        host: &str,
    ) -> Result<(HeaderValue, Option<HeaderValue>, i64), TransportError> {
        let Some(source) = &self.credentials else {
            return Ok((HeaderValue::from_static("SKIP"), None, self.clock.now()));
        };
        let credentials = source.current().await?;
        let timestamp = self.clock.now();
        let params = SigningParams {
            secret_id: credentials.secret_id(),
            secret_key: credentials.secret_key(),
            service: call.service.name,
            host,
            timestamp,
            content_type: call.content_type.as_str(),
            payload: call.body,
        };
        let token = match credentials.token() {
            Some(token) => {
                let mut value = HeaderValue::try_from(token)
                    .map_err(|_| invalid("the session token is not a valid header value"))?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        // Made for the header, the text becomes its value without a copy.
        let authorization = Bytes::from(authorization_cached(&params, &self.keys));
        let mut authorization = HeaderValue::from_maybe_shared(authorization).map_err(|_| {
            invalid(format!(
                "the secret id {:?} cannot be sent in the Authorization header",
                credentials.secret_id()
            ))
        })?;
        authorization.set_sensitive(true);
        Ok((authorization, token, timestamp))
    }

    /// The signed request of `call`, ready to send, and where it goes.
    /// Made as a `reqwest::Request` with its header map sized once, rather
    /// than header by header through a builder (per call, about 1,500 fewer
    /// instructions under callgrind).
    async fn request(
        &self,
        call: &Call<'_>,
    ) -> Result<(reqwest::Request, Arc<Target>), TransportError> {
        let region = call.region.or(self.settings.region.as_deref());
        let region = region.map(check_region).transpose()?;
        let language = call.language.or(self.settings.language.as_deref());
        let request_client = request_client(self.settings.app_name.as_deref())?;
        let target = self.target(call.service, call.endpoint, region)?;
        // Checked before the credentials are fetched: a bad header is
        // refused with nothing done.
        let own_headers = call
            .headers
            .iter()
            .map(|(name, value)| checked_header(name, value))
            .collect::<Result<Vec<_>, _>>()?;
        let (authorization, token, timestamp) = self.authorize(call, &target.host).await?;
        // Appended, not inserted: no name is here twice but one the user
        // set twice (sent twice), and appending looks for no old value.
        let mut headers = HeaderMap::with_capacity(12 + own_headers.len());
        headers.append(AUTHORIZATION, authorization);
        let content_type = HeaderValue::from_static(call.content_type.as_str());
        headers.append(header::CONTENT_TYPE, content_type);
        headers.append(HOST, target.host_value.clone());
        let action = static_header_value(&X_TC_ACTION, call.action.name)?;
        headers.append(X_TC_ACTION, action);
        let version = static_header_value(&X_TC_VERSION, call.service.version)?;
        headers.append(X_TC_VERSION, version);
        headers.append(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        headers.append(X_TC_TRACE_ID, header_value(&X_TC_TRACE_ID, call.trace_id)?);
        headers.append(X_TC_REQUEST_CLIENT, request_client);
        if let Some(region) = region {
            headers.append(X_TC_REGION, header_value(&X_TC_REGION, region)?);
        }
        if let Some(token) = token {
            headers.append(X_TC_TOKEN, token);
        }
        if let Some(language) = language {
            headers.append(X_TC_LANGUAGE, header_value(&X_TC_LANGUAGE, language)?);
        }
        for (name, value) in own_headers {
            headers.append(name, value);
        }
        let mut request = reqwest::Request::new(Method::POST, target.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = Some(call.body.to_vec().into());
        Ok((request, target))
    }

    /// The time allowed for an attempt of `call`.
    fn timeout_of(&self, call: &Call<'_>) -> Duration {
        call.timeout.unwrap_or(self.settings.timeout)
    }

    /// Sends `request` (whose body is `body`), written to the wire log
    /// when it is on ([`log`]); its answer's head awaited as long as
    /// `allowed`. Not an `async fn`: the future is reqwest's own in Tokio's
    /// timeout, with no state of ours around it to be moved on every await.
    fn execute(
        &self,
        request: reqwest::Request,
        body: &[u8],
        allowed: Allowed,
    ) -> impl Future<Output = Result<reqwest::Response, TransportError>> {
        if log::enabled() {
            log::request(&request, body);
        }
        timeout_at(allowed.until, self.http.execute(request)).map(move |sent| match sent {
            Ok(sent) => sent.map_err(send_error),
            Err(_) => Err(timed_out("waiting for the answer", allowed.time)),
        })
    }

    /// The body of `response`, up to the cap, read by the time `allowed`
    /// runs out. (Not an `async fn` either, as [`execute`](Self::execute).)
    fn read_whole(
        &self,
        response: reqwest::Response,
        allowed: Allowed,
    ) -> impl Future<Output = Result<Vec<u8>, TransportError>> {
        let read = read_body(response, self.settings.max_response_bytes);
        timeout_at(allowed.until, read).map(move |read| {
            read.unwrap_or_else(|_| Err(timed_out("reading the answer", allowed.time)))
        })
    }

    /// An attempt of `call`: sent, and sent once more, signed anew, when
    /// the answer refused it as signed at the wrong time and told the
    /// service's ([`Clock::corrected_by`]).
    async fn attempt(&self, call: &Call<'_>) -> Result<Reply, TransportError> {
        // In a block of its own, the refused reply is not kept in this
        // future while the call is sent again.
        {
            let reply = self.send_once(call).await?;
            if !self.clock.corrected_by(&reply) {
                return Ok(reply);
            }
        }
        self.send_once(call).await
    }

    async fn send_once(&self, call: &Call<'_>) -> Result<Reply, TransportError> {
        let (request, target) = self.request(call).await?;
        let allowed = self.allowed(call);
        let mut response = self.execute(request, call.body, allowed).await?;
        let (status, headers) = head_of(&mut response, &target.url)?;
        let body = self.read_whole(response, allowed).await?;
        whole_reply(status, headers, body)
    }

    /// The time an attempt of `call` is allowed from now.
    fn allowed(&self, call: &Call<'_>) -> Allowed {
        let time = self.timeout_of(call);
        Allowed {
            time,
            until: Instant::now() + time,
        }
    }

    /// An attempt whose answer may be a stream of events: returned once its
    /// head is in. The time allowed ([`HttpSettings::timeout`]) bounds the
    /// wait for the head, then each wait for a chunk of a stream; any other
    /// answer is read whole within it, as [`attempt`](Self::attempt) reads,
    /// and sent once more as it is when the clock was wrong.
    async fn attempt_streaming(&self, call: &Call<'_>) -> Result<StreamingReply, TransportError> {
        let answer = match self.send_streaming_once(call).await? {
            Answer::Whole(reply) if self.clock.corrected_by(&reply) => None,
            answer => Some(answer),
        };
        // Sent again outside the match, which would keep the refused reply.
        let answer = match answer {
            Some(answer) => answer,
            None => self.send_streaming_once(call).await?,
        };
        Ok(match answer {
            Answer::Events(reply) => reply,
            Answer::Whole(Reply {
                status,
                headers,
                body,
            }) => StreamingReply::new(status, headers, Box::pin(stream::iter([Ok(body)]))),
        })
    }

    async fn send_streaming_once(&self, call: &Call<'_>) -> Result<Answer, TransportError> {
        let (request, target) = self.request(call).await?;
        let allowed = self.allowed(call);
        let mut response = self.execute(request, call.body, allowed).await?;
        let (status, headers) = head_of(&mut response, &target.url)?;
        let streams = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(is_event_stream_type);
        if streams && response.status().is_success() {
            if log::enabled() {
                log::answer(status, &headers, None);
            }
            let body = chunks(response, allowed.time);
            return Ok(Answer::Events(StreamingReply::new(status, headers, body)));
        }
        let body = self.read_whole(response, allowed).await?;
        whole_reply(status, headers, body).map(Answer::Whole)
    }
}

/// The time an attempt is allowed ([`HttpSettings::timeout`], or the
/// call's), and when it runs out: one deadline for the head and the body,
/// on Tokio's timers. (reqwest's timeout per request would cost a map of
/// extensions and a boxed timer on every request.)
#[derive(Debug, Clone, Copy)]
struct Allowed {
    time: Duration,
    until: Instant,
}

/// What a streaming attempt got: a stream of events, its head in; or a
/// whole answer, read.
enum Answer {
    Events(StreamingReply),
    Whole(Reply),
}

/// `text` as the value of header `name`; one that cannot be (a control
/// character, say) fails the call as an invalid request, with nothing sent.
fn header_value(name: &HeaderName, text: &str) -> Result<HeaderValue, TransportError> {
    HeaderValue::from_str(text).map_err(|_| refused_value(name, text))
}

/// [`header_value`] of a `'static` text (a generated action's name, a
/// service's version): checked, but not copied.
fn static_header_value(
    name: &HeaderName,
    text: &'static str,
) -> Result<HeaderValue, TransportError> {
    HeaderValue::from_maybe_shared(Bytes::from_static(text.as_bytes()))
        .map_err(|_| refused_value(name, text))
}

fn refused_value(name: &HeaderName, text: &str) -> TransportError {
    invalid(format!("{text:?} is no valid value of header {name}"))
}

/// Refuses `response` unless it came from `url`, where the call was sent:
/// a user's client ([`HttpSettings::http_client`]) that follows redirects
/// would hand over another host's answer (to a request reqwest may have
/// turned into a `GET`, or sent again with the signed headers).
fn check_answered_by(response: &reqwest::Response, url: &Url) -> Result<(), TransportError> {
    if response.url() == url {
        return Ok(());
    }
    Err(TransportError::new(
        TransportErrorKind::MaybeSent,
        format!(
            "the HTTP client followed a redirect from {url} to {}; its answer is not taken \
             (build the reqwest::Client given to `http_client` with redirect::Policy::none())",
            response.url()
        ),
        None,
    ))
}

/// The status and headers of `response`, once it is known to come from
/// `url`; the headers moved out, as the reply keeps them (the body is read
/// without them).
fn head_of(
    response: &mut reqwest::Response,
    url: &Url,
) -> Result<(u16, HeaderMap), TransportError> {
    check_answered_by(response, url)?;
    let headers = std::mem::take(response.headers_mut());
    Ok((response.status().as_u16(), headers))
}

/// The reply of a whole answer, written to the wire log when it is on; a
/// redirect, which is not followed, refused.
fn whole_reply(status: u16, headers: HeaderMap, body: Vec<u8>) -> Result<Reply, TransportError> {
    if log::enabled() {
        log::answer(status, &headers, Some(&body));
    }
    if (300..400).contains(&status) {
        return Err(redirected(status, location_in(&headers), &body));
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// The `Location` header of an answer, if any.
fn location_in(headers: &HeaderMap) -> Option<String> {
    headers
        .get(LOCATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// The body of `response` as it arrives, each chunk within `idle` of the
/// one before; after a failure, the end. Dropping it drops the response,
/// and with it the connection.
fn chunks(response: reqwest::Response, idle: Duration) -> BodyStream {
    let status = response.status().as_u16();
    Box::pin(stream::unfold(Some(response), move |response| async move {
        let mut response = response?;
        let next = match timeout(idle, response.chunk()).await {
            Ok(Ok(Some(chunk))) => Ok(Vec::from(chunk)),
            Ok(Ok(None)) => return None,
            Ok(Err(err)) => Err(body_error(err, status)),
            Err(_) => Err(timed_out("waiting for more of the answer", idle)),
        };
        let rest = next.is_ok().then_some(response);
        Some((next, rest))
    }))
}

/// The body of `response`, up to `cap` bytes.
async fn read_body(mut response: reqwest::Response, cap: usize) -> Result<Vec<u8>, TransportError> {
    let status = response.status().as_u16();
    let declared = response.content_length();
    if declared.is_some_and(|len| len > cap as u64) {
        return Err(too_large(status, cap));
    }
    // Chunk by chunk even when the length is declared (hyper reads no
    // further than it): `Response::bytes` would keep a future three times
    // the size in this one, moved on every await of the call.
    let mut body = Vec::with_capacity(declared.map_or(0, |len| len as usize));
    while let Some(chunk) = response.chunk().await.map_err(|e| body_error(e, status))? {
        if body.len() + chunk.len() > cap {
            return Err(too_large(status, cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A 3xx answer, which is not followed: carried in a [`TransportError`]
/// (of kind `MaybeSent`: the server had the request) to the attempt, which
/// reports it as an HTTP error ([`redirect_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redirected {
    pub status: u16,
    /// The `Location` header, when the answer had one.
    pub location: Option<String>,
    /// The start of the body.
    pub excerpt: String,
}

impl fmt::Display for Redirected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let to = self.location.as_deref().unwrap_or("no Location");
        write!(
            f,
            "HTTP status {}: a redirect to {to}, not followed",
            self.status
        )
    }
}

impl std::error::Error for Redirected {}

fn redirected(status: u16, location: Option<String>, body: &[u8]) -> TransportError {
    let redirect = Redirected {
        status,
        location,
        excerpt: excerpt(body),
    };
    TransportError::new(
        TransportErrorKind::MaybeSent,
        redirect.to_string(),
        Some(Box::new(redirect)),
    )
}

/// The redirect `err` stands for, if it is one.
pub(crate) fn redirect_of(err: &TransportError) -> Option<&Redirected> {
    std::error::Error::source(err)?.downcast_ref()
}

impl Transport for HttpTransport {
    // The call is held by the boxed block, not passed on by value: an
    // `async fn` would keep it twice (its argument and its local). The
    // future boxed then stays under the size the allocator serves from its
    // per-thread cache (1 KiB for glibc's).
    fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
        Box::pin(async move { self.attempt(&call).await })
    }

    fn send_streaming<'a>(
        &'a self,
        call: Call<'a>,
    ) -> BoxFuture<'a, Result<StreamingReply, TransportError>> {
        Box::pin(async move { self.attempt_streaming(&call).await })
    }
}

/// Classifies a failure to send: only a connection failure (the TLS
/// handshake included) is known not to have reached the server.
fn send_error(err: reqwest::Error) -> TransportError {
    if err.is_connect() {
        if let Some(tls) = tls_failure(&err) {
            let hint = match tls {
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer) => {
                    " (signed by a private CA? trust it with `add_root_certificates_pem`)"
                }
                _ => "",
            };
            let message = format!("cannot connect: TLS handshake failed: {tls}{hint}: {err}");
            return TransportError::new(TransportErrorKind::NotSent, message, Some(Box::new(err)));
        }
    }
    let (kind, what) = if err.is_connect() {
        (TransportErrorKind::NotSent, "cannot connect")
    } else if err.is_timeout() {
        (
            TransportErrorKind::MaybeSent,
            "timed out waiting for the answer",
        )
    } else if err.is_builder() {
        (
            TransportErrorKind::InvalidRequest,
            "cannot build the request",
        )
    } else {
        (
            TransportErrorKind::MaybeSent,
            "the connection failed after the request was sent",
        )
    };
    // reqwest's own message names the URL, never a header, so it is safe to show.
    TransportError::new(kind, format!("{what}: {err}"), Some(Box::new(err)))
}

fn body_error(err: reqwest::Error, status: u16) -> TransportError {
    let what = if err.is_timeout() {
        "timed out reading the answer"
    } else {
        "the answer was cut off (connection closed or reset before the whole body arrived)"
    };
    TransportError::new(
        TransportErrorKind::MaybeSent,
        format!("HTTP status {status}: {what}: {err}"),
        Some(Box::new(err)),
    )
}

/// A wait of a streaming attempt that took longer than `allowed`; the
/// request was sent.
fn timed_out(waiting: &str, allowed: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::MaybeSent,
        format!("timed out {waiting} ({allowed:?} allowed)"),
        None,
    )
}

fn too_large(status: u16, cap: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        format!("HTTP status {status}: the answer is larger than the {cap}-byte cap"),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::LCIC;

    #[test]
    fn a_call_in_another_region_goes_to_that_region_s_regional_host() {
        let settings = HttpSettings::default()
            .endpoint(Endpoint::Regional)
            .region("ap-guangzhou");
        let transport = HttpTransport::unsigned(settings).unwrap();
        let url = |region| {
            transport
                .target(&LCIC, None, region)
                .unwrap()
                .url
                .to_string()
        };
        assert_eq!(
            url(Some("ap-singapore")),
            "https://lcic.ap-singapore.tencentcloudapi.com/"
        );
        assert_eq!(
            url(Some("ap-guangzhou")),
            "https://lcic.ap-guangzhou.tencentcloudapi.com/"
        );
        // Where the URL does not depend on the region, one target serves all.
        let fixed = HttpTransport::unsigned(HttpSettings::default()).unwrap();
        let target = fixed.target(&LCIC, None, Some("ap-singapore")).unwrap();
        assert_eq!(target.url.as_str(), "https://lcic.tencentcloudapi.com/");
        assert_eq!(target.region, None);
    }

    #[test]
    fn settings_show_no_proxy_password_and_sum_up_certificates() {
        let settings = HttpSettings::default()
            .proxy("http://user:s3cret@proxy.example:3128")
            .add_root_certificates_pem("…")
            .http_client(reqwest::Client::new());
        let shown = format!("{settings:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains(r#"proxy: Some("http://***@proxy.example:3128")"#),
            "{shown}"
        );
        assert!(
            shown.contains("root_certificates_pem: 1 bundle(s)"),
            "{shown}"
        );
        assert!(
            shown.contains(r#"http_client: Some("user's reqwest::Client")"#),
            "{shown}"
        );
        for url in ["user:s3cret@proxy.example:3128", "http://user:s3cret@[::1"] {
            let shown = format!("{:?}", HttpSettings::default().proxy(url));
            assert!(!shown.contains("s3cret"), "{shown}");
        }
        let plain = HttpSettings::default().proxy("http://proxy.example:3128");
        assert!(format!("{plain:?}").contains(r#"Some("http://proxy.example:3128")"#));
    }

    #[test]
    fn the_target_cache_tells_apart_what_picks_the_url() {
        let settings = HttpSettings::default().endpoint(Endpoint::International);
        let transport = HttpTransport::unsigned(settings).unwrap();
        // The same name, another recorded international domain (another
        // version of the service, or a service made by hand).
        let recorded = Service {
            intl_endpoint: Some("lcic.global.example.com"),
            ..LCIC
        };
        let url = |service: &Service, endpoint| {
            let target = transport.target(service, endpoint, None).unwrap();
            target.url.to_string()
        };
        for _ in 0..2 {
            assert_eq!(url(&LCIC, None), "https://lcic.intl.tencentcloudapi.com/");
            assert_eq!(url(&recorded, None), "https://lcic.global.example.com/");
            let moved = Some("http://127.0.0.1:9");
            assert_eq!(url(&recorded, moved), "http://127.0.0.1:9/");
        }
        assert_eq!(transport.targets.lock().unwrap().len(), 3);
    }
}
