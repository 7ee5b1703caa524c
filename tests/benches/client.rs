//! Per-call overhead of the generated client (serialize, sign, send, decode)
//! against a bare reqwest POST of the same body to the same local server,
//! side by side in one run.

use criterion::{criterion_group, criterion_main, Criterion};
use sdk_tests::server::{Answer, TestServer};
use tencentcloud_lcic::{BatchCreateRoomRequest, RoomInfo};

const ANSWER: &str = r#"{"Response":{"RoomIds":[301234567],"RequestId":"213das"}}"#;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = runtime.block_on(TestServer::start(|_, _| Answer::Json {
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
    let request = BatchCreateRoomRequest::new(
        1400000001,
        vec![RoomInfo::new(
            "Maths",
            1_700_000_000,
            1_700_003_600,
            1,
            6,
            "videodoc",
        )],
    );
    let body = serde_json::to_vec(&request).expect("the request encodes");
    let bare = reqwest::Client::new();
    let url = server.url();

    let mut group = c.benchmark_group("call over loopback");
    group.bench_function("generated client: batch_create_room", |b| {
        b.to_async(&runtime).iter(|| async {
            client
                .batch_create_room(&request)
                .await
                .expect("the call succeeds")
        })
    });
    group.bench_function("bare reqwest POST of the same body", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = bare
                .post(&url)
                .header("Content-Type", "application/json")
                .body(body.clone())
                .send()
                .await
                .expect("the POST succeeds");
            response.bytes().await.expect("the body arrives")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
