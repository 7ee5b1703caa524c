//! The generation benchmark, shared by `generate` (the system allocator,
//! which a build script that calls the generator runs with) and
//! `generate_mimalloc` (the allocator `cargo xtask` runs with).
//!
//! Measures generation against its floor: reading the spec (`serde_json`
//! into a `Value`) and printing the code (`syn::parse_file` +
//! `prettyplease`) of the same output; `generate / floor` is the
//! generator's own overhead. Specs: the checked-in `lcic` and `teo`; `vpc`
//! (the largest spec of the sample, kept under `benches/specs/`);
//! `csip-sized`, one version merged from vpc, teo 2022-09-01 and lcic with
//! as many objects as csip, the largest published spec; and any other spec
//! directory listed in `CODEGEN_BENCH_SPECS` (separated by `:`).

use criterion::Criterion;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Reads every `api.json` into a `Value` and re-prints every generated Rust file.
fn floor(dir: &Path, rust_files: &[String]) {
    for version in codegen::spec_dirs(dir).expect("the spec directory exists") {
        let text = std::fs::read_to_string(version.join("api.json")).expect("api.json is readable");
        let value: Value = serde_json::from_str(&text).expect("api.json is JSON");
        std::hint::black_box(value);
    }
    for file in rust_files {
        let parsed = syn::parse_file(file).expect("generated code parses");
        std::hint::black_box(prettyplease::unparse(&parsed));
    }
}

pub fn bench(c: &mut Criterion) {
    let api_spec = manifest_dir().join("../api-spec");
    let mut specs: Vec<(String, PathBuf)> = vec![
        ("lcic".into(), api_spec.join("lcic")),
        ("teo".into(), api_spec.join("teo")),
        ("vpc".into(), manifest_dir().join("benches/specs/vpc")),
        ("csip-sized".into(), csip_sized()),
    ];
    if let Some(extra) = std::env::var_os("CODEGEN_BENCH_SPECS") {
        for dir in std::env::split_paths(&extra) {
            specs.push((dir.display().to_string(), dir));
        }
    }
    for (service, dir) in specs {
        let options = codegen::Options::default();
        let krate = codegen::generate(&dir, &options).expect("the benchmarked spec generates");
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

/// The versions merged into `csip-sized`: 1,081 + 862 + 127 = 2,070
/// objects (csip has 2,068) and 448 + 232 + 53 = 733 actions.
const CSIP_SIZED_PARTS: &[(&str, &str)] = &[
    ("", "benches/specs/vpc/2017-03-12"),
    ("Teo", "../api-spec/teo/2022-09-01"),
    ("Lcic", "../api-spec/lcic/2022-08-17"),
];

/// Writes the `csip-sized` spec under the target directory and returns its
/// service directory. An object or action whose name an earlier part
/// already uses is renamed with the part's prefix, and so are the
/// references to it.
fn csip_sized() -> PathBuf {
    let mut merged = Merged::default();
    for (prefix, dir) in CSIP_SIZED_PARTS {
        merged.add(prefix, &manifest_dir().join(dir));
    }
    let service = Path::new(env!("CARGO_TARGET_TMPDIR")).join("csip-sized");
    let version = service.join("2022-11-21");
    std::fs::create_dir_all(&version).expect("the target directory is writable");
    for (file, value) in merged.files() {
        let text = serde_json::to_string_pretty(&value).expect("a Value serializes");
        std::fs::write(version.join(file), text).expect("the target directory is writable");
    }
    service
}

#[derive(Default)]
struct Merged {
    actions: Map<String, Value>,
    objects: Map<String, Value>,
    examples: Map<String, Value>,
    errors: BTreeMap<String, Value>,
    action_errors: Map<String, Value>,
}

impl Merged {
    fn add(&mut self, prefix: &str, dir: &Path) {
        let read = |file: &str| -> Value {
            let text = std::fs::read_to_string(dir.join(file)).expect("the bench spec is readable");
            serde_json::from_str(&text).expect("the bench spec is JSON")
        };
        let api = read("api.json");
        let renames = |taken: &Map<String, Value>, names: &Map<String, Value>| {
            names
                .keys()
                .filter(|name| taken.contains_key(*name))
                .map(|name| (name.clone(), format!("{prefix}{name}")))
                .collect::<BTreeMap<_, _>>()
        };
        let mut objects = renames(&self.objects, api["objects"].as_object().expect("objects"));
        let actions = renames(&self.actions, api["actions"].as_object().expect("actions"));
        for (name, action) in api["actions"].as_object().expect("actions") {
            if let Some(new) = actions.get(name) {
                for end in ["input", "output"] {
                    let object = action[end].as_str().expect("an action names its objects");
                    objects.insert(object.to_owned(), object.replacen(name, new, 1));
                }
            }
        }
        let rename = |renames: &BTreeMap<String, String>, name: &str| {
            renames
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_owned())
        };
        for (name, action) in api["actions"].as_object().expect("actions") {
            let mut action = action.clone();
            for end in ["input", "output"] {
                let object = rename(&objects, action[end].as_str().expect("named"));
                action[end] = Value::String(object);
            }
            self.actions.insert(rename(&actions, name), action);
        }
        for (name, object) in api["objects"].as_object().expect("objects") {
            let mut object = object.clone();
            for member in object["members"].as_array_mut().into_iter().flatten() {
                if let Some(Value::String(target)) = member.get_mut("member") {
                    *target = rename(&objects, target);
                }
            }
            let previous = self.objects.insert(rename(&objects, name), object);
            assert!(previous.is_none(), "renamed objects do not collide");
        }
        for (name, examples) in read("examples.json")["actions"]
            .as_object()
            .expect("examples")
        {
            self.examples
                .insert(rename(&actions, name), examples.clone());
        }
        let errors = read("errors.json");
        for error in errors["errors"].as_array().expect("errors") {
            let code = error["code"]
                .as_str()
                .expect("an error has a code")
                .to_owned();
            self.errors.entry(code).or_insert_with(|| error.clone());
        }
        for (name, codes) in errors["actions"].as_object().expect("actions") {
            self.action_errors
                .insert(rename(&actions, name), codes.clone());
        }
    }

    fn files(self) -> [(&'static str, Value); 3] {
        let metadata = serde_json::json!({
            "apiVersion": "2022-11-21",
            "serviceNameCN": "csip-sized benchmark spec",
            "serviceShortName": "csipsized",
        });
        let api = serde_json::json!({
            "actions": self.actions,
            "metadata": metadata,
            "objects": self.objects,
            "version": "1.0",
        });
        let examples = serde_json::json!({ "actions": self.examples, "version": "1.0" });
        let errors = serde_json::json!({
            "version": "2022-11-21",
            "errors": self.errors.into_values().collect::<Vec<_>>(),
            "actions": self.action_errors,
        });
        [
            ("api.json", api),
            ("examples.json", examples),
            ("errors.json", errors),
        ]
    }
}
