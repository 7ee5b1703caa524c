//! Decoding Tencent Cloud's response envelope.
//!
//! A body is parsed into a [`Value`] once, by [`tencentcloud_json::parse`]
//! (a number a double would change is kept as its text, for a string
//! member); the envelope is opened here, without knowing the response type,
//! so the client's send-and-retry loop is compiled once rather than once per
//! action. The typed decoding of `Response` happens last, in
//! [`Opened::decode`].

use crate::shared::{excerpt, Error, ServiceError, ServiceErrorCode};
use serde_json::Map;
use tencentcloud_json::{FromJson, Value};

/// Decodes an answer of `action`: `{"Response": {...}}` into `T`, or
/// `{"Response": {"Error": ...}}` into [`Error::Service`]. Anything else is an
/// [`Error::Http`] (non-2xx status) or [`Error::Decode`], never a panic.
pub fn decode_response<T, E>(action: &'static str, status: u16, body: &[u8]) -> Result<T, Error<E>>
where
    T: FromJson,
    E: ServiceErrorCode,
{
    open(action, status, body.to_vec()).1?.decode()
}

/// A success answer not decoded yet: the `Response` of an envelope, or one
/// event of a streamed answer.
#[derive(Debug)]
pub(crate) struct Opened {
    action: &'static str,
    status: u16,
    request_id: Option<String>,
    response: Value,
    /// What was decoded, named for errors: `` `Response` `` or `the event`.
    subject: &'static str,
    /// Whether `response` is the `Response` of an envelope in `body`, not
    /// all of `body`.
    enveloped: bool,
    body: Vec<u8>,
}

impl Opened {
    /// Decodes the response into `T`; on failure the error keeps the whole
    /// body (of the answer, or of the event) and the request id, since the
    /// action itself succeeded.
    pub(crate) fn decode<T: FromJson, E: ServiceErrorCode>(self) -> Result<T, Error<E>> {
        let response = if T::FROM_EXACT_TEXT {
            self.response
        } else {
            self.as_written()
        };
        T::from_json(response).map_err(|e| Error::Decode {
            action: self.action,
            status: self.status,
            reason: format!("{} does not match the response type: {e}", self.subject),
            body: self.body,
            request_id: self.request_id,
            call: None,
        })
    }

    /// The response parsed again by `serde_json` alone, for a type that
    /// takes the JSON as it came ([`FromJson::FROM_EXACT_TEXT`]: `Value`,
    /// what a call by name gives), its numbers as `serde_json` reads them.
    fn as_written(&self) -> Value {
        let parsed = if self.enveloped {
            response_of(&self.body, |text| serde_json::from_str(text)).map(|mut response| {
                response.remove("Error");
                Value::Object(response)
            })
        } else {
            std::str::from_utf8(&self.body)
                .ok()
                .and_then(|text| serde_json::from_str(text).ok())
                .ok_or_else(String::new)
        };
        // The body parsed once already; it parses again.
        parsed.unwrap_or_else(|_| self.response.clone())
    }

    /// The request id the answer carried.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// Opens one event of a streamed answer of `action` (HTTP `status`, request
/// id `request_id` from its head): its `data` is the response itself, with
/// no envelope, or an error in either form the service streams one,
/// `{"Response": {"Error": …}}` or `{"Error": …}` (a request id beside the
/// error wins over the head's). Data that is not JSON is an
/// [`Error::Decode`] keeping it.
pub(crate) fn open_event<E: ServiceErrorCode>(
    action: &'static str,
    status: u16,
    request_id: Option<&str>,
    data: String,
) -> Result<Opened, Error<E>> {
    let request_id = request_id.map(str::to_owned);
    let value = match tencentcloud_json::parse(&data) {
        Ok(value) => value,
        Err(e) => {
            let reason = format!("the event is not JSON: {e}");
            return Err(failed(
                action,
                status,
                reason,
                data.into_bytes(),
                request_id,
            ));
        }
    };
    if let Some((error, id)) = event_error(&value) {
        return Err(service_error(action, error, id.or(request_id)));
    }
    Ok(Opened {
        action,
        status,
        request_id,
        response: value,
        subject: "the event",
        enveloped: false,
        body: data.into_bytes(),
    })
}

/// The error an event stands for, and the request id beside it, if it is one.
fn event_error(value: &Value) -> Option<(&Map<String, Value>, Option<String>)> {
    let outer = value.as_object()?;
    let holder = match outer.get("Response") {
        Some(Value::Object(response)) if response.contains_key("Error") => response,
        _ => outer,
    };
    let error = holder.get("Error")?.as_object()?;
    let request_id = holder
        .get("RequestId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Some((error, request_id))
}

/// Opens the envelope of an answer: the request id, when the body carried
/// one (for logs and traces, whatever the outcome), and either the success
/// payload or the error the answer stands for.
pub(crate) fn open<E: ServiceErrorCode>(
    action: &'static str,
    status: u16,
    body: Vec<u8>,
) -> (Option<String>, Result<Opened, Error<E>>) {
    let mut response = match response_of(&body, tencentcloud_json::parse) {
        Ok(response) => response,
        Err(reason) => return (None, Err(failed(action, status, reason, body, None))),
    };
    let request_id = match response.get("RequestId") {
        Some(Value::String(id)) => Some(id.clone()),
        _ => None,
    };
    let outcome = match response.remove("Error") {
        None | Some(Value::Null) if is_success(status) => {
            warn_if_deprecated(action, &response, request_id.as_deref());
            Ok(Opened {
                action,
                status,
                request_id: request_id.clone(),
                response: Value::Object(response),
                subject: "`Response`",
                enveloped: true,
                body,
            })
        }
        None | Some(Value::Null) => Err(failed(action, status, String::new(), body, None)),
        Some(Value::Object(error)) => Err(service_error(action, &error, request_id.clone())),
        Some(_) => {
            let reason = "`Response.Error` is not an object".to_owned();
            Err(failed(action, status, reason, body, request_id.clone()))
        }
    };
    (request_id, outcome)
}

/// Warns, as the official Python SDK does, when a success answer carries a
/// `DeprecatedWarning` (the action, or a parameter sent, is deprecated): a
/// `warn!` event of target `tencentcloud::deprecated` with the action, the
/// request id and the warning as the service wrote it.
fn warn_if_deprecated(action: &str, response: &Map<String, Value>, request_id: Option<&str>) {
    let warning = match response.get("DeprecatedWarning") {
        None | Some(Value::Null) => return,
        Some(Value::String(text)) if text.is_empty() => return,
        Some(Value::Array(items)) if items.is_empty() => return,
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    };
    tracing::warn!(
        target: "tencentcloud::deprecated",
        action,
        request_id,
        warning = warning.as_str(),
        "{action} answered with a deprecation warning: {warning}",
    );
}

/// The `Response` object of a body parsed by `parse`, or why it has none.
fn response_of(
    body: &[u8],
    parse: fn(&str) -> serde_json::Result<Value>,
) -> Result<Map<String, Value>, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("the body is not UTF-8: {e}"))?;
    match parse(text) {
        Ok(Value::Object(mut envelope)) => match envelope.remove("Response") {
            Some(Value::Object(response)) => Ok(response),
            Some(_) => Err("`Response` is not an object".to_owned()),
            None => Err("the body has no `Response` member".to_owned()),
        },
        Ok(_) => Err("the body is not a JSON object".to_owned()),
        Err(e) => Err(format!("the body is not a JSON object: {e}")),
    }
}

/// The `Response.Error.Code` of `body`, when it is an error envelope.
/// (Parsed apart from [`open`], which parses every answer once: a caller
/// looks for a code in the bytes before asking.)
pub(super) fn error_code_of(body: &[u8]) -> Option<String> {
    let response = response_of(body, |text| serde_json::from_str(text)).ok()?;
    match response.get("Error")?.get("Code")? {
        Value::String(code) => Some(code.clone()),
        _ => None,
    }
}

pub(super) fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// An answer that is no success and no service error: with a success
/// status, a decoding error keeping the whole body (the action may have
/// succeeded); else an HTTP error quoting the start of the body.
fn failed<E: ServiceErrorCode>(
    action: &'static str,
    status: u16,
    reason: String,
    body: Vec<u8>,
    request_id: Option<String>,
) -> Error<E> {
    if is_success(status) {
        Error::Decode {
            action,
            status,
            reason,
            body,
            request_id,
            call: None,
        }
    } else {
        Error::Http {
            action,
            status,
            excerpt: excerpt(&body),
            location: None,
            call: None,
        }
    }
}

/// The service error `Response.Error` (`{"Code", "Message"}`) stands for.
fn service_error<E: ServiceErrorCode>(
    action: &'static str,
    error: &Map<String, Value>,
    request_id: Option<String>,
) -> Error<E> {
    let member = |key: &str| match error.get(key) {
        Some(Value::String(s)) => s.as_str(),
        _ => "",
    };
    Error::Service(ServiceError::new(
        action,
        E::from_code(member("Code")),
        member("Message"),
        request_id.unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    use tencentcloud_json::{JsonError, Members};

    #[derive(Debug, PartialEq)]
    struct Out {
        room_ids: Option<Vec<u64>>,
        request_id: Option<String>,
    }

    impl FromJson for Out {
        fn from_json(value: Value) -> std::result::Result<Self, JsonError> {
            let mut members = Members::new(value)?;
            Ok(Out {
                room_ids: members.optional("RoomIds")?,
                request_id: members.optional("RequestId")?,
            })
        }
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
            (200, "[1]", "not a JSON object"),
            (
                200,
                r#"{"Response": {"RoomIds": [1, -2]}}"#,
                "at `RoomIds[1]`",
            ),
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
    fn a_decode_error_keeps_the_whole_body_and_the_request_id() {
        let pad = "x".repeat(1000);
        let body = format!(r#"{{"Response":{{"RoomIds":"{pad}","RequestId":"r9"}}}}"#);
        let err = decode(200, &body).unwrap_err();
        assert_eq!(err.body(), Some(body.as_bytes()));
        assert_eq!(err.request_id(), Some("r9"));
        assert!(
            !err.to_string().contains(&pad) && !format!("{err:?}").contains(&pad),
            "a message quotes the body"
        );
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

    fn event(data: &str) -> std::result::Result<Opened, Error<String>> {
        open_event("ChatCompletions", 200, Some("head-id"), data.to_owned())
    }

    #[test]
    fn an_event_is_the_response_itself() {
        let opened = event(r#"{"RoomIds":[3],"RequestId":"own"}"#).unwrap();
        assert_eq!(opened.request_id(), Some("head-id"), "the head's id");
        let out: Out = opened.decode::<Out, String>().unwrap();
        assert_eq!(out.room_ids, Some(vec![3]));
    }

    #[test]
    fn an_error_event_is_a_service_error_in_either_form() {
        let cases = [
            (
                r#"{"Response":{"Error":{"Code":"FailedOperation.EngineBusy","Message":"busy"},"RequestId":"r7"}}"#,
                "r7",
            ),
            (
                r#"{"Error":{"Code":"FailedOperation.EngineBusy","Message":"busy"}}"#,
                "head-id",
            ),
            (
                r#"{"Error":{"Code":"FailedOperation.EngineBusy","Message":"busy"},"RequestId":"r8"}"#,
                "r8",
            ),
        ];
        for (data, request_id) in cases {
            let err = event(data).unwrap_err();
            let service = err.service_error().expect("a service error");
            assert_eq!(service.code, "FailedOperation.EngineBusy", "{data}");
            assert_eq!(service.message, "busy");
            assert_eq!(service.request_id, request_id, "{data}");
            assert_eq!(service.action, "ChatCompletions");
        }
        // An `Error` member that is no object is a member like any other.
        assert!(event(r#"{"Error":"","Note":"x"}"#).is_ok());
        assert!(event(r#"{"Response":{"Note":"x"}}"#).is_ok());
    }

    #[test]
    fn an_event_that_is_not_json_or_does_not_match_keeps_its_bytes() {
        let data = r#"{"RoomIds": [1,"#;
        let err = event(data).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(err.body(), Some(data.as_bytes()));
        assert_eq!(err.request_id(), Some("head-id"));
        let data = r#"{"RoomIds":"secret-ish"}"#;
        let err = event(data).unwrap().decode::<Out, String>().unwrap_err();
        assert_eq!(err.body(), Some(data.as_bytes()));
        assert!(
            err.to_string().contains("the event does not match"),
            "{err}"
        );
        assert!(!format!("{err} {err:?}").contains("secret-ish"));
    }

    #[test]
    fn invalid_utf8_is_a_decode_error() {
        let err = decode_response::<Out, String>("A", 200, &[0xff, 0xfe]).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    /// A string member keeps a number's text as the answer wrote it, whole
    /// answer or event; a number member reads the same number; a `Value`
    /// (a call by name) gets the JSON as serde_json reads it.
    #[test]
    fn numbers_keep_their_text_for_string_members_only() {
        #[derive(Debug, PartialEq)]
        struct Exact {
            id: String,
            price: String,
            size: Option<u64>,
            ratio: Option<f64>,
        }
        impl FromJson for Exact {
            fn from_json(value: Value) -> std::result::Result<Self, JsonError> {
                let mut members = Members::new(value)?;
                let exact = Exact {
                    id: members.read_required("Id"),
                    price: members.read_required("Price"),
                    size: members.read_optional("Size"),
                    ratio: members.read_optional("Ratio"),
                };
                members.finish(exact)
            }
        }
        let response = r#"{"Id":123456789012345678901234,"Price":1.50,"Size":1e1,"Ratio":2.50e-1,"RequestId":"r"}"#;
        let want = Exact {
            id: "123456789012345678901234".into(),
            price: "1.50".into(),
            size: None,
            ratio: Some(0.25),
        };
        let body = format!(r#"{{"Response":{response}}}"#);
        let err = decode_response::<Exact, String>("A", 200, body.as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .contains("at `Size`: expected an unsigned integer, found a fractional number"),
            "1e1 is a float, whether or not it was quoted: {err}"
        );
        let body = body.replace("1e1", "10");
        let response = response.replace("1e1", "10");
        let got: Exact = decode_response::<Exact, String>("A", 200, body.as_bytes()).unwrap();
        assert_eq!(
            got,
            Exact {
                size: Some(10),
                ..want
            }
        );
        let from_event = event(&response).unwrap().decode::<Exact, String>().unwrap();
        assert_eq!(from_event, got);

        let value: Value = decode_response::<Value, String>("A", 200, body.as_bytes()).unwrap();
        let as_serde_reads: Value = serde_json::from_str(&response).unwrap();
        assert_eq!(value, as_serde_reads);
        assert!(value["Id"].is_f64() && value["Price"].is_f64(), "{value}");
        let value = event(&response).unwrap().decode::<Value, String>().unwrap();
        assert_eq!(value, as_serde_reads);
    }
}
