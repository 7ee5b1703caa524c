//! Decoding Tencent Cloud's response envelope.

use crate::{Error, ServiceError, ServiceErrorCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

/// How much of a body error messages quote.
const EXCERPT_CHARS: usize = 200;

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow, default)]
    response: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ErrorProbe {
    #[serde(rename = "Error", default)]
    error: Option<ErrorBody>,
    #[serde(rename = "RequestId", default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code", default)]
    code: Option<String>,
    #[serde(rename = "Message", default)]
    message: Option<String>,
}

/// Decodes an answer of `action`: `{"Response": {...}}` into `T`, or
/// `{"Response": {"Error": ...}}` into [`Error::Service`]. Anything else is an
/// [`Error::Http`] (non-2xx status) or [`Error::Decode`], never a panic.
pub fn decode_response<T, E>(action: &'static str, status: u16, body: &[u8]) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
    E: ServiceErrorCode,
{
    decode_with_request_id(action, status, body).1
}

/// [`decode_response`], plus the request id when the body carried one (for
/// logs and traces, whatever the outcome).
pub(crate) fn decode_with_request_id<T, E>(
    action: &'static str,
    status: u16,
    body: &[u8],
) -> (Option<String>, Result<T, Error<E>>)
where
    T: DeserializeOwned,
    E: ServiceErrorCode,
{
    let mut request_id = None;
    let result = decode(action, status, body, &mut request_id);
    (request_id, result)
}

fn decode<T, E>(
    action: &'static str,
    status: u16,
    body: &[u8],
    request_id: &mut Option<String>,
) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
    E: ServiceErrorCode,
{
    let success = (200..300).contains(&status);
    let fail = |reason: String| {
        if success {
            Error::Decode {
                action,
                status,
                reason,
                excerpt: excerpt(body),
            }
        } else {
            Error::Http {
                action,
                status,
                excerpt: excerpt(body),
            }
        }
    };
    let text =
        std::str::from_utf8(body).map_err(|e| fail(format!("the body is not UTF-8: {e}")))?;
    let envelope: Envelope<'_> = serde_json::from_str(text)
        .map_err(|e| fail(format!("the body is not a JSON object: {e}")))?;
    let response = envelope
        .response
        .ok_or_else(|| fail("the body has no `Response` member".into()))?;
    let probe: ErrorProbe = serde_json::from_str(response.get()).map_err(|e| {
        fail(format!(
            "`Response` is not an object with an optional `Error`: {e}"
        ))
    })?;
    request_id.clone_from(&probe.request_id);
    if let Some(error) = probe.error {
        return Err(Error::Service(ServiceError {
            action,
            code: E::from_code(error.code.as_deref().unwrap_or("")),
            message: error.message.unwrap_or_default(),
            request_id: probe.request_id.unwrap_or_default(),
        }));
    }
    if !success {
        return Err(fail(String::new()));
    }
    serde_json::from_str(response.get())
        .map_err(|e| fail(format!("`Response` does not match the response type: {e}")))
}

/// The start of a body, for messages: at most [`EXCERPT_CHARS`] characters.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Out {
        #[serde(rename = "RoomIds")]
        room_ids: Option<Vec<u64>>,
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
    }

    type Result = std::result::Result<Out, Error<String>>;

    fn decode(status: u16, body: &str) -> Result {
        decode_response("BatchCreateRoom", status, body.as_bytes())
    }

    #[test]
    fn success_decodes() {
        let out = decode(
            200,
            r#"{"Response":{"RoomIds":[1,2],"RequestId":"r1","New":true}}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            Out {
                room_ids: Some(vec![1, 2]),
                request_id: Some("r1".into())
            }
        );
    }

    #[test]
    fn error_envelope_is_a_service_error() {
        let err = decode(200, r#"{"Response":{"Error":{"Code":"InvalidParameter.SdkAppId","Message":"bad"},"RequestId":"r2"}}"#)
            .unwrap_err();
        let service = err.service_error().expect("a service error");
        assert_eq!(service.code, "InvalidParameter.SdkAppId");
        assert_eq!(service.message, "bad");
        assert_eq!(service.request_id, "r2");
        assert_eq!(
            err.to_string(),
            "BatchCreateRoom failed: InvalidParameter.SdkAppId: bad (request id r2)"
        );
    }

    #[test]
    fn malformed_bodies_are_typed_errors() {
        let cases = [
            (200, "not json", "not a JSON object"),
            (200, r#"{"Response": {"RoomIds": [1,"#, "not a JSON object"),
            (200, r#"{"Other": {}}"#, "no `Response`"),
            (200, r#"{"Response": 5}"#, "not an object"),
            (200, r#"{"Response": {"RoomIds": "x"}}"#, "does not match"),
        ];
        for (status, body, reason) in cases {
            match decode(status, body) {
                Err(Error::Decode {
                    reason: r,
                    status: s,
                    ..
                }) => {
                    assert!(r.contains(reason), "{body}: {r}");
                    assert_eq!(s, status);
                }
                other => panic!("{body}: expected a decode error, got {other:?}"),
            }
        }
    }

    #[test]
    fn non_success_status_without_envelope_is_http_error() {
        match decode(502, "<html>bad gateway</html>") {
            Err(Error::Http {
                status: 502,
                excerpt,
                ..
            }) => assert!(excerpt.contains("bad gateway")),
            other => panic!("expected an HTTP error, got {other:?}"),
        }
    }

    #[test]
    fn invalid_utf8_is_a_decode_error() {
        let err = decode_response::<Out, String>("A", 200, &[0xff, 0xfe]).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    #[test]
    fn excerpts_are_bounded() {
        let long = "é".repeat(1000);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
    }
}
