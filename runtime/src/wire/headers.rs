//! The headers a call adds to those every call has (an octet-stream call's
//! parameters, `X-CLS-TopicId: …`; the headers a user adds to a client or
//! a call, `X-TC-Canary: …`), checked by one rule: by the client
//! before the first attempt, so a bad one is refused with nothing sent,
//! and by the HTTPS transport as it writes them.

use super::endpoint::invalid;
use crate::shared::TransportError;
use reqwest::header::{HeaderName, HeaderValue};

/// The `X-TC-*` headers the transport writes, as HTTP/2 sends names.
const TC_ACTION: &str = "x-tc-action";
const TC_VERSION: &str = "x-tc-version";
const TC_TIMESTAMP: &str = "x-tc-timestamp";
const TC_REGION: &str = "x-tc-region";
const TC_TOKEN: &str = "x-tc-token";
const TC_LANGUAGE: &str = "x-tc-language";
const TC_TRACE_ID: &str = "x-tc-traceid";
const TC_REQUEST_CLIENT: &str = "x-tc-requestclient";

pub(crate) const X_TC_ACTION: HeaderName = HeaderName::from_static(TC_ACTION);
pub(crate) const X_TC_VERSION: HeaderName = HeaderName::from_static(TC_VERSION);
pub(crate) const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static(TC_TIMESTAMP);
pub(crate) const X_TC_REGION: HeaderName = HeaderName::from_static(TC_REGION);
pub(crate) const X_TC_TOKEN: HeaderName = HeaderName::from_static(TC_TOKEN);
pub(crate) const X_TC_LANGUAGE: HeaderName = HeaderName::from_static(TC_LANGUAGE);
/// A UUID per call, the same on each of its attempts: what Tencent's
/// support finds a call by, with the request id.
pub(crate) const X_TC_TRACE_ID: HeaderName = HeaderName::from_static(TC_TRACE_ID);
/// The SDK that sent the call (`SDK_RUST_0.1.0`), and the app, when named.
pub(crate) const X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static(TC_REQUEST_CLIENT);
/// The header a streamed answer carries its request id in (it has no
/// envelope to carry it).
pub(crate) const X_TC_REQUEST_ID: HeaderName = HeaderName::from_static("x-tc-requestid");

/// The headers the transport writes itself, or that frame the request: a
/// call's own headers may neither replace nor repeat them, since the
/// signature, the routing, the body's length and the call's identity depend
/// on them. Other `X-TC-*` headers (`X-TC-Canary`) are a call's to send.
const RESERVED: [&str; 17] = [
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "expect",
    "host",
    "te",
    "transfer-encoding",
    "upgrade",
    TC_ACTION,
    TC_VERSION,
    TC_TIMESTAMP,
    TC_REGION,
    TC_TOKEN,
    TC_LANGUAGE,
    TC_TRACE_ID,
    TC_REQUEST_CLIENT,
];

/// The header `name: value` as HTTP sends it, or an
/// [`InvalidRequest`](crate::TransportErrorKind::InvalidRequest) error:
/// for a name that is no HTTP token, a reserved name, or a value with a
/// control character (a CR or LF would end the header and start another).
/// The message names the header, never its value, which may be secret.
pub(crate) fn checked_header(
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), TransportError> {
    let parsed = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| invalid(format!("invalid header name {name:?}")))?;
    let lowercase = parsed.as_str();
    if RESERVED.contains(&lowercase) {
        return Err(invalid(format!(
            "header {name:?} is one the call writes itself; a call's own headers cannot set it"
        )));
    }
    let value = HeaderValue::from_str(value).map_err(|_| {
        invalid(format!(
            "the value of header {name:?} is not a valid HTTP header value \
             (it has a control character, such as CR or LF)"
        ))
    })?;
    Ok((parsed, value))
}

/// This SDK and its version, as `X-TC-RequestClient` names it.
pub(crate) const SDK: &str = concat!("SDK_RUST_", env!("CARGO_PKG_VERSION"));

/// The longest app name `X-TC-RequestClient` carries.
const MAX_APP_NAME: usize = 128;

/// What is wrong with `name` as the app name of `X-TC-RequestClient`, if
/// anything: it must be 1 to 128 of ASCII letters, digits, space and
/// `-_,;.` (what the official Go SDK allows there).
pub(crate) fn app_name_problem(name: &str) -> Option<&'static str> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " -_,;.".contains(c);
    if name.is_empty() {
        Some("it is empty")
    } else if name.len() > MAX_APP_NAME {
        Some("it is longer than 128 characters")
    } else if !name.chars().all(allowed) {
        Some("only ASCII letters, digits, space and `-_,;.` are allowed")
    } else {
        None
    }
}

/// The `X-TC-RequestClient` value: [`SDK`], then `: ` and the app's name
/// when one is given (`SDK_RUST_0.1.0: billing-sync`); a bad name is an
/// [`InvalidRequest`](crate::TransportErrorKind::InvalidRequest) error.
pub(crate) fn request_client(app: Option<&str>) -> Result<HeaderValue, TransportError> {
    let Some(app) = app else {
        return Ok(HeaderValue::from_static(SDK));
    };
    if let Some(problem) = app_name_problem(app) {
        return Err(invalid(format!("invalid app name {app:?}: {problem}")));
    }
    HeaderValue::try_from(format!("{SDK}: {app}"))
        .map_err(|_| invalid(format!("invalid app name {app:?}")))
}

/// Checks each of `headers` by the rule of [`checked_header`].
pub(crate) fn check_headers(headers: &[(String, String)]) -> Result<(), TransportError> {
    headers
        .iter()
        .try_for_each(|(name, value)| checked_header(name, value).map(drop))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::TransportErrorKind;

    #[test]
    fn valid_headers_pass_as_given() {
        let (name, value) = checked_header("X-CLS-TopicId", "a1b2-c3 \t名").unwrap();
        assert_eq!(name.as_str(), "x-cls-topicid");
        assert_eq!(value.as_bytes(), "a1b2-c3 \t名".as_bytes());
        assert!(check_headers(&[("X-CLS-HashKey".into(), String::new())]).is_ok());
        assert!(
            checked_header("X-TC-Canary", "true").is_ok(),
            "not written by the transport"
        );
    }

    #[test]
    fn bad_names_values_and_reserved_names_are_invalid_requests() {
        for (name, value) in [
            ("X-CLS-TopicId", "secret\nX-Evil: 1"),
            ("X-CLS-TopicId", "secret\rb"),
            ("X-CLS-TopicId", "secret\0"),
            ("X-CLS-TopicId", "secret\u{7f}"),
            ("X-CLS Topic", "a"),
            ("X-CLS-Topic\n", "a"),
            ("", "a"),
            ("Content-Type", "text/plain"),
            ("authorization", "x"),
            ("Host", "evil.example.com"),
            ("Content-Length", "0"),
            ("X-TC-Action", "DeleteEverything"),
            ("x-tc-token", "t"),
            ("X-TC-TraceId", "t"),
            ("X-TC-RequestClient", "t"),
            ("X-TC-Region", "ap-x"),
        ] {
            let err = checked_header(name, value).unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::InvalidRequest, "{name:?}");
            assert!(!err.to_string().contains("secret"), "{err}");
        }
        let headers = [
            ("X-CLS-A".to_owned(), "ok".to_owned()),
            ("X-CLS-B".to_owned(), "not\nok".to_owned()),
        ];
        let err = check_headers(&headers).unwrap_err();
        assert!(err.to_string().contains("X-CLS-B"), "{err}");
    }

    #[test]
    fn the_request_client_names_the_sdk_and_the_app() {
        let sdk = format!("SDK_RUST_{}", env!("CARGO_PKG_VERSION"));
        assert_eq!(request_client(None).unwrap(), sdk.as_str());
        assert_eq!(
            request_client(Some("billing-sync 2.1; eu")).unwrap(),
            format!("{sdk}: billing-sync 2.1; eu").as_str()
        );
        for bad in ["", "a\nb", "名", "a/b", &"x".repeat(129)] {
            assert!(app_name_problem(bad).is_some(), "{bad:?}");
            let err = request_client(Some(bad)).unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
        }
        assert_eq!(app_name_problem(&"x".repeat(128)), None);
    }
}
