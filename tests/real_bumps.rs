//! Tencent's real API bumps, as a user regenerating after an update meets
//! them: ten services' API versions from two published releases of each
//! catalog (`tests/data/real-bumps/`, README there), through what `cargo
//! xtask diff` does and the release step (`cargo xtask bumps`). Chosen so
//! that paging is added, removed and changed, required members are added
//! and removed, objects and actions come and go, and error codes appear.
//! The expected figures were read off the specs, not the code under test.

use codegen::diff::{Category, Impact};
use sdk_tests::workspace_root;
use xtask::bumps::{bumps, Row};

/// The command's rows, computed once for every test.
fn rows() -> &'static [Row] {
    static ROWS: std::sync::OnceLock<Vec<Row>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| {
        let data = workspace_root().join("tests/data/real-bumps");
        bumps(&data.join("old"), &data.join("new")).unwrap()
    })
}

/// Whether `row`'s report has a change at `location` of this impact and
/// category whose message is exactly `message`.
fn has(row: &Row, impact: Impact, category: Category, location: &str, message: &str) -> bool {
    let report = &row.release.as_ref().unwrap().report;
    report.changes.iter().any(|c| {
        (
            c.impact,
            c.category,
            c.location.as_str(),
            c.message.as_str(),
        ) == (impact, category, location, message)
    })
}

#[test]
fn every_real_bump_is_diffed_and_released() {
    let rows = rows();
    // (service, `cargo xtask diff` exit, version after 0.1.0)
    let expected = [
        ("cn/cds", 0, "0.1.1"),
        ("cn/dataagent", 2, "0.2.0"),
        ("cn/igtm", 2, "0.2.0"),
        ("cn/lkeap", 2, "0.2.0"),
        ("cn/tdai", 2, "0.2.0"),
        ("cn/vcube", 2, "0.2.0"),
        ("intl/controlcenter", 0, "0.1.1"),
        ("intl/lcic", 0, "0.1.1"),
        ("intl/quota", 0, "0.1.1"),
        ("intl/sms", 2, "0.2.0"),
    ];
    let got: Vec<(&str, u8, String)> = rows
        .iter()
        .map(|r| {
            assert!(r.ok(), "{}: {:?} {:?}", r.label, r.failures, r.release);
            assert_eq!(r.diff_exits.len(), 1, "{}", r.label);
            let exit = *r.diff_exits.values().next().unwrap();
            let version = r.release.as_ref().unwrap().version.to_string();
            (r.label.as_str(), exit, version)
        })
        .collect();
    let expected: Vec<(&str, u8, String)> = expected
        .iter()
        .map(|(s, e, v)| (*s, *e as u8, v.to_string()))
        .collect();
    assert_eq!(got, expected);
    for row in rows {
        let report = &row.release.as_ref().unwrap().report;
        let unexplained: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.category == Category::Unexplained)
            .collect();
        assert!(unexplained.is_empty(), "{}: {unexplained:#?}", row.label);
    }
}

#[test]
fn paging_added_removed_and_changed_is_reported_with_its_impact() {
    let rows = rows();
    let row = |label: &str| rows.iter().find(|r| r.label == label).unwrap();
    // cds: `DescribeAssetsList` gained `Offset`/`Limit`/`TotalCount`.
    assert!(has(
        row("cn/cds"),
        Impact::Additive,
        Category::Generated,
        "v20180420::DescribeAssetsList",
        "`fn v20180420::client::Client::describe_assets_list_paginator` added",
    ));
    // lkeap: the knowledge-base actions left the API, their paginators with them.
    assert!(has(
        row("cn/lkeap"),
        Impact::Breaking,
        Category::Generated,
        "v20240522::ListDocs",
        "`fn v20240522::client::Client::list_docs_paginator` removed",
    ));
    // tdai: `DescribeAgentInstances`' response gained a second list, so its
    // paginator no longer streams items.
    assert!(has(
        row("cn/tdai"),
        Impact::Breaking,
        Category::Generated,
        "v20250717::DescribeAgentInstances",
        "`fn v20250717::client::Client::describe_agent_instances_paginator` changed",
    ));
}

#[test]
fn required_members_objects_and_error_codes_are_reported() {
    let rows = rows();
    let row = |label: &str| rows.iter().find(|r| r.label == label).unwrap();
    assert!(has(
        row("cn/igtm"),
        Impact::Breaking,
        Category::Member,
        "v20231024::DescribeInstanceDetailRequest.InstanceId",
        "member added: required field `instance_id`: `required::DescribeInstanceDetailRequest` gains it, so code that builds one without it stops compiling",
    ));
    assert!(has(
        row("cn/tdai"),
        Impact::Breaking,
        Category::Member,
        "v20250717::DescribeChatDetailRequest.LastStreamingTokenId",
        "member removed: field `last_streaming_token_id` is gone",
    ));
    assert!(has(
        row("cn/dataagent"),
        Impact::Breaking,
        Category::Object,
        "v20250513::StepInfo",
        "object removed: `StepInfo` is gone",
    ));
    assert!(has(
        row("intl/lcic"),
        Impact::Additive,
        Category::ErrorCode,
        "v20220817::ErrorCode::FailedOperationClassStarted",
        "error code `FailedOperation.ClassStarted` added",
    ));
}

#[test]
fn the_command_prints_a_row_per_service_and_the_totals() {
    let data = workspace_root().join("tests/data/real-bumps");
    let arg = |side: &str| data.join(side).display().to_string();
    let args: Vec<String> = vec!["bumps".into(), arg("old"), arg("new")];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(xtask::run(&args, &mut out, &mut err), 0);
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("| cn/lkeap | 1 | 2 | major → 0.2.0 | 61 | 8 | 24 |"),
        "{out}"
    );
    assert!(out.ends_with(
        "10 services in both, 10 API versions in both: `diff` exited 0 for 4, 2 for 6, 1 for 0; the release step succeeded for 10 of 10 services\n"
    ), "{out}");

    // A root with no service in common is an error, not an empty table.
    let args: Vec<String> = vec![
        "bumps".into(),
        arg("old"),
        workspace_root().join("api-spec").display().to_string(),
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(xtask::run(&args, &mut out, &mut err), 1);
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("no service is in both"), "{err}");
}
