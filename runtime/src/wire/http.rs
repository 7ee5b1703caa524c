//! The HTTPS transport: TC3-HMAC-SHA256 signed `POST /` over reqwest with
//! rustls (no system OpenSSL), one connection pool per client.

use super::sign::{sign_cached, KeyCache, SigningParams};
use super::transport::{BoxFuture, Call, Reply, Transport, TransportError, TransportErrorKind};
use crate::credentials::{CredentialsCache, ProvideCredentials};
use crate::Service;
use reqwest::header::{self, HeaderName, HeaderValue, AUTHORIZATION, HOST};
use reqwest::Url;

const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The content type every call is sent (and signed) with.
const CONTENT_TYPE: &str = "application/json";

/// Where the calls of every service go, unless one service's calls are sent
/// elsewhere ([`ClientBuilder::service_endpoint`](crate::ClientBuilder::service_endpoint)).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Endpoint {
    /// `https://<service>.tencentcloudapi.com` (mainland site).
    #[default]
    Default,
    /// The international site: the domain the spec records for the service
    /// (`Service::intl_endpoint`), else `https://<service>.intl.tencentcloudapi.com`.
    International,
    /// `https://<service>.<region>.tencentcloudapi.com`, the region being the
    /// client's (`X-TC-Region`); without a region, calls fail as invalid.
    Regional,
    /// `https://<service>.<root domain>`, for private clouds and finance
    /// zones with their own root domain.
    RootDomain(String),
    /// This base URL for every service, `http://` included (a local test
    /// server, a proxy that forwards every service).
    Url(String),
}

impl Endpoint {
    /// The URL calls of `service` are posted to, in `region` when given.
    pub fn url(&self, service: &Service, region: Option<&str>) -> Result<Url, TransportError> {
        let name = service.name;
        let text = match self {
            Endpoint::Default => format!("https://{name}.tencentcloudapi.com/"),
            Endpoint::International => match service.intl_endpoint {
                Some(host) => format!("https://{host}/"),
                None => format!("https://{name}.intl.tencentcloudapi.com/"),
            },
            Endpoint::Regional => match region {
                Some(region) => format!("https://{name}.{region}.tencentcloudapi.com/"),
                None => return Err(invalid("a regional endpoint needs a region; none is set")),
            },
            Endpoint::RootDomain(domain) => format!("https://{name}.{domain}/"),
            Endpoint::Url(url) => url.clone(),
        };
        parse_url(&text)
    }
}

/// Parses an endpoint URL, which must be `http(s)://host…`.
pub(crate) fn parse_url(text: &str) -> Result<Url, TransportError> {
    let url =
        Url::parse(text).map_err(|e| invalid(format!("invalid endpoint URL {text:?}: {e}")))?;
    if url.host_str().is_none() || !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "invalid endpoint URL {text:?}: need http(s)://host"
        )));
    }
    Ok(url)
}

fn invalid(message: impl Into<String>) -> TransportError {
    TransportError::new(TransportErrorKind::InvalidRequest, message, None)
}

/// The `Host` header reqwest sends for `url`, which the signature must cover.
fn host_header(url: &Url) -> String {
    let host = url
        .host_str()
        .expect("Endpoint::url only returns URLs with a host");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Where the calls of one service go.
#[derive(Debug, Clone)]
struct Target {
    /// The service, the URL it was sent to instead of the endpoint, and the
    /// region, when the endpoint's URL depends on it.
    service: &'static str,
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
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpSettings {
    /// Where calls go.
    pub endpoint: Endpoint,
    /// Sent as `X-TC-Region` when set.
    pub region: Option<String>,
    /// Sent as `X-TC-Language` when set (`zh-CN` or `en-US`).
    pub language: Option<String>,
    /// Time allowed to establish a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole attempt, from sending to the last byte of the answer.
    pub timeout: Duration,
    /// Answers larger than this are not read.
    pub max_response_bytes: usize,
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
        }
    }
}

/// The setters of the [`HttpSettings`] fields, written once for the two
/// types that take them: `HttpSettings` itself (`http_settings_setters!()`)
/// and [`ClientBuilder`](crate::ClientBuilder), which holds its settings in a
/// field (`http_settings_setters!(settings)`). See `setters.rs`.
macro_rules! http_settings_setters {
    ($($settings:ident)?) => {
        $crate::setters::setters! {
            /// Sends calls to `endpoint`.
            endpoint(endpoint: $crate::Endpoint) => $($settings.)? endpoint = endpoint;
            /// Sends `X-TC-Region: region` (e.g. `ap-guangzhou`), which a
            /// regional endpoint also puts in the host.
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
        }
    };
}

pub(crate) use http_settings_setters;

impl HttpSettings {
    http_settings_setters!();
}

/// Signs and sends calls over HTTPS. Cheap to share: it holds one
/// connection pool that every call reuses.
pub struct HttpTransport {
    http: reqwest::Client,
    /// `None`: calls go unsigned (`Authorization: SKIP`), as STS
    /// `AssumeRoleWithWebIdentity` is sent.
    credentials: Option<CredentialsCache>,
    settings: HttpSettings,
    /// URL and `Host` header per service and override, parsed once rather than per call.
    targets: Mutex<Vec<Target>>,
    keys: KeyCache,
}

/// Written by hand so that the credentials show only their id.
impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("credentials", &self.credentials)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// A transport with its own connection pool, signing with the credentials
    /// of `credentials` (fixed [`Credentials`](crate::Credentials) or any
    /// provider), kept in a [`CredentialsCache`].
    pub fn new(
        credentials: impl ProvideCredentials,
        settings: HttpSettings,
    ) -> Result<Self, reqwest::Error> {
        Self::with_credentials(Some(CredentialsCache::new(credentials)), settings)
    }

    /// A transport that sends its calls unsigned.
    pub(crate) fn unsigned(settings: HttpSettings) -> Result<Self, reqwest::Error> {
        Self::with_credentials(None, settings)
    }

    fn with_credentials(
        credentials: Option<CredentialsCache>,
        settings: HttpSettings,
    ) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .use_rustls_tls()
            .build()?;
        Ok(HttpTransport {
            http,
            credentials,
            settings,
            targets: Mutex::default(),
            keys: KeyCache::default(),
        })
    }

    /// Where calls of `service` in `region` go: `endpoint` when the call
    /// carries one, else the configured [`Endpoint`].
    fn target(
        &self,
        service: &Service,
        endpoint: Option<&str>,
        region: Option<&str>,
    ) -> Result<Target, TransportError> {
        // Only a regional endpoint's URL depends on the region.
        let region =
            region.filter(|_| endpoint.is_none() && self.settings.endpoint == Endpoint::Regional);
        // A poisoned lock only means another call panicked; the cache is still valid.
        let mut targets = self.targets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(target) = targets.iter().find(|t| {
            t.service == service.name
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
        let target = Target {
            service: service.name,
            endpoint: endpoint.map(str::to_owned),
            region: region.map(str::to_owned),
            url,
            host,
            host_value,
        };
        targets.push(target.clone());
        Ok(target)
    }

    /// The `Authorization` header and token of a call, or `SKIP` unsigned.
    async fn authorize(
        &self,
        call: &Call<'_>,
        host: &str,
        timestamp: i64,
    ) -> Result<(String, Option<HeaderValue>), TransportError> {
        let Some(cache) = &self.credentials else {
            return Ok(("SKIP".to_owned(), None));
        };
        let credentials = cache.get().await.map_err(|e| {
            TransportError::new(
                TransportErrorKind::Credentials,
                e.to_string(),
                Some(Box::new(e)),
            )
        })?;
        let params = SigningParams {
            secret_id: credentials.secret_id(),
            secret_key: credentials.secret_key(),
            service: call.service.name,
            host,
            timestamp,
            content_type: CONTENT_TYPE,
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
        Ok((sign_cached(&params, &self.keys).authorization, token))
    }

    async fn attempt(&self, call: Call<'_>) -> Result<Reply, TransportError> {
        let region = call.region.or(self.settings.region.as_deref());
        let language = call.language.or(self.settings.language.as_deref());
        let Target {
            url,
            host,
            host_value,
            ..
        } = self.target(call.service, call.endpoint, region)?;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let (authorization, token) = self.authorize(&call, &host, timestamp).await?;
        // Header names as constants: nothing to parse per call. (A value
        // that is no valid header fails in `send`, as `InvalidRequest`.)
        let mut request = self
            .http
            .post(url)
            .header(AUTHORIZATION, authorization)
            .header(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))
            .header(HOST, host_value)
            .header(X_TC_ACTION, call.action.name)
            .header(X_TC_VERSION, call.service.version)
            .header(X_TC_TIMESTAMP, timestamp);
        if let Some(region) = region {
            request = request.header(X_TC_REGION, region);
        }
        if let Some(token) = token {
            request = request.header(X_TC_TOKEN, token);
        }
        if let Some(language) = language {
            request = request.header(X_TC_LANGUAGE, language);
        }
        if let Some(timeout) = call.timeout {
            request = request.timeout(timeout);
        }
        let mut response = request
            .body(call.body.to_vec())
            .send()
            .await
            .map_err(send_error)?;
        let status = response.status().as_u16();
        let cap = self.settings.max_response_bytes;
        match response.content_length() {
            Some(len) if len > cap as u64 => return Err(too_large(status, cap)),
            // A declared length within the cap bounds the body already
            // (hyper reads no further), and one read is cheaper than a loop.
            Some(_) => {
                let body = response.bytes().await.map_err(|e| body_error(e, status))?;
                return Ok(Reply {
                    status,
                    body: body.into(),
                });
            }
            None => {}
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| body_error(e, status))? {
            if body.len() + chunk.len() > cap {
                return Err(too_large(status, cap));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply { status, body })
    }
}

impl Transport for HttpTransport {
    fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
        Box::pin(self.attempt(call))
    }
}

/// Classifies a failure to send: only a connection failure is known not to
/// have reached the server.
fn send_error(err: reqwest::Error) -> TransportError {
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
    use crate::Credentials;

    const LCIC: Service = Service {
        name: "lcic",
        version: "2022-08-17",
        intl_endpoint: None,
    };

    #[test]
    fn endpoints_resolve_per_service() {
        assert_eq!(
            Endpoint::Default.url(&LCIC, None).unwrap().as_str(),
            "https://lcic.tencentcloudapi.com/"
        );
        assert_eq!(
            Endpoint::International.url(&LCIC, None).unwrap().as_str(),
            "https://lcic.intl.tencentcloudapi.com/"
        );
        let local = Endpoint::Url("http://127.0.0.1:8080".into())
            .url(&LCIC, None)
            .unwrap();
        assert_eq!(host_header(&local), "127.0.0.1:8080");
        assert_eq!(
            host_header(&Endpoint::Default.url(&LCIC, None).unwrap()),
            "lcic.tencentcloudapi.com"
        );
        assert!(Endpoint::Url("not a url".into()).url(&LCIC, None).is_err());
        assert!(Endpoint::Url("ftp://x".into()).url(&LCIC, None).is_err());
    }

    #[test]
    fn regional_root_domain_and_recorded_international_endpoints() {
        let url = |endpoint: Endpoint, service: &Service, region| {
            endpoint.url(service, region).map(|u| u.to_string())
        };
        assert_eq!(
            url(Endpoint::Regional, &LCIC, Some("ap-singapore")).unwrap(),
            "https://lcic.ap-singapore.tencentcloudapi.com/"
        );
        let err = url(Endpoint::Regional, &LCIC, None).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
        assert_eq!(
            url(Endpoint::RootDomain("fsi.example.com".into()), &LCIC, None).unwrap(),
            "https://lcic.fsi.example.com/"
        );
        // The spec's recorded international domain wins over the pattern.
        let recorded = Service {
            intl_endpoint: Some("lcic.global.example.com"),
            ..LCIC
        };
        assert_eq!(
            url(Endpoint::International, &recorded, None).unwrap(),
            "https://lcic.global.example.com/"
        );
    }

    #[test]
    fn a_call_in_another_region_goes_to_that_region_s_regional_host() {
        let settings = HttpSettings::default()
            .endpoint(Endpoint::Regional)
            .region("ap-guangzhou");
        let transport = HttpTransport::new(Credentials::new("AKIDid", "key"), settings).unwrap();
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
        let fixed =
            HttpTransport::new(Credentials::new("AKIDid", "key"), HttpSettings::default()).unwrap();
        let target = fixed.target(&LCIC, None, Some("ap-singapore")).unwrap();
        assert_eq!(target.url.as_str(), "https://lcic.tencentcloudapi.com/");
        assert_eq!(target.region, None);
    }

    #[test]
    fn debug_shows_no_secret() {
        let transport = HttpTransport::new(
            Credentials::new("AKIDid", "very-secret-key").with_token("tok-secret"),
            HttpSettings::default(),
        )
        .unwrap();
        let shown = format!("{transport:?}");
        assert!(shown.contains("AKIDid"));
        assert!(
            !shown.contains("very-secret-key") && !shown.contains("tok-secret"),
            "{shown}"
        );
    }
}
