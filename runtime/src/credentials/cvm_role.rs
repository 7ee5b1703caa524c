//! The CVM role provider: the temporary credentials of the CAM role bound to
//! a CVM instance, from the instance metadata service.

use super::{unix_time, Credentials, CredentialsError, ProvideCredentials};
use crate::shared::BoxFuture;
use crate::wire::{http_client, HttpSettings};
use std::sync::Mutex;
use std::time::Duration;

/// Where the metadata service lists the instance's role (`GET` gives the role
/// name; `GET <role name>` its credentials).
pub const METADATA_ROLE_URL: &str =
    "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";
/// Off a CVM nothing answers: give up soon so a chain moves on quickly.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// A role name or a credentials document is a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// The provider's name in messages.
const NAME: &str = "CVM role";

/// Credentials of the role bound to this CVM instance, from the metadata
/// service; the role name is looked up once (unless given) and the
/// credentials fetched again at each refresh.
///
/// The metadata service is always asked directly, never through a proxy
/// (the client's, or the environment's `HTTP_PROXY`): it is a link-local
/// service of the instance itself, which a proxy could not reach or would
/// answer for another machine; the official SDKs and the AWS SDKs do not
/// proxy theirs either. Of the client's HTTP settings
/// ([`use_http_settings`](ProvideCredentials::use_http_settings)) it
/// takes the root certificates (for a [`base_url`](Self::base_url) over
/// HTTPS) and the connect timeout when shorter than its own
/// [`timeout`](Self::timeout); a user's own `reqwest::Client` is not used.
///
/// ```no_run
/// use tencentcloud_runtime::credentials::CvmRoleProvider;
///
/// let runtime = tencentcloud_runtime::Client::builder()
///     .credentials_provider(CvmRoleProvider::new())
///     .build()?;
/// # Ok::<(), tencentcloud_runtime::BuildError>(())
/// ```
#[derive(Debug)]
pub struct CvmRoleProvider {
    base_url: String,
    timeout: Duration,
    /// The client's connection settings, else the defaults.
    http: HttpSettings,
    /// The role name, given or found.
    role: Mutex<Option<String>>,
}

/// The metadata service's credentials document; not `Debug`, it holds keys.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleCredentials {
    tmp_secret_id: String,
    tmp_secret_key: String,
    token: String,
    expired_time: i64,
    code: Option<String>,
}

impl CvmRoleProvider {
    /// Asks [`METADATA_ROLE_URL`], allowing one second to connect and answer.
    pub fn new() -> Self {
        CvmRoleProvider {
            base_url: METADATA_ROLE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            http: HttpSettings::default(),
            role: Mutex::new(None),
        }
    }

    /// Uses this role instead of asking the metadata service for it.
    pub fn role_name(self, name: impl Into<String>) -> Self {
        *self.role.lock().unwrap_or_else(|e| e.into_inner()) = Some(name.into());
        self
    }

    /// Asks this URL (ending in `/`) instead of [`METADATA_ROLE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Time allowed to connect and answer, each request (1 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connection settings the metadata service is asked with: the
    /// client's, without any proxy or user's client, connecting within
    /// this provider's timeout at most.
    fn direct(&self) -> HttpSettings {
        HttpSettings {
            connect_timeout: self.timeout.min(self.http.connect_timeout),
            proxy: None,
            env_proxy: false,
            http_client: None,
            ..self.http.clone()
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let http =
            http_client(&self.direct()).map_err(|e| self.error(&self.base_url, e.to_string()))?;
        let role = self.role(&http).await?;
        let url = format!("{}{role}", self.base_url);
        let body = self.get(&http, &url).await?;
        let answer: RoleCredentials = serde_json::from_slice(&body).map_err(|e| {
            // The position only: the text around it may be a key.
            let at = format!("line {}, column {}", e.line(), e.column());
            self.error(
                &url,
                format!("the answer is not a credentials document ({at})"),
            )
        })?;
        if answer.code.as_deref().is_some_and(|code| code != "Success") {
            return Err(self.error(&url, "the answer's Code is not Success".into()));
        }
        let expires_at = unix_time(answer.expired_time)
            .ok_or_else(|| self.error(&url, "the answer's ExpiredTime is invalid".into()))?;
        Ok(
            Credentials::new(answer.tmp_secret_id, answer.tmp_secret_key)
                .with_token(answer.token)
                .with_expiry(expires_at),
        )
    }

    /// The role name: given, found before, or asked for now.
    async fn role(&self, http: &reqwest::Client) -> Result<String, CredentialsError> {
        if let Some(role) = self.role.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            return Ok(role);
        }
        let body = self.get(http, &self.base_url).await?;
        let text = String::from_utf8_lossy(&body);
        let role = text.lines().next().unwrap_or("").trim();
        if role.is_empty() || role.contains(['/', '?', '#']) {
            return Err(self.error(&self.base_url, "the answer is not a role name".into()));
        }
        *self.role.lock().unwrap_or_else(|e| e.into_inner()) = Some(role.to_owned());
        Ok(role.to_owned())
    }

    /// The body of a 200 answer to `GET url`.
    async fn get(&self, http: &reqwest::Client, url: &str) -> Result<Vec<u8>, CredentialsError> {
        let fail = |reason: String| self.error(url, reason);
        let response = http
            .get(url)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| {
                fail(if e.is_timeout() {
                    format!("no answer within {:?}", self.timeout)
                } else {
                    format!("cannot reach the metadata service: {e}")
                })
            })?;
        match response.status().as_u16() {
            200 => {}
            404 => {
                return Err(fail(
                    "no CAM role is bound to this instance (HTTP 404)".into(),
                ))
            }
            status => return Err(fail(format!("HTTP status {status}"))),
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| fail(format!("the answer was cut off: {e}")))?;
        if body.len() > MAX_ANSWER_BYTES {
            return Err(fail(format!("the answer is over {MAX_ANSWER_BYTES} bytes")));
        }
        Ok(body.to_vec())
    }

    fn error(&self, url: &str, reason: String) -> CredentialsError {
        CredentialsError::Metadata {
            url: url.to_owned(),
            reason,
        }
    }
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }

    fn use_http_settings(&mut self, settings: &HttpSettings) {
        self.http = settings.clone();
    }
}
