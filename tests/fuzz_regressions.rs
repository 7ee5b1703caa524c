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

/// The `response_decode` target's own function, `run`.
#[path = "../fuzz/src/response_decode.rs"]
mod response_decode;

/// What each input of `fuzz/regressions/response_decode/` must decode to,
/// per type: `BatchCreateRoomResponse`, `DescribeRoomResponse`,
/// `GetRoomsResponse`, `DescribeDocumentsResponse`, then `Value`.
const RESPONSE_DECODE: &[(&str, [&str; 4], &str)] = {
    const OK: [&str; 4] = ["ok"; 4];
    const DECODE: [&str; 4] = ["decode"; 4];
    const HTTP: [&str; 4] = ["http"; 4];
    const SERVICE: [&str; 4] = ["service"; 4];
    &[
        ("truncated-json", DECODE, "decode"),
        ("truncated-in-a-string", DECODE, "decode"),
        ("empty-body", DECODE, "decode"),
        // 2^64: a float to serde_json, no `u64` nor `i64`.
        ("huge-integer", ["decode", "ok", "decode", "decode"], "ok"),
        ("huge-integer-as-string", ["decode", "ok", "ok", "ok"], "ok"),
        // Out of `f64`'s range: not JSON serde_json reads.
        ("huge-float", DECODE, "decode"),
        // `u64::MAX` as a number and a string; `i64::MIN` for a `u64` and an `i64`.
        ("integer-limits", ["ok", "ok", "decode", "ok"], "ok"),
        // `""` is unset for a list and kept for a string ...
        ("empty-string-for-lists-and-strings", OK, "ok"),
        // ... and no number ...
        (
            "empty-string-for-a-number",
            ["ok", "ok", "decode", "decode"],
            "ok",
        ),
        // ... nor an element of a list of numbers or objects.
        (
            "empty-string-inside-a-list",
            ["decode", "ok", "decode", "decode"],
            "ok",
        ),
        ("invalid-utf8", DECODE, "decode"),
        ("invalid-utf8-status-502", HTTP, "http"),
        ("lone-surrogate-escape", DECODE, "decode"),
        // Past serde_json's recursion limit (128).
        ("deep-nesting", DECODE, "decode"),
        (
            "deep-nesting-within-the-limit",
            ["decode", "ok", "ok", "ok"],
            "ok",
        ),
        ("error-envelope", SERVICE, "service"),
        ("error-envelope-odd-members", SERVICE, "service"),
        ("error-not-an-object", DECODE, "decode"),
        ("response-not-an-object", DECODE, "decode"),
        ("status-500-with-a-success-body", HTTP, "http"),
        // 65535 % 600 = 135.
        ("status-wraps-past-600", HTTP, "http"),
        ("duplicate-members", OK, "ok"),
        (
            "float-for-an-unsigned-integer",
            ["decode", "ok", "decode", "ok"],
            "ok",
        ),
    ]
};

/// The kind of a result, checking that an error carries the input's status.
fn kind<E: tencentcloud_runtime::ServiceErrorCode>(
    result: &Result<(), tencentcloud_runtime::Error<E>>,
    input_status: u16,
) -> String {
    use tencentcloud_runtime::Error;
    match result {
        Ok(()) => "ok".into(),
        Err(Error::Service(_)) => "service".into(),
        Err(Error::Http { status, .. }) if *status == input_status => "http".into(),
        Err(Error::Decode { status, .. }) if *status == input_status => "decode".into(),
        Err(other) => format!("unexpected {other:?}"),
    }
}

/// `response_decode`: every input replayed through the target's function
/// decodes without a panic, to the result or typed error listed above.
#[test]
fn response_decode_inputs_give_typed_results() {
    let dir = sdk_tests::workspace_root().join("fuzz/regressions/response_decode");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut listed: Vec<String> = RESPONSE_DECODE
        .iter()
        .map(|(name, ..)| (*name).to_owned())
        .collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "every input has its row, every row its input"
    );
    for (name, typed, untyped) in RESPONSE_DECODE {
        let data = std::fs::read(dir.join(name)).unwrap();
        let outcome = std::panic::catch_unwind(|| response_decode::run(&data))
            .unwrap_or_else(|_| panic!("{name}: decoding panicked"))
            .unwrap_or_else(|| panic!("{name}: shorter than a status"));
        let status = u16::from_le_bytes([data[0], data[1]]) % 600;
        assert_eq!(outcome.status, status, "{name}");
        let got: Vec<String> = outcome.typed.iter().map(|r| kind(r, status)).collect();
        assert_eq!(got, typed, "{name}: {:?}", outcome.typed);
        assert_eq!(
            kind(&outcome.untyped, status),
            *untyped,
            "{name}: {:?}",
            outcome.untyped
        );
    }
    // Shorter than a status: nothing to decode.
    assert!(response_decode::run(&[200]).is_none());
}
