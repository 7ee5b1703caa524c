//! End-to-end: the generated LCIC client against a real HTTP server on
//! 127.0.0.1. Every server here checks every request's TC3 signature with its
//! own implementation (`sdk_tests::server::verify_tc3`), and its action,
//! version, headers and timestamp, before answering (`lcic_server`,
//! `dnspod_server`): a request that fails is answered with an error and fails
//! the test. The tests check what the client returns and how many requests
//! the server saw.

use sdk_tests::logs::Captured;
use sdk_tests::server::{verify_tc3, Answer, Recorded, RefusingPort, TestServer};
use sdk_tests::CountingTransport;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tencentcloud_lcic::{BatchCreateRoomRequest, Client, ErrorCode};
use tencentcloud_runtime::{
    Credentials, Endpoint, Error, HttpSettings, HttpTransport, RetryPolicy, TransportErrorKind,
};
use tracing_subscriber::fmt::format::FmtSpan;

const SECRET_ID: &str = "AKIDe2eTestIdEXAMPLE";
const SECRET_KEY: &str = "e2eSecretKeyValueEXAMPLE";
const TOKEN: &str = "e2eSessionTokenEXAMPLE";
const SUCCESS: &str = r#"{"Response":{"RoomIds":[301234567],"RequestId":"213das"}}"#;
const LIMITED: &str = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"Too many requests."},"RequestId":"lim"}}"#;

fn builder(server: &TestServer) -> tencentcloud_runtime::ClientBuilder {
    server.client_builder(SECRET_ID, SECRET_KEY)
}

fn lcic(runtime: tencentcloud_runtime::ClientBuilder) -> Client {
    Client::new(runtime.build().expect("the client builds"))
}

fn request() -> BatchCreateRoomRequest {
    sdk_tests::batch_create_room::one_room("Maths")
}

/// The body `request()` must be sent as, written out by hand.
fn request_json() -> serde_json::Value {
    sdk_tests::batch_create_room::one_room_json(1400000001, "Maths")
}

/// An LCIC server: checks every request as a signed `BatchCreateRoom`
/// (`check_request`), then answers as `script` says.
async fn lcic_server(
    script: impl Fn(&Recorded, usize) -> Answer + Send + Sync + 'static,
) -> TestServer {
    TestServer::start_checked(
        |request, host| check_request(request, host, "lcic", "BatchCreateRoom", "2022-08-17"),
        script,
    )
    .await
}

/// A DNSPod server for `DescribeUserDetail`, checked the same way.
async fn dnspod_server(
    script: impl Fn(&Recorded, usize) -> Answer + Send + Sync + 'static,
) -> TestServer {
    TestServer::start_checked(
        |request, host| check_request(request, host, "dnspod", "DescribeUserDetail", "2021-03-23"),
        script,
    )
    .await
}

/// Checks what every request must carry: a valid TC3 signature of
/// `service` with the test's keys, `action` and `version`, the JSON content
/// type, the server's own host, a current timestamp, `POST /`. Returns the
/// first problem.
fn check_request(
    request: &Recorded,
    host: &str,
    service: &str,
    action: &str,
    version: &str,
) -> Result<(), String> {
    verify_tc3(request, SECRET_ID, SECRET_KEY, service)?;
    let expect = |name: &str, want: &str| match request.header(name) {
        Some(value) if value == want => Ok(()),
        other => Err(format!("{name}: {other:?}, want {want:?}")),
    };
    expect("x-tc-action", action)?;
    expect("x-tc-version", version)?;
    expect("content-type", "application/json")?;
    expect("host", host)?;
    let timestamp: u64 = request
        .header("x-tc-timestamp")
        .ok_or("no X-TC-Timestamp")?
        .parse()
        .map_err(|e| format!("{e}"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    if now.abs_diff(timestamp) > 60 {
        return Err(format!("X-TC-Timestamp {timestamp} is not now ({now})"));
    }
    if request.method != "POST" || request.path != "/" {
        return Err(format!("{} {}", request.method, request.path));
    }
    Ok(())
}

#[tokio::test]
async fn a_signed_call_returns_the_decoded_response() {
    let server = lcic_server(|_, _| Answer::ok(SUCCESS)).await;
    let client = lcic(builder(&server).region("ap-singapore").language("en-US"));
    let response = client.batch_create_room(&request()).await.unwrap();
    assert_eq!(response.room_ids, Some(vec![301234567]));
    assert_eq!(response.request_id.as_deref(), Some("213das"));

    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(seen[0].header("x-tc-language"), Some("en-US"));
    assert_eq!(seen[0].header("x-tc-token"), None);
    let body: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(body, request_json());
}

#[tokio::test]
async fn temporary_credentials_send_their_token_and_no_region_means_no_header() {
    let server = lcic_server(|_, _| Answer::ok(SUCCESS)).await;
    let runtime = tencentcloud_runtime::Client::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN))
        .endpoint_url(server.url());
    lcic(runtime).batch_create_room(&request()).await.unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.header("x-tc-token"), Some(TOKEN));
    assert_eq!(seen.header("x-tc-region"), None);
}

#[tokio::test]
async fn a_wrong_key_fails_the_independent_signature_check() {
    let server = lcic_server(|_, _| Answer::ok(SUCCESS)).await;
    let runtime = tencentcloud_runtime::Client::builder()
        .credentials(Credentials::new(SECRET_ID, "another-key"))
        .endpoint_url(server.url());
    let err = lcic(runtime)
        .batch_create_room(&request())
        .await
        .unwrap_err();
    assert_eq!(
        err.code().map(ErrorCode::as_str),
        Some("TestServer.CheckFailed"),
        "{err:?}"
    );
    let failures = server.take_failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("signature"), "{failures:?}");
    assert!(verify_tc3(&server.requests()[0], SECRET_ID, SECRET_KEY, "lcic").is_err());
}

#[tokio::test]
async fn a_service_error_is_typed_and_not_retried() {
    let server = lcic_server(|_, _| {
        Answer::ok(r#"{"Response":{"Error":{"Code":"FailedOperation.ClassTooLong","Message":"too long"},"RequestId":"rq-1"}}"#)
    })
    .await;
    let err = lcic(builder(&server))
        .batch_create_room(&request())
        .await
        .unwrap_err();
    let service = err.service_error().expect("a service error");
    assert_eq!(service.code, ErrorCode::FailedOperationClassTooLong);
    assert_eq!(
        (service.message.as_str(), service.request_id.as_str()),
        ("too long", "rq-1")
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn request_limit_exceeded_is_retried_until_it_passes() {
    let server = lcic_server(|_, n| {
        if n < 2 {
            Answer::ok(LIMITED)
        } else {
            Answer::ok(SUCCESS)
        }
    })
    .await;
    let response = lcic(builder(&server))
        .batch_create_room(&request())
        .await
        .unwrap();
    assert_eq!(response.room_ids, Some(vec![301234567]));
    assert_eq!(server.count(), 3);
    for seen in server.requests() {
        let body: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
        assert_eq!(body, request_json());
    }
}

#[tokio::test]
async fn request_limit_retries_are_bounded() {
    let server = lcic_server(|_, _| Answer::ok(LIMITED)).await;
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(5));
    let err = lcic(builder(&server).retry(policy))
        .batch_create_room(&request())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::RequestLimitExceeded));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn http_500_is_a_clear_error_and_not_retried() {
    let server = lcic_server(|_, _| Answer::Text {
        status: 500,
        body: "<html>Internal Server Error</html>".into(),
    })
    .await;
    let err = lcic(builder(&server))
        .batch_create_room(&request())
        .await
        .unwrap_err();
    match &err {
        Error::Http {
            status: 500,
            excerpt,
            ..
        } => assert!(excerpt.contains("Internal Server Error")),
        other => panic!("expected an HTTP error, got {other:?}"),
    }
    assert!(err.to_string().contains("HTTP status 500"), "{err}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn bodies_that_are_not_envelopes_are_decode_errors() {
    for (body, reason) in [
        (
            Answer::Json {
                status: 200,
                body: "not json at all".into(),
            },
            "not a JSON object",
        ),
        (
            Answer::Json {
                status: 200,
                body: r#"{"Other":{}}"#.into(),
            },
            "no `Response`",
        ),
        (
            Answer::Json {
                status: 200,
                body: r#"{"Response":{"RoomIds":"many"}}"#.into(),
            },
            "does not match",
        ),
        (Answer::Bytes(vec![0xff, 0xfe, b'{']), "not UTF-8"),
    ] {
        let server = lcic_server(move |_, _| body.clone()).await;
        let err = lcic(builder(&server))
            .batch_create_room(&request())
            .await
            .unwrap_err();
        match &err {
            Error::Decode {
                status: 200,
                reason: r,
                ..
            } => assert!(r.contains(reason), "{r}"),
            other => panic!("expected a decode error ({reason}), got {other:?}"),
        }
        assert_eq!(server.count(), 1);
    }
}

fn assert_maybe_sent(err: &Error<ErrorCode>) {
    match err {
        Error::Transport { source, .. } => {
            assert_eq!(source.kind(), TransportErrorKind::MaybeSent, "{source}")
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// Sends one create to a server that always answers `answer`; checks the
/// call fails as "may have been sent" and that the server saw exactly one
/// request, even a while later (no retry).
async fn create_is_not_sent_again(answer: Answer) -> Error<ErrorCode> {
    let server = lcic_server(move |_, _| answer.clone()).await;
    let err = lcic(builder(&server))
        .batch_create_room(&request())
        .await
        .unwrap_err();
    assert_maybe_sent(&err);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.count(), 1);
    err
}

#[tokio::test]
async fn a_truncated_body_is_an_error_and_the_create_is_not_sent_again() {
    let err = create_is_not_sent_again(Answer::Truncated {
        declared: 400,
        body: SUCCESS[..30].into(),
    })
    .await;
    assert!(err.to_string().contains("cut off"), "{err}");
}

#[tokio::test]
async fn a_reset_mid_answer_is_not_retried() {
    create_is_not_sent_again(Answer::ResetMidBody {
        body: SUCCESS.into(),
    })
    .await;
}

#[tokio::test]
async fn a_connection_closed_without_answer_is_not_retried() {
    create_is_not_sent_again(Answer::Close).await;
}

#[tokio::test]
async fn a_slow_answer_times_out_and_no_duplicate_create_is_sent() {
    let server = lcic_server(|_, _| Answer::Slow {
        delay: Duration::from_secs(3),
        then: Box::new(Answer::ok(SUCCESS)),
    })
    .await;
    let client = lcic(builder(&server).timeout(Duration::from_millis(300)));
    let err = client.batch_create_room(&request()).await.unwrap_err();
    assert_maybe_sent(&err);
    assert!(err.to_string().contains("timed out"), "{err}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        server.count(),
        1,
        "the create was sent again after a timeout"
    );
}

#[tokio::test]
async fn a_slow_answer_within_the_timeout_succeeds() {
    let server = lcic_server(|_, _| Answer::Slow {
        delay: Duration::from_millis(200),
        then: Box::new(Answer::ok(SUCCESS)),
    })
    .await;
    let response = lcic(builder(&server))
        .batch_create_room(&request())
        .await
        .unwrap();
    assert_eq!(response.room_ids, Some(vec![301234567]));
}

/// The real HTTP transport to `url`, counting the attempts the client hands
/// it (a refused connection reaches no server that could count them).
fn counted_runtime(url: String, policy: RetryPolicy) -> (Client, sdk_tests::Attempts) {
    let settings = HttpSettings::default().endpoint(Endpoint::Url(url));
    let http = HttpTransport::new(Credentials::new(SECRET_ID, SECRET_KEY), settings).unwrap();
    let (transport, attempts) = CountingTransport::new(http);
    let runtime = tencentcloud_runtime::Client::builder()
        .retry(policy)
        .build_with_transport(transport);
    (Client::new(runtime), attempts)
}

// The paused clock: the backoff between attempts passes at once, and is measured exactly.
#[tokio::test(start_paused = true)]
async fn connection_refused_is_retried_then_reported() {
    // Bound and never listening: refused, and no one else can take the port.
    let port = RefusingPort::bind();
    let (client, attempts) = counted_runtime(port.url(), RetryPolicy::default());
    let started = tokio::time::Instant::now();
    let err = client.batch_create_room(&request()).await.unwrap_err();
    let elapsed = started.elapsed();
    match &err {
        Error::Transport { source, .. } => assert_eq!(source.kind(), TransportErrorKind::NotSent),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.to_string().contains("cannot connect"), "{err}");
    // The default policy: 3 attempts, the same request each time, 100..=200 ms
    // before the first retry and 200..=400 ms before the second.
    assert_eq!(
        attempts.count(),
        3,
        "every attempt is retried up to the policy's 3"
    );
    for body in attempts.bodies() {
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body, request_json());
    }
    let ms = Duration::from_millis;
    assert!(elapsed >= ms(300) && elapsed <= ms(602), "{elapsed:?}");

    // Without retries before sending, one attempt only.
    let (client, attempts) =
        counted_runtime(port.url(), RetryPolicy::default().retry_not_sent(false));
    client.batch_create_room(&request()).await.unwrap_err();
    assert_eq!(attempts.count(), 1);
}

#[tokio::test]
async fn an_answer_over_the_size_cap_is_refused() {
    let big = format!(r#"{{"Response":{{"RequestId":"{}"}}}}"#, "x".repeat(10_000));
    let server = lcic_server(move |_, _| Answer::ok(&big)).await;
    let err = lcic(builder(&server).max_response_bytes(1024))
        .batch_create_room(&request())
        .await
        .unwrap_err();
    match &err {
        Error::Transport { source, .. } => {
            assert_eq!(source.kind(), TransportErrorKind::BodyTooLarge)
        }
        other => panic!("expected a size error, got {other:?}"),
    }
}

// On the paused clock, which moves only when every task waits for a timer:
// the loopback server answers at once, so the only time that passes is the
// limiter's, whatever the machine's load.
#[tokio::test(start_paused = true)]
async fn a_burst_is_held_to_the_documented_rate_limit() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let noted = arrivals.clone();
    let server = lcic_server(move |_, _| {
        noted.lock().unwrap().push(tokio::time::Instant::now());
        Answer::ok(SUCCESS)
    })
    .await;
    let client = lcic(builder(&server));
    let started = tokio::time::Instant::now();
    let calls = (0..21).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.batch_create_room(&request()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    // 21 calls at BatchCreateRoom's 20/s: call k reaches the server 50·k ms
    // after the burst started, no sooner (and no later than the timer's 1 ms).
    let arrived: Vec<Duration> = arrivals
        .lock()
        .unwrap()
        .iter()
        .map(|t| *t - started)
        .collect();
    assert_eq!(arrived.len(), 21);
    for (k, at) in (0u64..).zip(&arrived) {
        let slot = Duration::from_millis(50 * k);
        assert!(
            *at >= slot && *at <= slot + Duration::from_millis(5),
            "call {k} arrived at {at:?}, its slot is {slot:?}: {arrived:?}"
        );
    }

    let unlimited = lcic(builder(&server).rate_limit(false));
    let started = tokio::time::Instant::now();
    for _ in 0..21 {
        unlimited.batch_create_room(&request()).await.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "the limit applied although it was switched off: {:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 42);
}

#[tokio::test]
async fn secrets_never_appear_in_errors_or_debug_output() {
    let server = lcic_server(|_, _| Answer::Text {
        status: 500,
        body: "boom".into(),
    })
    .await;
    let runtime = tencentcloud_runtime::Client::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN))
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let client = Client::new(runtime);
    let err = client.batch_create_room(&request()).await.unwrap_err();
    for shown in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(
            !shown.contains(SECRET_KEY) && !shown.contains(TOKEN),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn the_example_program_prints_the_response_or_the_service_error() {
    let dir = sdk_tests::scratch_dir("example-program");
    let path = dir.join("request.json");
    std::fs::write(&path, serde_json::to_string(&request()).unwrap()).unwrap();
    let args = [path.display().to_string()];

    let server = lcic_server(|_, _| Answer::ok(SUCCESS)).await;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let setup = || builder(&server).build().map(Client::new);
    let code = sdk_tests::batch_create_room::run(&args, setup, &mut out, &mut err).await;
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    let printed: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        printed,
        serde_json::json!({"RoomIds": [301234567], "RequestId": "213das"})
    );
    let sent: serde_json::Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    assert_eq!(sent, request_json());

    let failing = lcic_server(|_, _| {
        Answer::ok(r#"{"Response":{"Error":{"Code":"InvalidParameter.SdkAppId","Message":"SdkAppId is incorrect."},"RequestId":"rq-7"}}"#)
    })
    .await;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let setup = || builder(&failing).build().map(Client::new);
    let code = sdk_tests::batch_create_room::run(&args, setup, &mut out, &mut err).await;
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(
        String::from_utf8(err).unwrap(),
        "error: InvalidParameter.SdkAppId: SdkAppId is incorrect. (request id rq-7)\n"
    );

    let (mut out, mut err) = (Vec::new(), Vec::new());
    let missing = [dir.join("missing.json").display().to_string()];
    let code = sdk_tests::batch_create_room::run(
        &missing,
        || unreachable!("no call without a request"),
        &mut out,
        &mut err,
    )
    .await;
    assert_eq!(code, 1);
    assert!(String::from_utf8(err)
        .unwrap()
        .starts_with("error: cannot read"));
}

#[tokio::test]
async fn each_call_is_traced_with_action_attempt_request_id_and_latency_and_no_secret() {
    let (captured, _guard) = Captured::install(tracing::Level::INFO, FmtSpan::CLOSE);

    let server = lcic_server(|_, n| {
        if n == 0 {
            Answer::ok(LIMITED)
        } else {
            Answer::ok(SUCCESS)
        }
    })
    .await;
    let runtime =
        builder(&server).credentials(Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN));
    lcic(runtime).batch_create_room(&request()).await.unwrap();

    let log = captured.text();
    assert!(log.contains("tencentcloud.call"), "{log}");
    assert!(log.contains("action=\"BatchCreateRoom\""), "{log}");
    assert!(
        log.contains("retrying") && log.contains("reason=\"RequestLimitExceeded\""),
        "{log}"
    );
    assert!(
        log.contains("attempt{attempt=2 status=200 request_id=\"213das\""),
        "{log}"
    );
    assert!(log.contains("attempts=2"), "{log}");
    assert!(log.contains("request_id=\"213das\""), "{log}");
    assert!(log.contains("latency_ms="), "{log}");
    assert!(
        !log.contains(SECRET_KEY) && !log.contains(TOKEN),
        "a secret reached the log:\n{log}"
    );
}

#[tokio::test]
async fn a_traced_failing_call_leaks_no_secret_to_logs_errors_debug_or_panics() {
    // Everything, the HTTP stack's own debug and trace events included.
    let (captured, _guard) = Captured::install(tracing::Level::TRACE, FmtSpan::FULL);

    // Rate limited (retried), then an authentication failure, then a reset.
    let server = lcic_server(|_, n| match n {
        0 => Answer::ok(LIMITED),
        1 => Answer::ok(r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad signature"},"RequestId":"au"}}"#),
        _ => Answer::ResetMidBody { body: SUCCESS.into() },
    })
    .await;
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
    let client = lcic(builder(&server).credentials(credentials.clone()));
    let auth = client.batch_create_room(&request()).await.unwrap_err();
    let reset = client.batch_create_room(&request()).await.unwrap_err();

    let mut shown = vec![
        captured.text(),
        format!("{auth} {auth:?} {reset} {reset:?}"),
        format!("{client:?} {credentials:?}"),
    ];
    for err in [auth, reset] {
        // What a user's `.unwrap()` on the failed call prints.
        let failed = std::hint::black_box(Err::<(), _>(err));
        let unwrap = std::panic::AssertUnwindSafe(|| failed.unwrap());
        let payload = std::panic::catch_unwind(unwrap).expect_err("unwrap of an error panics");
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .expect("unwrap panics with a formatted message");
        shown.push(message);
    }
    assert!(
        shown[0].contains("tencentcloud.call") && shown[0].contains("request_id=\"au\""),
        "the log did not capture the calls:\n{}",
        shown[0]
    );
    for text in shown {
        for secret in [SECRET_KEY, TOKEN] {
            assert!(!text.contains(secret), "a secret leaked:\n{text}");
        }
    }
}

/// One DNSPod call through `runtime`, for tests of two services sharing it.
async fn describe_user(runtime: tencentcloud_runtime::Client) {
    let dnspod = tencentcloud_dnspod::Client::new(runtime);
    let request = tencentcloud_dnspod::DescribeUserDetailRequest::default();
    dnspod.describe_user_detail(&request).await.unwrap();
}

/// The one request `server` saw, checked as signed for `service` at that
/// server's host (the server checked it too, as `lcic_server` and
/// `dnspod_server` do).
fn signed_for(server: &TestServer, service: &str, action: &str) -> Recorded {
    let seen = server.requests();
    assert_eq!(seen.len(), 1, "{service}: {} requests", seen.len());
    verify_tc3(&seen[0], SECRET_ID, SECRET_KEY, service).unwrap();
    assert_eq!(seen[0].header("host"), Some(server.host().as_str()));
    assert_eq!(seen[0].header("x-tc-action"), Some(action));
    seen[0].clone()
}

#[tokio::test]
async fn two_services_on_one_runtime_with_an_override_for_one_each_go_to_their_own_host() {
    let dnspod_answer = r#"{"Response":{"RequestId":"d1"}}"#;
    for generated_override in [false, true] {
        let lcic_server = lcic_server(|_, _| Answer::ok(SUCCESS)).await;
        let other = dnspod_server(move |_, _| Answer::ok(dnspod_answer)).await;
        // Every service goes to `other`, except LCIC: overridden on the
        // runtime builder, or on the generated LCIC client.
        let runtime = builder(&other);
        let (runtime, lcic) = if generated_override {
            let runtime = runtime.build().unwrap();
            let lcic = Client::new(runtime.clone()).with_endpoint(lcic_server.url());
            (runtime, lcic)
        } else {
            let runtime = runtime
                .service_endpoint("lcic", lcic_server.url())
                .build()
                .unwrap();
            (runtime.clone(), Client::new(runtime))
        };
        lcic.batch_create_room(&request()).await.unwrap();
        describe_user(runtime).await;
        signed_for(&lcic_server, "lcic", "BatchCreateRoom");
        signed_for(&other, "dnspod", "DescribeUserDetail");
    }
}

#[tokio::test]
async fn calls_of_an_overridden_service_never_fall_back_to_the_shared_endpoint() {
    // LCIC is pointed at a closed port: its calls fail there rather than
    // reach the host every other service uses.
    let other = dnspod_server(|_, _| Answer::ok(r#"{"Response":{"RequestId":"d1"}}"#)).await;
    let runtime = builder(&other)
        .service_endpoint("lcic", "http://127.0.0.1:1")
        .build()
        .unwrap();
    describe_user(runtime.clone()).await;
    signed_for(&other, "dnspod", "DescribeUserDetail");
    let err = Client::new(runtime)
        .batch_create_room(&request())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::NotSent),
        "LCIC did not go to its own endpoint: {err:?}"
    );
    assert_eq!(
        other.count(),
        1,
        "the LCIC call reached the other service's host"
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_reports_its_location() {
    // Where the redirect points: it must receive nothing, least of all the
    // signed call and its session token.
    let elsewhere = TestServer::start(|_, _| Answer::ok(SUCCESS)).await;
    for status in [301, 302, 307, 308] {
        let location = format!("{}/collect", elsewhere.url());
        let target = location.clone();
        let server = TestServer::start(move |_, _| Answer::Redirect {
            status,
            location: target.clone(),
        })
        .await;
        let credentials = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
        let client = lcic(builder(&server).credentials(credentials));
        let err = client.batch_create_room(&request()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: s, .. } if *s == status),
            "{status}: {err:?}"
        );
        assert_eq!(err.location(), Some(location.as_str()), "{status}");
        assert!(
            err.to_string().contains(&format!(
                "HTTP status {status} (a redirect to {location}, not followed)"
            )),
            "{err}"
        );
        assert_eq!(server.count(), 1, "{status}: retried");
        // An idempotent call is not retried either: a redirect is no 5xx.
        let describe = tencentcloud_lcic::DescribeRoomRequest::new(
            tencentcloud_lcic::required::DescribeRoomRequest { room_id: 7 },
        );
        let err = client.describe_room(&describe).await.unwrap_err();
        assert_eq!(err.location(), Some(location.as_str()));
        assert_eq!(server.count(), 2, "{status}: retried");
    }
    assert_eq!(elsewhere.count(), 0, "the redirect was followed");
}

#[tokio::test]
async fn a_region_that_is_no_region_name_is_refused_before_anything_is_sent() {
    let server = lcic_server(|_, _| Answer::ok(SUCCESS)).await;
    let err = builder(&server).region("ap-x/evil").build().unwrap_err();
    assert!(
        matches!(&err, tencentcloud_runtime::BuildError::InvalidRegion { region, .. } if region == "ap-x/evil"),
        "{err:?}"
    );
    // The same in one call's options, and in the regional host.
    let client = lcic(builder(&server));
    for region in ["ap-x/evil", "ap-x.evil.example", "AP-GUANGZHOU", ""] {
        let err = client
            .batch_create_room(&request())
            .region(region)
            .await
            .unwrap_err();
        match &err {
            Error::Transport { source, .. } => {
                assert_eq!(
                    source.kind(),
                    TransportErrorKind::InvalidRequest,
                    "{region:?}"
                )
            }
            other => panic!("{region:?}: expected an invalid request, got {other:?}"),
        }
        assert!(err.to_string().contains("invalid region"), "{err}");
    }
    let regional = lcic(
        tencentcloud_runtime::Client::builder()
            .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
            .regional(),
    );
    let err = regional
        .batch_create_room(&request())
        .region("ap-x/evil")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("invalid region"), "{err}");
    assert_eq!(server.count(), 0);
}

/// The values the transport makes without a copy (the `Authorization`
/// value, an action's name, a version) are still checked: one that cannot
/// be a header value fails the call as an invalid request, naming what is
/// wrong, with nothing sent.
#[tokio::test]
async fn a_secret_id_or_action_that_cannot_be_sent_in_a_header_is_refused_before_sending() {
    let server = lcic_server(|_, _| Answer::ok(SUCCESS)).await;
    let expect_invalid = |err: &Error<ErrorCode>, says: &str| {
        match err {
            Error::Transport { source, .. } => {
                assert_eq!(source.kind(), TransportErrorKind::InvalidRequest, "{err:?}")
            }
            other => panic!("expected an invalid request, got {other:?}"),
        }
        assert!(err.to_string().contains(says), "{err}");
    };
    let bad_id = lcic(server.client_builder("AKID\nEXAMPLE", SECRET_KEY));
    let err = bad_id.batch_create_room(&request()).await.unwrap_err();
    expect_invalid(&err, r#"the secret id "AKID\nEXAMPLE" cannot be sent"#);
    let client = builder(&server).build().expect("the client builds");
    let service = tencentcloud_lcic::v20220817::SERVICE;
    for (service, action, says) in [
        (
            service,
            "Batch\rCreateRoom",
            r#""Batch\rCreateRoom" is no valid value of header x-tc-action"#,
        ),
        (
            tencentcloud_runtime::Service {
                version: "2022\n08-17",
                ..service
            },
            "BatchCreateRoom",
            r#""2022\n08-17" is no valid value of header x-tc-version"#,
        ),
    ] {
        let action = tencentcloud_runtime::Action::new(action);
        let err = client
            .call::<_, serde_json::Value, ErrorCode>(&service, &action, &request())
            .await
            .unwrap_err();
        expect_invalid(&err, says);
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn an_answer_that_does_not_decode_keeps_its_secrets_out_of_messages() {
    // A success whose `Response` does not match the type, carrying a
    // secret (as an answer of a credentials action would).
    let secret = "tmpSecretKeyInTheBodyEXAMPLE";
    let body = format!(
        r#"{{"Response":{{"RoomIds":"{secret}","Credentials":{{"TmpSecretKey":"{secret}"}},"RequestId":"dec"}}}}"#
    );
    let answer = body.clone();
    let server = lcic_server(move |_, _| Answer::ok(&answer)).await;
    let err = lcic(builder(&server))
        .batch_create_room(&request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    for shown in [format!("{err}"), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!shown.contains(secret), "the body leaked: {shown}");
    }
    assert!(err.to_string().contains("at `RoomIds`"), "{err}");
    assert_eq!(err.body(), Some(body.as_bytes()), "the body is kept whole");
    assert_eq!(err.request_id(), Some("dec"));
}

/// Issue #27: an STS `GetFederationToken` answer, decoded by the generated
/// sts crate and printed with `{:?}` (as a log line would), shows that its
/// `Token` and `TmpSecretKey` are set but not what they are; members that
/// are not secrets print as they are. The answer is Tencent's published
/// example with its values filled in.
#[tokio::test]
async fn a_generated_answers_debug_does_not_print_its_secrets() {
    use catalog_sample_build_time::sts::{required, Client, GetFederationTokenRequest};
    let (token, key) = ("federationTokenEXAMPLE", "tmpSecretKeyEXAMPLE");
    let body = format!(
        r#"{{"Response":{{"Credentials":{{"Token":"{token}","TmpSecretId":"AKIDtmpIdEXAMPLE","TmpSecretKey":"{key}"}},"Expiration":"2023-06-14T05:06:57Z","ExpiredTime":1686719217,"RequestId":"sts"}}}}"#
    );
    let server = TestServer::start_checked(
        |request, host| check_request(request, host, "sts", "GetFederationToken", "2018-08-13"),
        move |_, _| Answer::ok(&body),
    )
    .await;
    let sts = Client::new(builder(&server).build().expect("the client builds"));
    let request = GetFederationTokenRequest::new(required::GetFederationTokenRequest {
        name: "reader".into(),
        policy: "{}".into(),
    });
    let answer = sts.get_federation_token(&request).await.unwrap();
    let credentials = answer.credentials.as_ref().expect("decoded");
    assert_eq!(
        credentials.tmp_secret_key.as_deref(),
        Some(key),
        "the value is there to use"
    );
    for shown in [format!("{answer:?}"), format!("{answer:#?}")] {
        assert!(
            !shown.contains(token) && !shown.contains(key),
            "a secret leaked: {shown}"
        );
        assert!(
            shown.contains("AKIDtmpIdEXAMPLE"),
            "the key id is not a secret: {shown}"
        );
        assert!(shown.contains("tmp_secret_key: <redacted>"), "{shown}");
    }
    assert_eq!(
        format!(
            "{:?}",
            catalog_sample_build_time::sts::Credentials::default()
        ),
        r#"Credentials { token: None, tmp_secret_id: None, tmp_secret_key: None }"#,
        "unset secrets show as unset"
    );
}

/// Issue #28: cls `UploadLog`, generated from the published spec, sends its
/// members as `X-CLS-…` headers and the log bytes as the body
/// (`application/octet-stream`), signed over the bytes: the server checks
/// the TC3 signature with the body it received.
#[tokio::test]
async fn upload_log_sends_its_bytes_signed_with_the_members_as_headers() {
    use catalog_sample_build_time::cls::{required, Client, UploadLogRequest};
    let bytes: Vec<u8> = (0..=255u8).chain([0, 0x0a, 0xff]).collect();
    let server = TestServer::start_checked(
        |request, host| {
            verify_tc3(request, SECRET_ID, SECRET_KEY, "cls")?;
            let want = [
                ("host", host),
                ("x-tc-action", "UploadLog"),
                ("x-tc-version", "2020-10-16"),
                ("content-type", "application/octet-stream"),
                ("x-cls-topicid", "topic-1"),
                ("x-cls-compresstype", "lz4"),
            ];
            for (name, value) in want {
                if request.header(name) != Some(value) {
                    return Err(format!(
                        "{name}: {:?}, want {value:?}",
                        request.header(name)
                    ));
                }
            }
            match request.header("x-cls-hashkey") {
                None => Ok(()),
                Some(v) => Err(format!("an unset member went as a header: {v}")),
            }
        },
        |_, _| Answer::ok(r#"{"Response":{"RequestId":"up-1"}}"#),
    )
    .await;
    let cls = Client::new(builder(&server).build().expect("the client builds"));
    let request = UploadLogRequest::new(required::UploadLogRequest {
        topic_id: "topic-1".into(),
    })
    .with_compress_type("lz4".to_owned());
    let answer = cls.upload_log_bytes(&request, &bytes).await.unwrap();
    assert_eq!(answer.request_id.as_deref(), Some("up-1"));
    assert_eq!(
        server.requests()[0].body,
        bytes,
        "the bytes arrive as they are"
    );
}

/// A number given where a string is declared keeps its text as the answer
/// wrote it, digits a double would round included; a call by name gets the
/// JSON as serde_json reads it.
#[tokio::test]
async fn a_string_member_given_a_long_number_keeps_every_digit() {
    const LONG: &str =
        r#"{"Response":{"RoomIds":[301234567],"RequestId":123456789012345678901234}}"#;
    let server = lcic_server(|_, _| Answer::ok(LONG)).await;
    let client = lcic(builder(&server));
    let response = client.batch_create_room(&request()).await.unwrap();
    assert_eq!(
        response.request_id.as_deref(),
        Some("123456789012345678901234")
    );
    assert_eq!(response.room_ids, Some(vec![301234567]));

    let runtime = builder(&server).build().unwrap();
    let body = request_json();
    let value = runtime
        .call_json("lcic", "2022-08-17", "BatchCreateRoom", &body)
        .await
        .unwrap();
    let as_serde_reads: serde_json::Value =
        serde_json::from_str("123456789012345678901234").unwrap();
    assert!(as_serde_reads.is_f64());
    assert_eq!(value["RequestId"], as_serde_reads);
}
