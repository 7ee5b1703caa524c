//! Octet-stream calls end to end (CLS's `UploadLog`): the real
//! [`HttpTransport`](tencentcloud_runtime::HttpTransport) against the
//! loopback server of `common/`, which records each request byte for byte
//! and checks its signature apart from the runtime's signer.

mod common;

use common::{verify_tc3, whole, Request, Server};
use serde_json::json;
use tencentcloud_runtime::json::{FromJson, JsonError, Members, ToJson, Writer};
use tencentcloud_runtime::mock::Mock;
use tencentcloud_runtime::{Action, Error, Operation, RetryClass, Service, TransportErrorKind};

const CLS: Service = Service {
    name: "cls",
    version: "2020-10-16",
    intl_endpoint: None,
};
const UPLOAD_LOG: Action = Action::new("UploadLog");
/// A body no JSON or text reading could pass through unchanged: NULs,
/// bytes that are not UTF-8, a CRLF pair like a head's end, and braces.
const BODY: &[u8] = b"\x00\x01\x02\x0a\xff\xfe\xc3\x28 {\"Logs\":[]}\r\n\r\n\x80\x00";
const ANSWER: &str = r#"{"Response":{"RequestId":"r-upload"}}"#;

// ---- The models, written as the generator writes them ----

/// `UploadLog`'s request: its members go in `X-CLS-…` headers.
#[derive(Debug, Clone, Default)]
struct UploadLogRequest {
    topic_id: String,
    hash_key: Option<String>,
    compress_type: Option<String>,
}

impl ToJson for UploadLogRequest {
    fn write_json(&self, out: &mut Writer) {
        let mut members = out.object();
        members.member("TopicId", &self.topic_id);
        members.member("HashKey", &self.hash_key);
        members.member("CompressType", &self.compress_type);
        members.finish();
    }
}

impl FromJson for UploadLogRequest {
    fn from_json(value: serde_json::Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        let request = UploadLogRequest {
            topic_id: members.read_required("TopicId"),
            hash_key: members.read_optional("HashKey"),
            compress_type: members.read_optional("CompressType"),
        };
        members.finish(request)
    }
}

impl Operation for UploadLogRequest {
    type Response = UploadLogResponse;
    const SERVICE: &'static str = "cls";
    const ACTION: &'static str = "UploadLog";
}

#[derive(Debug, Clone, PartialEq)]
struct UploadLogResponse {
    request_id: String,
}

impl ToJson for UploadLogResponse {
    fn write_json(&self, out: &mut Writer) {
        let mut members = out.object();
        members.member("RequestId", &self.request_id);
        members.finish();
    }
}

impl FromJson for UploadLogResponse {
    fn from_json(value: serde_json::Value) -> Result<Self, JsonError> {
        let mut members = Members::new(value)?;
        let response = UploadLogResponse {
            request_id: members.read_required("RequestId"),
        };
        members.finish(response)
    }
}

fn request() -> UploadLogRequest {
    UploadLogRequest {
        topic_id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789".into(),
        hash_key: Some("f4b5c6".into()),
        compress_type: Some("lz4".into()),
    }
}

// ---- Helpers ----

fn host(server: &Server) -> &str {
    server.url.strip_prefix("http://").expect("an http:// URL")
}

/// Checks that `sent` is an octet-stream call of `UploadLog` carrying
/// [`BODY`], signed over it; and that the verifier would have refused the
/// signature over any other body or content type, so that passing it
/// means the runtime hashed these very bytes.
fn assert_signed_octet_stream(sent: &Request, host: &str) {
    assert_eq!(sent.body, BODY, "the body arrives byte for byte");
    assert_eq!(
        sent.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(
        sent.header("content-length"),
        Some(BODY.len().to_string().as_str())
    );
    assert_eq!(sent.header("x-tc-action"), Some("UploadLog"));
    assert_eq!(sent.header("x-tc-version"), Some("2020-10-16"));
    verify_tc3(sent, host, "cls").unwrap();
    let mut other_body = sent.clone();
    other_body.body = Vec::new();
    assert!(verify_tc3(&other_body, host, "cls").is_err());
    let mut as_json = sent.clone();
    for (name, value) in &mut as_json.headers {
        if name == "content-type" {
            *value = "application/json".into();
        }
    }
    assert!(verify_tc3(&as_json, host, "cls").is_err());
}

fn is_invalid_request<E: tencentcloud_runtime::ServiceErrorCode>(err: &Error<E>) -> bool {
    matches!(err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::InvalidRequest)
}

// ---- The tests ----

#[tokio::test]
async fn an_upload_log_call_sends_the_bytes_and_the_members_as_headers_signed() {
    let server = Server::start(|_| vec![whole(200, "application/json", ANSWER)]).await;
    let client = server.client();
    let request = request();
    let answer: UploadLogResponse = client
        .prepare_octet_stream::<_, _, String>(&CLS, &UPLOAD_LOG, &request, "X-CLS-", BODY)
        .region("ap-guangzhou")
        .await
        .unwrap();
    assert_eq!(answer.request_id, "r-upload");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_signed_octet_stream(sent, host(&server));
    assert_eq!(
        sent.header("x-cls-topicid"),
        Some("0a1b2c3d-4e5f-6789-abcd-ef0123456789")
    );
    assert_eq!(sent.header("x-cls-hashkey"), Some("f4b5c6"));
    assert_eq!(sent.header("x-cls-compresstype"), Some("lz4"));
    assert_eq!(sent.header("x-tc-region"), Some("ap-guangzhou"));
    // An unset member is no header.
    let bare = UploadLogRequest {
        topic_id: "t-1".into(),
        ..UploadLogRequest::default()
    };
    let _: UploadLogResponse = client
        .prepare_octet_stream::<_, _, String>(&CLS, &UPLOAD_LOG, &bare, "X-CLS-", BODY)
        .await
        .unwrap();
    let sent = &server.requests()[1];
    let cls: Vec<&str> = sent
        .headers
        .iter()
        .filter(|(name, _)| name.starts_with("x-cls-"))
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(cls, ["x-cls-topicid"]);
    assert_signed_octet_stream(sent, host(&server));
}

#[tokio::test]
async fn a_service_error_answer_is_a_service_error() {
    let envelope = r#"{"Response":{"Error":{"Code":"TopicNotExist","Message":"no such topic"},"RequestId":"r-err"}}"#;
    let server = Server::start(move |_| vec![whole(200, "application/json", envelope)]).await;
    let client = server.client();
    let request = request();
    let err = client
        .prepare_octet_stream::<_, UploadLogResponse, String>(
            &CLS,
            &UPLOAD_LOG,
            &request,
            "X-CLS-",
            BODY,
        )
        .await
        .unwrap_err();
    let Error::Service(service) = &err else {
        panic!("expected a service error, got {err:?}");
    };
    assert_eq!(service.code, "TopicNotExist");
    assert_eq!(service.message, "no such topic");
    assert_eq!(err.request_id(), Some("r-err"));
    assert_eq!(server.requests().len(), 1, "a service error is not retried");
}

#[tokio::test]
async fn a_header_value_with_a_newline_is_refused_before_sending() {
    let server = Server::start(|_| vec![whole(200, "application/json", ANSWER)]).await;
    let client = server.client();
    for topic in ["t-1\r\nX-Evil: 1", "t-1\nX-Evil: 1", "t-1\r"] {
        let request = UploadLogRequest {
            topic_id: topic.into(),
            ..request()
        };
        let err = client
            .prepare_octet_stream::<_, UploadLogResponse, String>(
                &CLS,
                &UPLOAD_LOG,
                &request,
                "X-CLS-",
                BODY,
            )
            .await
            .unwrap_err();
        assert!(is_invalid_request(&err), "{topic:?}: {err:?}");
        assert!(err.to_string().contains("X-CLS-TopicId"), "{err}");
        assert!(
            !err.to_string().contains("X-Evil"),
            "the value is not shown"
        );
    }
    let headers = [("X-CLS-TopicId", "t-1"), ("X-CLS-HashKey", "a\nb")];
    let err = client
        .call_octet_stream("cls", "2020-10-16", "UploadLog", &headers, BODY)
        .await
        .unwrap_err();
    assert!(is_invalid_request(&err), "{err:?}");
    assert_eq!(server.settled_count().await, 0, "the server saw a request");
}

#[tokio::test]
async fn the_generic_call_sends_its_headers_and_bytes_signed() {
    let server = Server::start(|_| vec![whole(200, "application/json", ANSWER)]).await;
    let client = server.client();
    let headers = [
        ("X-CLS-TopicId", "0a1b2c3d-4e5f-6789-abcd-ef0123456789"),
        ("X-CLS-HashKey", "f4b5c6"),
        ("X-CLS-CompressType", "lz4"),
    ];
    let answer = client
        .call_octet_stream("cls", "2020-10-16", "UploadLog", &headers, BODY)
        .await
        .unwrap();
    assert_eq!(answer, json!({"RequestId": "r-upload"}));
    let requests = server.requests();
    let sent = &requests[0];
    assert_signed_octet_stream(sent, host(&server));
    for (name, value) in headers {
        assert_eq!(
            sent.header(&name.to_ascii_lowercase()),
            Some(value),
            "{name}"
        );
    }
}

#[tokio::test]
async fn an_idempotent_call_resends_the_same_bytes_after_a_5xx() {
    let server = Server::start(|n| match n {
        0 => vec![whole(502, "text/html", "<html>bad gateway</html>")],
        _ => vec![whole(200, "application/json", ANSWER)],
    })
    .await;
    let client = server.client();
    let request = request();
    let answer: UploadLogResponse = client
        .prepare_octet_stream::<_, _, String>(&CLS, &UPLOAD_LOG, &request, "X-CLS-", BODY)
        .retry_class(RetryClass::Idempotent)
        .await
        .unwrap();
    assert_eq!(answer.request_id, "r-upload");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for sent in &requests {
        assert_signed_octet_stream(sent, host(&server));
        assert_eq!(sent.header("x-cls-compresstype"), Some("lz4"));
    }
}

#[tokio::test]
async fn a_json_call_is_still_sent_and_signed_as_json() {
    let server = Server::start(|_| vec![whole(200, "application/json", ANSWER)]).await;
    let body = json!({"TopicId": "t-1"});
    let answer = server
        .client()
        .call_json("cls", "2020-10-16", "DescribeTopics", &body)
        .await
        .unwrap();
    assert_eq!(answer["RequestId"], "r-upload");
    let sent = &server.requests()[0];
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.body, br#"{"TopicId":"t-1"}"#);
    assert!(sent
        .headers
        .iter()
        .all(|(name, _)| !name.starts_with("x-cls-")));
    verify_tc3(sent, host(&server), "cls").unwrap();
}

#[tokio::test]
async fn a_mock_answers_an_octet_stream_call_and_reads_back_no_request() {
    let mock = Mock::new();
    let answer = UploadLogResponse {
        request_id: "r-mock".into(),
    };
    mock.on::<UploadLogRequest>()
        .when(|_| true)
        .fails_with("NeverMatched", "a predicate reads a JSON body")
        .repeatedly();
    mock.on::<UploadLogRequest>().returns(answer.clone());
    let client = mock.client();
    let request = request();
    // The body is JSON of an `UploadLogRequest`, yet no request to test.
    let body = br#"{"TopicId":"t-1"}"#;
    let got: UploadLogResponse = client
        .prepare_octet_stream::<_, _, String>(&CLS, &UPLOAD_LOG, &request, "X-CLS-", body)
        .await
        .unwrap();
    assert_eq!(got, answer);
    assert_eq!(mock.actions(), ["UploadLog"]);
    assert!(mock.requests::<UploadLogRequest>().is_empty());
}
