//! Property tests: random valid specs, with names drawn to include Rust
//! keywords, prelude and std names, case collisions, recursion and every
//! (type, member) pair Tencent publishes.
//!
//! - Every random spec generates, deterministically (same bytes twice).
//! - A batch of them (a fresh seed each run, printed on failure; seeds that
//!   failed are replayed from `tests/random_specs.seeds`) is compiled as one
//!   scratch workspace, and each crate's tests push random values of every
//!   type through JSON both ways (`FromJson`/`ToJson` and serde) unchanged,
//!   and check each scalar member's Rust type against this file's own table
//!   of Tencent's (type, member) pairs, written from the published specs.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Names for objects: keywords, prelude/std names, case collisions, plain.
const OBJECT_NAMES: &[&str] = &[
    "Type",
    "Self",
    "Crate",
    "Async",
    "Match",
    "Option",
    "String",
    "Vec",
    "Box",
    "Result",
    "Error",
    "Client",
    "Value",
    "ErrorCode",
    "Json",
    "DnsFormat",
    "DNSFormat",
    "Room",
    "Item",
    "URLs",
    "Urls",
];

/// Names for members.
const MEMBER_NAMES: &[&str] = &[
    "type",
    "Type",
    "self",
    "Self",
    "super",
    "crate",
    "fn",
    "match",
    "async",
    "dyn",
    "Value",
    "value",
    "members",
    "Members",
    "Ttl",
    "TTL",
    "DnsFormat",
    "DNSFormat",
    "Name",
    "name",
    "Id",
    "ID",
    "RoomIds",
    "Default",
    "New",
    "Json",
];

/// Every (type, member) pair of Tencent's specs that names a scalar, as
/// measured over the published catalog, with the Rust type a user expects
/// for it (written here, not taken from the generator: the generated
/// fields are checked against it).
const SCALARS: &[(&str, &str, &str)] = &[
    ("string", "string", "String"),
    ("string", "datetime", "String"),
    ("string", "datetime_iso", "String"),
    ("string", "date", "String"),
    ("int", "int64", "i64"),
    ("int", "uint64", "u64"),
    ("float", "float", "f64"),
    ("bool", "bool", "bool"),
    ("binary", "binary", "String"),
];

/// The scalars a list may hold.
const LIST_SCALARS: &[usize] = &[0, 4, 5, 6, 7];

#[derive(Debug, Clone)]
enum Kind {
    Scalar(usize),
    /// An object by index; list or not.
    Object(usize, bool),
    ScalarList(usize),
}

#[derive(Debug, Clone)]
struct MemberSpec {
    name: &'static str,
    kind: Kind,
    required: bool,
}

#[derive(Debug, Clone)]
struct SpecShape {
    objects: Vec<(&'static str, Vec<MemberSpec>)>,
    /// Per action: the data objects its request and its response carry.
    actions: Vec<(usize, usize)>,
}

fn member(objects: usize, owner: usize) -> impl Strategy<Value = MemberSpec> {
    (
        prop::sample::select(MEMBER_NAMES),
        0..SCALARS.len(),
        0..objects,
        0..4u8,
        any::<bool>(),
    )
        .prop_map(move |(name, scalar, target, shape, required)| {
            let kind = match shape {
                0 => Kind::Scalar(scalar),
                1 => Kind::ScalarList(LIST_SCALARS[scalar % LIST_SCALARS.len()]),
                _ => Kind::Object(target, shape == 3),
            };
            // A required member that can lead back to its own object would
            // have no finite value: references to this or earlier objects
            // are optional or lists.
            let required = match kind {
                Kind::Object(target, false) if target <= owner => false,
                _ => required,
            };
            MemberSpec {
                name,
                kind,
                required,
            }
        })
}

fn spec_shape() -> impl Strategy<Value = SpecShape> {
    prop::sample::subsequence(OBJECT_NAMES, 1..5)
        .prop_flat_map(|names| {
            let n = names.len();
            let objects: Vec<_> = (0..n)
                .map(|owner| prop::collection::vec(member(n, owner), 0..6))
                .collect();
            let actions = prop::collection::vec((0..n, 0..n), 1..3);
            (Just(names), objects, actions)
        })
        .prop_map(|(names, members, actions)| {
            let objects = names
                .into_iter()
                .zip(members)
                .map(|(name, mut members)| {
                    let mut seen = BTreeSet::new();
                    members.retain(|m| seen.insert(m.name));
                    (name, members)
                })
                .collect();
            SpecShape { objects, actions }
        })
}

fn member_json(shape: &SpecShape, m: &MemberSpec) -> Value {
    let (ty, member) = match m.kind {
        Kind::Scalar(s) => (SCALARS[s].0, SCALARS[s].1),
        Kind::ScalarList(s) => ("list", SCALARS[s].1),
        Kind::Object(o, list) => (if list { "list" } else { "object" }, shape.objects[o].0),
    };
    json!({"name": m.name, "type": ty, "member": member, "required": m.required,
        "document": format!("The `{}` member.", m.name), "disabled": false})
}

/// The shape as an `api.json`: each action `DoN` takes `DoNRequest` (a
/// required member of its request object) and answers `DoNResponse`.
fn api_json(shape: &SpecShape) -> Value {
    let mut objects = Map::new();
    for (name, members) in &shape.objects {
        let members: Vec<Value> = members.iter().map(|m| member_json(shape, m)).collect();
        objects.insert(
            (*name).to_owned(),
            json!({"type": "object", "document": format!("The `{name}` object."), "members": members}),
        );
    }
    let mut actions = Map::new();
    for (i, (input, output)) in shape.actions.iter().enumerate() {
        let action = format!("Do{i}");
        let input = shape.objects[*input].0;
        let output = shape.objects[*output].0;
        objects.insert(format!("{action}Request"), json!({"type": "object", "document": "Request.", "members": [
            {"name": "Payload", "type": "object", "member": input, "required": true, "document": "In.", "disabled": false},
            {"name": "Limit", "type": "int", "member": "uint64", "required": false, "document": "Limit.", "disabled": false}
        ]}));
        objects.insert(format!("{action}Response"), json!({"type": "object", "document": "Response.", "members": [
            {"name": "Result", "type": "object", "member": output, "required": false, "document": "Out.", "disabled": false},
            {"name": "RequestId", "type": "string", "member": "string", "required": true, "document": "Request id.", "disabled": false}
        ]}));
        actions.insert(action.clone(), json!({"name": action, "document": "Does it.",
            "input": format!("{action}Request"), "output": format!("{action}Response"), "status": "online"}));
    }
    json!({"version": "1.0", "metadata": {"apiVersion": "2024-01-01", "serviceShortName": "random",
        "serviceNameCN": "随机"}, "actions": actions, "objects": objects})
}

fn generate(api: &Value, dir: &Path) -> Result<codegen::GeneratedCrate, codegen::Error> {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("api.json"), api.to_string()).unwrap();
    codegen::generate(dir, &codegen::Options::default())
}

proptest! {
    #![proptest_config(Config { cases: 48, ..Config::default() })]

    #[test]
    fn every_random_spec_generates_the_same_bytes_twice(shape in spec_shape()) {
        let dir = sdk_tests::scratch_dir("random-spec-generates");
        let api = api_json(&shape);
        let first = generate(&api, &dir).map_err(|e| TestCaseError::fail(format!("{e}\n{api:#}")))?;
        let second = generate(&api, &dir).unwrap();
        prop_assert_eq!(first, second);
    }
}

/// A JSON value of `kind`, every required member set, optional ones at
/// random; depth-bounded (optional members and lists stop the recursion).
fn value(shape: &SpecShape, object: usize, depth: u32, rng: &mut TestRunner) -> Value {
    let mut out = Map::new();
    for m in &shape.objects[object].1 {
        let present = m.required || (depth < 3 && coin(rng));
        if !present {
            continue;
        }
        let v = match m.kind {
            Kind::Scalar(s) => scalar(s, rng),
            Kind::ScalarList(s) => Value::Array((0..count(rng)).map(|_| scalar(s, rng)).collect()),
            Kind::Object(o, false) => value(shape, o, depth + 1, rng),
            Kind::Object(o, true) => {
                let n = if depth < 3 { count(rng) } else { 0 };
                Value::Array((0..n).map(|_| value(shape, o, depth + 1, rng)).collect())
            }
        };
        out.insert(m.name.to_owned(), v);
    }
    Value::Object(out)
}

fn draw<T: std::fmt::Debug>(strategy: impl Strategy<Value = T>, rng: &mut TestRunner) -> T {
    strategy
        .new_tree(rng)
        .expect("these strategies never reject")
        .current()
}

fn coin(rng: &mut TestRunner) -> bool {
    draw(any::<bool>(), rng)
}

fn count(rng: &mut TestRunner) -> usize {
    draw(0..3usize, rng)
}

fn scalar(s: usize, rng: &mut TestRunner) -> Value {
    match SCALARS[s].1 {
        "int64" => json!(draw(any::<i64>(), rng)),
        "uint64" => json!(draw(any::<u64>(), rng)),
        "float" => json!(draw(-1e12..1e12f64, rng)),
        "bool" => json!(coin(rng)),
        _ => json!(draw(".{0,12}", rng)),
    }
}

/// `value` as JSON text with every non-ASCII character escaped, so the
/// test source holds no bidi or invisible characters.
fn ascii_json(value: &Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

/// How many random specs the batch compiles, and how many values per type.
const BATCH: usize = 6;
const VALUES: usize = 4;

/// Seeds of the batch that failed before, replayed before a fresh one.
const SEEDS_FILE: &str = "tests/random_specs.seeds";

#[test]
fn a_batch_of_random_specs_compiles_and_round_trips_random_values() {
    let seeds = sdk_tests::seeds(SEEDS_FILE, "RANDOM_SPECS_SEED");
    let root = sdk_tests::scratch_dir("random-spec-batch");
    let runtime = sdk_tests::workspace_root().join("runtime");
    let mut members = Vec::new();
    let mut expected_tests = 0;
    for (s, seed) in seeds.iter().enumerate() {
        let mut runner = seeded(*seed);
        for n in 0..BATCH {
            let package = format!("random-spec-{s}-{n}");
            let shape = draw(spec_shape(), &mut runner);
            let api = api_json(&shape);
            let spec = root.join("specs").join(&package);
            std::fs::create_dir_all(&spec).unwrap();
            std::fs::write(spec.join("api.json"), api.to_string()).unwrap();
            let options = codegen::Options {
                generated_by: "tests/random_specs.rs".into(),
                crate_name: Some(package.clone()),
                runtime_path: runtime.display().to_string(),
                ..codegen::Options::default()
            };
            let krate = codegen::generate(&spec, &options)
                .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{api:#}"));
            let dir = root.join(&package);
            let mut output = codegen::Output::new(&dir);
            output.add_crate("", &krate);
            codegen::write(&output).unwrap();
            let service = codegen::load_service(&spec).unwrap();
            let manifest = dir.join("Cargo.toml");
            let mut toml = std::fs::read_to_string(&manifest).unwrap();
            toml.push_str("\n[dev-dependencies]\nserde = \"1\"\nserde_json = \"1\"\n");
            std::fs::write(&manifest, toml).unwrap();
            std::fs::create_dir_all(dir.join("tests")).unwrap();
            let (tests, count) = round_trip_tests(&service, &package, &shape, &mut runner);
            expected_tests += count;
            std::fs::write(dir.join("tests/round_trip.rs"), tests).unwrap();
            members.push(format!("\"{package}\""));
        }
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    let target = sdk_tests::workspace_root().join("target/random-specs");
    let cargo = xtask::cargo();
    let out = Command::new(cargo)
        // serde's traits, behind each crate's `serde` feature, are checked too;
        // only the round-trip tests run, so that what passed is what they say.
        .args([
            "test",
            "--workspace",
            "--features",
            "serde",
            "--test",
            "round_trip",
        ])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let seeds_said = format!(
        "seeds {seeds:?} (rerun one with RANDOM_SPECS_SEED=<seed>; add it to {SEEDS_FILE} to keep it)"
    );
    assert!(
        out.status.success(),
        "{seeds_said}: the random crates in {} failed:\n{stdout}\n{}",
        root.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(passed, expected_tests, "{seeds_said}:\n{stdout}");
}

fn seeded(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = proptest::test_runner::TestRng::from_seed(
        proptest::test_runner::RngAlgorithm::ChaCha,
        &bytes,
    );
    TestRunner::new_with_rng(Config::default(), rng)
}

/// A test per data object: random values decode, encode back unchanged,
/// and take the same path through serde (the `serde` feature's impls and
/// the runtime's `Serde` wrapper); each scalar member has the Rust type
/// [`SCALARS`] gives its pair. Returns the file and its number of tests.
fn round_trip_tests(
    service: &codegen::ir::Service,
    package: &str,
    shape: &SpecShape,
    rng: &mut TestRunner,
) -> (String, usize) {
    let krate = package.replace('-', "_");
    let version = service.newest();
    let mut out = format!(
        "//! Random values of every data object through JSON both ways.\n\nuse {krate}::models;\nuse tencentcloud_runtime::json::{{FromJson, Serde, ToJson}};\n\nfn check<T: FromJson + ToJson + serde::Serialize + serde::de::DeserializeOwned + Clone + PartialEq + std::fmt::Debug>(text: &str) {{\n    let value: serde_json::Value = serde_json::from_str(text).unwrap();\n    let typed = T::from_json(value.clone()).unwrap_or_else(|e| panic!(\"{{e}}: {{text}}\"));\n    assert_eq!(typed.to_json(), value, \"{{text}}\");\n    let via_serde: T = serde_json::from_value(value.clone()).unwrap();\n    assert_eq!(via_serde, typed.clone());\n    assert_eq!(serde_json::to_value(&via_serde).unwrap(), value);\n    let Serde(wrapped): Serde<T> = serde_json::from_value(value.clone()).unwrap();\n    assert_eq!(serde_json::to_value(Serde(&wrapped)).unwrap(), value);\n}}\n\n/// A member of type `T`, required or not.\n#[allow(dead_code)]\ntrait Holds<T> {{}}\nimpl<T> Holds<T> for T {{}}\nimpl<T> Holds<T> for Option<T> {{}}\n#[allow(dead_code)]\nfn holds<T, F: Holds<T>>(_: &F) {{}}\n"
    );
    let mut count = 0;
    for (index, (wire, _)) in shape.objects.iter().enumerate() {
        // Objects no action reaches are not generated.
        let Some(object) = version.objects.iter().find(|o| o.wire_name == *wire) else {
            continue;
        };
        let _ = writeln!(out, "\n#[test]\nfn round_trip_{index}() {{");
        for _ in 0..VALUES {
            let text = ascii_json(&value(shape, index, 0, rng));
            let _ = writeln!(
                out,
                "    check::<models::{}>(r####\"{text}\"####);",
                object.rust_name
            );
        }
        let mut types = String::new();
        for m in &shape.objects[index].1 {
            let ty = match m.kind {
                Kind::Scalar(s) => SCALARS[s].2.to_owned(),
                Kind::ScalarList(s) => format!("Vec<{}>", SCALARS[s].2),
                Kind::Object(..) => continue,
            };
            let field = object
                .fields
                .iter()
                .find(|f| f.wire_name == m.name)
                .expect("every member of the spec is a field");
            let _ = writeln!(types, "    holds::<{ty}, _>(&value.{});", field.rust_name);
        }
        if !types.is_empty() {
            let _ = writeln!(
                out,
                "    let value = models::{}::from_json(serde_json::from_str(r####\"{}\"####).unwrap()).unwrap();\n{types}",
                object.rust_name,
                ascii_json(&value(shape, index, 0, rng))
            );
        }
        out.push_str("}\n");
        count += 1;
    }
    (out, count)
}
