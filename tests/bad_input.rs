//! Bad input gets one clear message (file, place, what is wrong, a near
//! name when there is one), exit code 1, and nothing is written or removed.

use sdk_tests::{scratch_dir, snapshot, workspace_root};
use std::fs;
use std::path::{Path, PathBuf};

/// A copy of the seed fixture's spec, with `edit` applied to one of its files.
fn broken_spec(name: &str, file: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let dir = scratch_dir(&format!("bad-{name}")).join("spec");
    fs::create_dir_all(&dir).unwrap();
    let source = workspace_root().join("tests/fixtures/seed_batch_create_room/spec");
    for entry in fs::read_dir(&source).unwrap().flatten() {
        fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit of {file} changed nothing");
    fs::write(&path, edited).unwrap();
    dir
}

/// Runs `cargo xtask generate` into a directory that already holds a
/// generated crate; returns the exit code and stderr, and checks that the
/// directory was left exactly as it was.
fn generate_into_existing(spec: &Path) -> (u8, String) {
    let out_dir = spec.parent().unwrap().join("out");
    let good = workspace_root().join("tests/fixtures/seed_batch_create_room/spec");
    let run = |spec: &Path| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = [
            "generate".to_owned(),
            spec.display().to_string(),
            "--out".into(),
            out_dir.display().to_string(),
        ];
        let code = xtask::run(&args, &mut out, &mut err);
        (code, String::from_utf8(err).unwrap())
    };
    assert_eq!(run(&good).0, 0, "the good spec generates");
    fs::write(out_dir.join("NOTES.md"), "hand-written, not generated\n").unwrap();
    let before = snapshot(&out_dir);
    let result = run(spec);
    assert_eq!(
        before,
        snapshot(&out_dir),
        "a failed run changed the output directory"
    );
    result
}

fn assert_fails_with(spec: &Path, fragments: &[&str]) {
    let (code, err) = generate_into_existing(spec);
    assert_eq!(code, 1, "exit code; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one message, got: {err}");
    for fragment in fragments {
        assert!(err.contains(fragment), "missing {fragment:?} in: {err}");
    }
}

#[test]
fn json_syntax_error_names_file_line_and_column() {
    let spec = broken_spec("syntax", "api.json", |t| {
        t.replacen("\"actions\": {", "\"actions\": {,", 1)
    });
    assert_fails_with(&spec, &["api.json:2:15: key must be a string"]);
}

#[test]
fn unknown_member_type_names_the_member() {
    let spec = broken_spec("unknown-type", "api.json", |t| {
        t.replacen("\"member\": \"uint64\"", "\"member\": \"int32\"", 1)
    });
    assert_fails_with(
        &spec,
        &[
            "api.json: at objects.BatchCreateRoomRequest.members[0]:",
            "`int`/`int32`",
            "does not know",
        ],
    );
}

#[test]
fn reference_to_a_missing_object_suggests_the_near_name() {
    let spec = broken_spec("missing-object", "api.json", |t| {
        t.replacen("\"member\": \"RoomInfo\"", "\"member\": \"RoomInfoo\"", 1)
    });
    assert_fails_with(
        &spec,
        &[
            "objects.BatchCreateRoomRequest.members[1]",
            "`RoomInfoo`, which is not in `objects`",
            "did you mean `RoomInfo`?",
        ],
    );
}

#[test]
fn duplicate_object_name_is_reported_with_its_position() {
    let spec = broken_spec("duplicate-object", "api.json", |t| {
        t.replacen(
            "\"RoomInfo\": {",
            "\"RoomInfo\": {\"members\": []},\n    \"RoomInfo\": {",
            1,
        )
    });
    assert_fails_with(&spec, &["api.json:", "duplicate name `RoomInfo`"]);
}

#[test]
fn duplicate_member_name_is_reported() {
    let spec = broken_spec("duplicate-member", "api.json", |t| {
        t.replacen("\"name\": \"EndTime\"", "\"name\": \"StartTime\"", 1)
    });
    assert_fails_with(
        &spec,
        &[
            "objects.RoomInfo.members[2]",
            "duplicate member `StartTime` (also members[1])",
        ],
    );
}

#[test]
fn action_without_input_is_reported() {
    let spec = broken_spec("no-input", "api.json", |t| {
        t.replacen("\"input\": \"BatchCreateRoomRequest\",", "", 1)
    });
    assert_fails_with(&spec, &["api.json:", "missing field `input`"]);
}

#[test]
fn action_naming_a_missing_output_suggests_the_near_name() {
    let spec = broken_spec("bad-output", "api.json", |t| {
        t.replacen(
            "\"output\": \"BatchCreateRoomResponse\"",
            "\"output\": \"BatchCreateRoomRespons\"",
            1,
        )
    });
    assert_fails_with(
        &spec,
        &[
            "at actions.BatchCreateRoom.output:",
            "did you mean `BatchCreateRoomResponse`?",
        ],
    );
}

#[test]
fn errors_json_naming_an_unknown_action_is_reported() {
    let spec = broken_spec("errors-unknown-action", "errors.json", |t| {
        t.replacen("\"BatchCreateRoom\": [", "\"BatchCreateRom\": [", 1)
    });
    assert_fails_with(
        &spec,
        &[
            "errors.json: at actions.BatchCreateRom:",
            "unknown action `BatchCreateRom`",
            "did you mean `BatchCreateRoom`?",
        ],
    );
}

#[test]
fn errors_json_listing_an_unknown_code_is_reported() {
    let spec = broken_spec("errors-unknown-code", "errors.json", |t| {
        t.replacen(
            "\n      \"FailedOperation.RoomNotEnd\",",
            "\n      \"FailedOperation.RoomNotEnded\",",
            1,
        )
    });
    assert_fails_with(
        &spec,
        &[
            "errors.json: at actions.BatchCreateRoom[7]:",
            "`FailedOperation.RoomNotEnded` is not in `errors`",
        ],
    );
}

#[test]
fn overlay_naming_an_unknown_action_is_reported() {
    let spec = broken_spec("overlay-unknown-action", "overlay.json", |t| {
        t.replacen("\"BatchCreateRoom\"", "\"BatchCreateRooms\"", 1)
    });
    assert_fails_with(
        &spec,
        &[
            "overlay.json: at actions.BatchCreateRooms:",
            "did you mean `BatchCreateRoom`?",
        ],
    );
}

#[test]
fn a_spec_error_in_one_service_writes_nothing_for_any() {
    let root = sdk_tests::scratch_repo("codegen-all-or-nothing");
    let good = workspace_root().join("tests/fixtures/seed_batch_create_room/spec");
    let bad = broken_spec("codegen-bad-service", "api.json", |t| {
        t.replacen("\"type\": \"list\"", "\"type\": \"array\"", 1)
    });
    for (name, from) in [("aaa", &good), ("zzz", &bad)] {
        let dir = root.join("api-spec").join(name).join("2022-08-17");
        fs::create_dir_all(&dir).unwrap();
        for entry in fs::read_dir(from).unwrap().flatten() {
            fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let err = xtask::codegen(&root, false, &mut Vec::new()).unwrap_err();
    assert!(
        format!("{err:#}").contains("zzz/2022-08-17/api.json"),
        "{err:#}"
    );
    assert!(
        !root.join("generated").exists(),
        "the good service was written although another failed"
    );
}

#[test]
fn a_file_without_the_marker_is_never_overwritten() {
    let out = scratch_dir("no-marker");
    fs::create_dir_all(out.join("src")).unwrap();
    fs::write(out.join("src/lib.rs"), "// my own code\n").unwrap();
    let spec = workspace_root().join("tests/fixtures/seed_batch_create_room/spec");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let args = [
        "generate".to_owned(),
        spec.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    assert_eq!(xtask::run(&args, &mut stdout, &mut stderr), 1);
    let err = String::from_utf8(stderr).unwrap();
    assert!(
        err.contains("src/lib.rs: exists and has no `@generated` marker"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "// my own code\n"
    );
    assert!(
        !out.join("Cargo.toml").exists(),
        "other files were written although the run failed"
    );
}

#[test]
fn stale_generated_files_go_and_other_files_stay() {
    let out = scratch_dir("stale");
    let spec = workspace_root().join("tests/fixtures/seed_batch_create_room/spec");
    let args = [
        "generate".to_owned(),
        spec.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    assert_eq!(xtask::run(&args, &mut Vec::new(), &mut Vec::new()), 0);
    fs::create_dir_all(out.join("src/v20190101")).unwrap();
    fs::write(
        out.join("src/v20190101/models.rs"),
        "// @generated by `cargo xtask generate`.\n",
    )
    .unwrap();
    fs::write(out.join("NOTES.md"), "mine\n").unwrap();
    assert_eq!(xtask::run(&args, &mut Vec::new(), &mut Vec::new()), 0);
    assert!(
        !out.join("src/v20190101").exists(),
        "the stale module and its directory remain"
    );
    assert_eq!(fs::read_to_string(out.join("NOTES.md")).unwrap(), "mine\n");
}

#[test]
fn unknown_arguments_are_a_usage_error() {
    let mut err = Vec::new();
    assert_eq!(
        xtask::run(&["frobnicate".into()], &mut Vec::new(), &mut err),
        2
    );
    assert!(String::from_utf8(err).unwrap().contains("usage:"));
}

#[test]
fn bench_catalog_rejects_bad_arguments_before_touching_the_disk() {
    let out = scratch_dir("bench-catalog-args");
    let keep = out.join("bench-catalog/keep.txt");
    fs::create_dir_all(keep.parent().unwrap()).unwrap();
    fs::write(&keep, "mine\n").unwrap();
    let spec_root = workspace_root().join("tests/fixtures");
    let cases: [(&[&str], &str); 3] = [
        (
            &["--rounds", "0"],
            "--rounds takes a positive number, not `0`",
        ),
        (&["--frobnicate", "1"], "unexpected flag: `--frobnicate`"),
        (&["--out"], "expected a value for `--out`"),
    ];
    for (extra, message) in cases {
        let mut args = vec!["bench-catalog".to_owned(), spec_root.display().to_string()];
        args.extend(extra.iter().map(|a| a.to_string()));
        if extra != ["--out"] {
            args.extend(["--out".to_owned(), out.display().to_string()]);
        }
        let mut err = Vec::new();
        assert_eq!(xtask::run(&args, &mut Vec::new(), &mut err), 2, "{args:?}");
        let err = String::from_utf8(err).unwrap();
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(fs::read_to_string(&keep).unwrap(), "mine\n", "{args:?}");
    }
}
