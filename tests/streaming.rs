//! Streaming calls of a generated crate (Hunyuan 2023-09-01, `api-spec/hunyuan`)
//! against a loopback server that replays Tencent's published stream
//! examples (`examples.json`), written in pieces cut at random byte
//! boundaries, as a real answer arrives in TCP segments. Every request is
//! checked for its TC3 signature, action and host.

#![allow(deprecated)] // Hunyuan's `ChatCompletions` is deprecated in the spec, and still served.

use sdk_tests::server::{verify_tc3, Answer, EventStream, Recorded, StreamEnd, TestServer};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tencentcloud_hunyuan::{required, ChatCompletionsRequest, Client, ErrorCode, Message};
use tencentcloud_runtime::paginate::{StreamExt, TryStreamExt};
use tencentcloud_runtime::{Credentials, Error};

const SECRET_ID: &str = "AKIDstreamingTestEXAMPLE";
const SECRET_KEY: &str = "streamingSecretKeyEXAMPLE";
/// The pause between pieces of a replayed stream.
const MS: Duration = Duration::from_millis(1);

fn check(request: &Recorded, host: &str) -> Result<(), String> {
    verify_tc3(request, SECRET_ID, SECRET_KEY, "hunyuan")?;
    for (name, want) in [("x-tc-action", "ChatCompletions"), ("host", host)] {
        if request.header(name) != Some(want) {
            return Err(format!("{name}: {:?}, want {want:?}", request.header(name)));
        }
    }
    let body: Value = serde_json::from_slice(&request.body).map_err(|e| e.to_string())?;
    if body["Stream"] != Value::Bool(true) {
        return Err(format!("`Stream` is not set to true: {body}"));
    }
    Ok(())
}

async fn server(script: impl Fn(usize) -> Answer + Send + Sync + 'static) -> TestServer {
    TestServer::start_checked(check, move |_, index| script(index)).await
}

fn hunyuan(server: &TestServer) -> Client {
    let runtime = tencentcloud_runtime::Client::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .endpoint_url(server.url())
        .build()
        .expect("the client builds");
    Client::new(runtime)
}

fn request() -> ChatCompletionsRequest {
    ChatCompletionsRequest::new(required::ChatCompletionsRequest {
        model: "hunyuan-turbo".into(),
        messages: vec![Message::new(required::Message {
            role: "user".into(),
        })
        .with_content("你好".to_owned())],
    })
}

/// The published `ChatCompletions` examples whose answer is a stream: the
/// events as the server sends them (from the first `data:` line), skipping
/// those the generator skips (a line of white space between events).
fn stream_examples() -> Vec<String> {
    let path = sdk_tests::workspace_root().join("api-spec/hunyuan/2023-09-01/examples.json");
    let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    file["actions"]["ChatCompletions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| {
            let output = e["output"].as_str()?;
            let start = output.find("\ndata:").map(|at| at + 1)?;
            let text = output[start..].trim_end().to_owned() + "\n\n";
            let spaced = text.lines().any(|l| !l.is_empty() && l.trim().is_empty());
            (!spaced).then_some(text)
        })
        .collect()
}

/// What an example says the model wrote: its events' `Delta.Content`, read
/// straight from the `data:` lines (not through the client).
fn expected_text(example: &str) -> (usize, String) {
    let events: Vec<Value> = example
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|data| serde_json::from_str(data).unwrap())
        .collect();
    let text = events
        .iter()
        .filter_map(|e| e["Choices"][0]["Delta"]["Content"].as_str())
        .collect();
    (events.len(), text)
}

/// `text` cut into pieces at `cuts` random byte positions (inside UTF-8
/// characters, between CR and LF, anywhere).
fn cut(text: &str, cuts: usize, rng: &mut fastrand::Rng) -> Vec<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut at: Vec<usize> = (0..cuts).map(|_| rng.usize(1..bytes.len())).collect();
    at.sort_unstable();
    at.dedup();
    let mut pieces = Vec::new();
    let mut from = 0;
    for to in at.into_iter().chain([bytes.len()]) {
        pieces.push(bytes[from..to].to_vec());
        from = to;
    }
    pieces
}

/// An event-stream answer of `chunks`, `gap` apart; and the flag the
/// server sets when the client goes away.
fn events(chunks: Vec<Vec<u8>>, end: StreamEnd, gap: Duration) -> (Answer, Arc<AtomicBool>) {
    let gone = Arc::new(AtomicBool::new(false));
    let answer = Answer::EventStream(EventStream {
        chunks,
        gap,
        request_id: "stream-request-id".into(),
        end,
        client_gone: gone.clone(),
    });
    (answer, gone)
}

#[tokio::test]
async fn published_stream_examples_cut_anywhere_decode_completely() {
    let examples = stream_examples();
    assert_eq!(examples.len(), 3, "the stream examples the generator keeps");
    let mut rng = fastrand::Rng::with_seed(27_28);
    for (n, example) in examples.iter().enumerate() {
        let (count, text) = expected_text(example);
        assert!(count > 3 && !text.is_empty(), "example {n} has events");
        for round in 0..8 {
            let pieces = cut(example, rng.usize(1..40), &mut rng);
            let answer = events(pieces.clone(), StreamEnd::Finish, MS).0;
            let server = server(move |_| answer.clone()).await;
            let mut stream = hunyuan(&server)
                .chat_completions_stream(&request())
                .await
                .unwrap();
            assert_eq!(stream.request_id(), Some("stream-request-id"));
            let mut received = Vec::new();
            while let Some(event) = stream.try_next().await.unwrap() {
                received.push(event);
            }
            let content: String = received
                .iter()
                .filter_map(|e| e.choices.as_ref()?.first()?.delta.as_ref()?.content.clone())
                .collect();
            let context = format!("example {n}, round {round}, {} pieces", pieces.len());
            assert_eq!(received.len(), count, "{context}");
            assert_eq!(content, text, "{context}");
            assert_eq!(server.count(), 1, "{context}");
        }
    }
}

#[tokio::test]
async fn an_error_envelope_instead_of_a_stream_is_a_service_error() {
    let body = r#"{"Response":{"Error":{"Code":"FailedOperation.EngineServerLimitExceeded","Message":"over the limit"},"RequestId":"err-1"}}"#;
    let server = server(move |_| Answer::ok(body)).await;
    let err = hunyuan(&server)
        .chat_completions_stream(&request())
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&ErrorCode::FailedOperationEngineServerLimitExceeded),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("err-1"));
}

#[tokio::test]
async fn a_stream_call_refused_for_the_machine_s_clock_is_signed_again_and_streams() {
    let example = &stream_examples()[0];
    let (count, _) = expected_text(example);
    let stream = events(vec![example.as_bytes().to_vec()], StreamEnd::Finish, MS).0;
    let an_hour_ahead = std::time::SystemTime::now() + Duration::from_secs(3600);
    let expired = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"old"}}"#;
    let server = server(move |index| match index {
        0 => Answer::Headed {
            headers: vec![("Date".into(), httpdate::fmt_http_date(an_hour_ahead))],
            then: Box::new(Answer::ok(expired)),
        },
        _ => stream.clone(),
    })
    .await;
    let events: Vec<_> = hunyuan(&server)
        .chat_completions_stream(&request())
        .await
        .expect("signed again")
        .try_collect()
        .await
        .expect("the whole stream");
    assert_eq!(events.len(), count);
    let timestamps: Vec<i64> = server
        .requests()
        .iter()
        .map(|r| r.header("x-tc-timestamp").unwrap().parse().unwrap())
        .collect();
    assert!(
        matches!(timestamps[..], [first, second] if (3599..=3601).contains(&(second - first))),
        "{timestamps:?}"
    );
}

#[tokio::test]
async fn an_error_event_ends_the_stream_after_the_events_before_it() {
    let example = &stream_examples()[0];
    let first_two: String = example.split_inclusive("\n\n").take(2).collect();
    let error = "data: {\"Response\":{\"Error\":{\"Code\":\"FailedOperation.EngineServerError\",\"Message\":\"engine\"},\"RequestId\":\"mid\"}}\n\n";
    let answer = events(
        vec![first_two.into_bytes(), error.as_bytes().to_vec()],
        StreamEnd::Finish,
        MS,
    )
    .0;
    let server = server(move |_| answer.clone()).await;
    let stream = hunyuan(&server)
        .chat_completions_stream(&request())
        .await
        .unwrap();
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 3, "two events, then the error: {items:?}");
    assert!(items[..2].iter().all(Result::is_ok));
    let Err(err) = &items[2] else {
        panic!("the third item is the error");
    };
    assert_eq!(
        err.code(),
        Some(&ErrorCode::FailedOperationEngineServerError)
    );
}

#[tokio::test]
async fn a_cut_connection_ends_the_stream_with_a_transport_error_and_is_not_sent_again() {
    let example = &stream_examples()[0];
    let first_two: String = example.split_inclusive("\n\n").take(2).collect();
    let answer = events(vec![first_two.into_bytes()], StreamEnd::Reset, MS).0;
    let server = server(move |_| answer.clone()).await;
    let stream = hunyuan(&server)
        .chat_completions_stream(&request())
        .await
        .unwrap();
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(
        matches!(items[2], Err(Error::Transport { .. })),
        "{:?}",
        items[2]
    );
    assert_eq!(server.count(), 1, "a stream that began is never retried");
}

#[tokio::test]
async fn a_json_answer_to_a_stream_call_is_one_event() {
    let body = r#"{"Response":{"Choices":[{"FinishReason":"stop","Message":{"Role":"assistant","Content":"你好！"}}],"Created":1,"Id":"x","RequestId":"whole"}}"#;
    let server = server(move |_| Answer::ok(body)).await;
    let mut stream = hunyuan(&server)
        .chat_completions_stream(&request())
        .await
        .unwrap();
    let only = stream.try_next().await.unwrap().expect("one event");
    let message = only.choices.unwrap()[0].message.clone().unwrap();
    assert_eq!(message.content.as_deref(), Some("你好！"));
    assert!(stream.try_next().await.unwrap().is_none());
    assert_eq!(stream.request_id(), Some("whole"));
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let example = &stream_examples()[0];
    let pieces: Vec<Vec<u8>> = example
        .split_inclusive("\n\n")
        .cycle()
        .take(400)
        .map(|e| e.as_bytes().to_vec())
        .collect();
    let (answer, gone) = events(pieces, StreamEnd::Finish, Duration::from_millis(10));
    let server = server(move |_| answer.clone()).await;
    let mut stream = hunyuan(&server)
        .chat_completions_stream(&request())
        .await
        .unwrap();
    stream.try_next().await.unwrap().expect("a first event");
    drop(stream);
    for _ in 0..200 {
        if gone.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server kept writing to a client that dropped its stream");
}
