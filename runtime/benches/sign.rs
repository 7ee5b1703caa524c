//! Signing one request (TC3-HMAC-SHA256), per request.

use criterion::{criterion_group, criterion_main, Criterion};
use tencentcloud_runtime::sign::{sign, SigningParams};

fn bench(c: &mut Criterion) {
    let body = br#"{"SdkAppId":1400000001,"RoomInfos":[{"Name":"Maths","StartTime":1700000000,"EndTime":1700003600,"Resolution":1,"MaxMicNumber":6,"SubType":"videodoc"}]}"#;
    c.bench_function("sign BatchCreateRoom", |b| {
        b.iter(|| {
            sign(&SigningParams {
                secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                service: "lcic",
                host: "lcic.tencentcloudapi.com",
                timestamp: 1_700_000_000,
                content_type: "application/json",
                payload: std::hint::black_box(body),
            })
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
