//! Octet-stream calls: a body of raw bytes, the request's parameters in
//! headers. The [`OctetStreamBuilder`] [`Client::prepare_octet_stream`]
//! makes, and the request's members written as headers.

use super::builder::CallBuilder;
use super::client::{Client, Payload};
use super::options::{call_option_setters, CallOptions};
use crate::shared::{
    setters, Action, BoxFuture, CallIds, Error, Service, ServiceErrorCode, TransportError,
    TransportErrorKind,
};
use crate::wire::{check_headers, ContentType, Opened};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::future::IntoFuture;
use tencentcloud_json::{FromJson, ToJson, Writer};

/// How a call's headers are made from its request and the header prefix:
/// its members (a generated request), or pairs given as they are (the
/// generic call). A function rather than a bound on `Req`, so that one
/// builder serves both and nothing is written before the call is awaited.
type MakeHeaders<Req> = fn(&Req, &'static str) -> Result<Vec<(String, String)>, TransportError>;

/// One octet-stream call, ready to send: the call of an action whose body
/// is raw bytes (`Content-Type: application/octet-stream`), such as CLS's
/// `UploadLog`, its parameters sent as headers.
///
/// - Each top-level member `Name` of the request is sent as the header
///   `{prefix}Name` (`X-CLS-TopicId` for CLS's prefix `X-CLS-`): a string
///   as it is, a number or boolean as its JSON text (`3`, `true`), an
///   object or list as its compact JSON text; unset members are left out.
/// - The body is the bytes given, sent as they are, at every attempt.
/// - The call is signed (TC3-HMAC-SHA256) as any call, over the content
///   type `application/octet-stream` and the SHA-256 of the bytes; the
///   parameter headers are not signed, as the official SDKs sign none.
/// - The answer is the usual `{"Response": …}` envelope, decoded as for any
///   call; an error answer is an [`Error::Service`].
/// - A header that HTTP cannot carry (a name that is no HTTP token, a value
///   with a control character such as CR or LF), or one the call writes
///   itself (`Content-Type`, `Authorization`, `Host`, `X-TC-*`), fails the
///   call as an [`Error::Transport`] of kind
///   [`InvalidRequest`](crate::TransportErrorKind::InvalidRequest) before
///   anything is sent.
/// - Retries, the rate limit, credentials and tracing are those of any
///   call; no client token is filled, as there is no JSON body to fill.
///
/// It takes the options of any call ([`CallBuilder`]'s setters: region,
/// language, timeout, retry policy and class). Like [`CallBuilder`], it
/// implements [`IntoFuture`]: nothing is sent until it is awaited.
#[must_use = "a call is sent only when awaited"]
pub struct OctetStreamBuilder<'a, Req: ?Sized, Resp, E> {
    call: CallBuilder<'a, Req, Resp, E>,
    make_headers: MakeHeaders<Req>,
    header_prefix: &'static str,
    body: &'a [u8],
}

impl<Req: ?Sized, Resp, E> std::fmt::Debug for OctetStreamBuilder<'_, Req, Resp, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may be large and binary: only its length is shown.
        f.debug_struct("OctetStreamBuilder")
            .field("call", &self.call)
            .field("header_prefix", &self.header_prefix)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl<'a, Req: ?Sized, Resp, E> OctetStreamBuilder<'a, Req, Resp, E> {
    /// The octet-stream call of what `call` names, its headers made by
    /// `make_headers` from its request, its body `body`.
    pub(super) fn new(
        call: CallBuilder<'a, Req, Resp, E>,
        make_headers: MakeHeaders<Req>,
        header_prefix: &'static str,
        body: &'a [u8],
    ) -> Self {
        OctetStreamBuilder {
            call,
            make_headers,
            header_prefix,
            body,
        }
    }

    call_option_setters!(call.options);

    setters! {
        /// Replaces every option of this call with `options`.
        options(options: CallOptions) => call.options = options;
    }
}

impl<'a, Req, Resp, E> IntoFuture for OctetStreamBuilder<'a, Req, Resp, E>
where
    Req: Sync + ?Sized,
    Resp: FromJson + Send + 'a,
    E: ServiceErrorCode,
{
    type Output = Result<Resp, Error<E>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let CallBuilder {
                client,
                service,
                action,
                request,
                options,
                ..
            } = self.call;
            let headers = (self.make_headers)(request, self.header_prefix);
            let ids = CallIds::new(None);
            client
                .send_octet_stream(&service, &action, headers, self.body, &ids, &options)
                .await
                .and_then(Opened::decode)
                .map_err(|err| err.of_call(&ids))
        })
    }
}

impl Client {
    /// The octet-stream call of `action` of `service`, for a generated
    /// method to return: `body` sent as raw bytes, each top-level member
    /// `Name` of `request` as the header `{header_prefix}Name`. Awaiting it
    /// sends it; what goes where, and how it is signed, is
    /// [`OctetStreamBuilder`]'s.
    ///
    /// ```no_run
    /// # async fn run(client: tencentcloud_runtime::Client) -> Result<(), tencentcloud_runtime::Error<String>> {
    /// use serde_json::{json, Value};
    /// use tencentcloud_runtime::{Action, Service};
    ///
    /// const CLS: Service = Service { name: "cls", version: "2020-10-16", intl_endpoint: None };
    /// let request = json!({"TopicId": "0a1b2c3d-…", "CompressType": "lz4"});
    /// let packed: Vec<u8> = vec![/* an LZ4-compressed LogGroupList */];
    /// let answer: Value = client
    ///     .prepare_octet_stream::<_, Value, String>(
    ///         &CLS, &Action::new("UploadLog"), &request, "X-CLS-", &packed,
    ///     )
    ///     .region("ap-guangzhou")
    ///     .await?;
    /// println!("request id {}", answer["RequestId"]);
    /// # Ok(()) }
    /// ```
    pub fn prepare_octet_stream<'a, Req, Resp, E>(
        &'a self,
        service: &Service,
        action: &Action,
        request: &'a Req,
        header_prefix: &'static str,
        body: &'a [u8],
    ) -> OctetStreamBuilder<'a, Req, Resp, E>
    where
        Req: ToJson + ?Sized,
    {
        let call = self.prepare(service, action, request);
        OctetStreamBuilder::new(call, member_headers::<Req>, header_prefix, body)
    }

    /// Sends `body` as an octet-stream call of `action` of `service` with
    /// `headers`, once they are checked: the answer opened, not decoded
    /// (compiled once per error type, whatever the request and response).
    async fn send_octet_stream<E: ServiceErrorCode>(
        &self,
        service: &Service,
        action: &Action,
        headers: Result<Vec<(String, String)>, TransportError>,
        body: &[u8],
        ids: &CallIds,
        options: &CallOptions,
    ) -> Result<Opened, Error<E>> {
        let headers = headers
            .and_then(|headers| check_headers(&headers).map(|()| headers))
            .map_err(|source| Error::Transport {
                action: action.name,
                source,
                call: None,
            })?;
        let payload = Payload {
            body,
            content_type: ContentType::OctetStream,
            headers: &headers,
        };
        self.send(service, action, payload, ids, options).await
    }
}

/// The headers of `request`: each top-level member `Name` as
/// `{prefix}Name`, its value as [`header_text`] writes it; unset (and
/// `null`) members left out. The request is written once, as its JSON
/// body would be, and each member's text taken from that as it is, so a
/// number is sent exactly as the request writes it.
pub(super) fn member_headers<Req: ToJson + ?Sized>(
    request: &Req,
    prefix: &'static str,
) -> Result<Vec<(String, String)>, TransportError> {
    let mut json = Writer::with_capacity(256);
    request.write_json(&mut json);
    let members: BTreeMap<String, Box<RawValue>> = serde_json::from_slice(json.as_bytes())
        .map_err(|e| {
            invalid_request(format!(
                "the request is no JSON object, so it has no members to send as headers: {e}"
            ))
        })?;
    let mut headers = Vec::with_capacity(members.len());
    for (name, value) in members {
        if let Some(text) = header_text(&name, &value)? {
            headers.push((format!("{prefix}{name}"), text));
        }
    }
    Ok(headers)
}

/// The value of member `name` as a header: a string as it is (its JSON
/// escapes undone), `null` as no header, anything else as its JSON text.
fn header_text(name: &str, value: &RawValue) -> Result<Option<String>, TransportError> {
    let text = value.get();
    if text == "null" {
        return Ok(None);
    }
    if !text.starts_with('"') {
        return Ok(Some(text.to_owned()));
    }
    serde_json::from_str(text).map(Some).map_err(|e| {
        // Only a string no Rust string can hold (a lone surrogate escape).
        invalid_request(format!(
            "member {name:?} is no text a header can carry: {e}"
        ))
    })
}

/// The pairs of the generic call, as they are (the prefix is empty).
pub(super) fn given_headers(
    pairs: &[(&str, &str)],
    _prefix: &'static str,
) -> Result<Vec<(String, String)>, TransportError> {
    let owned = pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()));
    Ok(owned.collect())
}

fn invalid_request(message: String) -> TransportError {
    TransportError::new(TransportErrorKind::InvalidRequest, message, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::{RetryClass, RetryPolicy};
    use crate::wire::{Call, Reply, Transport};
    use serde_json::{json, Value};
    use std::sync::{Arc, Mutex};

    /// One attempt as the transport saw it.
    #[derive(Debug, Clone, PartialEq)]
    struct Seen {
        body: Vec<u8>,
        content_type: ContentType,
        headers: Vec<(String, String)>,
    }

    /// Answers attempt n with `answers[n]` (the last one repeats), noting
    /// what each attempt sent.
    #[derive(Debug)]
    struct Script {
        answers: Vec<Result<&'static str, TransportErrorKind>>,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl Transport for Script {
        fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
            let mut seen = self.seen.lock().unwrap();
            seen.push(Seen {
                body: call.body.to_vec(),
                content_type: call.content_type,
                headers: call.headers.to_vec(),
            });
            let answer = self.answers[(seen.len() - 1).min(self.answers.len() - 1)];
            let reply = answer
                .map(|body| Reply::new(200, body.as_bytes().to_vec()))
                .map_err(|kind| TransportError::new(kind, "scripted failure", None));
            Box::pin(std::future::ready(reply))
        }
    }

    fn scripted(
        answers: Vec<Result<&'static str, TransportErrorKind>>,
    ) -> (Client, Arc<Mutex<Vec<Seen>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let client = Client::builder()
            .retry(RetryPolicy::default())
            .build_with_transport(Script {
                answers,
                seen: seen.clone(),
            });
        (client, seen)
    }

    const CLS: Service = Service {
        name: "cls",
        version: "2020-10-16",
        intl_endpoint: None,
    };
    const UPLOAD: Action = Action::new("UploadLog").client_token("ClientToken");
    const OK: &str = r#"{"Response":{"RequestId":"r1"}}"#;
    const BODY: &[u8] = b"\x00\xff\xfe{\"not\":\"json\"}\r\n\x00";

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn members_become_prefixed_headers_as_text() {
        let request = json!({
            "TopicId": "t-1",
            "HashKey": "",
            "Count": 12_345_678_901_234_567_890_u64,
            "Ratio": 0.1,
            "Flag": true,
            "Nothing": null,
            "Tags": [{"Key": "k", "Value": "名"}],
            "Quoted": "a \"b\" \\ c",
        });
        let made = member_headers(&request, "X-CLS-").unwrap();
        assert_eq!(
            made,
            headers(&[
                ("X-CLS-Count", "12345678901234567890"),
                ("X-CLS-Flag", "true"),
                ("X-CLS-HashKey", ""),
                ("X-CLS-Quoted", "a \"b\" \\ c"),
                ("X-CLS-Ratio", "0.1"),
                ("X-CLS-Tags", r#"[{"Key":"k","Value":"名"}]"#),
                ("X-CLS-TopicId", "t-1"),
            ])
        );
    }

    #[test]
    fn a_request_that_is_no_object_is_an_invalid_request() {
        let err = member_headers(&json!(["TopicId"]), "X-CLS-").unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
    }

    #[tokio::test]
    async fn the_bytes_go_as_they_are_with_the_members_as_headers() {
        let (client, seen) = scripted(vec![Ok(OK)]);
        let request = json!({"TopicId": "t-1", "CompressType": "lz4"});
        let answer: Value = client
            .prepare_octet_stream::<_, _, String>(&CLS, &UPLOAD, &request, "X-CLS-", BODY)
            .await
            .unwrap();
        assert_eq!(answer, json!({"RequestId": "r1"}));
        let seen = seen.lock().unwrap();
        assert_eq!(
            seen.as_slice(),
            [Seen {
                body: BODY.to_vec(),
                content_type: ContentType::OctetStream,
                // No ClientToken: the action's token member is for JSON bodies.
                headers: headers(&[("X-CLS-CompressType", "lz4"), ("X-CLS-TopicId", "t-1")]),
            }]
        );
    }

    #[tokio::test]
    async fn a_bad_header_fails_before_any_attempt() {
        let (client, seen) = scripted(vec![Ok(OK)]);
        for request in [
            json!({"TopicId": "t-1\r\nX-Evil: 1"}),
            json!({"Bad Name": "x"}),
        ] {
            let err = client
                .prepare_octet_stream::<_, Value, String>(&CLS, &UPLOAD, &request, "X-CLS-", BODY)
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::InvalidRequest),
                "{err:?}"
            );
        }
        let err = client
            .call_octet_stream("cls", "2020-10-16", "UploadLog", &[("Host", "x")], BODY)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("Host"), "{err}");
        assert!(seen.lock().unwrap().is_empty(), "an attempt was made");
    }

    #[tokio::test(start_paused = true)]
    async fn retries_follow_the_class_and_resend_the_same_bytes() {
        let answers = vec![Err(TransportErrorKind::MaybeSent), Ok(OK)];
        let (client, seen) = scripted(answers.clone());
        let request = json!({"TopicId": "t-1"});
        let call = || {
            client.prepare_octet_stream::<_, Value, String>(&CLS, &UPLOAD, &request, "X-CLS-", BODY)
        };
        assert!(call().retry_class(RetryClass::Idempotent).await.is_ok());
        {
            let seen = seen.lock().unwrap();
            assert_eq!(seen.len(), 2);
            assert_eq!(seen[0], seen[1]);
        }
        let (client, seen) = scripted(answers);
        let err = client
            .prepare_octet_stream::<_, Value, String>(&CLS, &UPLOAD, &request, "X-CLS-", BODY)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert_eq!(seen.lock().unwrap().len(), 1, "not idempotent: no retry");
    }

    #[tokio::test]
    async fn the_generic_call_sends_its_pairs_as_they_are() {
        let (client, seen) = scripted(vec![Ok(OK)]);
        let pairs = [("X-CLS-TopicId", "t-1"), ("X-CLS-HashKey", "")];
        let answer = client
            .call_octet_stream("cls", "2020-10-16", "UploadLog", &pairs, BODY)
            .await
            .unwrap();
        assert_eq!(answer["RequestId"], "r1");
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].headers, headers(&pairs));
        assert_eq!(seen[0].content_type, ContentType::OctetStream);
        assert_eq!(seen[0].body, BODY);
    }
}
