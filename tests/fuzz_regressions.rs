//! Every crash the fuzzers found (`fuzz/`, `RELIABILITY.md`), replayed: the
//! spec that broke the generator, and what it must generate now.

use serde_json::{json, Value};

/// The seed fixture (LCIC's BatchCreateRoom slice, the base of the
/// `spec_mutations` target) with `change` applied, generated.
fn generate(change: impl FnOnce(&mut Value)) -> codegen::GeneratedCrate {
    let seed = sdk_tests::workspace_root().join("tests/fixtures/seed_batch_create_room/spec");
    let dir = sdk_tests::scratch_dir(&format!("fuzz-regression-{}", std::process::id()));
    for file in ["errors.json", "examples.json", "overlay.json"] {
        std::fs::copy(seed.join(file), dir.join(file)).unwrap();
    }
    let mut api: Value =
        serde_json::from_str(&std::fs::read_to_string(seed.join("api.json")).unwrap()).unwrap();
    change(&mut api);
    std::fs::write(dir.join("api.json"), api.to_string()).unwrap();
    codegen::generate(&dir, &codegen::Options::default())
        .unwrap_or_else(|e| panic!("the spec must generate: {e}"))
}

fn add_member(api: &mut Value, object: &str, name: &str, member: &str) {
    api["objects"][object]["members"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": name, "type": "object", "member": member,
            "required": false, "document": "", "disabled": false}));
}

/// `spec_mutations` crash-9a2f4692: a member named `_` became the field `_`,
/// which is no identifier (`generated code … does not parse`).
#[test]
fn members_named_only_with_underscores_or_symbols_get_a_name() {
    let krate = generate(|api| {
        add_member(api, "RoomInfo", "_", "RoomInfo");
        add_member(api, "RoomInfo", "🕴", "RoomInfo");
    });
    let models = &krate.files["src/v20220817/models.rs"];
    assert!(
        models.contains("pub unnamed: Option<Box<RoomInfo>>,"),
        "{models}"
    );
    assert!(
        models.contains("pub unnamed_2: Option<Box<RoomInfo>>,"),
        "{models}"
    );
    assert!(
        models.contains("unnamed: members.read_optional(\"_\"),"),
        "{models}"
    );
    assert!(
        models.contains("unnamed_2: members.read_optional(\"🕴\"),"),
        "{models}"
    );
}
