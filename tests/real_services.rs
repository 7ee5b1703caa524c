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
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["DnsFormat"], "HOUR");
    assert_eq!(json["DNSFormat"], "DATE");
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

#[test]
fn iai_has_an_object_named_result_beside_std_result() {
    let result: tencentcloud_iai::models::Result = serde_json::from_value(json!({})).unwrap();
    let std_result: Result<(), ()> = Ok(());
    assert!(std_result.is_ok());
    assert_eq!(result, tencentcloud_iai::models::Result::default());
    assert_eq!(tencentcloud_iai::v20180301::SERVICE.version, "2018-03-01");
}
