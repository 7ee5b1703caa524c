//! Streaming calls (Server-Sent Events) end to end: the real
//! [`HttpTransport`](tencentcloud_runtime::HttpTransport) against a
//! loopback HTTP/1.1 server written on a raw socket (`common/`: so that it
//! can write a stream in pieces, pause, cut or reset the connection, and
//! see the client close it), and the typed mocks.

mod common;

use common::{chunk, end, stream_head, verify_tc3, whole, Server, Step, SECRET_ID, SECRET_KEY};
use futures_util::StreamExt;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tencentcloud_runtime::json::{FromJson, JsonError, Members, ToJson, Value, Writer};
use tencentcloud_runtime::mock::{Mock, StreamFailure};
use tencentcloud_runtime::{
    Action, Client, Credentials, Error, EventStream, Operation, RetryClass, RetryPolicy, Service,
    TransportErrorKind,
};
use tokio::sync::Notify;

const HUNYUAN: Service = Service {
    name: "hunyuan",
    version: "2023-09-01",
    intl_endpoint: None,
};
const CHAT: Action = Action::new("ChatCompletions").stream_member("Stream");

// ---- The models, written as the generator writes them ----

/// A chat request, with its stream member.
#[derive(Debug, Clone, PartialEq, Default)]
struct ChatRequest {
    model: String,
    stream: Option<bool>,
    top_p: Option<f64>,
    prompt: Option<String>,
}

impl ToJson for ChatRequest {
    fn write_json(&self, out: &mut Writer) {
        let mut members = out.object();
        members.member("Model", &self.model);
        members.member("Stream", &self.stream);
        members.member("TopP", &self.top_p);
        members.member("Prompt", &self.prompt);
        members.finish();
    }
}

impl FromJson for ChatRequest {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        let request = ChatRequest {
            model: members.read_required("Model"),
            stream: members.read_optional("Stream"),
            top_p: members.read_optional("TopP"),
            prompt: members.read_optional("Prompt"),
        };
        members.finish(request)
    }
}

/// One event of the answer: `{"Note", "Choices": [{"Delta": {"Content"}}], "Id"}`.
#[derive(Debug, Clone, PartialEq, Default)]
struct ChatResponse {
    note: Option<String>,
    choices: Option<Vec<Choice>>,
    id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Choice {
    delta: Option<Delta>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Delta {
    content: Option<String>,
}

impl ChatResponse {
    fn saying(content: &str) -> Self {
        ChatResponse {
            note: Some("以上内容为AI生成".into()),
            choices: Some(vec![Choice {
                delta: Some(Delta {
                    content: Some(content.into()),
                }),
            }]),
            id: Some("abc".into()),
        }
    }

    fn content(&self) -> &str {
        self.choices
            .as_ref()
            .and_then(|choices| choices.first()?.delta.as_ref()?.content.as_deref())
            .unwrap_or_default()
    }
}

impl ToJson for ChatResponse {
    fn write_json(&self, out: &mut Writer) {
        let mut members = out.object();
        members.member("Note", &self.note);
        members.member("Choices", &self.choices);
        members.member("Id", &self.id);
        members.finish();
    }
}

impl FromJson for ChatResponse {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        let response = ChatResponse {
            note: members.read_optional("Note"),
            choices: members.read_optional("Choices"),
            id: members.read_optional("Id"),
        };
        members.finish(response)
    }
}

impl ToJson for Choice {
    fn write_json(&self, out: &mut Writer) {
        let mut members = out.object();
        members.member("Delta", &self.delta);
        members.finish();
    }
}

impl FromJson for Choice {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        let choice = Choice {
            delta: members.read_optional("Delta"),
        };
        members.finish(choice)
    }
}

impl ToJson for Delta {
    fn write_json(&self, out: &mut Writer) {
        let mut members = out.object();
        members.member("Content", &self.content);
        members.finish();
    }
}

impl FromJson for Delta {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        let delta = Delta {
            content: members.read_optional("Content"),
        };
        members.finish(delta)
    }
}

impl Operation for ChatRequest {
    type Response = ChatResponse;
    const SERVICE: &'static str = "hunyuan";
    const ACTION: &'static str = "ChatCompletions";
}

fn request() -> ChatRequest {
    ChatRequest {
        model: "hunyuan-turbo".into(),
        stream: Some(false),
        top_p: Some(0.1),
        prompt: Some("你好 \"there\"".into()),
    }
}

/// One event carrying `response`.
fn event(response: &ChatResponse) -> String {
    format!("data: {}\n\n", response.to_json())
}

// ---- Reading a stream ----

type Items = Vec<Result<ChatResponse, Error<String>>>;

async fn open(client: &Client) -> Result<EventStream<ChatResponse, String>, Error<String>> {
    let request = request();
    client
        .prepare_stream::<_, ChatResponse, String>(&HUNYUAN, &CHAT, &request)
        .await
}

/// Every item of `events`, to the end; checks it stays ended.
async fn drain(mut events: EventStream<ChatResponse, String>) -> Items {
    let mut items = Vec::new();
    while let Some(item) = events.next().await {
        items.push(item);
    }
    assert!(events.next().await.is_none(), "an ended stream yields None");
    items
}

fn contents(items: &Items) -> Vec<&str> {
    items
        .iter()
        .filter_map(|item| item.as_ref().ok())
        .map(ChatResponse::content)
        .collect()
}

// ---- The tests ----

#[tokio::test]
async fn events_arrive_as_the_server_writes_them() {
    let first_read = Arc::new(Notify::new());
    let go = first_read.clone();
    let hello = event(&ChatResponse::saying("你好"));
    // One byte into the three of `你`.
    let split = hello.find("你好").unwrap() + 1;
    let server = Server::start(move |_| {
        let hello = hello.clone().into_bytes();
        vec![
            stream_head(),
            chunk(": a comment, ignored\r\n"),
            // The event in two chunks, cut inside a multi-byte character.
            Step::Chunk(hello[..split].to_vec()),
            Step::Sleep(30),
            Step::Chunk(hello[split..].to_vec()),
            // The next event is written only once the client has read the
            // first: a client waiting for the whole body would hang here.
            Step::Wait(go.clone()),
            // One event in data lines of its own, CRLF-ended, and the blank
            // line after a pause, its CR and LF in separate chunks.
            chunk("data: {\"Choices\":[{\"Delta\":\r\ndata: {\"Content\":\"世界\"}}]}\r"),
            Step::Sleep(30),
            chunk("\n\r"),
            Step::Sleep(30),
            chunk("\n"),
            end(),
        ]
    })
    .await;
    let mut events = open(&server.client()).await.unwrap();
    assert_eq!(events.request_id(), Some("rid-stream"));
    let first = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the first event arrives before the stream ends")
        .unwrap()
        .unwrap();
    assert_eq!(first, ChatResponse::saying("你好"));
    first_read.notify_one();
    let rest = drain(events).await;
    assert_eq!(contents(&rest), ["世界"], "{rest:?}");
    assert_eq!(rest.len(), 1);
}

#[tokio::test]
async fn the_call_is_signed_and_sends_the_stream_member_true() {
    let server = Server::start(|_| {
        vec![
            stream_head(),
            chunk(&event(&ChatResponse::saying("a"))),
            end(),
        ]
    })
    .await;
    let items = drain(open(&server.client()).await.unwrap()).await;
    assert_eq!(contents(&items), ["a"]);
    let requests = server.requests();
    let sent = &requests[0];
    let host = server.url.strip_prefix("http://").unwrap();
    verify_tc3(sent, host, "hunyuan").unwrap();
    assert_eq!(sent.header("x-tc-action"), Some("ChatCompletions"));
    assert_eq!(sent.header("x-tc-version"), Some("2023-09-01"));
    // The body is the request's own, byte for byte, the member set in place.
    let mut expected = Writer::default();
    ChatRequest {
        stream: Some(true),
        ..request()
    }
    .write_json(&mut expected);
    assert_eq!(
        String::from_utf8_lossy(&sent.body),
        String::from_utf8_lossy(expected.as_bytes())
    );
    assert!(sent
        .body
        .starts_with(br#"{"Model":"hunyuan-turbo","Stream":true,"TopP":0.1,"#));
}

#[tokio::test]
async fn an_error_envelope_instead_of_a_stream_is_a_service_error() {
    let envelope = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad"},"RequestId":"r-err"}}"#;
    let server = Server::start(move |_| vec![whole(200, "application/json", envelope)]).await;
    let err = open(&server.client()).await.unwrap_err();
    assert_eq!(
        err.code().map(String::as_str),
        Some("AuthFailure.SignatureFailure")
    );
    assert_eq!(err.request_id(), Some("r-err"));
}

#[tokio::test]
async fn an_error_event_ends_the_stream_after_the_events_before_it() {
    let error = r#"{"Response":{"Error":{"Code":"FailedOperation.EngineServerError","Message":"oops"},"RequestId":"r-mid"}}"#;
    let server = Server::start(move |_| {
        vec![
            stream_head(),
            chunk(&event(&ChatResponse::saying("a"))),
            chunk(&event(&ChatResponse::saying("b"))),
            chunk(&format!("data: {error}\n\n")),
            chunk(&event(&ChatResponse::saying("never"))),
            end(),
        ]
    })
    .await;
    let items = drain(open(&server.client()).await.unwrap()).await;
    assert_eq!(contents(&items), ["a", "b"]);
    assert_eq!(items.len(), 3, "{items:?}");
    let err = items[2].as_ref().unwrap_err();
    assert!(matches!(err, Error::Service(_)), "{err:?}");
    assert_eq!(
        err.code().map(String::as_str),
        Some("FailedOperation.EngineServerError")
    );
    assert_eq!(err.request_id(), Some("r-mid"));
}

#[tokio::test]
async fn a_cut_mid_stream_is_a_transport_error_and_is_not_retried() {
    for cut in [Step::Reset, Step::Raw(Vec::new())] {
        let server = Server::start(move |_| {
            vec![
                stream_head(),
                chunk(&event(&ChatResponse::saying("a"))),
                chunk("data: {\"Choi"),
                // Reset, or closed without the chunked body's end.
                cut.clone(),
            ]
        })
        .await;
        let client = server.client();
        let request = request();
        let events = client
            .prepare_stream::<_, ChatResponse, String>(&HUNYUAN, &CHAT, &request)
            .retry_class(RetryClass::Idempotent)
            .await
            .unwrap();
        let items = drain(events).await;
        assert_eq!(contents(&items), ["a"]);
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(
            matches!(&items[1], Err(Error::Transport { source, .. }) if source.kind() == TransportErrorKind::MaybeSent),
            "{items:?}"
        );
        assert_eq!(server.settled_count().await, 1, "a stream is never retried");
    }
}

#[tokio::test]
async fn a_json_success_to_a_stream_call_is_exactly_one_event() {
    let body =
        json!({"Response": {"Note": "n", "Id": "whole", "RequestId": "r-whole"}}).to_string();
    let server = Server::start(move |_| vec![whole(200, "application/json", &body)]).await;
    let events = open(&server.client()).await.unwrap();
    assert_eq!(events.request_id(), Some("r-whole"));
    let items = drain(events).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let only = items[0].as_ref().unwrap();
    assert_eq!(only.id.as_deref(), Some("whole"));
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let server = Server::start(|_| {
        vec![
            stream_head(),
            chunk(&event(&ChatResponse::saying("a"))),
            Step::AwaitClose,
        ]
    })
    .await;
    let mut events = open(&server.client()).await.unwrap();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.content(), "a");
    drop(events);
    tokio::time::timeout(Duration::from_secs(5), server.closed.notified())
        .await
        .expect("the server sees the connection closed once the stream is dropped");
}

#[tokio::test]
async fn failures_before_the_stream_are_retried_for_an_idempotent_call() {
    let server = Server::start(|n| match n {
        0 => vec![whole(502, "text/html", "<html>bad gateway</html>")],
        1 => vec![Step::Reset],
        _ => vec![
            stream_head(),
            chunk(&event(&ChatResponse::saying("ok"))),
            end(),
        ],
    })
    .await;
    let client = server.client();
    let request = request();
    let events = client
        .prepare_stream::<_, ChatResponse, String>(&HUNYUAN, &CHAT, &request)
        .retry_class(RetryClass::Idempotent)
        .await
        .unwrap();
    assert_eq!(contents(&drain(events).await), ["ok"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.body == requests[0].body));

    // Not idempotent (the action's class): the 5xx is the answer.
    let server = Server::start(|_| vec![whole(502, "text/html", "<html>bad gateway</html>")]).await;
    let err = open(&server.client()).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 502, .. }), "{err:?}");
    assert_eq!(server.settled_count().await, 1);
}

#[tokio::test]
async fn the_timeout_bounds_each_wait_not_the_whole_stream() {
    let paced = |n: usize| {
        let mut steps = vec![stream_head()];
        for i in 0..6 {
            steps.push(Step::Sleep(if n == 0 { 60 } else { 0 }));
            steps.push(chunk(&event(&ChatResponse::saying(&i.to_string()))));
        }
        if n == 1 {
            steps.push(Step::Sleep(2_000));
        }
        steps.push(end());
        steps
    };
    let server = Server::start(paced).await;
    let client = server.client_with(RetryPolicy::never());
    let request = request();
    let call = || {
        client
            .prepare_stream::<_, ChatResponse, String>(&HUNYUAN, &CHAT, &request)
            .timeout(Duration::from_millis(250))
    };
    // 360 ms of events, none more than 250 ms after the one before.
    let items = drain(call().await.unwrap()).await;
    assert_eq!(contents(&items), ["0", "1", "2", "3", "4", "5"]);
    // A silence longer than the timeout ends the stream.
    let items = drain(call().await.unwrap()).await;
    assert_eq!(items.len(), 7, "{items:?}");
    let Err(Error::Transport { source, .. }) = &items[6] else {
        panic!("expected a timeout, got {items:?}");
    };
    assert!(source.to_string().contains("timed out"), "{source}");
}

#[tokio::test]
async fn an_answer_is_capped_whole_and_a_stream_per_event() {
    let long = format!(r#"{{"Response":{{"Note":"{}"}}}}"#, "x".repeat(300));
    let server = Server::start(move |n| match n {
        0 => vec![whole(200, "application/json", &long)],
        _ => vec![
            stream_head(),
            chunk(&event(&ChatResponse::saying("a"))),
            chunk(&format!("data: {}\n\n", "y".repeat(300))),
            end(),
        ],
    })
    .await;
    let client = Client::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .endpoint_url(&server.url)
        .max_response_bytes(200)
        .build()
        .unwrap();
    // A whole answer: the client's cap on answers, as for any call.
    let err = open(&client).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
    // A stream: its events may add up to more; one event may not exceed
    // the stream's cap.
    let request = request();
    let events = client
        .prepare_stream::<_, ChatResponse, String>(&HUNYUAN, &CHAT, &request)
        .max_event_bytes(250)
        .await
        .unwrap();
    let items = drain(events).await;
    assert_eq!(contents(&items), ["a"]);
    let Err(Error::Transport { source, .. }) = &items[1] else {
        panic!("expected the cap, got {items:?}");
    };
    assert_eq!(source.kind(), TransportErrorKind::BodyTooLarge);
    let cause = std::error::Error::source(source).and_then(|e| e.downcast_ref());
    assert_eq!(
        cause,
        Some(&tencentcloud_runtime::sse::SseError::EventTooLarge { limit: 250 })
    );
}

// ---- Mocks ----

#[tokio::test]
async fn a_mock_streams_typed_responses() {
    let mock = Mock::new();
    mock.on::<ChatRequest>()
        .streams(vec![ChatResponse::saying("a"), ChatResponse::saying("b")]);
    let client = mock.client();
    let events = open(&client).await.unwrap();
    assert_eq!(
        events.request_id(),
        Some(tencentcloud_runtime::mock::MOCK_REQUEST_ID)
    );
    let items = drain(events).await;
    assert_eq!(contents(&items), ["a", "b"]);
    assert_eq!(items.len(), 2);
    let sent = mock.requests::<ChatRequest>();
    assert_eq!(
        sent,
        [ChatRequest {
            stream: Some(true),
            ..request()
        }]
    );
}

#[tokio::test]
async fn a_mock_stream_fails_after_its_events() {
    let mock = Mock::new();
    mock.on::<ChatRequest>()
        .streams_then_fails(
            vec![ChatResponse::saying("a")],
            StreamFailure::service("FailedOperation.EngineBusy", "busy"),
        )
        .streams_then_fails(
            vec![ChatResponse::saying("b"), ChatResponse::saying("c")],
            StreamFailure::Transport(TransportErrorKind::MaybeSent),
        );
    let client = mock.client();
    let items = drain(open(&client).await.unwrap()).await;
    assert_eq!(contents(&items), ["a"]);
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[1].as_ref().unwrap_err().code().map(String::as_str),
        Some("FailedOperation.EngineBusy")
    );
    let items = drain(open(&client).await.unwrap()).await;
    assert_eq!(contents(&items), ["b", "c"]);
    assert_eq!(items.len(), 3);
    assert!(
        matches!(&items[2], Err(Error::Transport { source, .. }) if source.kind() == TransportErrorKind::MaybeSent),
        "{items:?}"
    );
}

#[tokio::test]
async fn a_mock_answers_a_stream_call_whole_and_refuses_a_plain_call_a_stream() {
    let mock = Mock::new();
    mock.on::<ChatRequest>()
        .returns(ChatResponse::saying("whole"))
        .fails_with("LimitExceeded", "no")
        .streams(vec![ChatResponse::saying("s")]);
    let client = mock.client();
    let items = drain(open(&client).await.unwrap()).await;
    assert_eq!(contents(&items), ["whole"]);
    assert_eq!(items.len(), 1);
    let err = open(&client).await.unwrap_err();
    assert_eq!(err.code().map(String::as_str), Some("LimitExceeded"));
    let err = client
        .call::<_, ChatResponse, String>(&HUNYUAN, &CHAT, &request())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("streams"), "{err}");
}
