//! The hard cases as they occur in real published specs checked in under
//! `api-spec/` (dnspod, teo, iai), in use.

use serde_json::json;

#[test]
#[allow(deprecated)] // dnspod marks the old `DnsFormat` spelling `disabled`
fn dnspod_members_differing_only_in_case_keep_their_wire_names() {
    use tencentcloud_dnspod::{required, DescribeDomainAnalyticsRequest};
    let request = DescribeDomainAnalyticsRequest::new(required::DescribeDomainAnalyticsRequest {
        domain: "example.com".into(),
        start_date: "2024-01-01".into(),
        end_date: "2024-01-02".into(),
    })
    .with_dns_format("HOUR")
    .with_dns_format_2("DATE");
    // The body the client sends, in the spec's order.
    assert_eq!(
        String::from_utf8(written(&request)).unwrap(),
        concat!(
            r#"{"Domain":"example.com","StartDate":"2024-01-01","EndDate":"2024-01-02","#,
            r#""DnsFormat":"HOUR","DNSFormat":"DATE"}"#
        )
    );
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"Domain": "example.com", "StartDate": "2024-01-01", "EndDate": "2024-01-02",
            "DnsFormat": "HOUR", "DNSFormat": "DATE"})
    );
    let decoded: DescribeDomainAnalyticsRequest = serde_json::from_value(json!({
        "Domain": "d", "StartDate": "s", "EndDate": "e", "DNSFormat": "upper", "DnsFormat": "lower"
    }))
    .unwrap();
    assert_eq!(decoded.dns_format.as_deref(), Some("lower"));
    assert_eq!(decoded.dns_format_2.as_deref(), Some("upper"));
}

/// What `value` writes as a request body.
fn written<T: tencentcloud_runtime::json::ToJson>(value: &T) -> Vec<u8> {
    let mut out = tencentcloud_runtime::json::Writer::default();
    value.write_json(&mut out);
    out.into_bytes()
}

#[test]
fn teo_keeps_both_versions_and_the_newest_at_the_root() {
    assert_eq!(tencentcloud_teo::SERVICE.version, "2022-09-01");
    assert_eq!(tencentcloud_teo::v20220106::SERVICE.version, "2022-01-06");
    assert_eq!(tencentcloud_teo::SERVICE.name, "teo");
    // RuleBranch recurses only through lists, so nothing in it is boxed.
    let branch = tencentcloud_teo::RuleBranch::default().with_sub_rules(vec![]);
    assert_eq!(
        serde_json::to_value(&branch).unwrap(),
        json!({"SubRules": []})
    );
}

/// iai has an object named `Result`: `models::Result` and std's `Result`
/// are both usable, side by side, holding values of different types.
#[test]
fn iai_has_an_object_named_result_beside_std_result() {
    // In this scope `Result` is iai's object; std's is still reachable by path.
    use tencentcloud_iai::models::{Candidate, Result};
    use tencentcloud_runtime::json::{FromJson, JsonError};
    let decoded: std::result::Result<Result, JsonError> = Result::from_json(json!({
        "Candidates": [{"PersonId": "p", "Score": 91.5}], "RetCode": -1601
    }));
    let result: Result = decoded.unwrap();
    assert_eq!(result.ret_code, Some(-1601));
    let candidates: &Vec<Candidate> = result.candidates.as_ref().unwrap();
    assert_eq!(candidates[0].person_id.as_deref(), Some("p"));
    assert_eq!(candidates[0].score, Some(91.5));
    assert_eq!(
        serde_json::to_value(&result).unwrap(),
        json!({"Candidates": [{"PersonId": "p", "Score": 91.5}], "RetCode": -1601})
    );
    let failed: std::result::Result<Result, JsonError> = Result::from_json(json!({"RetCode": "x"}));
    assert_eq!(
        failed.unwrap_err().to_string(),
        "at `RetCode`: expected an integer, found a string"
    );
    // A response holds a list of the object.
    let response: tencentcloud_iai::SearchFacesResponse =
        serde_json::from_value(json!({"Results": [{"RetCode": 0}], "RequestId": "r"})).unwrap();
    let results: Vec<Result> = response.results.unwrap();
    assert_eq!(results, [Result::default().with_ret_code(0)]);
    // The older version has it too.
    let old: tencentcloud_iai::v20180301::models::Result =
        serde_json::from_value(json!({"RetCode": 1})).unwrap();
    assert_eq!(old.ret_code, Some(1));
    assert_eq!(tencentcloud_iai::v20180301::SERVICE.version, "2018-03-01");
}

/// databuddy 2026-07-15 writes `"required": 1`; Tencent's tools read it as
/// true. A spec writing flags as `1`/`0`/`null` generates byte for byte the
/// crate its boolean twin does; any other number is an error with its place.
#[test]
fn flags_written_as_integers_read_as_booleans() {
    let quirky = sdk_tests::workspace_root().join("tests/data/required_as_integer");
    let text = std::fs::read_to_string(quirky.join("2022-01-01/api.json")).unwrap();
    let twin = sdk_tests::scratch_dir("required-as-boolean").join("2022-01-01");
    std::fs::create_dir_all(&twin).unwrap();
    let mut api: serde_json::Value = serde_json::from_str(&text).unwrap();
    for object in api["objects"].as_object_mut().unwrap().values_mut() {
        for member in object["members"].as_array_mut().unwrap() {
            for flag in ["required", "disabled"] {
                match member.get(flag).and_then(serde_json::Value::as_u64) {
                    Some(n) => member[flag] = json!(n == 1),
                    None => {
                        member.as_object_mut().unwrap().remove(flag);
                    }
                }
            }
        }
    }
    std::fs::write(twin.join("api.json"), api.to_string()).unwrap();
    let options = codegen::Options::default();
    let from_integers = codegen::generate(&quirky, &options).unwrap();
    let from_booleans = codegen::generate(twin.parent().unwrap(), &options).unwrap();
    assert_eq!(from_integers, from_booleans);
    let required = &from_integers.files["src/v20220101/required.rs"];
    assert!(required.contains("pub message: String,"), "{required}");
    assert!(!required.contains("count"), "`0` is optional: {required}");
    assert!(from_integers.files["src/v20220101/models.rs"].contains("#[deprecated"));

    std::fs::write(
        twin.join("api.json"),
        text.replacen("\"required\": 1", "\"required\": 2", 1),
    )
    .unwrap();
    let err = codegen::generate(twin.parent().unwrap(), &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("api.json:11:")
            && err.contains("invalid value: integer `2`, expected a boolean, or 1 or 0"),
        "{err}"
    );
}

/// teo's `CreateAccelerationDomainRequest` has a required member whose type
/// has no `Default` (`OriginInfo`): decoded with `?` among members read
/// without, the error is still the first in the spec's order.
#[test]
fn teo_a_required_member_without_default_keeps_the_first_error() {
    use tencentcloud_runtime::json::FromJson;
    use tencentcloud_teo::CreateAccelerationDomainRequest;
    let origin = json!({"OriginType": "IP_DOMAIN", "Origin": "1.2.3.4"});
    let cases = [
        (
            json!({"ZoneId": 1, "DomainName": "d", "OriginInfo": {}}),
            Some("at `OriginInfo.OriginType`: missing required member"),
        ),
        (
            json!({"ZoneId": true, "DomainName": "d", "OriginInfo": {}}),
            Some("at `ZoneId`: expected a string, found a boolean"),
        ),
        (
            json!({"ZoneId": "z", "DomainName": "d", "OriginInfo": {"Origin": "o"}, "HttpOriginPort": "x"}),
            Some("at `OriginInfo.OriginType`: missing required member"),
        ),
        (
            json!({"ZoneId": "z", "DomainName": "d", "HttpOriginPort": "x"}),
            Some("at `OriginInfo`: missing required member"),
        ),
        (
            json!({"ZoneId": "z", "DomainName": "d", "OriginInfo": origin, "HttpOriginPort": "x"}),
            Some("at `HttpOriginPort`: expected an unsigned integer, found a string"),
        ),
        (
            json!({"ZoneId": "z", "DomainName": "d", "OriginInfo": origin}),
            None,
        ),
    ];
    for (body, want) in cases {
        let got = CreateAccelerationDomainRequest::from_json(body.clone());
        match (got, want) {
            (Ok(request), None) => assert_eq!(request.origin_info.origin, "1.2.3.4"),
            (Err(err), Some(want)) => assert_eq!(err.to_string(), want, "{body}"),
            (got, want) => panic!("{body}: {got:?}, wanted {want:?}"),
        }
    }
}
