//! Signing one request (TC3-HMAC-SHA256): from scratch (the signing key
//! derived), with the key cached per day and service, and as a transport
//! signs: the key cached and only the `Authorization` value made.

use criterion::{criterion_group, criterion_main, Criterion};
use tencentcloud_runtime::sign::{
    authorization_cached, sign, sign_cached, KeyCache, SigningParams,
};

const BODY: &[u8] = br#"{"SdkAppId":1400000001,"RoomInfos":[{"Name":"Maths","StartTime":1700000000,"EndTime":1700003600,"Resolution":1,"MaxMicNumber":6,"SubType":"videodoc"}]}"#;

fn params(body: &[u8]) -> SigningParams<'_> {
    SigningParams {
        secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service: "lcic",
        host: "lcic.tencentcloudapi.com",
        timestamp: 1_700_000_000,
        content_type: "application/json",
        payload: body,
    }
}

fn bench(c: &mut Criterion) {
    c.bench_function("sign BatchCreateRoom", |b| {
        b.iter(|| sign(&params(std::hint::black_box(BODY))))
    });
    let cache = KeyCache::default();
    c.bench_function("sign BatchCreateRoom, key cached", |b| {
        b.iter(|| sign_cached(&params(std::hint::black_box(BODY)), &cache))
    });
    c.bench_function(
        "authorization of BatchCreateRoom, key cached (as the transport signs)",
        |b| b.iter(|| authorization_cached(&params(std::hint::black_box(BODY)), &cache)),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
