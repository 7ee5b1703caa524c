//! Credential providers end to end: real HTTP servers on 127.0.0.1 stand in
//! for the CVM instance metadata service, for STS and for the LCIC API. The
//! fake API accepts a call only when its TC3 signature checks out (with the
//! project's own, independent implementation, `verify_tc3`) against
//! temporary credentials the fake metadata service or STS handed out, and
//! the `X-TC-Token` sent is theirs.

use sdk_tests::logs::Captured;
use sdk_tests::server::{verify_tc3, Answer, Recorded, RefusingPort, TestServer};
use sdk_tests::unix_in;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tencentcloud_lcic::{BatchCreateRoomRequest, Client};
use tencentcloud_runtime::credentials::{
    ChainProvider, CredentialsError, CvmRoleProvider, OidcRoleArnProvider, ProvideCredentials,
    RoleArnProvider,
};
use tencentcloud_runtime::{Credentials, Error, TransportErrorKind};
use tracing_subscriber::fmt::format::FmtSpan;

const SUCCESS: &str = r#"{"Response":{"RoomIds":[301234567],"RequestId":"213das"}}"#;
const ROLE: &str = "cvm-reader";
const BASE_ID: &str = "AKIDbaseIdEXAMPLE";
const BASE_KEY: &str = "baseSecretKeyEXAMPLE";
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/reader";
const WEB_IDENTITY_TOKEN: &str = "eyJwebIdentityTokenEXAMPLE";

/// The n-th temporary credentials the fakes hand out (from 1).
fn issued(n: usize) -> (String, String, String) {
    (
        format!("AKIDtmp{n}"),
        format!("tmpSecretKey{n}EXAMPLE"),
        format!("tmpSessionToken{n}EXAMPLE"),
    )
}

/// Every secret a test could leak: keys and tokens handed out, the base key
/// and the web identity token.
fn secrets() -> Vec<String> {
    let mut all = vec![BASE_KEY.to_owned(), WEB_IDENTITY_TOKEN.to_owned()];
    for n in 1..=3 {
        let (_, key, token) = issued(n);
        all.extend([key, token]);
    }
    all
}

fn assert_no_secret(text: &str) {
    for secret in secrets() {
        assert!(!text.contains(&secret), "a secret leaked:\n{text}");
    }
}

fn json(status: u16, body: String) -> Answer {
    Answer::Json { status, body }
}

/// Temporary credentials n as the metadata service sends them.
fn metadata_document(n: usize, lifetime: u64) -> String {
    let (id, key, token) = issued(n);
    let expires = unix_in(lifetime);
    format!(
        r#"{{"TmpSecretId":"{id}","TmpSecretKey":"{key}","ExpiredTime":{expires},"Expiration":"2030-01-01T00:00:00Z","Token":"{token}","Code":"Success"}}"#
    )
}

/// Temporary credentials n as STS sends them.
fn sts_answer(n: usize, lifetime: u64) -> String {
    let (id, key, token) = issued(n);
    let expires = unix_in(lifetime);
    format!(
        r#"{{"Response":{{"Credentials":{{"Token":"{token}","TmpSecretId":"{id}","TmpSecretKey":"{key}"}},"ExpiredTime":{expires},"Expiration":"2030-01-01T00:00:00Z","RequestId":"sts-{n}"}}}}"#
    )
}

/// The fake LCIC API: accepts a call signed with handed-out credentials n
/// and carrying token n, for any n; answers `AuthFailure` otherwise.
async fn fake_api() -> TestServer {
    TestServer::start(|request, _| match accepted(request) {
        Ok(_) => json(200, SUCCESS.to_owned()),
        Err(reason) => json(
            200,
            format!(
                r#"{{"Response":{{"Error":{{"Code":"AuthFailure.SignatureFailure","Message":"{}"}},"RequestId":"api"}}}}"#,
                reason.replace('"', "'")
            ),
        ),
    })
    .await
}

/// Which handed-out credentials signed `request`, if its signature and token are right.
fn accepted(request: &Recorded) -> Result<usize, String> {
    let auth = request.header("authorization").ok_or("no Authorization")?;
    for n in 1..=200 {
        let (id, key, token) = issued(n);
        if auth.contains(&format!("Credential={id}/")) {
            verify_tc3(request, &id, &key, "lcic")?;
            return match request.header("x-tc-token") {
                Some(sent) if sent == token => Ok(n),
                other => Err(format!("X-TC-Token {other:?} is not the token of {id}")),
            };
        }
    }
    Err(format!("signed with unknown credentials: {auth}"))
}

/// The token numbers the fake API accepted, in order.
fn tokens_used(api: &TestServer) -> Vec<usize> {
    api.requests()
        .iter()
        .map(|r| accepted(r).expect("every call the test makes is signed right"))
        .collect()
}

/// A fake metadata service: `GET …/security-credentials/` gives the role,
/// `GET …/security-credentials/<role>` the credentials `document(n)` for the
/// n-th such request (from 1), after `delay`.
struct Metadata {
    server: TestServer,
    fetches: Arc<AtomicUsize>,
}

impl Metadata {
    async fn start(
        delay: Duration,
        document: impl Fn(usize) -> String + Send + Sync + 'static,
    ) -> Self {
        let fetches = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&fetches);
        let server = TestServer::start(move |request, _| {
            let answer = if request.path == "/latest/meta-data/cam/security-credentials/" {
                json(200, ROLE.to_owned())
            } else if request.path == format!("/latest/meta-data/cam/security-credentials/{ROLE}") {
                json(200, document(counted.fetch_add(1, Ordering::SeqCst) + 1))
            } else {
                json(404, "not found".to_owned())
            };
            Answer::Slow {
                delay,
                then: Box::new(answer),
            }
        })
        .await;
        Metadata { server, fetches }
    }

    fn provider(&self) -> CvmRoleProvider {
        CvmRoleProvider::new().base_url(format!(
            "{}/latest/meta-data/cam/security-credentials/",
            self.server.url()
        ))
    }
}

fn lcic(provider: impl ProvideCredentials, api: &TestServer) -> Client {
    let runtime = tencentcloud_runtime::Client::builder()
        .credentials_provider(provider)
        .endpoint_url(api.url())
        .rate_limit(false)
        .build()
        .expect("the client builds");
    Client::new(runtime)
}

fn request() -> BatchCreateRoomRequest {
    sdk_tests::batch_create_room::one_room("Maths")
}

/// The credentials error behind a failed call.
fn credentials_error(err: &tencentcloud_lcic::Error) -> &CredentialsError {
    match err {
        Error::Transport { source, .. } if source.kind() == TransportErrorKind::Credentials => {
            source
                .credentials_error()
                .expect("a Credentials transport error carries its cause")
        }
        other => panic!("expected a credentials error, got {other:?}"),
    }
}

#[tokio::test]
async fn cvm_role_credentials_are_accepted_by_the_api_and_reused() {
    let metadata = Metadata::start(Duration::ZERO, |n| metadata_document(n, 3600)).await;
    let api = fake_api().await;
    let client = lcic(metadata.provider(), &api);
    for _ in 0..3 {
        client.batch_create_room(&request()).await.unwrap();
    }
    assert_eq!(tokens_used(&api), [1, 1, 1]);
    assert_eq!(
        metadata.fetches.load(Ordering::SeqCst),
        1,
        "fetched again while fresh"
    );
    let paths: Vec<_> = metadata
        .server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    assert_eq!(
        paths,
        [
            (
                "GET".into(),
                "/latest/meta-data/cam/security-credentials/".into()
            ),
            (
                "GET".into(),
                format!("/latest/meta-data/cam/security-credentials/{ROLE}")
            ),
        ]
    );
}

/// Moves Tokio's clock, which the credentials cache schedules its
/// refreshes on, `by` ahead, as if that much time had passed; the wall
/// clock, which expiry is judged by, does not move. Then time runs again,
/// for real. (Only on a current-thread runtime, `#[tokio::test]`'s.)
async fn fast_forward(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// Calls until a call is signed with handed-out credentials `n` (a refresh
/// in the background has ended), for at most 5 s.
async fn call_until_signed_with(client: &Client, api: &TestServer, n: usize) {
    for _ in 0..500 {
        client.batch_create_room(&request()).await.unwrap();
        if tokens_used(api).last() == Some(&n) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "no call was signed with credentials {n}: {:?}",
        tokens_used(api)
    );
}

#[tokio::test]
async fn due_credentials_are_refreshed_in_the_background_and_later_calls_carry_the_new_token() {
    let metadata = Metadata::start(Duration::ZERO, |n| metadata_document(n, 3600)).await;
    let api = fake_api().await;
    let client = lcic(metadata.provider(), &api);
    client.batch_create_room(&request()).await.unwrap();
    // An hour-long session is due 5 minutes before its end: this call
    // still signs with the first credentials and starts the refresh.
    fast_forward(Duration::from_secs(3301)).await;
    client.batch_create_room(&request()).await.unwrap();
    call_until_signed_with(&client, &api, 2).await;
    let tokens = tokens_used(&api);
    assert_eq!(tokens[..2], [1, 1], "{tokens:?}");
    assert_eq!(metadata.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_hundred_concurrent_calls_with_due_credentials_cause_one_background_refresh() {
    // A slow metadata service: the refresh is under way while the calls go.
    let metadata =
        Metadata::start(Duration::from_millis(500), |n| metadata_document(n, 3600)).await;
    let api = fake_api().await;
    let client = lcic(metadata.provider(), &api);
    client.batch_create_room(&request()).await.unwrap();
    fast_forward(Duration::from_secs(3301)).await;
    concurrent_calls(&client, 100).await;
    call_until_signed_with(&client, &api, 2).await;
    assert_eq!(
        metadata.fetches.load(Ordering::SeqCst),
        2,
        "one refresh for a hundred calls"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_calls_with_expired_credentials_wait_for_one_fetch() {
    // The first credentials expire within two seconds; the slow metadata
    // service makes every call find the fetch under way.
    let metadata = Metadata::start(Duration::from_millis(200), |n| {
        metadata_document(n, if n == 1 { 2 } else { 3600 })
    })
    .await;
    let api = fake_api().await;
    let client = lcic(metadata.provider(), &api);
    client.batch_create_room(&request()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    concurrent_calls(&client, 100).await;
    assert_eq!(
        metadata.fetches.load(Ordering::SeqCst),
        2,
        "one fetch for a hundred calls"
    );
    let tokens = tokens_used(&api);
    assert_eq!(tokens.len(), 101);
    assert!(tokens[1..].iter().all(|&n| n == 2), "{tokens:?}");
}

/// Issue #27's outage: a metadata service that issued credentials, then
/// answers every refresh after a second with HTTP 500, while the issued
/// credentials are valid and due for a refresh. Before the cache refreshed
/// in the background, 20 concurrent calls took 20.0 s: each waited, one
/// after the other, for a failed refresh of its own.
#[tokio::test]
async fn an_outage_of_the_metadata_service_holds_up_no_call() {
    let refreshes = Arc::new(Mutex::new(Vec::new()));
    let noted = Arc::clone(&refreshes);
    let metadata = TestServer::start(move |request, _| {
        if request.path.ends_with('/') {
            return json(200, ROLE.into());
        }
        let mut refreshes = noted.lock().unwrap();
        refreshes.push(std::time::Instant::now());
        if refreshes.len() == 1 {
            return json(200, metadata_document(1, 3600));
        }
        Answer::Slow {
            delay: Duration::from_secs(1),
            then: Box::new(Answer::Text {
                status: 500,
                body: "<html>metadata service down</html>".into(),
            }),
        }
    })
    .await;
    let provider = CvmRoleProvider::new()
        .base_url(format!("{}/", metadata.url()))
        .timeout(Duration::from_secs(3));
    let api = fake_api().await;
    let client = lcic(provider, &api);
    client.batch_create_room(&request()).await.unwrap();
    fast_forward(Duration::from_secs(3301)).await;

    let started = std::time::Instant::now();
    concurrent_calls(&client, 20).await;
    let took = started.elapsed();
    let attempts = refreshes.lock().unwrap().len() - 1;
    eprintln!("outage: 20 concurrent calls in {took:?}, {attempts} refresh attempt(s)");
    assert!(took <= Duration::from_secs(2), "20 calls took {took:?}");
    assert!(attempts <= 1, "{attempts} refresh attempts");

    // Calls every 100 ms for 3.5 s: the refresh failed after 1 s and waits
    // 1 s before the next attempt, which fails at 3 s and waits 2 s.
    while started.elapsed() < Duration::from_millis(3500) {
        client.batch_create_room(&request()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let refreshes = refreshes.lock().unwrap()[1..].to_vec();
    eprintln!(
        "outage: refresh attempts at {:?} after the 20 calls began",
        refreshes.iter().map(|at| *at - started).collect::<Vec<_>>()
    );
    assert_eq!(refreshes.len(), 2, "one attempt per backoff interval");
    assert!(refreshes[1] - refreshes[0] >= Duration::from_secs(2));
    assert!(tokens_used(&api).iter().all(|&n| n == 1));
}

#[tokio::test]
async fn the_signature_is_dated_after_the_credentials_arrive() {
    // Two requests (the role, then its credentials), a second each.
    let metadata = Metadata::start(Duration::from_secs(1), |n| metadata_document(n, 3600)).await;
    let api = fake_api().await;
    let before = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let provider = metadata.provider().timeout(Duration::from_secs(3));
    lcic(provider, &api)
        .batch_create_room(&request())
        .await
        .unwrap();
    let sent = &api.requests()[0];
    let timestamp: f64 = sent.header("x-tc-timestamp").unwrap().parse().unwrap();
    assert!(
        timestamp >= (before + 2.0).floor(),
        "signed at {timestamp}, the credentials arrived at {}",
        before + 2.0
    );
}

/// How a metadata service can fail off a CVM.
#[derive(Debug, Clone, Copy)]
enum Broken {
    Absent,
    Slow,
    NotFound,
    Garbage,
}

/// What keeps a broken metadata service in place: its server, or the port
/// that refuses connections; held until dropped, never read.
#[allow(dead_code)]
enum Held {
    Server(TestServer),
    Port(RefusingPort),
}

/// A metadata service broken as `how`; returns its base URL (and what must be kept alive).
async fn broken_metadata(how: Broken) -> (String, Held) {
    let server = match how {
        Broken::Absent => {
            // A port nothing listens on, held so that no one else can take it.
            let port = RefusingPort::bind();
            return (format!("{}/", port.url()), Held::Port(port));
        }
        Broken::Slow => {
            TestServer::start(|_, _| Answer::Slow {
                delay: Duration::from_secs(10),
                then: Box::new(json(200, ROLE.into())),
            })
            .await
        }
        Broken::NotFound => TestServer::start(|_, _| json(404, "no role".into())).await,
        Broken::Garbage => {
            TestServer::start(|request, _| {
                if request.path.ends_with('/') {
                    json(200, ROLE.into())
                } else {
                    Answer::Text {
                        status: 200,
                        body: "<html>captive portal</html>".into(),
                    }
                }
            })
            .await
        }
    };
    (format!("{}/", server.url()), Held::Server(server))
}

// On the paused clock (which the loopback servers do not disturb: they answer
// at once or sleep on it), the time a provider takes is the time it waits for,
// whatever the machine's load.
#[tokio::test(start_paused = true)]
async fn a_metadata_service_absent_slow_404_or_garbage_fails_fast_and_the_chain_moves_on() {
    let timeout = Duration::from_millis(500);
    for how in [
        Broken::Absent,
        Broken::Slow,
        Broken::NotFound,
        Broken::Garbage,
    ] {
        let (url, _server) = broken_metadata(how).await;
        let cvm = || CvmRoleProvider::new().base_url(&url).timeout(timeout);

        let started = tokio::time::Instant::now();
        let err = cvm().provide().await.expect_err("no credentials");
        let took = started.elapsed();
        // The slow service (10 s) is given up on at the timeout; the others
        // fail at once, without waiting for anything.
        let least = match how {
            Broken::Slow => timeout,
            _ => Duration::ZERO,
        };
        assert!(
            took >= least && took <= least + Duration::from_millis(5),
            "{how:?} took {took:?}"
        );
        assert!(
            matches!(err, CredentialsError::Metadata { .. }),
            "{how:?}: {err:?}"
        );
        assert!(err.lets_chain_continue(), "{how:?}");

        let fallback = Credentials::new("AKIDfallback", "fallbackKey");
        let chain = ChainProvider::new(vec![Box::new(cvm()), Box::new(fallback.clone())]);
        assert_eq!(chain.provide().await.unwrap(), fallback, "{how:?}");

        let alone = ChainProvider::new(vec![Box::new(cvm())]);
        let err = alone.provide().await.expect_err("nothing else to try");
        let CredentialsError::NotFound { tried } = &err else {
            panic!("{how:?}: {err:?}");
        };
        assert!(tried[0].starts_with("CVM role: "), "{how:?}: {tried:?}");
    }
}

/// A fake STS: checks each request with `check`, then answers credentials n
/// (from 1) lasting `lifetime(n)` seconds, or with what `check` returned.
async fn fake_sts(
    check: impl Fn(&Recorded) -> Result<(), String> + Send + Sync + 'static,
    lifetime: impl Fn(usize) -> u64 + Send + Sync + 'static,
) -> TestServer {
    let answered = AtomicUsize::new(0);
    TestServer::start(move |request, _| match check(request) {
        Ok(()) => {
            let n = answered.fetch_add(1, Ordering::SeqCst) + 1;
            json(200, sts_answer(n, lifetime(n)))
        }
        Err(reason) => json(
            200,
            format!(
                r#"{{"Response":{{"Error":{{"Code":"InvalidParameter","Message":"{}"}},"RequestId":"sts-bad"}}}}"#,
                reason.replace('"', "'")
            ),
        ),
    })
    .await
}

fn expect_header(request: &Recorded, name: &str, want: &str) -> Result<(), String> {
    match request.header(name) {
        Some(value) if value == want => Ok(()),
        other => Err(format!("{name}: {other:?}, want {want:?}")),
    }
}

fn body(request: &Recorded) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap_or_default()
}

#[tokio::test]
async fn oidc_credentials_are_accepted_and_the_token_file_is_read_at_each_refresh() {
    let dir = sdk_tests::scratch_dir("oidc-token");
    let token_file = dir.join("token");
    std::fs::write(&token_file, format!("{WEB_IDENTITY_TOKEN}-1\n")).unwrap();
    let tokens_seen = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&tokens_seen);
    let sts = fake_sts(
        move |request| {
            expect_header(request, "x-tc-action", "AssumeRoleWithWebIdentity")?;
            expect_header(request, "x-tc-version", "2018-08-13")?;
            expect_header(request, "x-tc-region", "ap-shanghai")?;
            // Unsigned, as the official SDKs send it.
            expect_header(request, "authorization", "SKIP")?;
            let body = body(request);
            if body["ProviderId"] != "tke-oidc-provider" || body["RoleArn"] != ROLE_ARN {
                return Err(format!("unexpected parameters {body}"));
            }
            if body["DurationSeconds"] != 7200 || !body["RoleSessionName"].is_string() {
                return Err(format!("unexpected session {body}"));
            }
            seen.lock()
                .unwrap()
                .push(body["WebIdentityToken"].as_str().unwrap_or("").to_owned());
            Ok(())
        },
        |_| 7200,
    )
    .await;
    let api = fake_api().await;
    let provider =
        OidcRoleArnProvider::new("ap-shanghai", "tke-oidc-provider", &token_file, ROLE_ARN)
            .endpoint_url(sts.url());
    let client = lcic(provider, &api);
    client.batch_create_room(&request()).await.unwrap();
    // Kubernetes rotates the token; the refresh, due 5 minutes before the
    // two-hour session ends, must send the new one.
    std::fs::write(&token_file, format!("{WEB_IDENTITY_TOKEN}-2")).unwrap();
    client.batch_create_room(&request()).await.unwrap();
    fast_forward(Duration::from_secs(6901)).await;
    call_until_signed_with(&client, &api, 2).await;

    assert_eq!(tokens_used(&api)[..3], [1, 1, 1]);
    assert_eq!(
        *tokens_seen.lock().unwrap(),
        [
            format!("{WEB_IDENTITY_TOKEN}-1"),
            format!("{WEB_IDENTITY_TOKEN}-2")
        ]
    );
}

/// Checks an `AssumeRole` request: signed with the base keys, for the role.
fn assume_role_check(request: &Recorded) -> Result<(), String> {
    verify_tc3(request, BASE_ID, BASE_KEY, "sts")?;
    expect_header(request, "x-tc-action", "AssumeRole")?;
    expect_header(request, "x-tc-version", "2018-08-13")?;
    expect_header(request, "x-tc-region", "ap-guangzhou")?;
    let body = body(request);
    let want = serde_json::json!({"RoleArn": ROLE_ARN, "RoleSessionName": "nightly", "DurationSeconds": 900});
    if body != want {
        return Err(format!("parameters {body}, want {want}"));
    }
    Ok(())
}

fn role_arn(sts: &TestServer) -> RoleArnProvider {
    RoleArnProvider::new(Credentials::new(BASE_ID, BASE_KEY), ROLE_ARN)
        .session_name("nightly")
        .duration(Duration::from_secs(900))
        .endpoint_url(sts.url())
}

#[tokio::test]
async fn role_arn_credentials_are_signed_with_the_base_keys_refreshed_and_accepted() {
    let sts = fake_sts(assume_role_check, |_| 900).await;
    let api = fake_api().await;
    let client = lcic(role_arn(&sts), &api);
    // A 15-minute session is refreshed a quarter of it (225 s) before its
    // end, not 5 minutes before, and not at every call.
    for _ in 0..3 {
        client.batch_create_room(&request()).await.unwrap();
    }
    fast_forward(Duration::from_secs(670)).await;
    client.batch_create_room(&request()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sts.count(), 1, "refreshed before 675 s");
    fast_forward(Duration::from_secs(6)).await;
    call_until_signed_with(&client, &api, 2).await;
    assert_eq!(tokens_used(&api)[..5], [1, 1, 1, 1, 1]);
    assert_eq!(sts.count(), 2);
}

const STS_AUTH_FAILURE: &str = r#"{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"The SecretId is not found"},"RequestId":"sts-req-42"}}"#;

#[tokio::test]
async fn an_sts_error_surfaces_with_its_code_and_request_id_and_nothing_is_sent() {
    let sts = TestServer::start(|_, _| json(200, STS_AUTH_FAILURE.into())).await;
    let api = fake_api().await;
    let err = lcic(role_arn(&sts), &api)
        .batch_create_room(&request())
        .await
        .unwrap_err();
    let CredentialsError::Refresh { provider, source } = credentials_error(&err) else {
        panic!("{err:?}");
    };
    assert_eq!(provider, "role ARN");
    let CredentialsError::Sts {
        code,
        request_id,
        action,
        ..
    } = &**source
    else {
        panic!("{source:?}");
    };
    assert_eq!(
        (code.as_str(), request_id.as_str(), *action),
        ("AuthFailure.SecretIdNotFound", "sts-req-42", "AssumeRole")
    );
    let shown = err.to_string();
    assert!(
        shown.contains("AuthFailure.SecretIdNotFound") && shown.contains("sts-req-42"),
        "{shown}"
    );
    assert_eq!(api.count(), 0, "a call went out without credentials");
}

#[tokio::test]
async fn no_provider_leaks_a_secret_to_logs_errors_or_debug_output() {
    // Everything, the HTTP stack's own debug and trace events included.
    let (captured, _guard) = Captured::install(tracing::Level::TRACE, FmtSpan::FULL);
    let api = fake_api().await;
    let mut shown = Vec::new();

    // CVM role, then a metadata document that breaks after the key.
    let metadata = Metadata::start(Duration::ZERO, |n| metadata_document(n, 60)).await;
    let client = lcic(metadata.provider(), &api);
    client.batch_create_room(&request()).await.unwrap();
    shown.push(format!("{client:?} {:?}", metadata.provider()));
    let truncated = Metadata::start(Duration::ZERO, |n| {
        let document = metadata_document(n, 60);
        document[..document
            .find("\"Token\"")
            .expect("the document has a token")]
            .to_owned()
    })
    .await;
    let err = truncated.provider().provide().await.unwrap_err();
    shown.push(format!("{err} {err:?}"));

    // TKE OIDC.
    let dir = sdk_tests::scratch_dir("oidc-leak");
    let token_file = dir.join("token");
    std::fs::write(&token_file, WEB_IDENTITY_TOKEN).unwrap();
    let sts = fake_sts(|_| Ok(()), |_| 3600).await;
    let oidc = OidcRoleArnProvider::new("ap-guangzhou", "p", &token_file, ROLE_ARN)
        .endpoint_url(sts.url());
    shown.push(format!("{oidc:?}"));
    let client = lcic(oidc, &api);
    client.batch_create_room(&request()).await.unwrap();
    shown.push(format!("{client:?}"));

    // Role ARN: a success, an STS error, and an answer without ExpiredTime.
    let sts = fake_sts(assume_role_check, |_| 3600).await;
    let provider = role_arn(&sts);
    shown.push(format!("{provider:?}"));
    let client = lcic(provider, &api);
    client.batch_create_room(&request()).await.unwrap();
    shown.push(format!("{client:?}"));
    let failing = TestServer::start(|_, _| json(200, STS_AUTH_FAILURE.into())).await;
    let err = lcic(role_arn(&failing), &api)
        .batch_create_room(&request())
        .await
        .unwrap_err();
    shown.push(format!("{err} {err:?}"));
    let partial = TestServer::start(|_, _| {
        json(
            200,
            sts_answer(3, 60).replace("\"ExpiredTime\"", "\"Expired\""),
        )
    })
    .await;
    let err = role_arn(&partial).provide().await.unwrap_err();
    assert!(matches!(err, CredentialsError::StsFailed { .. }), "{err:?}");
    shown.push(format!("{err} {err:?}"));

    let log = captured.text();
    assert!(
        log.contains("tencentcloud.call") && log.contains("AssumeRole"),
        "{log}"
    );
    shown.push(log);
    for text in shown {
        assert_no_secret(&text);
    }
}

/// `n` calls at once, each of which must succeed.
async fn concurrent_calls(client: &Client, n: usize) {
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.batch_create_room(&request()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
}
