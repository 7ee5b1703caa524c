//! The fixtures' generated crates in use: the names the README promises,
//! exact wire names, boxing only where recursion needs it, lenient decoding.

use serde_json::{json, Value};

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn keywords_become_trailing_underscore_fields_with_exact_wire_names() {
    use fixture_keywords::{required, Keywords, UseKeywordsResponse};
    let keywords = Keywords::new(required::Keywords {
        type_: -3,
        super_: vec!["a".into()],
    })
    .with_self(true);
    assert_eq!(
        (keywords.type_, keywords.self_, keywords.super_.len()),
        (-3, Some(true), 1)
    );
    assert_eq!(
        to_json(&keywords),
        json!({"Type": -3, "Self": true, "Super": ["a"]})
    );
    let response: UseKeywordsResponse = serde_json::from_value(
        json!({"Crate": "c", "Async": "a", "Await": "w", "Gen": "g", "Keywords": {"Type": 1}}),
    )
    .unwrap();
    assert_eq!(response.crate_.as_deref(), Some("c"));
    assert_eq!(response.async_.as_deref(), Some("a"));
    assert_eq!(response.await_.as_deref(), Some("w"));
    assert_eq!(response.gen_.as_deref(), Some("g"));
    // `Super` is required in a type that also travels in responses: a
    // response that leaves it out still decodes, as the empty default.
    assert_eq!(response.keywords.unwrap().super_, Vec::<String>::new());
}

#[test]
fn std_names_are_plain_structs_and_the_client_names_win_at_the_root() {
    use fixture_std_names::{models, required};
    let option = models::Option::new(required::Option { key: "k".into() })
        .with_value(models::Value::default());
    let request =
        fixture_std_names::DescribeThingsRequest::new(required::DescribeThingsRequest { option })
            .with_boxes(vec![models::Box::default()]);
    assert_eq!(
        to_json(&request),
        json!({"Option": {"Key": "k", "Value": {}}, "Boxes": [{}]})
    );
    let _: Option<models::Result> = None;
    let _: Option<models::Error> = None;
    let _: models::Duration = models::Duration::default();
    let _: models::Range = models::Range::default();
    let _: models::String = models::String::default();
    let _: models::Vec = models::Vec::default();
    // At the crate root, `Client`, `Error` and `ErrorCode` are the generated
    // client, error and code enum; the spec's objects stay in `models`.
    fn is_client(_: Option<fixture_std_names::Client>) {}
    is_client(None);
    let _: models::Client = models::Client::default();
    let _: models::ErrorCode = models::ErrorCode::default();
    let _ = models::OrphanRequest::new(required::OrphanRequest { id: "id".into() });
    let _: models::DescribeThings = models::DescribeThings::default();
}

#[test]
fn an_error_code_named_like_the_catch_all_gets_a_suffix() {
    use fixture_std_names::ErrorCode;
    assert_eq!(
        ErrorCode::from_code("Unrecognized"),
        ErrorCode::Unrecognized2
    );
    assert_eq!(ErrorCode::Unrecognized2.as_str(), "Unrecognized");
    assert_eq!(
        ErrorCode::from_code("Nope"),
        ErrorCode::Unrecognized("Nope".into())
    );
}

#[test]
fn case_collisions_get_suffixes_and_keep_wire_names() {
    use fixture_case_collisions::Record;
    let mut record = Record::default();
    record.dns_format = Some("canonical".into());
    record.dns_format_2 = Some("upper".into());
    record.ttl = Some(1);
    record.ttl_2 = Some(2);
    record.address_ipv6 = Some("::1".into());
    record.anti_ddos_package_id = Some("p".into());
    record.block_rule_ids = Some(vec![]);
    record.k8s_version = Some("lower".into());
    record.k8s_version_2 = Some("upper".into());
    assert_eq!(
        to_json(&record),
        json!({
            "DnsFormat": "canonical", "DNSFormat": "upper", "Ttl": 1, "TTL": 2, "AddressIPv6": "::1",
            "AntiDDoSPackageId": "p", "BlockRuleIDs": [], "K8sVersion": "lower", "K8SVersion": "upper"
        })
    );
}

#[test]
fn colliding_error_codes_and_actions_stay_distinct() {
    use fixture_case_collisions::{Client, ErrorCode};
    let pairs = [
        (
            ErrorCode::InvalidParameterConflict,
            "InvalidParameterConflict",
        ),
        (
            ErrorCode::InvalidParameterConflict2,
            "InvalidParameter.Conflict",
        ),
        (ErrorCode::FailedOperation, "FailedOperation"),
        (ErrorCode::FailedOperation2, "FailedOperation."),
        (ErrorCode::ResourceNotFoundXyz, "ResourceNotFound.xyz"),
    ];
    for (code, wire) in pairs {
        assert_eq!(code.as_str(), wire);
        assert_eq!(ErrorCode::from_code(wire), code);
    }
    // `DescribeIps` converts back exactly, so it keeps the plain name.
    let _ = Client::describe_ips;
    let _ = Client::describe_ips_2;
}

#[test]
fn recursion_is_boxed_only_where_the_size_would_be_infinite() {
    use fixture_recursion::{required, Leaf, LineItem, Rule, RuleBranch, Tree};
    let named = |name: &str| LineItem::new(required::LineItem { name: name.into() });
    let item = named("c")
        .with_parent(named("p"))
        .with_lines(vec![named("x")]);
    let boxed: &Option<Box<LineItem>> = &item.parent;
    assert_eq!(boxed.as_ref().unwrap().name, "p");
    let rule = Rule::default().with_branch(RuleBranch::default().with_rule(Rule::default()));
    let _: &Option<Box<RuleBranch>> = &rule.branch;
    let mut tree = Tree::default();
    tree.leaf = Some(Leaf::default()); // not boxed: Leaf is in no cycle
    tree.children = Some(vec![Tree::default()]);
    assert_eq!(
        to_json(&item),
        json!({"Name": "c", "Lines": [{"Name": "x"}], "Parent": {"Name": "p"}})
    );
}

#[test]
fn every_type_pair_maps_to_its_rust_type() {
    use fixture_type_pairs::{required, Item, SendAllResponse};
    let item = Item::new(required::Item {
        id: u64::MAX,
        name: "n".into(),
        tags: vec!["t".into()],
    });
    let (id, name, tags): (u64, String, Vec<String>) =
        (item.id, item.name.clone(), item.tags.clone());
    assert_eq!((id, name.as_str(), tags.len()), (u64::MAX, "n", 1));
    let response: SendAllResponse = serde_json::from_value(json!({
        "ValueIntInt64": -1, "ValueIntUint64": 18446744073709551615u64, "ValueFloatFloat": 1,
        "ValueBoolBool": true, "ValueListFloat": [1, 2.5], "ValueObjectItem": {"Id": null}
    }))
    .unwrap();
    let _: Option<i64> = response.value_int_int64;
    assert_eq!(response.value_int_uint64, Some(u64::MAX));
    assert_eq!(response.value_float_float, Some(1.0));
    assert_eq!(response.value_list_float, Some(vec![1.0, 2.5]));
    let item = response.value_object_item.unwrap();
    assert_eq!(
        (item.id, item.name.as_str()),
        (0, ""),
        "null and missing required members decode as defaults"
    );
}

/// The attributes (`#[…]` lines) right above the item starting with `item`
/// inside the block (struct or impl) whose first line is `block`.
fn attributes_of(source: &str, block: &str, item: &str) -> Vec<String> {
    let start = source
        .find(&format!("\n{block}\n"))
        .unwrap_or_else(|| panic!("no `{block}` in\n{source}"));
    let lines: Vec<&str> = source[start + 1..]
        .lines()
        .skip(1)
        .take_while(|line| *line != "}")
        .collect();
    let at = lines
        .iter()
        .position(|line| line.trim_start().starts_with(item))
        .unwrap_or_else(|| panic!("no `{item}` in `{block}`"));
    lines[..at]
        .iter()
        .rev()
        .map(|line| line.trim())
        .take_while(|line| line.starts_with("#[") || line.starts_with("///"))
        .filter(|line| line.starts_with("#["))
        .map(str::to_owned)
        .collect()
}

/// `Legacy` is `disabled` in the spec: its field and its setter carry
/// `#[deprecated]` in the generated source (and `Note`'s do not), and both
/// still work.
#[test]
#[allow(deprecated)]
fn deprecated_members_are_marked_and_still_work() {
    let root = sdk_tests::workspace_root().join("tests/fixtures/type_pairs");
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("spec/api.json")).unwrap())
            .unwrap();
    let flag = |name: &str| {
        spec["objects"]["Item"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .map(|m| m["disabled"] == true)
            .unwrap()
    };
    assert!(flag("Legacy") && !flag("Note"));
    let models = std::fs::read_to_string(root.join("expected/src/v20220101/models.rs")).unwrap();
    let mark = r#"#[deprecated(note = "disabled in the API spec")]"#;
    for (block, item, marked) in [
        ("pub struct Item {", "pub legacy:", true),
        ("pub struct Item {", "pub note:", false),
        ("impl Item {", "pub fn with_legacy(", true),
        ("impl Item {", "pub fn with_note(", false),
    ] {
        let attributes = attributes_of(&models, block, item);
        assert_eq!(
            attributes.iter().any(|a| a == mark),
            marked,
            "`{item}` in `{block}`: {attributes:?}"
        );
    }

    use fixture_type_pairs::{required, Item};
    let item = Item::new(required::Item {
        id: 1,
        name: "n".into(),
        tags: vec![],
    })
    .with_legacy(5);
    assert_eq!(item.legacy, Some(5));
    assert_eq!(
        to_json(&item),
        json!({"Id": 1, "Name": "n", "Tags": [], "Legacy": 5})
    );
    let decoded: Item =
        serde_json::from_value(json!({"Id": 1, "Name": "n", "Tags": [], "Legacy": 6})).unwrap();
    assert_eq!(decoded.legacy, Some(6));
}

#[test]
fn several_versions_live_side_by_side_and_the_newest_is_at_the_root() {
    use fixture_multi_version::{required, v20200101};
    let old = v20200101::PingRequest::new(v20200101::required::PingRequest {
        message: "m".into(),
    });
    let new = fixture_multi_version::PingRequest::new(required::PingRequest {
        message: "m".into(),
    })
    .with_added("x");
    assert_eq!(to_json(&old), json!({"Message": "m"}));
    assert_eq!(to_json(&new), json!({"Message": "m", "Added": "x"}));
    assert_eq!(fixture_multi_version::SERVICE.version, "2021-06-30");
    assert_eq!(
        fixture_multi_version::v20200101::SERVICE.version,
        "2020-01-01"
    );
}

#[test]
fn examples_that_disagree_with_the_spec_are_reported_not_tested() {
    let file = std::fs::read_to_string(
        sdk_tests::workspace_root()
            .join("tests/fixtures/type_pairs/expected/src/v20220101/examples.rs"),
    )
    .unwrap();
    assert!(file.contains("`SendAll` example 3 request: `RequiredIntInt64`: expected an integer (i64), found \"five\""), "{file}");
    assert!(file.contains("`SendAll` example 3 response: `Response.Unknown`: member `Unknown` is not in the spec of `SendAllResponse`"), "{file}");
    assert!(
        file.contains("`OldAction` example 1 request: the request has no JSON body"),
        "{file}"
    );
    assert!(
        file.contains("`OldAction` example 1 response: the response is not JSON"),
        "{file}"
    );
    assert!(
        file.contains("fn send_all_example_2_response()"),
        "the all-null response example is tested"
    );
    assert!(!file.contains("fn send_all_example_3_request()"));
    // The disagreements decoding tolerates (numbers as strings, strings as
    // numbers, `""` for optional objects and lists) are tested instead.
    assert!(file.contains("fn send_all_example_4_request()"), "{file}");
    assert!(file.contains("fn send_all_example_4_response()"), "{file}");
    assert!(!file.contains("`SendAll` example 4"), "{file}");
}
