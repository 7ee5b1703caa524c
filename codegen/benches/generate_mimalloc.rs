//! Generation speed with mimalloc, the allocator `cargo xtask` runs with
//! (the generator's parse and print of code allocate a great deal). See
//! `support/mod.rs`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod support;

criterion::criterion_group!(benches, support::bench);
criterion::criterion_main!(benches);
