//! `cargo xtask …`: see `cargo xtask help`.

/// Generating code allocates a great deal (token trees, syntax trees,
/// printed text, on every core); mimalloc makes `cargo xtask codegen` about
/// a quarter faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = xtask::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(code)
}
