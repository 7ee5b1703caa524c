//! Paginators against a loopback server that pages real example data: the
//! item of each action's example response (`api-spec/<service>/<version>/examples.json`,
//! Tencent's published examples) repeated with distinct ids, served by
//! `Offset`/`Limit`, page number or token as the action's pattern is.
//! Every server checks every request for its TC3 signature, its action and
//! its host (`server`), so each page is shown to be an ordinary signed call;
//! a request that fails the check, or an assertion that fails inside a
//! server's script, is answered with an error and fails the test.

use sdk_tests::server::{verify_tc3, Answer, Recorded, TestServer};
use serde_json::{json, Value};
use std::sync::Arc;
use tencentcloud_runtime::paginate::TryStreamExt;
use tencentcloud_runtime::{Credentials, Error};

const SECRET_ID: &str = "AKIDpagingTestIdEXAMPLE";
const SECRET_KEY: &str = "pagingSecretKeyEXAMPLE";

fn runtime(server: &TestServer) -> tencentcloud_runtime::Client {
    tencentcloud_runtime::Client::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .endpoint_url(server.url())
        .build()
        .expect("the client builds")
}

/// The first element of `list` in the example response of `action`.
fn example_item(spec: &str, action: &str, list: &str) -> Value {
    example_response(spec, action)[list][0].clone()
}

/// The first element of `list` inside the object member `holder` of the
/// example response of `action`.
fn example_item_in(spec: &str, action: &str, holder: &str, list: &str) -> Value {
    example_response(spec, action)[holder][list][0].clone()
}

/// The `Response` of the first example of `action`.
fn example_response(spec: &str, action: &str) -> Value {
    example_response_in(&format!("api-spec/{spec}"), action)
}

/// The `Response` of the first example of `action` in the spec directory
/// `dir` (relative to the repository).
fn example_response_in(dir: &str, action: &str) -> Value {
    let path = sdk_tests::workspace_root().join(format!("{dir}/examples.json"));
    let file: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("the examples file is checked in"))
            .expect("examples.json is JSON");
    let output = file["actions"][action][0]["output"]
        .as_str()
        .unwrap_or_else(|| panic!("{action} has an example in {}", path.display()));
    let output: Value = serde_json::from_str(output).expect("the example output is JSON");
    output["Response"].clone()
}

/// `n` copies of `template`, member `id` numbered from 0 (as a number, or a
/// string when the template's id is one).
fn catalogue(template: &Value, id: &str, n: usize) -> Arc<Vec<Value>> {
    Arc::new(
        (0..n)
            .map(|i| {
                let mut item = template.clone();
                item[id] = match template[id] {
                    Value::String(_) => json!(format!("item-{i}")),
                    _ => json!(i),
                };
                item
            })
            .collect(),
    )
}

/// Whether `request` is a call of `action` of `service` signed with the
/// test's keys, sent to `host`, with a JSON body.
fn check(request: &Recorded, host: &str, service: &str, action: &str) -> Result<(), String> {
    verify_tc3(request, SECRET_ID, SECRET_KEY, service)?;
    for (name, want) in [("x-tc-action", action), ("host", host)] {
        if request.header(name) != Some(want) {
            return Err(format!("{name}: {:?}, want {want:?}", request.header(name)));
        }
    }
    serde_json::from_slice::<Value>(&request.body)
        .map(drop)
        .map_err(|e| format!("the body is not JSON: {e}"))
}

/// A server for `action` of `service`: checks every request (`check`), then
/// answers as `script` says, given the request's body and its index.
async fn server(
    service: &'static str,
    action: &'static str,
    script: impl Fn(Value, usize) -> Answer + Send + Sync + 'static,
) -> TestServer {
    TestServer::start_checked(
        move |request, host| check(request, host, service, action),
        move |request, index| {
            let body = serde_json::from_slice(&request.body).expect("checked as JSON");
            script(body, index)
        },
    )
    .await
}

fn answer(response: Value) -> Answer {
    Answer::Json {
        status: 200,
        body: json!({ "Response": response }).to_string(),
    }
}

fn sent(server: &TestServer, member: &str) -> Vec<Value> {
    server
        .requests()
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()[member].clone())
        .collect()
}

fn window(items: &[Value], from: u64, size: u64) -> Vec<Value> {
    let from = (from as usize).min(items.len());
    let to = (from + size as usize).min(items.len());
    items[from..to].to_vec()
}

#[tokio::test]
async fn offset_and_limit_with_a_total_survive_a_server_capping_the_limit() {
    use tencentcloud_teo::{Client, DescribeZonesRequest};
    let zones = catalogue(
        &example_item("teo/2022-09-01", "DescribeZones", "Zones"),
        "ZoneId",
        23,
    );
    let served = zones.clone();
    let server = server("teo", "DescribeZones", move |body, _| {
        let offset = body["Offset"].as_u64().unwrap_or(0);
        // Asked for 100, the server gives 10 at most.
        let limit = body["Limit"].as_u64().unwrap_or(20).min(10);
        answer(json!({ "TotalCount": served.len(), "Zones": window(&served, offset, limit), "RequestId": "r" }))
    })
    .await;
    let teo = Client::new(runtime(&server));
    let request = DescribeZonesRequest::default().with_limit(100);
    let listed: Vec<_> = teo
        .describe_zones_paginator(request)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|z| z.zone_id.clone().unwrap()).collect();
    let want: Vec<_> = (0..23).map(|i| format!("item-{i}")).collect();
    assert_eq!(ids, want);
    assert_eq!(sent(&server, "Offset"), [Value::Null, json!(10), json!(20)]);
    assert_eq!(
        sent(&server, "Limit"),
        [json!(100), json!(100), json!(100)],
        "the caller's limit is kept"
    );
}

#[tokio::test]
async fn a_total_that_shrinks_mid_listing_ends_the_listing_there() {
    use tencentcloud_teo::{Client, DescribeZonesRequest};
    let zones = catalogue(
        &example_item("teo/2022-09-01", "DescribeZones", "Zones"),
        "ZoneId",
        30,
    );
    let served = zones.clone();
    let server = server("teo", "DescribeZones", move |body, _| {
        let offset = body["Offset"].as_u64().unwrap_or(0);
        // 30 zones when the listing starts, 15 once it has: zones were deleted meanwhile.
        let total = if offset == 0 { 30 } else { 15 };
        answer(json!({ "TotalCount": total, "Zones": window(&served[..total], offset, 10), "RequestId": "r" }))
    })
    .await;
    let teo = Client::new(runtime(&server));
    let request = DescribeZonesRequest::default().with_limit(10);
    let listed: Vec<_> = teo
        .describe_zones_paginator(request)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 15);
    assert_eq!(server.count(), 2);
}

/// A DescribeDomainList server: no total in the answer (only counts per kind).
async fn domain_server(domains: Arc<Vec<Value>>) -> TestServer {
    server("dnspod", "DescribeDomainList", move |body, _| {
        assert_eq!(
            body["Keyword"], "example",
            "the caller's filter is on every page"
        );
        let offset = body["Offset"].as_u64().unwrap_or(0);
        let limit = body["Limit"].as_u64().unwrap_or(20);
        answer(json!({ "DomainList": window(&domains, offset, limit), "RequestId": "r" }))
    })
    .await
}

fn domain_request() -> tencentcloud_dnspod::DescribeDomainListRequest {
    tencentcloud_dnspod::DescribeDomainListRequest::default()
        .with_keyword("example")
        .with_limit(10)
}

#[tokio::test]
async fn offset_and_limit_without_a_total_end_at_the_short_last_page() {
    let template = example_item("dnspod/2021-03-23", "DescribeDomainList", "DomainList");
    let server = domain_server(catalogue(&template, "DomainId", 25)).await;
    let dnspod = tencentcloud_dnspod::Client::new(runtime(&server));
    let listed: Vec<_> = dnspod
        .describe_domain_list_paginator(domain_request())
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|d| d.domain_id.unwrap()).collect();
    assert_eq!(ids, (0..25).collect::<Vec<u64>>());
    assert_eq!(
        sent(&server, "Offset"),
        [Value::Null, json!(10), json!(20)],
        "no call after the short page"
    );
}

#[tokio::test]
async fn an_empty_first_page_ends_the_listing() {
    let template = example_item("dnspod/2021-03-23", "DescribeDomainList", "DomainList");
    let server = domain_server(catalogue(&template, "DomainId", 0)).await;
    let dnspod = tencentcloud_dnspod::Client::new(runtime(&server));
    let pages: Vec<_> = dnspod
        .describe_domain_list_paginator(domain_request())
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn the_page_cap_stops_a_server_that_repeats_forever() {
    let template = example_item("dnspod/2021-03-23", "DescribeDomainList", "DomainList");
    let domains = catalogue(&template, "DomainId", 10);
    // Ignores the offset: the same full page, forever.
    let server = server("dnspod", "DescribeDomainList", move |_, _| {
        answer(json!({ "DomainList": *domains, "RequestId": "r" }))
    })
    .await;
    let dnspod = tencentcloud_dnspod::Client::new(runtime(&server));
    let outcome: Result<Vec<_>, _> = dnspod
        .describe_domain_list_paginator(domain_request())
        .max_pages(7)
        .items()
        .try_collect()
        .await;
    let err = outcome.unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooManyPages {
                action: "DescribeDomainList",
                pages: 7
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 7);
}

#[tokio::test]
async fn page_numbers_advance_from_the_request_to_the_total() {
    use tencentcloud_lcic::{required, Client, GetRoomsRequest};
    let rooms = catalogue(
        &example_item("lcic/2022-08-17", "GetRooms", "Rooms"),
        "RoomId",
        25,
    );
    let served = rooms.clone();
    let server = server("lcic", "GetRooms", move |body, _| {
        assert_eq!(body["SdkAppId"], 3_520_371);
        assert_eq!(body["Status"], json!([1]), "the caller's filter is on every page");
        let page = body["Page"].as_u64().unwrap_or(1);
        let size = body["Limit"].as_u64().unwrap_or(10);
        answer(json!({ "Total": served.len(), "Rooms": window(&served, (page - 1) * size, size), "RequestId": "r" }))
    })
    .await;
    let lcic = Client::new(runtime(&server));
    let request = GetRoomsRequest::new(required::GetRoomsRequest {
        sdk_app_id: 3_520_371,
    })
    .with_status(vec![1])
    .with_limit(10);
    let listed: Vec<_> = lcic
        .get_rooms_paginator(request)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|r| r.room_id.unwrap()).collect();
    assert_eq!(ids, (0..25).collect::<Vec<u64>>());
    assert_eq!(
        sent(&server, "Page"),
        [json!(1), json!(2), json!(3)],
        "the first page is sent as the spec numbers it"
    );
}

/// Issue #27: ccc `DescribeNumbers` documents "页数，从0开始" (pages from 0).
/// A server that pages 45 numbers from 0, 20 a page, is listed completely:
/// a paginator that started at 1 listed 25 of them and reported success.
#[tokio::test]
async fn a_server_counting_pages_from_zero_is_listed_completely() {
    use catalog_sample_build_time::ccc::{required, Client, DescribeNumbersRequest};
    let example = example_response_in(
        "tests/data/catalog-sample/cn/ccc/v20200210",
        "DescribeNumbers",
    );
    let numbers = catalogue(&example["Numbers"][0], "Number", 45);
    let served = numbers.clone();
    let server = server("ccc", "DescribeNumbers", move |body, _| {
        assert_eq!(body["SdkAppId"], 1_400_692_008_u64);
        let page = body["PageNumber"].as_u64().unwrap_or(0);
        let size = body["PageSize"].as_u64().unwrap_or(20);
        let numbers = window(&served, page * size, size);
        answer(json!({ "TotalCount": served.len(), "Numbers": numbers, "RequestId": "r" }))
    })
    .await;
    let ccc = Client::new(runtime(&server));
    let request = DescribeNumbersRequest::new(required::DescribeNumbersRequest {
        sdk_app_id: 1_400_692_008,
    })
    .with_page_size(20);
    let listed: Vec<_> = ccc
        .describe_numbers_paginator(request)
        .items()
        .try_collect()
        .await
        .unwrap();
    let listed: Vec<_> = listed.iter().map(|n| n.number.clone().unwrap()).collect();
    let all: Vec<_> = (0..45).map(|i| format!("item-{i}")).collect();
    assert_eq!(listed, all, "every number once, in order");
    assert_eq!(sent(&server, "PageNumber"), [json!(0), json!(1), json!(2)]);
}

#[tokio::test]
async fn tokens_are_sent_back_until_the_server_sends_none() {
    use tencentcloud_teo::{required, Client, EdgeKVListRequest};
    let server = server("teo", "EdgeKVList", move |body, _| {
        assert_eq!(
            body["Namespace"], "ns",
            "the caller's members are on every page"
        );
        let (keys, next) = match body["Cursor"].as_str() {
            None => (json!(["a", "b"]), json!("after-b")),
            Some("after-b") => (json!(["c", "d"]), json!("after-d")),
            Some("after-d") => (json!(["e"]), json!("")),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        answer(json!({ "Keys": keys, "Cursor": next, "RequestId": "r" }))
    })
    .await;
    let teo = Client::new(runtime(&server));
    let request = EdgeKVListRequest::new(required::EdgeKVListRequest {
        zone_id: "zone-1".into(),
        namespace: "ns".into(),
    });
    let keys: Vec<String> = teo
        .edge_kv_list_paginator(request)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        sent(&server, "Cursor"),
        [Value::Null, json!("after-b"), json!("after-d")]
    );
}

#[tokio::test]
async fn a_repeated_token_ends_the_listing() {
    use tencentcloud_teo::{required, Client, EdgeKVListRequest};
    // The example answer itself: cursor "hello", forever.
    let server = server("teo", "EdgeKVList", |body, n| {
        // The first page asks with no cursor, the second with the one it got.
        let want = if n == 0 { Value::Null } else { json!("hello") };
        assert_eq!(body["Cursor"], want, "request {n}");
        answer(json!({ "Keys": ["hello"], "Cursor": "hello", "RequestId": "r" }))
    })
    .await;
    let teo = Client::new(runtime(&server));
    let request = EdgeKVListRequest::new(required::EdgeKVListRequest {
        zone_id: "zone-1".into(),
        namespace: "ns".into(),
    });
    let pages: Vec<_> = teo
        .edge_kv_list_paginator(request)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.len(),
        2,
        "the second answer repeats the token it was sent"
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_the_service_error() {
    let template = example_item("dnspod/2021-03-23", "DescribeDomainList", "DomainList");
    let domains = catalogue(&template, "DomainId", 10);
    let server = server("dnspod", "DescribeDomainList", move |_, i| match i {
        0 => answer(json!({ "DomainList": *domains, "RequestId": "r" })),
        _ => answer(
            json!({ "Error": { "Code": "InvalidParameter", "Message": "no" }, "RequestId": "r" }),
        ),
    })
    .await;
    let dnspod = tencentcloud_dnspod::Client::new(runtime(&server));
    let mut items = dnspod
        .describe_domain_list_paginator(domain_request())
        .items();
    for _ in 0..10 {
        assert!(items.try_next().await.unwrap().is_some());
    }
    let err = items.try_next().await.unwrap_err();
    assert_eq!(err.code().map(|c| c.as_str()), Some("InvalidParameter"));
    assert!(
        items.try_next().await.unwrap().is_none(),
        "the stream ends after its error"
    );
    assert_eq!(server.count(), 2, "the failed page is not asked for again");
}

#[tokio::test]
async fn lists_inside_an_object_member_are_paged_too() {
    use tencentcloud_teo::v20220106::{required, Client, DescribeDDosAttackEventRequest};
    // The list sits in `Data` (`{List, PageNo, PageSize, Pages, TotalSize}`).
    let events = catalogue(
        &example_item_in("teo/2022-01-06", "DescribeDDosAttackEvent", "Data", "List"),
        "EventId",
        25,
    );
    let server = server("teo", "DescribeDDosAttackEvent", move |body, _| {
        let page = body["PageNo"].as_u64().unwrap();
        let size = body["PageSize"].as_u64().unwrap();
        let list = window(&events, (page - 1) * size, size);
        answer(json!({ "Status": 0, "Msg": "", "Data": { "List": list, "PageNo": page, "PageSize": size, "Pages": 3, "TotalSize": 25 }, "RequestId": "r" }))
    })
    .await;
    let teo = Client::new(runtime(&server));
    let request = DescribeDDosAttackEventRequest::new(required::DescribeDDosAttackEventRequest {
        start_time: "2022-01-06T00:00:00+00:00".into(),
        end_time: "2022-01-07T00:00:00+00:00".into(),
        page_size: 10,
        page_no: 1,
    });
    let listed: Vec<_> = teo
        .describe_ddos_attack_event_paginator(request)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|e| e.event_id.clone().unwrap()).collect();
    assert_eq!(
        ids,
        (0..25).map(|i| format!("item-{i}")).collect::<Vec<_>>()
    );
    assert_eq!(
        sent(&server, "PageNo"),
        [json!(1), json!(2), json!(3)],
        "no call after the short page"
    );
}
