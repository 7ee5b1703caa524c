//! Generation speed against its floor: reading the spec (`serde_json` into
//! a `Value`) and printing the code (`syn::parse_file` + `prettyplease`) of
//! the same output. `generate / floor` is the generator's own overhead.
//!
//! Measures the checked-in `lcic` and `teo`, and any other spec directory
//! listed in `CODEGEN_BENCH_SPECS` (separated by `:`), such as the largest
//! published specs outside this repository.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};

fn spec_dir(service: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../api-spec")
        .join(service)
}

/// Reads every `api.json` into a `Value` and re-prints every generated Rust file.
fn floor(dir: &Path, rust_files: &[String]) {
    for version in codegen::spec_dirs(dir).expect("the spec directory exists") {
        let text = std::fs::read_to_string(version.join("api.json")).expect("api.json is readable");
        let value: serde_json::Value = serde_json::from_str(&text).expect("api.json is JSON");
        std::hint::black_box(value);
    }
    for file in rust_files {
        let parsed = syn::parse_file(file).expect("generated code parses");
        std::hint::black_box(prettyplease::unparse(&parsed));
    }
}

fn bench(c: &mut Criterion) {
    let mut specs: Vec<(String, PathBuf)> = ["lcic", "teo"]
        .iter()
        .map(|s| (s.to_string(), spec_dir(s)))
        .collect();
    if let Some(extra) = std::env::var_os("CODEGEN_BENCH_SPECS") {
        for dir in std::env::split_paths(&extra) {
            let name = dir.display().to_string();
            specs.push((name, dir));
        }
    }
    for (service, dir) in specs {
        let options = codegen::Options::default();
        let krate = codegen::generate(&dir, &options).expect("the checked-in spec generates");
        let rust_files: Vec<String> = krate
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".rs"))
            .map(|(_, t)| t.clone())
            .collect();
        let mut group = c.benchmark_group(&service);
        group.sample_size(20);
        group.bench_function("generate", |b| {
            b.iter(|| codegen::generate(&dir, &options).expect("generates"))
        });
        group.bench_function("floor (parse spec + print code)", |b| {
            b.iter(|| floor(&dir, &rust_files))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
