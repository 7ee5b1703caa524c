//! The seam between the client and the wire: [`Transport`].

use crate::shared::{Action, BoxFuture, Service, TransportError};
use futures_util::stream::{self, BoxStream};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use std::fmt;
use std::time::Duration;

/// The content type of an answer that is a stream of events.
pub(crate) const EVENT_STREAM: &str = "text/event-stream";
/// The content type of a request or an answer that is one JSON document.
const JSON: &str = "application/json";
/// The content type of a request body of raw bytes.
const OCTET_STREAM: &str = "application/octet-stream";

/// What the body of a call is, which decides the `Content-Type` it is sent
/// and signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ContentType {
    /// The request as JSON (`application/json`): every call but an
    /// octet-stream one.
    #[default]
    Json,
    /// Raw bytes (`application/octet-stream`), the request's parameters in
    /// headers of their own ([`Call::headers`]): a call made by
    /// [`Client::prepare_octet_stream`](crate::Client::prepare_octet_stream).
    OctetStream,
}

impl ContentType {
    /// The `Content-Type` header value, as sent and signed.
    pub const fn as_str(self) -> &'static str {
        match self {
            ContentType::Json => JSON,
            ContentType::OctetStream => OCTET_STREAM,
        }
    }
}

/// One attempt of a call handed to a [`Transport`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Call<'a> {
    /// The service and version.
    pub service: &'a Service,
    /// The action.
    pub action: &'a Action,
    /// The body: the request serialized as JSON, or an octet-stream call's
    /// bytes ([`content_type`](Self::content_type)); sent (and signed)
    /// exactly as is.
    pub body: &'a [u8],
    /// What the body is: the `Content-Type` it is sent and signed with.
    pub content_type: ContentType,
    /// Headers of this call beyond those every call has: the headers set
    /// on the client and on the call ([`CallOptions::header`](crate::CallOptions::header)),
    /// then an octet-stream call's parameters (`X-CLS-TopicId: …`).
    /// Each name and value is a valid HTTP header, and none is one the
    /// transport writes itself (`Authorization`, `Content-Type`, `Host`,
    /// `X-TC-*`, …): the client refuses any other before the first attempt.
    pub headers: &'a [(String, String)],
    /// The URL this service's calls go to instead of the transport's
    /// endpoint, when one was set for it.
    pub endpoint: Option<&'a str>,
    /// The region of this call ([`CallOptions::region`](crate::CallOptions::region))
    /// instead of the transport's, when set.
    pub region: Option<&'a str>,
    /// The language of this call instead of the transport's, when set.
    pub language: Option<&'a str>,
    /// The time allowed for this attempt instead of the transport's, when set.
    pub timeout: Option<Duration>,
    /// The call's trace id, sent as `X-TC-TraceId`: a UUID the client
    /// makes per call, the same on each of its attempts.
    pub trace_id: &'a str,
}

/// The HTTP answer to a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The headers, as they came (the HTTPS transport moves reqwest's map
    /// here); empty when the transport keeps none.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// An answer of `status` with `body` and no headers.
    pub fn new(status: u16, body: Vec<u8>) -> Self {
        Reply {
            status,
            headers: HeaderMap::new(),
            body,
        }
    }

    /// The value of header `name` (any case) as text, if the answer has it
    /// and it is text ([`HeaderValue::to_str`]: visible ASCII); the bytes
    /// of any value are in [`headers`](Self::headers).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_in(&self.headers, name)
    }
}

/// The value of header `name` (any case) in `headers` as text, if there and
/// text.
fn header_in<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok()
}

/// The body of a [`StreamingReply`]: its chunks as they arrive, or the
/// failure that cut it short (after which it ends).
pub type BodyStream = BoxStream<'static, Result<Vec<u8>, TransportError>>;

/// The HTTP answer to a streaming call ([`Transport::send_streaming`]):
/// its head, and a body still arriving.
///
/// Dropping it (or its body) drops the connection the body comes on.
#[non_exhaustive]
pub struct StreamingReply {
    /// The HTTP status.
    pub status: u16,
    /// The headers, as they came.
    pub headers: HeaderMap,
    /// The body, chunk by chunk.
    pub body: BodyStream,
}

impl fmt::Debug for StreamingReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingReply")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl StreamingReply {
    /// An answer of `status` with `headers` whose body comes as `body`.
    pub fn new(status: u16, headers: HeaderMap, body: BodyStream) -> Self {
        StreamingReply {
            status,
            headers,
            body,
        }
    }

    /// A whole answer, as [`Transport::send`] gives it, as a streaming one:
    /// its body in one chunk, its headers kept. When it has no
    /// `Content-Type` (a transport that keeps no headers), the type is told
    /// from the body: a body starting (after blank space and any byte order
    /// mark) with `{` is `application/json`, any other non-empty body
    /// `text/event-stream` (no event stream starts with `{`, which would be
    /// a line naming no field that exists), an empty one `application/json`
    /// (no answer at all, as a call reads it).
    pub fn whole(reply: Reply) -> Self {
        let mut headers = reply.headers;
        if !headers.contains_key(CONTENT_TYPE) {
            let content_type = if is_event_stream_text(&reply.body) {
                EVENT_STREAM
            } else {
                JSON
            };
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        let body: BodyStream = Box::pin(stream::iter([Ok(reply.body)]));
        StreamingReply::new(reply.status, headers, body)
    }

    /// The value of header `name` (any case), if the answer has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_in(&self.headers, name)
    }

    /// Whether the answer is a stream of events: its `Content-Type` is
    /// `text/event-stream` (parameters aside).
    pub fn is_event_stream(&self) -> bool {
        self.header("content-type")
            .is_some_and(is_event_stream_type)
    }
}

/// Whether a `Content-Type` value is `text/event-stream` (parameters aside).
pub(crate) fn is_event_stream_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case(EVENT_STREAM)
}

/// Whether a whole body of unknown type is an event stream (see
/// [`StreamingReply::whole`]).
fn is_event_stream_text(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(first) => *first != b'{',
        None => false,
    }
}

/// Sends one attempt of a call and returns the HTTP answer. The
/// [`Client`](crate::Client) around it retries and rate-limits; signing and
/// HTTP live behind this trait ([`HttpTransport`](crate::HttpTransport)), so
/// tests and embedders can substitute their own.
pub trait Transport: std::fmt::Debug + Send + Sync + 'static {
    /// Sends one attempt of `call`.
    fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>>;

    /// Sends one attempt of a streaming call (one whose answer may be a
    /// stream of events, [`Client::prepare_stream`](crate::Client::prepare_stream)),
    /// and returns as soon as the answer's head is in, its body still
    /// arriving.
    ///
    /// The default sends it with [`send`](Self::send) and gives the whole
    /// body as one chunk, its content type told from the body
    /// ([`StreamingReply::whole`]): a transport of your own streams calls
    /// without more code, though each event arrives only once the whole
    /// answer has. [`HttpTransport`](crate::HttpTransport) streams for
    /// real: a `text/event-stream` body as it arrives, any other answer
    /// read whole as [`send`](Self::send) reads it (the same size cap).
    fn send_streaming<'a>(
        &'a self,
        call: Call<'a>,
    ) -> BoxFuture<'a, Result<StreamingReply, TransportError>> {
        Box::pin(async move { self.send(call).await.map(StreamingReply::whole) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn whole(body: &str) -> StreamingReply {
        StreamingReply::whole(Reply::new(200, body.as_bytes().to_vec()))
    }

    #[tokio::test]
    async fn a_whole_reply_is_labelled_by_its_body() {
        for (body, stream) in [
            ("{\"Response\":{}}", false),
            (" \r\n {}", false),
            ("\u{FEFF}{}", false),
            ("", false),
            ("data: {}\n\n", true),
            (": hello\n", true),
            ("\u{FEFF}data: x\n\n", true),
        ] {
            let mut reply = whole(body);
            assert_eq!(reply.is_event_stream(), stream, "{body:?}");
            let chunk = reply
                .body
                .next()
                .await
                .expect("one chunk")
                .expect("no failure");
            assert_eq!(chunk, body.as_bytes());
            assert!(reply.body.next().await.is_none());
        }
    }

    #[test]
    fn the_content_type_is_read_as_http_reads_it() {
        let reply = |value: &'static str| {
            let headers = HeaderMap::from_iter([(CONTENT_TYPE, HeaderValue::from_static(value))]);
            StreamingReply::new(200, headers, Box::pin(stream::empty()))
        };
        assert!(reply("text/event-stream").is_event_stream());
        assert!(reply("Text/Event-Stream; charset=utf-8").is_event_stream());
        assert!(!reply("application/json").is_event_stream());
        assert!(!reply("text/event-streams").is_event_stream());
        assert_eq!(
            reply("x").header("CONTENT-TYPE"),
            Some("x"),
            "names are any case"
        );
        let mut binary = reply("x");
        binary.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_bytes(b"caf\xc3\xa9").expect("a header value of UTF-8 bytes"),
        );
        assert_eq!(
            binary.header("content-type"),
            None,
            "a value of other bytes than ASCII is no text"
        );
    }
}
