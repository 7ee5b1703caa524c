//! `cargo xtask diff` and the releases `cargo xtask codegen` derives from it:
//! the real LCIC bump item by item, one small spec pair per change kind,
//! history as `REV:PATH`, and CHANGELOG/version bumps.

use codegen::diff::{diff_services, Bump, Category, Change, Impact, Report};
use sdk_tests::{git, scratch_dir, workspace_root};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn load(dir: &Path) -> codegen::ir::Service {
    codegen::load_service(dir).unwrap()
}

fn find<'a>(report: &'a Report, location: &str) -> Vec<&'a Change> {
    report
        .changes
        .iter()
        .filter(|c| c.location == location)
        .collect()
}

#[test]
fn the_real_lcic_bump_item_by_item() {
    let old = load(&workspace_root().join("tests/data/lcic-intl-3.0.800"));
    let new = load(&workspace_root().join("api-spec/lcic"));
    let report = diff_services(&old, &new).unwrap();
    assert_eq!(
        report.bump,
        Bump::Minor,
        "nothing in this bump breaks users"
    );
    assert_eq!(report.counts().0, 0);

    // RoomInfo gained eleven optional members: additive, thanks to `new` + `with_…`.
    let room_info: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| {
            c.location.starts_with("v20220817::RoomInfo.") && c.category == Category::Member
        })
        .map(|c| {
            assert_eq!(c.impact, Impact::Additive, "{c:?}");
            assert!(
                c.message.starts_with("member added: optional field"),
                "{c:?}"
            );
            c.location.trim_start_matches("v20220817::RoomInfo.")
        })
        .collect();
    assert_eq!(
        room_info,
        [
            "EnableAutoStart",
            "EndDelayTime",
            "InteractionMode",
            "IsGradingRequiredPostClass",
            "LiveType",
            "RecordBackground",
            "RecordLang",
            "RecordLiveUrl",
            "RecordScene",
            "RoomType",
            "VideoOrientation"
        ]
    );
    let added = find(&report, "v20220817::CustomMsgContent");
    assert_eq!(
        (added[0].impact, added[0].category),
        (Impact::Additive, Category::Object)
    );
    let custom = find(&report, "v20220817::MessageItem.CustomMessage");
    assert_eq!(
        custom[0].message,
        "member added: optional field `custom_message: Option<CustomMsgContent>`"
    );
    let request_member = find(&report, "v20220817::CreateRoomRequest.RecordStream");
    assert_eq!(request_member[0].impact, Impact::Additive);

    // Response members that turned from `required` to `output_required` change nothing in Rust.
    let presence = find(&report, "v20220817::CreateDocumentResponse.DocumentId");
    assert_eq!(
        (presence[0].impact, presence[0].category),
        (Impact::DocOnly, Category::Presence)
    );
    // Re-worded descriptions are doc-only.
    let docs = find(&report, "v20220817::AddGroupMemberResponse.RequestId");
    assert_eq!(
        (docs[0].impact, docs[0].category),
        (Impact::DocOnly, Category::Docs)
    );
    // The old release had no errors.json: every code is new.
    let codes = report
        .changes
        .iter()
        .filter(|c| c.category == Category::ErrorCode)
        .count();
    assert_eq!(codes, 45);
    let markdown = report.to_markdown("0.1.1");
    assert!(
        markdown.starts_with("## 0.1.1\n\n`lcic`: 0 breaking,"),
        "{markdown}"
    );
    // The old spec directory had no overlay.json: `SERVICE` gains the domain.
    assert!(markdown.contains(
        "### Additive\n\n- `v20220817::SERVICE`: international endpoint unset → `lcic.intl.tencentcloudapi.com`\n"
    ), "{markdown}");
    assert!(
        markdown.contains("\n- `v20220817::CustomMsgContent`: object added: `CustomMsgContent`\n")
    );
    assert!(!markdown.contains("### Breaking"));
}

/// Writes a one-action spec with the given request/response members and
/// error codes into a scratch directory.
fn spec(name: &str, request: Value, response: Value, data: Value, errors: Value) -> PathBuf {
    let dir = scratch_dir(&format!("diff-{name}")).join("2022-01-01");
    std::fs::create_dir_all(&dir).unwrap();
    let mut objects = json!({
        "PingRequest": {"document": "Request.", "type": "object", "members": request},
        "PingResponse": {"document": "Response.", "type": "object", "members": response},
    });
    for (key, value) in data.as_object().unwrap() {
        objects[key] = value.clone();
    }
    let api = json!({
        "metadata": {"apiVersion": "2022-01-01", "serviceShortName": "pingsvc"},
        "actions": {"Ping": {"document": "Pings.", "input": "PingRequest", "output": "PingResponse", "name": "Ping", "status": "online"}},
        "objects": objects,
    });
    std::fs::write(dir.join("api.json"), api.to_string()).unwrap();
    std::fs::write(dir.join("errors.json"), errors.to_string()).unwrap();
    dir.parent().unwrap().to_owned()
}

fn member(name: &str, kind: &str, element: &str, required: bool) -> Value {
    json!({"name": name, "type": kind, "member": element, "required": required, "document": format!("The {name}.")})
}

fn base() -> (Value, Value, Value, Value) {
    (
        json!([
            member("Message", "string", "string", true),
            member("When", "string", "datetime", false)
        ]),
        json!([
            member("Echo", "string", "string", false),
            member("Count", "int", "int64", true)
        ]),
        json!({}),
        json!({"errors": [{"code": "FailedOperation", "description": "Failed."}], "actions": {"Ping": ["FailedOperation"]}}),
    )
}

/// Diffs the base spec against the base with `edit` applied.
fn changes(
    name: &str,
    edit: impl FnOnce(&mut Value, &mut Value, &mut Value, &mut Value),
) -> Vec<Change> {
    let (req, resp, data, errors) = base();
    let old = spec(
        &format!("{name}-old"),
        req.clone(),
        resp.clone(),
        data.clone(),
        errors.clone(),
    );
    let (mut req, mut resp, mut data, mut errors) = (req, resp, data, errors);
    edit(&mut req, &mut resp, &mut data, &mut errors);
    let new = spec(&format!("{name}-new"), req, resp, data, errors);
    diff_services(&load(&old), &load(&new)).unwrap().changes
}

/// [`changes`], when exactly one is expected.
fn one_change(
    name: &str,
    edit: impl FnOnce(&mut Value, &mut Value, &mut Value, &mut Value),
) -> Change {
    let changes = changes(name, edit);
    assert_eq!(changes.len(), 1, "{name}: {changes:#?}");
    changes[0].clone()
}

fn assert_change(
    change: &Change,
    impact: Impact,
    category: Category,
    location: &str,
    message: &str,
) {
    assert_eq!(
        (change.impact, change.category),
        (impact, category),
        "{change:?}"
    );
    assert_eq!(change.location, location, "{change:?}");
    assert!(change.message.contains(message), "{change:?}");
}

#[test]
fn each_change_kind_is_classified() {
    let at = |s: &str| format!("v20220101::{s}");
    let c = one_change("optional-request-member", |req, _, _, _| {
        req.as_array_mut()
            .unwrap()
            .push(member("Extra", "int", "uint64", false))
    });
    assert_change(
        &c,
        Impact::Additive,
        Category::Member,
        &at("PingRequest.Extra"),
        "optional field `extra: Option<u64>`",
    );
    let c = one_change("required-request-member", |req, _, _, _| {
        req.as_array_mut()
            .unwrap()
            .push(member("Extra", "int", "uint64", true))
    });
    assert_change(
        &c,
        Impact::Breaking,
        Category::Member,
        &at("PingRequest.Extra"),
        "`required::PingRequest` gains it",
    );
    // The only required member: the struct also gains `Default` (listed second).
    let c = changes("required-request-member-removed", |req, _, _, _| {
        req.as_array_mut().unwrap().remove(0);
    });
    assert_change(
        &c[0],
        Impact::Breaking,
        Category::Member,
        &at("PingRequest.Message"),
        "field `message` is gone",
    );
    // Nothing in the generated API follows the spec's member order.
    let reordered = changes("reordered-members", |req, resp, _, _| {
        req.as_array_mut().unwrap().reverse();
        resp.as_array_mut().unwrap().reverse();
    });
    assert!(reordered.is_empty(), "{reordered:#?}");
    let c = one_change("required-response-member", |_, resp, _, _| {
        resp.as_array_mut()
            .unwrap()
            .push(member("Extra", "bool", "bool", true))
    });
    assert_change(
        &c,
        Impact::Additive,
        Category::Member,
        &at("PingResponse.Extra"),
        "optional field",
    );
    let c = one_change("removed-member", |_, resp, _, _| {
        resp.as_array_mut().unwrap().remove(0);
    });
    assert_change(
        &c,
        Impact::Breaking,
        Category::Member,
        &at("PingResponse.Echo"),
        "member removed: field `echo` is gone",
    );
    let c = one_change("renamed-case", |_, resp, _, _| {
        resp[0]["name"] = json!("ECHO")
    });
    assert_change(
        &c,
        Impact::Additive,
        Category::Member,
        &at("PingResponse.Echo"),
        "member renamed `Echo` → `ECHO`",
    );
    let c = one_change("renamed", |_, resp, _, _| resp[0]["name"] = json!("Reply"));
    assert_change(
        &c,
        Impact::Breaking,
        Category::Member,
        &at("PingResponse.Echo"),
        "field `echo` → `reply`",
    );
    let c = one_change("type", |_, resp, _, _| resp[1]["member"] = json!("uint64"));
    assert_change(
        &c,
        Impact::Breaking,
        Category::Type,
        &at("PingResponse.Count"),
        "int/int64 to int/uint64 (Rust `i64` → `u64`)",
    );
    let c = one_change("format", |req, _, _, _| {
        req[1]["member"] = json!("datetime_iso")
    });
    assert_change(
        &c,
        Impact::DocOnly,
        Category::Type,
        &at("PingRequest.When"),
        "Rust `String` → `String`",
    );
    let c = changes("request-optional", |req, _, _, _| {
        req[0]["required"] = json!(false)
    });
    assert_change(
        &c[0],
        Impact::Breaking,
        Category::Presence,
        &at("PingRequest.Message"),
        "required → optional: field `String` → `Option<String>`",
    );
    // With no required member left, the request can be `Default`.
    assert_change(
        &c[1],
        Impact::Additive,
        Category::Object,
        &at("PingRequest"),
        "now implements `Default`",
    );
    assert_eq!(c.len(), 2);
    let c = one_change("response-optional", |_, resp, _, _| {
        resp[1]["required"] = json!(false)
    });
    assert_change(
        &c,
        Impact::DocOnly,
        Category::Presence,
        &at("PingResponse.Count"),
        "no change to the generated API",
    );
    let c = one_change("deprecated", |_, resp, _, _| {
        resp[0]["disabled"] = json!(true)
    });
    assert_change(
        &c,
        Impact::Additive,
        Category::Deprecation,
        &at("PingResponse.Echo"),
        "deprecated",
    );
    let c = one_change("doc", |_, resp, _, _| {
        resp[0]["document"] = json!("Reworded.")
    });
    assert_change(
        &c,
        Impact::DocOnly,
        Category::Docs,
        &at("PingResponse.Echo"),
        "description changed",
    );
    let c = one_change("object-added", |_, _, data, _| {
        data["Extra"] = json!({"document": "x", "usage": "out", "members": []})
    });
    assert_change(
        &c,
        Impact::Additive,
        Category::Object,
        &at("Extra"),
        "object added",
    );
    let c = one_change("code-added", |_, _, _, errors| {
        errors["errors"]
            .as_array_mut()
            .unwrap()
            .push(json!({"code": "New.Code", "description": "New."}))
    });
    assert_change(
        &c,
        Impact::Additive,
        Category::ErrorCode,
        &at("ErrorCode::NewCode"),
        "`New.Code` added",
    );
    let c = one_change("code-redescribed", |_, _, _, errors| {
        errors["errors"][0]["description"] = json!("Other.")
    });
    assert_change(
        &c,
        Impact::DocOnly,
        Category::ErrorCode,
        &at("ErrorCode::FailedOperation"),
        "re-described",
    );
    let c = one_change("action-errors", |_, _, _, errors| {
        errors["actions"]["Ping"] = json!([])
    });
    assert_change(
        &c,
        Impact::DocOnly,
        Category::ActionErrors,
        &at("Ping"),
        "-FailedOperation",
    );
}

#[test]
fn removals_break_and_additions_do_not() {
    let (req, resp, data, errors) = base();
    let old = load(&spec(
        "removals-old",
        req.clone(),
        resp.clone(),
        data.clone(),
        errors,
    ));
    let new = load(&spec(
        "removals-new",
        req,
        resp,
        data,
        json!({"errors": []}),
    ));
    let report = diff_services(&old, &new).unwrap();
    let removed = find(&report, "v20220101::ErrorCode::FailedOperation");
    assert_eq!(
        (removed[0].impact, removed[0].category),
        (Impact::Breaking, Category::ErrorCode)
    );
    assert!(report.is_breaking());
    let back = diff_services(&new, &old).unwrap();
    assert!(!back.is_breaking());
}

fn xtask(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::run(&args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn the_command_exits_2_on_breaking_changes_and_speaks_json() {
    let root = workspace_root();
    let old = root
        .join("tests/data/lcic-intl-3.0.800/2022-08-17")
        .display()
        .to_string();
    let new = root.join("api-spec/lcic/2022-08-17").display().to_string();
    let (code, out, err) = xtask(&["diff", &old, &new]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("semver bump: minor"), "{out}");
    let (code, out, _) = xtask(&["diff", &new, &old, "--format", "json"]);
    assert_eq!(code, 2, "going back removes members");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["bump"], "major");
    assert_eq!(report["service"], "lcic");
    let first = &report["changes"][0];
    assert_eq!(first["impact"], "breaking");
    assert!(
        first["location"].is_string()
            && first["message"].is_string()
            && first["category"].is_string()
    );
    let (code, _, err) = xtask(&["diff", "/no/such/dir", &new]);
    assert_eq!(code, 1);
    assert!(err.contains("no such directory"), "{err}");
}

#[test]
fn history_is_read_as_rev_colon_path() {
    let current = workspace_root()
        .join("api-spec/lcic/2022-08-17")
        .display()
        .to_string();
    let (code, out, err) = xtask(&["diff", "HEAD:api-spec/lcic/2022-08-17", &current]);
    if err.contains("not in a git work tree") {
        // A source tarball, not a clone: nothing to read history from. CI
        // runs from a clone, so there this is a failure, never a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run from a git clone: {err}"
        );
        eprintln!("skipped: {err}");
        return;
    }
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("## HEAD:api-spec/lcic/2022-08-17 → "),
        "{out}"
    );
    let (code, _, err) = xtask(&["diff", "no-such-rev:api-spec/lcic", &current]);
    assert_eq!(code, 1);
    assert!(err.contains("`no-such-rev` is not a git revision"), "{err}");
}

#[test]
fn codegen_bumps_the_version_and_keeps_a_changelog() {
    let root = sdk_tests::scratch_repo("release-repo");
    let spec_dir = root.join("api-spec/lcic/2022-08-17");
    std::fs::create_dir_all(&spec_dir).unwrap();
    let seed = workspace_root().join("tests/fixtures/seed_batch_create_room/spec");
    for file in ["api.json", "errors.json"] {
        std::fs::copy(seed.join(file), spec_dir.join(file)).unwrap();
    }
    git(&root, &["init", "-q"]);
    assert!(xtask::codegen(&root, false, &mut Vec::new()).unwrap());
    let manifest = root.join("generated/lcic/Cargo.toml");
    let changelog = root.join("generated/lcic/CHANGELOG.md");
    assert!(std::fs::read_to_string(&manifest)
        .unwrap()
        .contains("version = \"0.1.0\""));
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "first"]);

    // Tencent adds an optional member: a patch release of a 0.x crate.
    let mut api: Value =
        serde_json::from_str(&std::fs::read_to_string(spec_dir.join("api.json")).unwrap()).unwrap();
    api["objects"]["RoomInfo"]["members"]
        .as_array_mut()
        .unwrap()
        .push(member("RecordLang", "string", "string", false));
    std::fs::write(spec_dir.join("api.json"), api.to_string()).unwrap();
    for _ in 0..2 {
        // Twice: regenerating before the commit must not bump again.
        assert!(xtask::codegen(&root, false, &mut Vec::new()).unwrap());
        assert!(std::fs::read_to_string(&manifest)
            .unwrap()
            .contains("version = \"0.1.1\""));
    }
    let log = std::fs::read_to_string(&changelog).unwrap();
    assert!(
        log.contains("## 0.1.1\n\n`lcic`: 0 breaking, 1 additive, 0 doc-only"),
        "{log}"
    );
    assert!(
        log.contains("- `v20220817::RoomInfo.RecordLang`: member added: optional field"),
        "{log}"
    );
    assert!(
        log.find("## 0.1.1").unwrap() < log.find("## 0.1.0").unwrap(),
        "newest first"
    );
    assert!(
        xtask::codegen(&root, true, &mut Vec::new()).unwrap(),
        "--check agrees before the commit"
    );
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "bump"]);
    assert!(
        xtask::codegen(&root, true, &mut Vec::new()).unwrap(),
        "--check agrees after the commit"
    );

    // A new required request member breaks users: 0.1.1 → 0.2.0.
    api["objects"]["BatchCreateRoomRequest"]["members"]
        .as_array_mut()
        .unwrap()
        .push(member("Flavor", "string", "string", true));
    std::fs::write(spec_dir.join("api.json"), api.to_string()).unwrap();
    assert!(xtask::codegen(&root, false, &mut Vec::new()).unwrap());
    assert!(std::fs::read_to_string(&manifest)
        .unwrap()
        .contains("version = \"0.2.0\""));
    let log = std::fs::read_to_string(&changelog).unwrap();
    assert!(log.contains("## 0.2.0\n\n`lcic`: 1 breaking"), "{log}");
    assert!(log.contains("## 0.1.1") && log.contains("## 0.1.0"));
}

/// A two-action spec (`actions` are wire names; each has an empty request
/// and response) in a scratch directory.
fn actions_spec(name: &str, actions: &[&str]) -> PathBuf {
    let dir = scratch_dir(&format!("diff-{name}")).join("2022-01-01");
    std::fs::create_dir_all(&dir).unwrap();
    let mut objects = json!({});
    let mut defined = json!({});
    for action in actions {
        for side in ["Request", "Response"] {
            objects[format!("{action}{side}")] =
                json!({"document": format!("{side}."), "type": "object", "members": []});
        }
        defined[*action] = json!({"document": "Does it.", "input": format!("{action}Request"), "output": format!("{action}Response"), "name": action, "status": "online"});
    }
    let api = json!({
        "metadata": {"apiVersion": "2022-01-01", "serviceShortName": "pingsvc"},
        "actions": defined,
        "objects": objects,
    });
    std::fs::write(dir.join("api.json"), api.to_string()).unwrap();
    dir.parent().unwrap().to_owned()
}

#[test]
fn a_new_kind_of_public_item_is_reported_without_diff_code_for_it() {
    let old = load(&actions_spec("probe-old", &["Ping", "Pong"]));
    let new = load(&actions_spec("probe-new", &["Ping", "Echo"]));
    // `probe_items` adds a `Client::<method>_wire_name()` per action, which
    // no code of the diff knows of.
    let probe = codegen::Options {
        probe_items: true,
        ..codegen::Options::default()
    };
    let with = codegen::diff::diff_services_with(&old, &new, &probe).unwrap();
    let without = diff_services(&old, &new).unwrap();
    let new_kind: Vec<&Change> = with
        .changes
        .iter()
        .filter(|c| !without.changes.contains(c))
        .collect();
    let expected = [
        Change {
            impact: Impact::Breaking,
            category: Category::Generated,
            location: "v20220101::Pong".into(),
            message: "`fn v20220101::client::Client::pong_wire_name` removed".into(),
        },
        Change {
            impact: Impact::Additive,
            category: Category::Generated,
            location: "v20220101::Echo".into(),
            message: "`fn v20220101::client::Client::echo_wire_name` added".into(),
        },
    ];
    assert_eq!(new_kind, expected.iter().collect::<Vec<_>>());
    assert_eq!(with.bump, Bump::Major);
    let markdown = with.to_markdown("0.2.0");
    assert!(
        markdown.contains(
            "- `v20220101::Echo`: `fn v20220101::client::Client::echo_wire_name` added\n"
        ),
        "{markdown}"
    );
    // The items the spec explains (the actions' own methods) are not repeated.
    assert!(!with
        .changes
        .iter()
        .any(|c| c.category == Category::Unexplained));
}

/// What a method does changes with its docs (issue #27): the retry class
/// when a `ClientToken` becomes a documented idempotency key, and where a
/// paginator starts when the page member's docs say. Each is reported, as a
/// behaviour change, besides the docs change that caused it.
#[test]
fn behaviour_read_from_docs_is_reported_when_it_changes() {
    let paged = |page_doc: &str, token_doc: &str| {
        let mut page = member("PageNumber", "int", "int64", false);
        page["document"] = json!(page_doc);
        let mut token = member("ClientToken", "string", "string", false);
        token["document"] = json!(token_doc);
        let request = json!([page, member("PageSize", "int", "int64", false), token]);
        let response = json!([
            member("TotalCount", "int", "int64", false),
            member("Names", "list", "string", false)
        ]);
        let (_, _, data, errors) = base();
        (request, response, data, errors)
    };
    let (req, resp, data, errors) = paged("页码", "客户端Token");
    let old = spec("behaviour-old", req, resp, data, errors);
    let (req, resp, data, errors) = paged("页码，从0开始", "用于保证请求幂等性的字符串");
    let new = spec("behaviour-new", req, resp, data, errors);
    let changes = diff_services(&load(&old), &load(&new)).unwrap().changes;
    let behaviour: Vec<&Change> = changes
        .iter()
        .filter(|c| c.category == Category::Behaviour)
        .collect();
    assert_eq!(behaviour.len(), 2, "{changes:#?}");
    for change in &behaviour {
        assert_eq!(change.impact, Impact::Additive, "{change:?}");
        assert_eq!(change.location, "v20220101::Ping", "{change:?}");
    }
    assert!(
        behaviour[0]
            .message
            .starts_with("retry class: not idempotent; `ClientToken` not a key"),
        "{:?}",
        behaviour[0]
    );
    assert!(
        behaviour[0]
            .message
            .ends_with("→ idempotent, `ClientToken` filled when unset"),
        "{:?}",
        behaviour[0]
    );
    assert_eq!(
        behaviour[1].message,
        "paginator: first page not known (the caller sets it) → pages counted from 0"
    );
}
