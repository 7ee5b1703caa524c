//! The generated client's own work per call, apart from the network:
//! encoding a request, decoding an answer (signing: the runtime's `sign`
//! bench). What `client` measures end to end, taken apart.

use criterion::{criterion_group, criterion_main, Criterion};
use tencentcloud_lcic::{BatchCreateRoomResponse, ErrorCode};
use tencentcloud_runtime::json::{ToJson, Writer};

const ANSWER: &[u8] = br#"{"Response":{"RoomIds":[301234567],"RequestId":"213das"}}"#;

fn bench(c: &mut Criterion) {
    let request = sdk_tests::batch_create_room::bench_request();
    c.bench_function("encode BatchCreateRoomRequest", |b| {
        b.iter(|| {
            let mut body = Writer::with_capacity(512);
            std::hint::black_box(&request).write_json(&mut body);
            body.into_bytes()
        })
    });
    c.bench_function("decode BatchCreateRoomResponse", |b| {
        b.iter(|| {
            tencentcloud_runtime::decode_response::<BatchCreateRoomResponse, ErrorCode>(
                "BatchCreateRoom",
                200,
                std::hint::black_box(ANSWER),
            )
            .expect("the answer decodes")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
