//! Tencent's routine spec changes cannot change what unchanged user code
//! means: a reorder of members changes no public signature, a member added
//! beside another never takes its Rust name, and a required member added
//! makes code that does not set it fail to compile.

use codegen::ir::Service;
use sdk_tests::{git, scratch_dir, workspace_root};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const LCIC: &str = "api-spec/lcic/2022-08-17";

/// A copy of LCIC's spec directory with `edit` applied to its `api.json`.
fn lcic_copy(name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let dir = scratch_dir(name).join("2022-08-17");
    std::fs::create_dir_all(&dir).unwrap();
    let source = workspace_root().join(LCIC);
    for file in codegen::load::SPEC_FILES {
        if source.join(file).is_file() {
            std::fs::copy(source.join(file), dir.join(file)).unwrap();
        }
    }
    let path = dir.join("api.json");
    let mut api: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut api);
    std::fs::write(&path, serde_json::to_string_pretty(&api).unwrap()).unwrap();
    dir
}

fn members<'a>(api: &'a mut Value, object: &str) -> &'a mut Vec<Value> {
    api["objects"][object]["members"].as_array_mut().unwrap()
}

fn string_member(name: &str, required: bool) -> Value {
    json!({"name": name, "type": "string", "member": "string", "required": required, "document": format!("The {name}.")})
}

fn generate(dir: &Path) -> codegen::GeneratedCrate {
    codegen::generate(dir, &codegen::Options::default()).unwrap()
}

fn surface(files: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    codegen::diff::surface::Surface::of(files).unwrap().lines()
}

/// Each file's lines, sorted: equal when two files differ in order only.
fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines
}

#[test]
fn reordering_every_member_of_lcic_changes_no_public_signature() {
    let original = lcic_copy("churn-original", |_| {});
    let reordered = lcic_copy("churn-reordered", |api| {
        for object in api["objects"].as_object_mut().unwrap().values_mut() {
            object["members"].as_array_mut().unwrap().reverse();
        }
    });
    // The reorder swaps same-typed required members: `StartTime` and
    // `EndTime` of `RoomInfo` are both `u64`.
    let names = |dir: &Path| -> Vec<String> {
        let service = codegen::load_service(dir).unwrap();
        let room = service
            .newest()
            .objects
            .iter()
            .find(|o| o.wire_name == "RoomInfo")
            .unwrap();
        room.constructor_fields()
            .map(|f| f.wire_name.clone())
            .collect()
    };
    assert_eq!(names(&original)[1..3], ["StartTime", "EndTime"]);
    assert_eq!(names(&reordered)[3..5], ["EndTime", "StartTime"]);

    let (before, after) = (generate(&original), generate(&reordered));
    let surface_before = surface(&before.files);
    assert!(surface_before.len() > 500, "{}", surface_before.len());
    assert!(surface_before
        .iter()
        .any(|l| l.ends_with("required::RoomInfo: #[derive(Clone, Debug)] struct { pub end_time : u64, pub max_mic_number : u64, pub name : String, pub resolution : u64, pub start_time : u64, pub sub_type : String }")));
    assert_eq!(
        surface_before,
        surface(&after.files),
        "the public API moved"
    );
    // Byte for byte the same but for the order of lines (fields, docs,
    // members written to JSON in the spec's order).
    assert_eq!(
        before.files.keys().collect::<Vec<_>>(),
        after.files.keys().collect::<Vec<_>>()
    );
    let mut moved = 0;
    for (path, text) in &before.files {
        let other = &after.files[path];
        assert_eq!(sorted_lines(text), sorted_lines(other), "{path}");
        moved += usize::from(text != other);
    }
    assert!(moved >= 2, "the reorder reached models.rs and required.rs");
}

fn field_of<'a>(service: &'a Service, object: &str, wire: &str) -> &'a str {
    let object = service
        .newest()
        .objects
        .iter()
        .find(|o| o.wire_name == object)
        .unwrap();
    &object
        .fields
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap()
        .rust_name
}

#[test]
fn a_member_added_beside_an_existing_one_never_takes_its_name() {
    let old = lcic_copy("churn-names-old", |api| {
        members(api, "RoomInfo").push(string_member("DNSFormat", false));
    });
    let new = lcic_copy("churn-names-new", |api| {
        members(api, "RoomInfo").push(string_member("DNSFormat", false));
        members(api, "RoomInfo").push(string_member("DnsFormat", false));
    });
    let previous = codegen::load_service(&old).unwrap();
    assert_eq!(field_of(&previous, "RoomInfo", "DNSFormat"), "dns_format");

    // With no history the plain rule gives the canonical spelling the plain name...
    let first = codegen::load_service(&new).unwrap();
    assert_eq!(field_of(&first, "RoomInfo", "DnsFormat"), "dns_format");
    // ...but after a release that had `DNSFormat` as `dns_format`, it keeps it.
    let next = codegen::load_service_after(&new, Some(&previous)).unwrap();
    assert_eq!(field_of(&next, "RoomInfo", "DNSFormat"), "dns_format");
    assert_eq!(field_of(&next, "RoomInfo", "DnsFormat"), "dns_format_2");

    // `names.json` carries it to the next generation without the history.
    let text = codegen::names_file(next.newest(), "tests/spec_churn.rs").unwrap();
    assert!(text.starts_with("{\"//\": \"@generated"), "{text}");
    std::fs::write(new.join(codegen::load::NAMES_FILE), &text).unwrap();
    let again = codegen::load_service(&new).unwrap();
    assert_eq!(field_of(&again, "RoomInfo", "DNSFormat"), "dns_format");
    assert_eq!(field_of(&again, "RoomInfo", "DnsFormat"), "dns_format_2");
    assert_eq!(
        codegen::names_file(again.newest(), "tests/spec_churn.rs").unwrap(),
        text
    );
    let models = &generate(&new).files["src/v20220817/models.rs"];
    assert!(models.contains("members.member(\"DNSFormat\", &self.dns_format);"));
    assert!(models.contains("members.member(\"DnsFormat\", &self.dns_format_2);"));
}

#[test]
fn a_bad_names_file_is_an_error_with_its_place() {
    let dir = lcic_copy("churn-bad-names", |_| {});
    let write = |text: &str| std::fs::write(dir.join("names.json"), text).unwrap();
    write(r#"{"members": {"RoomInfo": {"Name": "type"}}}"#);
    let err = codegen::load_service(&dir).unwrap_err().to_string();
    assert!(err.contains("names.json: at members.RoomInfo.Name: `type` is not a snake_case identifier that is not a keyword"), "{err}");
    write(r#"{"members": {"RoomInfo": {"Name": "x", "SubType": "x"}}}"#);
    let err = codegen::load_service(&dir).unwrap_err().to_string();
    assert!(
        err.contains("at members.RoomInfo.SubType: `x` is pinned for `Name` too"),
        "{err}"
    );
    write(r#"{"member": {}}"#);
    let err = codegen::load_service(&dir).unwrap_err().to_string();
    assert!(
        err.contains("names.json:1:") && err.contains("unknown field `member`"),
        "{err}"
    );
}

/// The user's workflow: copy the newer `api.json` over the old one, run
/// `cargo xtask codegen`, commit. The history comes from git.
#[test]
fn codegen_keeps_names_across_a_spec_bump_and_records_them() {
    let root = sdk_tests::scratch_repo("churn-repo");
    let spec_dir = root.join("api-spec/lcic/2022-08-17");
    std::fs::create_dir_all(&spec_dir).unwrap();
    let seed = workspace_root().join("tests/fixtures/seed_batch_create_room/spec");
    std::fs::copy(seed.join("api.json"), spec_dir.join("api.json")).unwrap();
    let api_path = spec_dir.join("api.json");
    let mut api: Value =
        serde_json::from_str(&std::fs::read_to_string(&api_path).unwrap()).unwrap();
    members(&mut api, "RoomInfo").push(string_member("DNSFormat", false));
    std::fs::write(&api_path, api.to_string()).unwrap();
    git(&root, &["init", "-q"]);
    assert!(xtask::codegen(&root, false, &mut Vec::new()).unwrap());
    assert!(
        !spec_dir.join("names.json").exists(),
        "no collision, nothing to remember"
    );
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "first"]);

    members(&mut api, "RoomInfo").push(string_member("DnsFormat", false));
    std::fs::write(&api_path, api.to_string()).unwrap();
    assert!(xtask::codegen(&root, false, &mut Vec::new()).unwrap());
    let models =
        std::fs::read_to_string(root.join("generated/lcic/src/v20220817/models.rs")).unwrap();
    assert!(models.contains("members.member(\"DNSFormat\", &self.dns_format);"));
    assert!(models.contains("members.member(\"DnsFormat\", &self.dns_format_2);"));
    let names = std::fs::read_to_string(spec_dir.join("names.json")).unwrap();
    assert!(names.contains("\"DNSFormat\": \"dns_format\""), "{names}");
    let log = std::fs::read_to_string(root.join("generated/lcic/CHANGELOG.md")).unwrap();
    assert!(
        log.contains("member added: optional field `dns_format_2"),
        "{log}"
    );
    assert!(!log.contains("renamed"), "{log}");
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "bump"]);
    // After the commit the pins come from names.json: nothing moves.
    assert!(xtask::codegen(&root, true, &mut Vec::new()).unwrap());
}

/// `cargo build --offline` of a scratch workspace; the target directory (and so the
/// dependencies' builds) is shared with the random-spec batch.
fn cargo_build(workspace: &Path, package: &str) -> (bool, String) {
    // The workspace's own lock: the same dependency versions, no registry.
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .unwrap();
    let cargo = xtask::cargo();
    let out = Command::new(cargo)
        .args(["build", "--quiet", "--offline", "-p", package])
        .current_dir(workspace)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/random-specs"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_required_member_added_breaks_code_that_does_not_set_it() {
    let root = scratch_dir("churn-compile");
    let runtime = workspace_root().join("runtime").display().to_string();
    let old = lcic_copy("churn-compile-old-spec", |_| {});
    let new = lcic_copy("churn-compile-new-spec", |api| {
        members(api, "RoomInfo").insert(2, string_member("Topic", true));
    });
    let consumer = "pub fn room() -> api::RoomInfo {\n    api::RoomInfo::new(api::required::RoomInfo {\n        name: \"Maths\".into(),\n        start_time: 1_700_000_000,\n        end_time: 1_700_003_600,\n        resolution: 1,\n        max_mic_number: 6,\n        sub_type: \"videodoc\".into(),\n    })\n}\n";
    let mut output = codegen::Output::new(&root);
    for (variant, spec) in [("old", &old), ("new", &new)] {
        let options = codegen::Options {
            crate_name: Some(format!("churn-lcic-{variant}")),
            runtime_path: runtime.clone(),
            actions: Some(["BatchCreateRoom".to_owned()].into()),
            models_only: true,
            ..codegen::Options::default()
        };
        output.add_crate(
            &format!("lcic-{variant}"),
            &codegen::generate(spec, &options).unwrap(),
        );
        output.add_file(
            format!("consumer-{variant}/Cargo.toml"),
            format!("[package]\nname = \"churn-consumer-{variant}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\napi = {{ package = \"churn-lcic-{variant}\", path = \"../lcic-{variant}\" }}\n"),
        );
        output.add_file(
            format!("consumer-{variant}/src/lib.rs"),
            format!("//! Builds a room the way the README does.\n\n/// One room.\n{consumer}"),
        );
    }
    output.add_file(
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"lcic-old\", \"lcic-new\", \"consumer-old\", \"consumer-new\"]\n".to_owned(),
    );
    codegen::write(&output).unwrap();
    let (ok, stderr) = cargo_build(&root, "churn-consumer-old");
    assert!(
        ok,
        "the consumer builds against the spec it was written for:\n{stderr}"
    );
    let (ok, stderr) = cargo_build(&root, "churn-consumer-new");
    assert!(!ok, "a new required member must break the old construction");
    assert!(
        stderr.contains("E0063") && stderr.contains("missing field `topic`"),
        "{stderr}"
    );
}
