//! The headers a call adds to those every call has (an octet-stream call's
//! parameters, `X-CLS-TopicId: …`), checked by one rule: by the client
//! before the first attempt, so a bad one is refused with nothing sent,
//! and by the HTTPS transport as it writes them.

use super::endpoint::invalid;
use crate::shared::TransportError;
use reqwest::header::{HeaderName, HeaderValue};

/// The headers the transport writes itself, or that frame the request: a
/// call's own headers may neither replace nor repeat them, since the
/// signature, the routing and the body's length depend on them.
const RESERVED: [&str; 9] = [
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "expect",
    "host",
    "te",
    "transfer-encoding",
    "upgrade",
];

/// The prefix of the headers the transport writes for every call
/// (`X-TC-Action`, `X-TC-Timestamp`, `X-TC-Token`, …), reserved likewise.
const TC_PREFIX: &str = "x-tc-";

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
    if RESERVED.contains(&lowercase) || lowercase.starts_with(TC_PREFIX) {
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
}
