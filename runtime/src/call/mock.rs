//! Typed mocks, for the tests of code that calls a generated client: no
//! network, no JSON written by hand.
//!
//! A [`Mock`] is a [`Transport`] that answers by rules. A rule is keyed by
//! action (the request type, through [`Operation`]), optionally narrowed by
//! a predicate on the typed request, and answers with a typed response, a
//! service error with a code, or a transport failure: its answers in
//! sequence, each once, the last one [`repeatedly`](Rule::repeatedly) if
//! asked. Every request is recorded and can be read back typed. A call no
//! rule answers fails with an error naming the service and the action.
//!
//! A streaming call ([`Client::prepare_stream`]) is answered too: a rule's
//! [`streams`](Rule::streams) answer is a stream of typed responses, one
//! event each, and [`streams_then_fails`](Rule::streams_then_fails) ends
//! it with a [`StreamFailure`] (an error event or a cut connection) after
//! them; any other answer is what the service gives a streaming call that
//! it answers whole (a [`returns`](Rule::returns) response is the stream's
//! one item). A plain call meeting a streamed answer fails, naming the
//! action.
//!
//! With `tencentcloud-lcic` (the same test runs in `tests/mock.rs`):
//!
//! ```ignore
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use tencentcloud_lcic::{required, BatchCreateRoomRequest, BatchCreateRoomResponse};
//! use tencentcloud_runtime::mock::Mock;
//!
//! let mock = Mock::new();
//! mock.on::<BatchCreateRoomRequest>()
//!     .returns(BatchCreateRoomResponse::default().with_room_ids(vec![7]));
//! let lcic = tencentcloud_lcic::Client::new(mock.client());
//!
//! let request = BatchCreateRoomRequest::new(required::BatchCreateRoomRequest {
//!     sdk_app_id: 3_520_371,
//!     room_infos: vec![],
//! });
//! let answer = lcic.batch_create_room(&request).await.unwrap();
//! assert_eq!(answer.room_ids, Some(vec![7]));
//! assert_eq!(mock.requests::<BatchCreateRoomRequest>(), [request]);
//! # }
//! ```

use super::client::Client;
use super::operation::Operation;
use crate::shared::{BoxFuture, RetryPolicy, TransportError, TransportErrorKind};
use crate::wire::{
    BodyStream, Call, ContentType, Reply, StreamingReply, Transport, X_TC_REQUEST_ID,
};
use futures_util::stream;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};
use tencentcloud_json::{ToJson, Value};

/// The request id of every mocked answer.
pub const MOCK_REQUEST_ID: &str = "mock-request-id";

/// A transport answering by rules, recording every request. Clones share
/// the rules and the record.
#[derive(Debug, Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    rules: Vec<RuleState>,
    calls: Vec<Recorded>,
}

/// One request as the client sent it.
#[derive(Debug, Clone)]
struct Recorded {
    service: &'static str,
    action: &'static str,
    body: Vec<u8>,
    /// Whether the body is the request as JSON, which [`Mock::requests`]
    /// reads back; an octet-stream call's is raw bytes.
    json: bool,
}

type Predicate = Box<dyn Fn(&[u8]) -> bool + Send + Sync>;

struct RuleState {
    service: &'static str,
    action: &'static str,
    predicate: Option<Predicate>,
    answers: VecDeque<Answer>,
    repeat_last: bool,
}

impl std::fmt::Debug for RuleState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("action", &self.action)
            .field("answers_left", &self.answers.len())
            .field("repeat_last", &self.repeat_last)
            .finish_non_exhaustive()
    }
}

impl RuleState {
    fn answers(&self, call: &Call<'_>) -> bool {
        self.service == call.service.name
            && self.action == call.action.name
            && !self.answers.is_empty()
            && self
                .predicate
                .as_ref()
                // An octet-stream call's body is no request to test.
                .is_none_or(|p| call.content_type == ContentType::Json && p(call.body))
    }

    fn next_answer(&mut self) -> Answer {
        if self.repeat_last && self.answers.len() == 1 {
            return self.answers[0].clone();
        }
        self.answers
            .pop_front()
            .expect("only rules with answers left are asked (RuleState::answers)")
    }
}

/// One answer of a rule.
#[derive(Debug, Clone)]
enum Answer {
    Reply(Vec<u8>),
    Transport(TransportErrorKind),
    /// A stream: each event's data, then how it fails, if it does.
    Events(Vec<Vec<u8>>, Option<StreamFailure>),
}

/// How a mocked stream ends after its events
/// ([`Rule::streams_then_fails`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamFailure {
    /// An error event, `{"Response": {"Error": {"Code", "Message"}}}`: the
    /// stream's last item is an [`Error::Service`](crate::Error::Service)
    /// with this code.
    Service {
        /// The error code (`FailedOperation.EngineBusy`).
        code: String,
        /// The message.
        message: String,
    },
    /// The connection fails as a network failure of this kind would: the
    /// stream's last item is an [`Error::Transport`](crate::Error::Transport).
    Transport(TransportErrorKind),
}

impl StreamFailure {
    /// An error event with `code` and `message`.
    pub fn service(code: &str, message: &str) -> Self {
        StreamFailure::Service {
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }
}

impl Mock {
    /// A mock with no rules: every call fails until rules are added.
    pub fn new() -> Self {
        Mock::default()
    }

    /// A runtime client sending through this mock, without retries or rate
    /// limit, so each call is exactly one answer of a rule. Wrap it in a
    /// generated client: `tencentcloud_lcic::Client::new(mock.client())`.
    pub fn client(&self) -> Client {
        Client::builder()
            .retry(RetryPolicy {
                max_attempts: 1,
                ..RetryPolicy::default()
            })
            .rate_limit(false)
            .build_with_transport(self.clone())
    }

    /// A new rule for the action of `Op`, tried after the rules added
    /// before it; give it answers with the [`Rule`]'s methods.
    pub fn on<Op: Operation>(&self) -> Rule<'_, Op> {
        let mut state = self.lock();
        state.rules.push(RuleState {
            service: Op::SERVICE,
            action: Op::ACTION,
            predicate: None,
            answers: VecDeque::new(),
            repeat_last: false,
        });
        Rule {
            mock: self,
            index: state.rules.len() - 1,
            op: PhantomData,
        }
    }

    /// Every request of `Op`'s action the clients sent, in order, typed.
    /// An octet-stream call ([`Client::prepare_octet_stream`]) is not
    /// among them: its request went in headers, not in a JSON body to read
    /// back (its action is in [`actions`](Self::actions)).
    pub fn requests<Op: Operation>(&self) -> Vec<Op> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.json && c.service == Op::SERVICE && c.action == Op::ACTION)
            .map(|c| {
                decode::<Op>(&c.body)
                    .expect("the client encoded this body from an `Op`, which decodes its own JSON")
            })
            .collect()
    }

    /// The actions of every call, in order (`GetRooms`, …).
    pub fn actions(&self) -> Vec<&'static str> {
        self.lock().calls.iter().map(|c| c.action).collect()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves whole entries: keep going.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A rule being set up: its answers come in the order given.
#[derive(Debug)]
pub struct Rule<'m, Op> {
    mock: &'m Mock,
    index: usize,
    op: PhantomData<fn(Op)>,
}

impl<Op: Operation> Rule<'_, Op> {
    /// Answers only requests for which `predicate` holds (never an
    /// octet-stream call, whose request went in headers).
    pub fn when(self, predicate: impl Fn(&Op) -> bool + Send + Sync + 'static) -> Self {
        self.edit(|rule| {
            rule.predicate = Some(Box::new(move |body| {
                decode::<Op>(body).is_some_and(|request| predicate(&request))
            }));
        })
    }

    /// Answers with `response`.
    pub fn returns(self, response: Op::Response) -> Self {
        let body = envelope(response.to_json());
        self.edit(|rule| rule.answers.push_back(Answer::Reply(body)))
    }

    /// Answers with the service error `code` (`FailedOperation.ClassTooLong`)
    /// and `message`.
    pub fn fails_with(self, code: &str, message: &str) -> Self {
        let error = serde_json::json!({ "Error": { "Code": code, "Message": message } });
        let body = envelope(error);
        self.edit(|rule| rule.answers.push_back(Answer::Reply(body)))
    }

    /// Fails in the transport, as a network failure of `kind` would.
    pub fn fails_in_transport(self, kind: TransportErrorKind) -> Self {
        self.edit(|rule| rule.answers.push_back(Answer::Transport(kind)))
    }

    /// Answers a streaming call with `responses`, one event each, in
    /// order, then the end of the stream.
    pub fn streams(self, responses: impl IntoIterator<Item = Op::Response>) -> Self {
        self.stream(responses, None)
    }

    /// Answers a streaming call with `responses`, one event each, in
    /// order, then ends the stream with `failure`.
    pub fn streams_then_fails(
        self,
        responses: impl IntoIterator<Item = Op::Response>,
        failure: StreamFailure,
    ) -> Self {
        self.stream(responses, Some(failure))
    }

    fn stream(
        self,
        responses: impl IntoIterator<Item = Op::Response>,
        failure: Option<StreamFailure>,
    ) -> Self {
        let events = responses
            .into_iter()
            .map(|response| to_vec(&response.to_json()))
            .collect();
        self.edit(|rule| rule.answers.push_back(Answer::Events(events, failure)))
    }

    /// Gives the last answer `times` times in all.
    pub fn times(self, times: usize) -> Self {
        self.edit(|rule| {
            if let Some(last) = rule.answers.back().cloned() {
                for _ in 1..times {
                    rule.answers.push_back(last.clone());
                }
                if times == 0 {
                    rule.answers.pop_back();
                }
            }
        })
    }

    /// Gives the last answer to every further matching call, never
    /// running out.
    pub fn repeatedly(self) -> Self {
        self.edit(|rule| rule.repeat_last = true)
    }

    fn edit(self, change: impl FnOnce(&mut RuleState)) -> Self {
        change(&mut self.mock.lock().rules[self.index]);
        self
    }
}

impl Mock {
    /// Records `call` and takes the answer of the first rule answering it.
    fn answer(&self, call: &Call<'_>) -> Result<Answer, TransportError> {
        let mut state = self.lock();
        state.calls.push(Recorded {
            service: call.service.name,
            action: call.action.name,
            body: call.body.to_vec(),
            json: call.content_type == ContentType::Json,
        });
        let rules = state.rules.len();
        let answer = state
            .rules
            .iter_mut()
            .find(|rule| rule.answers(call))
            .map(RuleState::next_answer);
        answer.ok_or_else(|| {
            invalid(format!(
                "no mock rule answers {} {} ({rules} rules; each answers its own action, \
                 while its predicate holds and answers remain)",
                call.service.name, call.action.name,
            ))
        })
    }
}

impl Transport for Mock {
    fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
        let outcome = self.answer(&call).and_then(|answer| match answer {
            Answer::Reply(body) => Ok(Reply::new(200, body)),
            Answer::Transport(kind) => Err(mocked_failure(kind)),
            Answer::Events(..) => Err(invalid(format!(
                "the mock rule answering {} {} streams: send it as a streaming call \
                 (Client::prepare_stream)",
                call.service.name, call.action.name,
            ))),
        });
        Box::pin(std::future::ready(outcome))
    }

    fn send_streaming<'a>(
        &'a self,
        call: Call<'a>,
    ) -> BoxFuture<'a, Result<StreamingReply, TransportError>> {
        let outcome = self.answer(&call).and_then(|answer| match answer {
            Answer::Reply(body) => Ok(StreamingReply::whole(Reply::new(200, body))),
            Answer::Transport(kind) => Err(mocked_failure(kind)),
            Answer::Events(events, failure) => Ok(event_stream(events, failure)),
        });
        Box::pin(std::future::ready(outcome))
    }
}

/// A `text/event-stream` answer: each of `events` as one `data:` event in
/// a chunk of its own, then `failure`, if any.
fn event_stream(events: Vec<Vec<u8>>, failure: Option<StreamFailure>) -> StreamingReply {
    let mut chunks: Vec<Result<Vec<u8>, TransportError>> =
        events.iter().map(|data| Ok(event(data))).collect();
    match failure {
        Some(StreamFailure::Service { code, message }) => {
            let error = serde_json::json!({ "Error": { "Code": code, "Message": message } });
            chunks.push(Ok(event(&envelope(error))));
        }
        Some(StreamFailure::Transport(kind)) => chunks.push(Err(mocked_failure(kind))),
        None => {}
    }
    let headers = HeaderMap::from_iter([
        (CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
        (X_TC_REQUEST_ID, HeaderValue::from_static(MOCK_REQUEST_ID)),
    ]);
    let body: BodyStream = Box::pin(stream::iter(chunks));
    StreamingReply::new(200, headers, body)
}

/// One event whose data is `data` (JSON text: one line).
fn event(data: &[u8]) -> Vec<u8> {
    [b"data: ", data, b"\n\n"].concat()
}

fn mocked_failure(kind: TransportErrorKind) -> TransportError {
    TransportError::new(kind, format!("mocked transport failure ({kind:?})"), None)
}

fn invalid(message: String) -> TransportError {
    TransportError::new(TransportErrorKind::InvalidRequest, message, None)
}

fn decode<Op: Operation>(body: &[u8]) -> Option<Op> {
    let value: Value = serde_json::from_slice(body).ok()?;
    Op::from_json(value).ok()
}

/// `{"Response": {…, "RequestId": …}}`, with the mock's request id unless
/// the answer carries one.
fn envelope(mut response: Value) -> Vec<u8> {
    if let Some(members) = response.as_object_mut() {
        members
            .entry("RequestId")
            .or_insert_with(|| MOCK_REQUEST_ID.into());
    }
    to_vec(&serde_json::json!({ "Response": response }))
}

fn to_vec(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("invariant: a JSON value serializes")
}
