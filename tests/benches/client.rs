//! Per-call overhead of the generated client (serialize, sign, send, decode)
//! against a bare reqwest POST of the same body to the same local server,
//! side by side in one run.
//!
//! Besides criterion's two benchmarks (each measured for seconds, one after
//! the other), an interleaved run alternates batches of the two and prints
//! the ratio of their medians, which machine drift affects far less.

use criterion::{criterion_group, Criterion};
use sdk_tests::server::{Answer, TestServer};
use tencentcloud_lcic::BatchCreateRoomRequest;

const ANSWER: &str = r#"{"Response":{"RoomIds":[301234567],"RequestId":"213das"}}"#;

/// The server, the generated client, the request and a bare reqwest POST of
/// the same body.
struct Setup {
    runtime: tokio::runtime::Runtime,
    _server: TestServer,
    client: tencentcloud_lcic::Client,
    request: BatchCreateRoomRequest,
    bare: reqwest::Client,
    /// The same, with the generated client's default timeouts (a timer per call).
    bare_timed: reqwest::Client,
    /// The headers every Tencent Cloud call must carry, precomputed (no signing).
    tencent_headers: reqwest::header::HeaderMap,
    url: String,
    body: Vec<u8>,
}

impl Setup {
    fn new() -> Setup {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let server = runtime.block_on(TestServer::start_unrecorded(|_, _| Answer::Json {
            status: 200,
            body: ANSWER.into(),
        }));
        let client = tencentcloud_lcic::Client::new(
            tencentcloud_runtime::Client::builder()
                .credentials(tencentcloud_runtime::Credentials::new(
                    "AKIDbench",
                    "bench-key",
                ))
                .endpoint_url(server.url())
                .rate_limit(false)
                .build()
                .expect("the client builds"),
        );
        let request = sdk_tests::batch_create_room::bench_request();
        // The very bytes the generated client sends.
        let mut body = tencentcloud_runtime::json::Writer::default();
        tencentcloud_runtime::json::ToJson::write_json(&request, &mut body);
        let body = body.into_bytes();
        let url = server.url();
        Setup {
            runtime,
            _server: server,
            client,
            request,
            bare: reqwest::Client::new(),
            bare_timed: reqwest::Client::builder()
                .connect_timeout(std::time::Duration::from_secs(10))
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .expect("a reqwest client"),
            tencent_headers: [
                ("authorization", "TC3-HMAC-SHA256 Credential=AKIDbench/2026-11-26/lcic/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"),
                ("x-tc-action", "BatchCreateRoom"),
                ("x-tc-version", "2022-08-17"),
                ("x-tc-timestamp", "1764144000"),
                ("x-tc-traceid", "0b5a1c2e-7d4f-4e8a-9c3b-5f6e7d8c9a0b"),
                ("x-tc-requestclient", "SDK_RUST_0.1.0"),
            ]
            .into_iter()
            .map(|(name, value)| {
                (
                    reqwest::header::HeaderName::from_static(name),
                    reqwest::header::HeaderValue::from_static(value),
                )
            })
            .collect(),
            url,
            body,
        }
    }

    async fn generated(&self) {
        self.client
            .batch_create_room(&self.request)
            .await
            .expect("the call succeeds");
    }

    async fn bare(&self) {
        Self::post(&self.bare, &self.url, &self.body).await
    }

    /// A bare POST with the client's timeouts and the headers a Tencent Cloud
    /// call carries, precomputed: what is left is the SDK's own work.
    async fn bare_like_tencent(&self) {
        let request = self
            .bare_timed
            .post(&self.url)
            .headers(self.tencent_headers.clone());
        Self::send(request, &self.body).await
    }

    async fn post(client: &reqwest::Client, url: &str, body: &[u8]) {
        Self::send(client.post(url), body).await
    }

    async fn send(request: reqwest::RequestBuilder, body: &[u8]) {
        let response = request
            .header("Content-Type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .expect("the POST succeeds");
        response.bytes().await.expect("the body arrives");
    }
}

fn bench(c: &mut Criterion) {
    let setup = Setup::new();
    let mut group = c.benchmark_group("call over loopback");
    group.bench_function("generated client: batch_create_room", |b| {
        b.to_async(&setup.runtime).iter(|| setup.generated())
    });
    group.bench_function("bare reqwest POST of the same body", |b| {
        b.to_async(&setup.runtime).iter(|| setup.bare())
    });
    group.finish();
}

/// Alternates generated and bare calls one by one and prints the medians of
/// their times and the ratios of the medians.
fn interleaved() {
    const ROUNDS: usize = 10_000;
    let setup = Setup::new();
    let mut times: [Vec<std::time::Duration>; 3] = Default::default();
    setup.runtime.block_on(async {
        // Warm up (connections, caches, CPU frequency), then measure.
        for round in 0..1_000 + ROUNDS {
            // Each kind goes first, second and third in turn: whichever call
            // follows another runs on warmer caches.
            let mut round_times = [std::time::Duration::ZERO; 3];
            for turn in 0..3 {
                let kind = (round + turn) % 3;
                let started = std::time::Instant::now();
                match kind {
                    0 => setup.generated().await,
                    1 => setup.bare().await,
                    _ => setup.bare_like_tencent().await,
                }
                round_times[kind] = started.elapsed();
            }
            if round >= 1_000 {
                for (list, time) in times.iter_mut().zip(round_times) {
                    list.push(time);
                }
            }
        }
    });
    let [ours, bare, like_tencent] = times.map(|mut list| {
        list.sort();
        list[ROUNDS / 2].as_secs_f64() * 1e6
    });
    println!(
        "interleaved ({ROUNDS} rounds, medians): generated client {ours:.1} µs; bare reqwest {bare:.1} µs (ratio {:.3}); bare reqwest with the client's timeouts and Tencent's headers, precomputed {like_tencent:.1} µs (ratio {:.3})",
        ours / bare,
        ours / like_tencent
    );
}

/// `CLIENT_BENCH_ONLY=generated|bare|like-tencent` (and
/// `CLIENT_BENCH_CALLS`, 2,000 by default) makes that many calls of one
/// kind and nothing else: for an instruction count per call under
/// `valgrind --tool=callgrind`, which the machine's load does not move.
fn only(kind: &str) {
    let calls: usize = std::env::var("CLIENT_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let setup = Setup::new();
    setup.runtime.block_on(async {
        for _ in 0..calls {
            match kind {
                "generated" => setup.generated().await,
                "bare" => setup.bare().await,
                "like-tencent" => setup.bare_like_tencent().await,
                _ => panic!("CLIENT_BENCH_ONLY is generated, bare or like-tencent, not {kind:?}"),
            }
        }
    });
}

criterion_group!(benches, bench);

fn main() {
    if let Ok(kind) = std::env::var("CLIENT_BENCH_ONLY") {
        return only(&kind);
    }
    benches();
    interleaved();
    Criterion::default().configure_from_args().final_summary();
}
