//! The wire log: each request and answer of the HTTPS transport as a
//! `trace!` event of target [`TARGET`] (`tencentcloud::wire`), for the
//! times one must see what went over the wire, as the official Go SDK's
//! `Debug` and Python's stream logger show it. Nothing secret is written:
//! `Authorization`, `X-TC-Token` and any header whose name reads as a
//! secret's show as `<redacted>`, and in a JSON body the text of every
//! member whose name reads as a secret's ([`tencentcloud_json::redact_secrets`],
//! the rule the generated `Debug` follows; paging cursors ending in `Token`
//! are hidden too, to err on the safe side). Bodies are cut after
//! [`MAX_BODY_CHARS`] characters; raw bytes and event streams show their
//! size and type only.
//!
//! Enable it with the target, e.g. `RUST_LOG=tencentcloud::wire=trace` with
//! `tracing-subscriber`'s `EnvFilter`. When the target is off, nothing is
//! formatted.

use reqwest::header::{HeaderMap, AUTHORIZATION};
use std::fmt;
use tencentcloud_json::{is_secret_name, redact_secrets, Value, REDACTED};

/// The target of the wire log's events.
pub(crate) const TARGET: &str = "tencentcloud::wire";

/// The most characters of a body an event shows.
pub(crate) const MAX_BODY_CHARS: usize = 4096;

/// Whether the wire log is on, so that events are worth formatting.
pub(crate) fn enabled() -> bool {
    tracing::enabled!(target: TARGET, tracing::Level::TRACE)
}

/// Logs `request`, about to be sent.
pub(crate) fn request(request: &reqwest::Request, body: &[u8]) {
    tracing::trace!(
        target: TARGET,
        method = %request.method(),
        url = %request.url(),
        headers = %Headers(request.headers()),
        body = %Body { body, headers: request.headers() },
        "request",
    );
}

/// Logs an answer's head and `body` (`None`: a stream of events, not
/// read here).
pub(crate) fn answer(status: u16, headers: &HeaderMap, body: Option<&[u8]>) {
    match body {
        Some(body) => tracing::trace!(
            target: TARGET,
            status,
            headers = %Headers(headers),
            body = %Body { body, headers },
            "answer",
        ),
        None => tracing::trace!(
            target: TARGET,
            status,
            headers = %Headers(headers),
            body = "<a stream of events>",
            "answer",
        ),
    }
}

/// Whether the value of header `name` must not be logged.
fn is_secret_header(name: &str) -> bool {
    let squeezed: String = name.chars().filter(|c| *c != '-').collect();
    name.eq_ignore_ascii_case(AUTHORIZATION.as_str())
        || name.eq_ignore_ascii_case("x-tc-token")
        || is_secret_name(&squeezed)
}

/// Headers as `name: value` pairs, secret values redacted.
struct Headers<'h>(&'h HeaderMap);

impl fmt::Display for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_secret_header(name.as_str()) {
                list.entry(&name.as_str(), &REDACTED);
            } else {
                list.entry(&name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
            }
        }
        list.finish()
    }
}

/// A body as logged: JSON with its secrets redacted, other text as it is,
/// cut at [`MAX_BODY_CHARS`]; raw bytes by size.
struct Body<'b> {
    body: &'b [u8],
    headers: &'b HeaderMap,
}

impl fmt::Display for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content_type = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        if content_type.starts_with("application/octet-stream") {
            return write!(f, "<{} bytes of {content_type}>", self.body.len());
        }
        let shown = match serde_json::from_slice::<Value>(self.body) {
            Ok(mut value) => {
                redact_secrets(&mut value);
                value.to_string()
            }
            // Text that is no JSON (an HTML error page) holds no members to
            // redact; it is shown as an HTTP error's excerpt is.
            Err(_) => String::from_utf8_lossy(self.body).into_owned(),
        };
        match shown.char_indices().nth(MAX_BODY_CHARS) {
            Some((cut, _)) => write!(f, "{}… ({} bytes in all)", &shown[..cut], self.body.len()),
            None => f.write_str(&shown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, CONTENT_TYPE};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn secret_headers_are_redacted() {
        let mut map = headers(&[
            (
                "authorization",
                "TC3-HMAC-SHA256 Credential=AKID/…, Signature=sig",
            ),
            ("x-tc-token", "session"),
            ("x-api-key", "key"),
            ("x-tc-action", "DescribeRoom"),
        ]);
        let mut sensitive = HeaderValue::from_static("h1dden");
        sensitive.set_sensitive(true);
        map.insert("x-other", sensitive);
        let shown = Headers(&map).to_string();
        for secret in ["s1gn", "sess10n", "k3y", "h1dden"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains(r#""x-tc-action": "DescribeRoom""#),
            "{shown}"
        );
        assert_eq!(shown.matches(REDACTED).count(), 4, "{shown}");
    }

    #[test]
    fn bodies_show_no_secret_and_are_cut() {
        let json = headers(&[("content-type", "application/json")]);
        let body = br#"{"Response":{"Credentials":{"TmpSecretKey":"k1","Token":"t1","TmpSecretId":"AKID"},"RequestId":"r"}}"#;
        let shown = Body {
            body,
            headers: &json,
        }
        .to_string();
        assert!(!shown.contains("k1") && !shown.contains("t1"), "{shown}");
        assert!(
            shown.contains("AKID") && shown.contains(r#""RequestId":"r""#),
            "{shown}"
        );

        let long = format!(r#"{{"Name":"{}"}}"#, "x".repeat(10_000));
        let shown = Body {
            body: long.as_bytes(),
            headers: &json,
        }
        .to_string();
        assert!(
            shown.ends_with(&format!("… ({} bytes in all)", long.len())),
            "{shown}"
        );
        assert_eq!(
            shown.chars().filter(|c| *c == 'x').count(),
            MAX_BODY_CHARS - 9
        );

        let raw = headers(&[(CONTENT_TYPE.as_str(), "application/octet-stream")]);
        let shown = Body {
            body: b"\x00secret",
            headers: &raw,
        }
        .to_string();
        assert_eq!(shown, "<7 bytes of application/octet-stream>");
    }
}
