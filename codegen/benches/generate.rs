//! Generation speed with the system allocator, which a build script that
//! calls the generator runs with. See `support/mod.rs`.

mod support;

criterion::criterion_group!(benches, support::bench);
criterion::criterion_main!(benches);
