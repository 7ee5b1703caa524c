//! Issue #29's per-call settings against a loopback server: the headers a
//! client and a call add (and the ones they may not), the `X-TC-TraceId`
//! every attempt of a call shares and its errors carry, the
//! `X-TC-RequestClient` naming this SDK and the app, the wire log (with no
//! secret in it) and the warning on a `DeprecatedWarning` answer.

use sdk_tests::logs::Captured;
use sdk_tests::server::{Answer, TestServer};
use std::time::Duration;
use tencentcloud_lcic::{BatchCreateRoomRequest, Client};
use tencentcloud_runtime::{
    BuildError, Credentials, Endpoint, Error, HttpSettings, HttpTransport, RetryPolicy,
    TransportErrorKind,
};
use tracing_subscriber::fmt::format::FmtSpan;

const SECRET_ID: &str = "AKIDheadersTestEXAMPLE";
const SECRET_KEY: &str = "headersSecretKeyEXAMPLE";
const TOKEN: &str = "headersSessionTokenEXAMPLE";
const SUCCESS: &str = r#"{"Response":{"RoomIds":[301234567],"RequestId":"ok-1"}}"#;
const LIMITED: &str = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"Too many requests."},"RequestId":"lim"}}"#;

fn request() -> BatchCreateRoomRequest {
    sdk_tests::batch_create_room::one_room("Maths")
}

fn builder(server: &TestServer) -> tencentcloud_runtime::ClientBuilder {
    server.client_builder(SECRET_ID, SECRET_KEY)
}

fn lcic(builder: tencentcloud_runtime::ClientBuilder) -> Client {
    Client::new(builder.build().expect("the client builds"))
}

/// Whether `text` is a UUID v4 as `X-TC-TraceId` sends one (8-4-4-4-12 hex).
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups[2].starts_with('4')
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[tokio::test]
async fn client_and_call_headers_arrive_in_order() {
    let server = TestServer::start(|_, _| Answer::ok(SUCCESS)).await;
    let client = lcic(
        builder(&server)
            .header("X-TC-Canary", "true")
            .header("X-Team", "billing"),
    );
    client
        .batch_create_room(&request())
        .header("X-Team", "billing-sync")
        .header("X-Request-Tag", "nightly")
        .await
        .unwrap();
    client.batch_create_room(&request()).await.unwrap();

    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("x-tc-canary"), Some("true"));
    assert_eq!(seen[0].header("x-request-tag"), Some("nightly"));
    let teams: Vec<&str> = seen[0]
        .headers
        .iter()
        .filter(|(name, _)| name == "x-team")
        .map(|(_, value)| value.as_str())
        .collect();
    assert_eq!(
        teams,
        ["billing", "billing-sync"],
        "the client's, then the call's"
    );
    assert_eq!(
        seen[1].header("x-request-tag"),
        None,
        "a call's header is its own"
    );
    assert_eq!(seen[1].header("x-tc-canary"), Some("true"));
    // The headers the client writes are still its own.
    assert_eq!(seen[0].header("x-tc-action"), Some("BatchCreateRoom"));
    assert!(seen[0]
        .header("authorization")
        .is_some_and(|a| a.starts_with("TC3-HMAC-SHA256 ")));
}

#[tokio::test]
async fn headers_the_client_writes_are_refused_with_nothing_sent() {
    let server = TestServer::start(|_, _| Answer::ok(SUCCESS)).await;
    let client = lcic(builder(&server));
    for name in [
        "Authorization",
        "X-TC-Action",
        "x-tc-timestamp",
        "X-TC-TraceId",
        "X-TC-RequestClient",
        "Host",
        "Content-Type",
    ] {
        let err = client
            .batch_create_room(&request())
            .header(name, "x")
            .await
            .unwrap_err();
        match &err {
            Error::Transport { source, .. } => {
                assert_eq!(source.kind(), TransportErrorKind::InvalidRequest, "{name}");
                assert!(err.to_string().contains(name), "{err}");
            }
            other => panic!("{name}: expected an invalid request, got {other:?}"),
        }
    }
    let err = client
        .batch_create_room(&request())
        .header("X-Team", "line\nX-Evil: 1")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("X-Team"), "{err}");
    assert_eq!(server.count(), 0, "nothing was sent");

    let refused = builder(&server)
        .header("X-TC-Action", "DeleteEverything")
        .build()
        .unwrap_err();
    assert!(
        matches!(refused, BuildError::InvalidHeader(_)),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("X-TC-Action"), "{refused}");

    // A client built around a transport of its own checks them per call.
    let settings = HttpSettings::default().endpoint(Endpoint::Url(server.url()));
    let transport = HttpTransport::new(Credentials::new(SECRET_ID, SECRET_KEY), settings).unwrap();
    let runtime = tencentcloud_runtime::Client::builder()
        .header("Authorization", "x")
        .build_with_transport(transport);
    let err = Client::new(runtime)
        .batch_create_room(&request())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Authorization"), "{err}");
    assert_eq!(server.count(), 0, "nothing was sent");
}

#[tokio::test]
async fn the_trace_id_is_the_same_on_every_attempt_and_in_the_error() {
    let server = TestServer::start(|_, _| Answer::ok(LIMITED)).await;
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5));
    let client = lcic(builder(&server).retry(policy));
    let err = client.batch_create_room(&request()).await.unwrap_err();
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    let trace = seen[0].header("x-tc-traceid").expect("a trace id");
    assert!(is_uuid(trace), "{trace}");
    for attempt in &seen {
        assert_eq!(attempt.header("x-tc-traceid"), Some(trace));
    }
    assert_eq!(err.trace_id(), Some(trace));
    let ids = err.service_error().unwrap().call.as_deref().unwrap();
    assert_eq!(ids.trace_id, trace);
    assert_eq!(ids.client_token, None, "BatchCreateRoom has no ClientToken");

    // Another call, another id; a transport error carries its own too.
    let again = client.batch_create_room(&request()).await.unwrap_err();
    assert_ne!(again.trace_id(), Some(trace));
    let refused = sdk_tests::server::RefusingPort::bind();
    let client = lcic(
        builder(&server)
            .endpoint_url(refused.url())
            .retry(RetryPolicy::never()),
    );
    let err = client.batch_create_room(&request()).await.unwrap_err();
    assert!(err.trace_id().is_some_and(is_uuid), "{err:?}");
}

#[tokio::test]
async fn the_request_client_names_the_sdk_and_the_app() {
    let server = TestServer::start(|_, _| Answer::ok(SUCCESS)).await;
    let sdk = format!("SDK_RUST_{}", env!("CARGO_PKG_VERSION"));
    lcic(builder(&server))
        .batch_create_room(&request())
        .await
        .unwrap();
    lcic(builder(&server).app_name("billing-sync 2.1"))
        .batch_create_room(&request())
        .await
        .unwrap();
    let seen = server.requests();
    assert_eq!(seen[0].header("x-tc-requestclient"), Some(sdk.as_str()));
    assert_eq!(
        seen[1].header("x-tc-requestclient"),
        Some(format!("{sdk}: billing-sync 2.1").as_str())
    );
    let err = builder(&server)
        .app_name("billing/sync")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidAppName { .. }), "{err:?}");
    assert!(err.to_string().contains("billing/sync"), "{err}");
}

/// The wire log shows each request and answer, and none of the call's
/// secrets: not the key, the signature, the session token, nor a secret
/// member of either body.
#[tokio::test]
async fn the_wire_log_shows_the_call_and_no_secret() {
    let (captured, _guard) = Captured::install(tracing::Level::TRACE, FmtSpan::NONE);
    let answer = r#"{"Response":{"RoomIds":[301234567],"AdminPassword":"pw-ANSWER-SECRET","RequestId":"ok-2"}}"#;
    let server = TestServer::start(move |_, _| Answer::ok(answer)).await;
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
    let runtime = builder(&server).credentials(credentials).build().unwrap();
    let body = serde_json::json!({"InstanceId": "ins-1", "Password": "pw-REQUEST-SECRET"});
    runtime
        .call_json("cvm", "2017-03-12", "ResetInstancesPassword", &body)
        .await
        .unwrap();
    let signature = server.requests()[0]
        .header("authorization")
        .and_then(|a| a.rsplit("Signature=").next())
        .expect("a signature")
        .to_owned();
    let log = captured.text();
    assert!(log.contains("tencentcloud::wire"), "{log}");
    for shown in [
        "request",
        "answer",
        "ResetInstancesPassword",
        "ins-1",
        "ok-2",
        "x-tc-traceid",
    ] {
        assert!(log.contains(shown), "{shown} missing from\n{log}");
    }
    for secret in [
        SECRET_KEY,
        TOKEN,
        signature.as_str(),
        "pw-REQUEST-SECRET",
        "pw-ANSWER-SECRET",
    ] {
        assert!(!log.contains(secret), "{secret} in\n{log}");
    }
}

#[tokio::test]
async fn a_deprecated_warning_is_a_warn_event() {
    let (captured, _guard) = Captured::install(tracing::Level::WARN, FmtSpan::NONE);
    let answer = r#"{"Response":{"RoomIds":[1],"DeprecatedWarning":"Parameter `Resolution` is deprecated.","RequestId":"dep-1"}}"#;
    let server = TestServer::start(move |_, _| Answer::ok(answer)).await;
    lcic(builder(&server))
        .batch_create_room(&request())
        .await
        .unwrap();
    let log = captured.text();
    assert!(log.contains("WARN"), "{log}");
    assert!(
        log.contains("Parameter `Resolution` is deprecated."),
        "{log}"
    );
    assert!(
        log.contains("dep-1") && log.contains("BatchCreateRoom"),
        "{log}"
    );
}
