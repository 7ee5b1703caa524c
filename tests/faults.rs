//! The client under a fault-injecting loopback server: refused connections,
//! resets and stalls mid-body, 10 MB and gzip-bomb bodies, invalid UTF-8,
//! gzip, 200 calls at once. Every call must end within its timeout with a
//! result or a typed error, memory must stay bounded, and no create may
//! reach the server twice.
//!
//! Its own test binary, so the peak memory it reads is these calls' own.
//!
//! Time is tokio's paused clock (`start_paused`): it moves only when every
//! task waits and no socket is ready, so the timeouts and backoffs are
//! measured exactly, and the CPU the calls burn (gzip bombs, 10 MB streams,
//! a loaded machine) takes none of it. The loopback server runs in the same
//! runtime, and a loopback socket is ready as soon as its peer's write
//! returns, so the clock does not jump while an answer is on its way.

use flate2::write::GzEncoder;
use sdk_tests::server::{verify_tc3, Answer, Recorded, RefusingPort, TestServer};
use sdk_tests::CountingTransport;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;
use tencentcloud_lcic::{BatchCreateRoomRequest, Client, ErrorCode};
use tencentcloud_runtime::{
    Credentials, Endpoint, Error, HttpSettings, HttpTransport, RetryPolicy, TransportErrorKind,
};
use tokio::time::Instant;

const CALLS: usize = 200;
const TIMEOUT: Duration = Duration::from_secs(2);
const CAP: usize = 1024 * 1024;
const TEN_MB: usize = 10 * 1024 * 1024;
const SUCCESS: &str = r#"{"Response":{"RoomIds":[301234567],"RequestId":"ok"}}"#;
const SECRET_ID: &str = "AKIDfaults";
const SECRET_KEY: &str = "faultsSecretKey";

/// The faults, assigned to calls round-robin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    None,
    Gzip,
    GzipBomb,
    InvalidUtf8,
    ResetMidBody,
    Truncated,
    StallBeforeHead,
    StallMidBody,
    HugeWithLength,
    HugeUntilClose,
}

const FAULTS: [Fault; 10] = [
    Fault::None,
    Fault::Gzip,
    Fault::GzipBomb,
    Fault::InvalidUtf8,
    Fault::ResetMidBody,
    Fault::Truncated,
    Fault::StallBeforeHead,
    Fault::StallMidBody,
    Fault::HugeWithLength,
    Fault::HugeUntilClose,
];

fn compressed(data: &[u8]) -> Arc<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    Arc::new(encoder.finish().unwrap())
}

/// The call a request belongs to: its room is named `call-<n>`.
fn call_of(request: &Recorded) -> usize {
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    body["RoomInfos"][0]["Name"].as_str().unwrap()["call-".len()..]
        .parse()
        .unwrap()
}

fn answer(fault: Fault, gzip: &Arc<Vec<u8>>, bomb: &Arc<Vec<u8>>) -> Answer {
    let stall = TIMEOUT * 3;
    match fault {
        Fault::None => Answer::Json {
            status: 200,
            body: SUCCESS.into(),
        },
        Fault::Gzip => Answer::Gzip(gzip.clone()),
        Fault::GzipBomb => Answer::Gzip(bomb.clone()),
        Fault::InvalidUtf8 => {
            Answer::Bytes(b"{\"Response\":{\"RequestId\":\"\xff\xfe\"}}".to_vec())
        }
        Fault::ResetMidBody => Answer::ResetMidBody {
            body: SUCCESS.into(),
        },
        Fault::Truncated => Answer::Truncated {
            declared: 500,
            body: SUCCESS[..20].into(),
        },
        Fault::StallBeforeHead => Answer::Slow {
            delay: stall,
            then: Box::new(Answer::Close),
        },
        Fault::StallMidBody => Answer::StallMidBody {
            body: SUCCESS.into(),
            stall,
        },
        Fault::HugeWithLength => Answer::Huge {
            len: TEN_MB,
            declare_length: true,
        },
        Fault::HugeUntilClose => Answer::Huge {
            len: TEN_MB,
            declare_length: false,
        },
    }
}

/// What a call under `fault` must come back with.
fn expected(fault: Fault, outcome: &Result<Vec<u64>, Error<ErrorCode>>) -> Result<(), String> {
    let kind = match outcome {
        Ok(ids) if ids == &[301234567] => "ok",
        Err(Error::Transport { source, .. }) => match source.kind() {
            TransportErrorKind::BodyTooLarge => "too large",
            TransportErrorKind::MaybeSent => "maybe sent",
            other => return Err(format!("transport error of kind {other:?}: {source}")),
        },
        Err(Error::Decode { .. }) => "decode",
        other => return Err(format!("{other:?}")),
    };
    let want = match fault {
        Fault::None | Fault::Gzip => "ok",
        Fault::GzipBomb | Fault::HugeWithLength | Fault::HugeUntilClose => "too large",
        Fault::InvalidUtf8 => "decode",
        Fault::ResetMidBody | Fault::Truncated | Fault::StallBeforeHead | Fault::StallMidBody => {
            "maybe sent"
        }
    };
    (kind == want)
        .then_some(())
        .ok_or_else(|| format!("got {kind}, want {want}: {outcome:?}"))
}

/// Peak resident memory of this process so far, in KiB (Linux).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The retry policy of these calls: 3 attempts, 20 ms then 40 ms (each with equal jitter).
fn policy() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(20))
}

fn client(url: String) -> Client {
    let runtime = tencentcloud_runtime::Client::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .endpoint_url(url)
        .timeout(TIMEOUT)
        .max_response_bytes(CAP)
        .rate_limit(false)
        .retry(policy())
        .build()
        .unwrap();
    Client::new(runtime)
}

fn request(n: usize) -> BatchCreateRoomRequest {
    sdk_tests::batch_create_room::one_room(format!("call-{n}"))
}

#[tokio::test(start_paused = true)]
async fn every_call_ends_in_time_with_a_result_or_a_typed_error() {
    let gzip = compressed(SUCCESS.as_bytes());
    let bomb = compressed(&vec![b' '; TEN_MB]);
    assert!(bomb.len() < 64 * 1024, "the bomb is small on the wire");
    let before = peak_kib();

    let (g, b) = (gzip.clone(), bomb.clone());
    let server = TestServer::start_checked(
        |request, _| verify_tc3(request, SECRET_ID, SECRET_KEY, "lcic"),
        move |request, _| answer(FAULTS[call_of(request) % FAULTS.len()], &g, &b),
    )
    .await;
    let client = client(server.url());
    let started = Instant::now();
    let calls = (0..CALLS).map(|n| {
        let client = client.clone();
        tokio::spawn(async move {
            let began = Instant::now();
            let outcome = client
                .batch_create_room(&request(n))
                .await
                .map(|r| r.room_ids.unwrap_or_default());
            (n, outcome, began.elapsed())
        })
    });
    let mut failures = Vec::new();
    let mut tally: BTreeMap<Fault, usize> = BTreeMap::new();
    for call in calls.collect::<Vec<_>>() {
        let (n, outcome, took) = call.await.expect("no call panics");
        let fault = FAULTS[n % FAULTS.len()];
        *tally.entry(fault).or_default() += 1;
        // On the paused clock a call takes only the time it waits for: a
        // stalled one its timeout (the server stalls three times as long),
        // any other none at all.
        let stalled = matches!(fault, Fault::StallBeforeHead | Fault::StallMidBody);
        let (least, most) = if stalled {
            (TIMEOUT, TIMEOUT + Duration::from_millis(5))
        } else {
            (Duration::ZERO, Duration::from_millis(5))
        };
        if took < least || took > most {
            failures.push(format!(
                "call {n} ({fault:?}) took {took:?}, not {least:?}..={most:?}"
            ));
        }
        if let Err(why) = expected(fault, &outcome) {
            failures.push(format!("call {n} ({fault:?}): {why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        started.elapsed() <= TIMEOUT + Duration::from_millis(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(tally.len(), FAULTS.len());

    // No create reached the server twice (none of these faults may be retried).
    let mut seen = vec![0; CALLS];
    for request in server.requests() {
        seen[call_of(&request)] += 1;
    }
    assert!(seen.iter().all(|&n| n == 1), "{seen:?}");

    // 200 calls, 60 of them answered with 10 MB: the client kept at most
    // its 1 MiB cap per call, not the bodies.
    let grown_mib = (peak_kib() - before) / 1024;
    eprintln!("peak memory grew by {grown_mib} MiB over {CALLS} calls");
    assert!(grown_mib < 100, "peak memory grew by {grown_mib} MiB");
}

#[tokio::test(start_paused = true)]
async fn refused_connections_are_retried_then_reported_in_time() {
    // Bound and never listening: refused, and no one else can take the port.
    let port = RefusingPort::bind();
    let settings = HttpSettings::default()
        .endpoint(Endpoint::Url(port.url()))
        .timeout(TIMEOUT)
        .max_response_bytes(CAP);
    let http = HttpTransport::new(Credentials::new(SECRET_ID, SECRET_KEY), settings).unwrap();
    // No server sees a refused attempt: the transport counts them.
    let (transport, attempts) = CountingTransport::new(http);
    let runtime = tencentcloud_runtime::Client::builder()
        .rate_limit(false)
        .retry(policy())
        .build_with_transport(transport);
    let client = Client::new(runtime);
    let calls = (0..20).map(|n| {
        let client = client.clone();
        tokio::spawn(async move {
            let began = Instant::now();
            (client.batch_create_room(&request(n)).await, began.elapsed())
        })
    });
    for call in calls.collect::<Vec<_>>() {
        let (outcome, took) = call.await.unwrap();
        match outcome {
            Err(Error::Transport { source, .. }) => {
                assert_eq!(source.kind(), TransportErrorKind::NotSent, "{source}")
            }
            other => panic!("{other:?}"),
        }
        // The backoff before the two retries, 10..=20 ms and 20..=40 ms, and
        // nothing else: a refusal is reported at once, not at the timeout.
        assert!(
            took >= Duration::from_millis(30) && took <= Duration::from_millis(62),
            "{took:?}"
        );
    }
    // Each call tried three times (the policy's attempts), no more.
    let mut tried = vec![0; 20];
    for body in attempts.bodies() {
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let name = body["RoomInfos"][0]["Name"].as_str().unwrap();
        tried[name["call-".len()..].parse::<usize>().unwrap()] += 1;
    }
    assert_eq!(tried, [3; 20]);
}
