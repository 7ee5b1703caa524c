//! Streaming calls: the [`StreamBuilder`] [`Client::prepare_stream`] makes,
//! and the [`EventStream`] of responses awaiting it gives.

use super::builder::CallBuilder;
use super::client::{Client, Payload};
use super::options::{call_option_setters, CallOptions};
use super::token;
use crate::shared::{setters, Action, BoxFuture, CallIds, Error, Service, ServiceErrorCode};
use crate::wire::sse::DEFAULT_MAX_EVENT_BYTES;
use crate::wire::{attempt_streaming, call_span, Events, Opened, Streamed};
use futures_core::Stream;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tencentcloud_json::{FromJson, ToJson};
use tracing::{Instrument, Span};

/// One streaming call, ready to send: the call of an action that answers
/// with a stream of events (Server-Sent Events, `text/event-stream`), such
/// as a chat completion sending its text as it is written.
///
/// Await it to send the call: it gives an [`EventStream`] once the head of
/// the answer is in, and the responses follow as they arrive. It takes the
/// options of any call ([`CallBuilder`]'s setters: region, language,
/// timeout, retry policy and class) and two of its own: the request member
/// that asks for a stream ([`stream_member`](Self::stream_member)) and the
/// cap on one event's size ([`max_event_bytes`](Self::max_event_bytes)).
///
/// - The request is sent with the action's stream member (`Stream`, see
///   [`Action::stream_member`]) set to `true`, whatever the request holds;
///   the rest of the body is the request's own, byte for byte (a client
///   token is filled as for any call).
/// - Retries: an attempt is retried, by the rules of any call
///   ([`RetryClass`](crate::RetryClass)), until the answer's head is
///   accepted as a stream; never after, so no event is delivered twice.
///   A failure mid-stream ends the stream with its error.
/// - The timeout ([`timeout`](Self::timeout), else the client's) bounds
///   the wait for the answer's head, then each wait between two chunks of
///   the stream, not the whole stream, which lasts as long as the service
///   writes.
/// - An answer that is no stream is read as any call's: an error envelope
///   fails the `.await` with [`Error::Service`] (or another error); a
///   success envelope is one response, the stream's only item.
///
/// Like [`CallBuilder`], it implements [`IntoFuture`]: nothing is sent
/// until it is awaited.
#[must_use = "a call is sent only when awaited"]
pub struct StreamBuilder<'a, Req: ?Sized, Resp, E> {
    call: CallBuilder<'a, Req, Resp, E>,
    max_event_bytes: usize,
}

impl<Req: ?Sized, Resp, E> std::fmt::Debug for StreamBuilder<'_, Req, Resp, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamBuilder")
            .field("call", &self.call)
            .field("stream_member", &self.call.action.stream_member)
            .field("max_event_bytes", &self.max_event_bytes)
            .finish()
    }
}

impl<'a, Req: ?Sized, Resp, E> StreamBuilder<'a, Req, Resp, E> {
    /// The streaming call of what `call` would send.
    pub(super) fn new(call: CallBuilder<'a, Req, Resp, E>) -> Self {
        StreamBuilder {
            call,
            max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
        }
    }

    call_option_setters!(call.options);

    setters! {
        /// Replaces every option of this call with `options`.
        options(options: CallOptions) => call.options = options;
        /// Ends the stream with an error at an event (or a line of the
        /// stream) over `bytes` bytes, instead of the default
        /// [`DEFAULT_MAX_EVENT_BYTES`](crate::sse::DEFAULT_MAX_EVENT_BYTES)
        /// (16 MiB): an [`Error::Transport`] of kind
        /// [`BodyTooLarge`](crate::TransportErrorKind::BodyTooLarge), its
        /// source an [`SseError`](crate::sse::SseError).
        max_event_bytes(bytes: usize) => max_event_bytes = bytes;
    }

    /// Sets the request member `member` (a boolean, e.g. `Stream`) to
    /// `true` in the body sent, instead of the action's stream member
    /// ([`Action::stream_member`]). A call of an action without one, such as
    /// [`Client::call_json_stream`], sets none unless told so here.
    pub fn stream_member(mut self, member: &'static str) -> Self {
        self.call.action = self.call.action.stream_member(member);
        self
    }
}

impl<'a, Req, Resp, E> IntoFuture for StreamBuilder<'a, Req, Resp, E>
where
    Req: ToJson + Sync + ?Sized,
    Resp: FromJson + Send + 'a,
    E: ServiceErrorCode,
{
    type Output = Result<EventStream<Resp, E>, Error<E>>;
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
            let (body, client_token) =
                token::encode(request, action.client_token, action.stream_member);
            let ids = CallIds::new(client_token);
            let (state, span) = client
                .stream_body(
                    &service,
                    &action,
                    &body,
                    &ids,
                    &options,
                    self.max_event_bytes,
                )
                .await
                .map_err(|err| err.of_call(&ids))?;
            Ok(EventStream {
                request_id: state.request_id().map(str::to_owned),
                state,
                ids,
                span,
                answer: PhantomData,
            })
        })
    }
}

impl Client {
    /// The streaming call of `action` of `service` with `request`, for a
    /// generated method to return: awaiting it sends it (see
    /// [`StreamBuilder`]).
    pub fn prepare_stream<'a, Req, Resp, E>(
        &'a self,
        service: &Service,
        action: &Action,
        request: &'a Req,
    ) -> StreamBuilder<'a, Req, Resp, E>
    where
        Req: ToJson + ?Sized,
    {
        StreamBuilder::new(self.prepare(service, action, request))
    }

    /// Sends `body` as a streaming call of `action` of `service`, in the
    /// call's span, until an attempt's answer is accepted: what the stream
    /// reads, and the span (compiled once per error type, whatever the
    /// request and response types).
    async fn stream_body<E: ServiceErrorCode>(
        &self,
        service: &Service,
        action: &Action,
        body: &[u8],
        ids: &CallIds,
        options: &CallOptions,
        max_event_bytes: usize,
    ) -> Result<(State, Span), Error<E>> {
        let span = call_span(service, action, ids);
        let headers = self.headers_of(action, Payload::json(body), options)?;
        let payload = Payload {
            headers: &headers,
            ..Payload::json(body)
        };
        let streamed = self
            .attempts(
                service,
                action,
                payload,
                ids,
                options,
                |transport, call, number| {
                    attempt_streaming(transport, call, number, max_event_bytes)
                },
            )
            .instrument(span.clone())
            .await?;
        let state = match streamed {
            Streamed::Events(events) => State::Events(events),
            Streamed::Whole(opened) => State::One(opened),
        };
        Ok((state, span))
    }
}

/// The responses of a streaming call ([`StreamBuilder`]), as they arrive: a
/// [`Stream`] of `Result<Resp, Error<E>>`.
///
/// - Each event's data decodes as `Resp`. One that does not is an
///   [`Error::Decode`] item keeping the event's bytes
///   ([`Error::body`]; never printed), and the stream goes on.
/// - An error event (`{"Response": {"Error": …}}` or `{"Error": …}`) is an
///   [`Error::Service`] item with its typed code, and the last item.
/// - A connection cut or reset mid-stream, or an event over the cap
///   ([`StreamBuilder::max_event_bytes`]), is an [`Error::Transport`] item,
///   after the events that arrived whole, and the last item.
/// - An answer that was no stream but one success envelope is one item.
/// - After the last item, the stream yields `None`, forever.
///
/// An event with blank data carries nothing and is skipped; whatever its
/// `event` type, an event's data is read as a response. Dropping the
/// stream closes the connection, which tells the service to stop.
///
/// ```no_run
/// # async fn run(client: tencentcloud_runtime::Client) -> Result<(), tencentcloud_runtime::Error<String>> {
/// use std::io::Write;
/// use tencentcloud_runtime::paginate::StreamExt;
///
/// let request = serde_json::json!({
///     "Model": "hunyuan-turbo",
///     "Messages": [{"Role": "user", "Content": "你好"}],
/// });
/// let mut replies = client
///     .call_json_stream("hunyuan", "2023-09-01", "ChatCompletions", &request)
///     .stream_member("Stream")
///     .region("ap-guangzhou")
///     .await?;
/// println!("request id {:?}", replies.request_id());
/// while let Some(reply) = replies.next().await {
///     let reply = reply?;
///     if let Some(text) = reply["Choices"][0]["Delta"]["Content"].as_str() {
///         print!("{text}");
///         std::io::stdout().flush().ok();
///     }
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream yields its responses only when polled"]
pub struct EventStream<Resp, E> {
    state: State,
    request_id: Option<String>,
    /// The call's trace id and client token, which every error item carries.
    ids: CallIds,
    /// The call's `tencentcloud.call` span, entered while the stream is read.
    span: Span,
    answer: PhantomData<fn() -> (Resp, E)>,
}

impl<Resp, E> std::fmt::Debug for EventStream<Resp, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("request_id", &self.request_id)
            .field("trace_id", &self.ids.trace_id)
            .field("client_token", &self.ids.client_token)
            .field("ended", &matches!(self.state, State::Done))
            .finish_non_exhaustive()
    }
}

impl<Resp, E> EventStream<Resp, E> {
    /// The request id of the answer: its `X-TC-RequestId` header, or for
    /// an answer that was one envelope, the envelope's.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The trace id the call sent (`X-TC-TraceId`), as every error item
    /// carries it ([`Error::trace_id`]).
    pub fn trace_id(&self) -> &str {
        &self.ids.trace_id
    }
}

impl<Resp: FromJson, E: ServiceErrorCode> Stream for EventStream<Resp, E> {
    type Item = Result<Resp, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let next = {
            let _entered = this.span.enter();
            ready!(this.state.poll_next::<E>(cx))
        };
        let ids = &this.ids;
        Poll::Ready(next.map(|item| {
            item.and_then(Opened::decode)
                .map_err(|err| err.of_call(ids))
        }))
    }
}

/// Where an [`EventStream`] is.
#[derive(Debug)]
enum State {
    /// Reading the events of a stream.
    Events(Events),
    /// The one response of a whole answer, not yet handed out.
    One(Opened),
    /// Ended: the connection, if any, is dropped.
    Done,
}

impl State {
    /// The next response, not decoded yet. The state ends (dropping the
    /// connection) at the end of the answer and at any error but one
    /// event's failure to decode.
    fn poll_next<E: ServiceErrorCode>(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Opened, Error<E>>>> {
        match std::mem::replace(self, State::Done) {
            State::Done => Poll::Ready(None),
            State::One(opened) => Poll::Ready(Some(Ok(opened))),
            State::Events(mut events) => {
                let next = events.poll_next(cx);
                if matches!(
                    next,
                    Poll::Pending | Poll::Ready(Some(Ok(_) | Err(Error::Decode { .. })))
                ) {
                    *self = State::Events(events);
                }
                next
            }
        }
    }

    fn request_id(&self) -> Option<&str> {
        match self {
            State::Events(events) => events.request_id(),
            State::One(opened) => opened.request_id(),
            State::Done => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::{RetryClass, RetryPolicy, TransportError, TransportErrorKind};
    use crate::wire::{BodyStream, Call, Reply, StreamingReply, Transport, X_TC_REQUEST_ID};
    use futures_util::{stream, StreamExt};
    use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
    use serde_json::{json, Value};
    use std::sync::{Arc, Mutex};
    use tencentcloud_json::{JsonError, Members};

    /// What a scripted server answers one attempt with.
    #[derive(Debug, Clone)]
    enum Scripted {
        /// An event stream: these chunks, then a failure of this kind, if any.
        Stream(Vec<&'static str>, Option<TransportErrorKind>),
        /// A whole answer: a status and a body.
        Whole(u16, &'static str),
        /// No answer: a failure of this kind.
        Fails(TransportErrorKind),
    }

    /// Answers attempt n with `answers[n]` (the last one repeats), noting
    /// every body sent.
    #[derive(Debug)]
    struct Script {
        answers: Vec<Scripted>,
        seen: Arc<Mutex<Vec<Vec<u8>>>>,
    }

    impl Transport for Script {
        fn send<'a>(&'a self, _: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
            let failure = TransportError::new(
                TransportErrorKind::InvalidRequest,
                "a streaming call sends with send_streaming",
                None,
            );
            Box::pin(std::future::ready(Err(failure)))
        }

        fn send_streaming<'a>(
            &'a self,
            call: Call<'a>,
        ) -> BoxFuture<'a, Result<StreamingReply, TransportError>> {
            let mut seen = self.seen.lock().unwrap();
            seen.push(call.body.to_vec());
            let answer = self.answers[(seen.len() - 1).min(self.answers.len() - 1)].clone();
            Box::pin(std::future::ready(scripted(answer)))
        }
    }

    fn scripted(answer: Scripted) -> Result<StreamingReply, TransportError> {
        let failure = |kind| TransportError::new(kind, "scripted failure", None);
        match answer {
            Scripted::Stream(chunks, then) => {
                let mut items: Vec<_> = chunks.iter().map(|c| Ok(c.as_bytes().to_vec())).collect();
                items.extend(then.map(|kind| Err(failure(kind))));
                let headers = HeaderMap::from_iter([
                    (CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
                    (X_TC_REQUEST_ID, HeaderValue::from_static("head-id")),
                ]);
                let body: BodyStream = Box::pin(stream::iter(items));
                Ok(StreamingReply::new(200, headers, body))
            }
            Scripted::Whole(status, body) => Ok(StreamingReply::whole(Reply::new(
                status,
                body.as_bytes().to_vec(),
            ))),
            Scripted::Fails(kind) => Err(failure(kind)),
        }
    }

    const SERVICE: Service = Service {
        name: "hunyuan",
        version: "2023-09-01",
        intl_endpoint: None,
    };
    const CHAT: Action = Action::new("ChatCompletions").stream_member("Stream");
    const ONE: &str = "data: {\"N\":1}\n\n";
    const BUSY: &str = r#"{"Response":{"Error":{"Code":"FailedOperation.EngineBusy","Message":"busy"},"RequestId":"r9"}}"#;

    fn scripted_client(answers: Vec<Scripted>) -> (Client, Arc<Mutex<Vec<Vec<u8>>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let client = Client::builder()
            .retry(RetryPolicy::default())
            .build_with_transport(Script {
                answers,
                seen: seen.clone(),
            });
        (client, seen)
    }

    type Items<T> = Vec<Result<T, Error<String>>>;

    /// Sends a streaming call of `action` and reads the stream to its end,
    /// then twice more.
    async fn read_all<T: FromJson + Send>(
        client: &Client,
        action: &Action,
        max_event_bytes: usize,
    ) -> Result<Items<T>, Error<String>> {
        let request = json!({"Model": "m"});
        let mut events = client
            .prepare_stream::<_, T, String>(&SERVICE, action, &request)
            .max_event_bytes(max_event_bytes)
            .await?;
        let mut items = Vec::new();
        while let Some(item) = events.next().await {
            items.push(item);
        }
        for _ in 0..2 {
            assert!(events.next().await.is_none(), "an ended stream yields None");
        }
        Ok(items)
    }

    async fn values(client: &Client, action: &Action) -> Result<Items<Value>, Error<String>> {
        read_all(client, action, DEFAULT_MAX_EVENT_BYTES).await
    }

    fn oks(items: &[Result<Value, Error<String>>]) -> Vec<Value> {
        items
            .iter()
            .filter_map(|i| i.as_ref().ok().cloned())
            .collect()
    }

    #[test]
    fn an_event_stream_is_an_unpin_send_stream() {
        fn check<T: Stream<Item = Result<Value, Error<String>>> + Unpin + Send>() {}
        check::<EventStream<Value, String>>();
    }

    #[tokio::test]
    async fn events_arrive_in_order_however_they_are_chunked() {
        let chunks = vec![
            ONE,
            "data: {\"N\"",
            ":2}\r\n\r",
            "\n: ping\n\ndata: {\"N\":3}\n\n",
        ];
        let (client, seen) = scripted_client(vec![Scripted::Stream(chunks, None)]);
        let items = values(&client, &CHAT).await.unwrap();
        assert_eq!(
            items
                .iter()
                .map(|i| i.as_ref().unwrap()["N"].clone())
                .collect::<Vec<_>>(),
            [1, 2, 3]
        );
        let sent = seen.lock().unwrap();
        assert_eq!(
            sent.as_slice(),
            [br#"{"Model":"m","Stream":true}"#.to_vec()]
        );
    }

    #[tokio::test]
    async fn the_request_id_comes_from_the_head() {
        let (client, _) = scripted_client(vec![Scripted::Stream(vec![ONE], None)]);
        let request = json!({});
        let events = client
            .prepare_stream::<_, Value, String>(&SERVICE, &CHAT, &request)
            .await
            .unwrap();
        assert_eq!(events.request_id(), Some("head-id"));
        assert!(format!("{events:?}").contains("head-id"));
    }

    #[tokio::test]
    async fn a_whole_success_is_one_event() {
        let whole = r#"{"Response":{"N":7,"RequestId":"r1"}}"#;
        let (client, _) = scripted_client(vec![Scripted::Whole(200, whole)]);
        let request = json!({});
        let mut events = client
            .prepare_stream::<_, Value, String>(&SERVICE, &CHAT, &request)
            .await
            .unwrap();
        assert_eq!(events.request_id(), Some("r1"));
        let only = events.next().await.unwrap().unwrap();
        assert_eq!(only, json!({"N": 7, "RequestId": "r1"}));
        assert!(events.next().await.is_none());
        assert!(events.next().await.is_none());
    }

    #[tokio::test]
    async fn an_error_envelope_instead_of_a_stream_fails_the_await() {
        let (client, seen) = scripted_client(vec![Scripted::Whole(200, BUSY)]);
        let err = values(&client, &CHAT).await.unwrap_err();
        assert_eq!(
            err.code().map(String::as_str),
            Some("FailedOperation.EngineBusy")
        );
        assert_eq!(err.request_id(), Some("r9"));
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn an_error_event_ends_the_stream_after_the_events_before_it() {
        let error = "data: {\"Error\":{\"Code\":\"InternalError\",\"Message\":\"m\"}}\n\ndata: {\"N\":2}\n\n";
        let (client, seen) = scripted_client(vec![Scripted::Stream(vec![ONE, error], None)]);
        let idempotent = CHAT.retry_class(RetryClass::Idempotent);
        let items = values(&client, &idempotent).await.unwrap();
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(oks(&items), [json!({"N": 1})]);
        let err = items[1].as_ref().unwrap_err();
        assert_eq!(err.code().map(String::as_str), Some("InternalError"));
        assert_eq!(err.request_id(), Some("head-id"));
        assert_eq!(seen.lock().unwrap().len(), 1, "never retried mid-stream");
    }

    #[tokio::test]
    async fn a_cut_ends_the_stream_with_a_transport_error_and_no_retry() {
        let cut = Some(TransportErrorKind::MaybeSent);
        let (client, seen) =
            scripted_client(vec![Scripted::Stream(vec![ONE, "data: {\"N\""], cut)]);
        let idempotent = CHAT.retry_class(RetryClass::Idempotent);
        let items = values(&client, &idempotent).await.unwrap();
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(oks(&items), [json!({"N": 1})]);
        assert!(
            matches!(&items[1], Err(Error::Transport { source, .. }) if source.kind() == TransportErrorKind::MaybeSent),
            "{items:?}"
        );
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn an_event_over_the_cap_ends_the_stream_with_a_typed_error() {
        let long = "data: {\"N\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}\n\n";
        let (client, _) = scripted_client(vec![Scripted::Stream(vec![ONE, long, ONE], None)]);
        let items: Items<Value> = read_all(&client, &CHAT, 24).await.unwrap();
        assert_eq!(items.len(), 2, "{items:?}");
        let Err(Error::Transport { source, .. }) = &items[1] else {
            panic!("expected a transport error, got {items:?}");
        };
        assert_eq!(source.kind(), TransportErrorKind::BodyTooLarge);
        let cause = std::error::Error::source(source).and_then(|e| e.downcast_ref());
        assert_eq!(
            cause,
            Some(&crate::wire::sse::SseError::EventTooLarge { limit: 24 })
        );
    }

    /// A response with one required member.
    #[derive(Debug, PartialEq)]
    struct Delta {
        n: u64,
    }

    impl FromJson for Delta {
        fn from_json(value: Value) -> Result<Self, JsonError> {
            let mut members = Members::new(value)?;
            let delta = Delta {
                n: members.read_required("N"),
            };
            members.finish(delta)
        }
    }

    #[tokio::test]
    async fn an_event_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
        let bad = "data: {\"N\":\"secret-ish\"}\n\n";
        let (client, _) = scripted_client(vec![Scripted::Stream(
            vec![bad, "data: {\"N\":2}\n\n"],
            None,
        )]);
        let items: Items<Delta> = read_all(&client, &CHAT, DEFAULT_MAX_EVENT_BYTES)
            .await
            .unwrap();
        assert_eq!(items.len(), 2);
        let err = items[0].as_ref().unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(err.body(), Some(br#"{"N":"secret-ish"}"#.as_slice()));
        assert!(!format!("{err} {err:?}").contains("secret-ish"));
        assert_eq!(items[1].as_ref().unwrap(), &Delta { n: 2 });
    }

    #[tokio::test(start_paused = true)]
    async fn failures_before_the_stream_are_retried_by_the_rules_of_any_call() {
        let answers = vec![
            Scripted::Whole(503, "<html>busy</html>"),
            Scripted::Fails(TransportErrorKind::MaybeSent),
            Scripted::Stream(vec![ONE], None),
        ];
        let (client, seen) = scripted_client(answers.clone());
        let idempotent = CHAT.retry_class(RetryClass::Idempotent);
        let items = values(&client, &idempotent).await.unwrap();
        assert_eq!(oks(&items), [json!({"N": 1})]);
        assert_eq!(seen.lock().unwrap().len(), 3);
        // Not idempotent: a 5xx is not retried.
        let (client, seen) = scripted_client(answers);
        let err = values(&client, &CHAT).await.unwrap_err();
        assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn errors_carry_the_client_token_the_call_sent() {
        const CREATE: Action = Action::new("Create")
            .stream_member("Stream")
            .client_token("ClientToken");
        let cut = Some(TransportErrorKind::MaybeSent);
        let (client, seen) = scripted_client(vec![Scripted::Stream(vec![ONE], cut)]);
        let items = values(&client, &CREATE).await.unwrap();
        let token = items[1].as_ref().unwrap_err().client_token().unwrap();
        let sent: Value = serde_json::from_slice(&seen.lock().unwrap()[0]).unwrap();
        assert_eq!(sent["ClientToken"], token);
        assert_eq!(sent["Stream"], true);
    }

    /// A transport of the kind written before streaming: `send` only.
    #[derive(Debug)]
    struct Whole(&'static str);

    impl Transport for Whole {
        fn send<'a>(&'a self, _: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
            let reply = Reply::new(200, self.0.as_bytes().to_vec());
            Box::pin(std::future::ready(Ok(reply)))
        }
    }

    #[tokio::test]
    async fn a_transport_with_send_only_streams_through_it() {
        let client = Client::with_transport(Whole("data: {\"N\":1}\n\ndata: {\"N\":2}\n\n"));
        let items = values(&client, &CHAT).await.unwrap();
        assert_eq!(oks(&items), [json!({"N": 1}), json!({"N": 2})]);
        let client = Client::with_transport(Whole(r#"{"Response":{"N":3}}"#));
        let items = values(&client, &CHAT).await.unwrap();
        assert_eq!(oks(&items), [json!({"N": 3})]);
    }

    #[tokio::test]
    async fn a_generic_stream_sets_its_member_only_when_asked() {
        let (client, seen) = scripted_client(vec![Scripted::Stream(vec![ONE], None)]);
        let body = json!({"Model": "m"});
        let call = |member: Option<&'static str>| {
            let builder =
                client.call_json_stream("hunyuan", "2023-09-01", "ChatCompletions", &body);
            match member {
                Some(member) => builder.stream_member(member),
                None => builder,
            }
        };
        let mut events = call(None).await.unwrap();
        assert_eq!(events.next().await.unwrap().unwrap(), json!({"N": 1}));
        drop(events);
        let _sent = call(Some("Stream")).await.unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0], br#"{"Model":"m"}"#);
        assert_eq!(seen[1], br#"{"Model":"m","Stream":true}"#);
    }
}
