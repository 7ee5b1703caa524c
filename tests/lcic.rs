//! The seed page (`tests/data/BatchCreateRoom.txt`) against what the
//! generator makes of `api-spec/lcic`: parameters, RoomInfo, error codes,
//! domain and rate limit; and the generated LCIC API in use.

use codegen::ir::{Presence, Scalar, Type};
use sdk_tests::workspace_root;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tencentcloud_lcic::{
    required, BatchCreateRoomRequest, BatchCreateRoomResponse, ErrorCode, RoomInfo,
};
use tencentcloud_runtime::{BoxFuture, Call, Reply, Transport, TransportError};

fn seed() -> String {
    std::fs::read_to_string(workspace_root().join("tests/data/BatchCreateRoom.txt")).unwrap()
}

/// The "Error Code Description" table of the seed page, in page order.
fn seed_error_codes() -> Vec<(String, String)> {
    let seed = seed();
    let table = seed
        .split("Error Code Description\n")
        .nth(1)
        .unwrap()
        .split("\n\nHelp")
        .next()
        .unwrap();
    table
        .lines()
        .map(|line| {
            let (code, description) = line.split_once(' ').unwrap();
            (code.to_owned(), description.to_owned())
        })
        .collect()
}

fn seed_section(start: &str, end: &str) -> String {
    let seed = seed();
    let after = seed.split(start).nth(1).unwrap();
    after.split(end).next().unwrap().trim().to_owned()
}

/// The text of the seed line that starts with `prefix` and ends with
/// `suffix`, between the two.
fn seed_fact(prefix: &str, suffix: &str) -> String {
    let seed = seed();
    let line = seed
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("the seed has no line starting with {prefix:?}"));
    line[prefix.len()..]
        .strip_suffix(suffix)
        .unwrap_or_else(|| panic!("{line:?} does not end with {suffix:?}"))
        .to_owned()
}

/// The seed's rate limit: "A maximum of 20 requests can be initiated per
/// second for this API."
fn seed_rate_limit() -> u32 {
    seed_fact(
        "A maximum of ",
        " requests can be initiated per second for this API.",
    )
    .parse()
    .unwrap()
}

/// The seed's domain: "Domain name for API request: lcic.intl.tencentcloudapi.com."
fn seed_domain() -> String {
    seed_fact("Domain name for API request: ", ".")
}

/// One row of a parameter table of the seed page: name (without the `.N`
/// of lists), whether it is required (input table only), and the page's
/// type (`Integer`, `String`, `Array of RoomInfo`).
#[derive(Debug, PartialEq)]
struct SeedParameter {
    name: String,
    required: Option<bool>,
    ty: String,
}

/// The rows of the seed's table between `start` and `end`, without the
/// common parameters (`Action`, `Version`, `Region`).
fn seed_parameters(start: &str, end: &str, with_required: bool) -> Vec<SeedParameter> {
    let section = seed_section(start, end);
    let table = section
        .split_once("Parameter Name ")
        .unwrap()
        .1
        .split_once('\n')
        .unwrap()
        .1;
    table
        .lines()
        .filter(|line| !line.contains("Common Params."))
        .map(|line| {
            let (name, rest) = line.split_once(' ').unwrap();
            let (required, rest) = if with_required {
                let (flag, rest) = rest.split_once(' ').unwrap();
                (Some(flag == "Yes"), rest)
            } else {
                (None, rest)
            };
            let words = if rest.starts_with("Array of ") { 3 } else { 1 };
            let ty = rest.splitn(words + 1, ' ').take(words).collect::<Vec<_>>();
            SeedParameter {
                name: name.trim_end_matches(".N").to_owned(),
                required,
                ty: ty.join(" "),
            }
        })
        .collect()
}

fn lcic_errors_json() -> Value {
    let path = workspace_root().join("api-spec/lcic/2022-08-17/errors.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn errors_json_holds_every_seed_code_with_the_seed_description() {
    let errors = lcic_errors_json();
    let listed: BTreeMap<&str, &str> = errors["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap(),
                e["description"].as_str().unwrap(),
            )
        })
        .collect();
    let seed = seed_error_codes();
    assert_eq!(seed.len(), 33);
    for (code, description) in &seed {
        assert_eq!(
            listed.get(code.as_str()),
            Some(&description.as_str()),
            "{code}"
        );
    }
}

#[test]
fn batch_create_room_error_list_equals_the_seed() {
    let errors = lcic_errors_json();
    let list: Vec<&str> = errors["actions"]["BatchCreateRoom"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let seed: Vec<String> = seed_error_codes().into_iter().map(|(c, _)| c).collect();
    assert_eq!(list, seed);
}

/// The seed page's facts (domain, rate limit, parameter tables, error
/// codes) against what the generator made of `api-spec/lcic`: the resolved
/// model and the generated crate.
#[test]
fn the_resolved_model_has_the_seed_parameters() {
    let service = codegen::load_service(&workspace_root().join("api-spec/lcic")).unwrap();
    let version = service.newest();
    assert_eq!(service.short_name, "lcic");
    assert_eq!(service.crate_name, "tencentcloud-lcic");
    assert_eq!(version.actions.len(), 53);
    let action = version
        .actions
        .iter()
        .find(|a| a.wire_name == "BatchCreateRoom")
        .unwrap();
    assert_eq!(action.method, "batch_create_room");
    assert_eq!(seed_rate_limit(), 20);
    assert_eq!(action.rate_limit, Some(seed_rate_limit()));
    let domain = seed_domain();
    assert_eq!(domain, "lcic.intl.tencentcloudapi.com");
    assert_eq!(version.intl_endpoint.as_deref(), Some(domain.as_str()));
    assert_eq!(
        tencentcloud_lcic::SERVICE.intl_endpoint,
        Some(domain.as_str())
    );

    let input = &version.objects[action.input.0];
    let room_info = version
        .objects
        .iter()
        .position(|o| o.wire_name == "RoomInfo")
        .unwrap();
    let fields: Vec<(&str, &Type, Presence)> = input
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), &f.ty, f.presence))
        .collect();
    assert_eq!(
        fields,
        [
            (
                "SdkAppId",
                &Type::Scalar(Scalar::Uint64),
                Presence::Required
            ),
            (
                "RoomInfos",
                &Type::List(Box::new(Type::Object(codegen::ir::ObjectId(room_info)))),
                Presence::Required
            ),
        ]
    );
    // The page's name for a type, from the model.
    let page_name = |ty: &Type| match ty {
        Type::Scalar(Scalar::Int64 | Scalar::Uint64) => "Integer".to_owned(),
        Type::Scalar(Scalar::Float) => "Float".to_owned(),
        Type::Scalar(Scalar::Bool) => "Boolean".to_owned(),
        Type::Scalar(_) => "String".to_owned(),
        Type::Object(id) => version.objects[id.0].wire_name.clone(),
        Type::List(_) => unreachable!("no list of lists here"),
    };
    let page_type = |ty: &Type| match ty {
        Type::List(item) => format!("Array of {}", page_name(item)),
        other => page_name(other),
    };
    let from_model: Vec<SeedParameter> = input
        .fields
        .iter()
        .map(|f| SeedParameter {
            name: f.wire_name.clone(),
            required: Some(f.presence == Presence::Required),
            ty: page_type(&f.ty),
        })
        .collect();
    let seed_inputs = seed_parameters("2. Input Parameters", "3. Output Parameters", true);
    assert_eq!(seed_inputs.len(), 2);
    assert_eq!(from_model, seed_inputs);

    let output = &version.objects[action.output.0];
    let outputs: Vec<(&str, &Type)> = output
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), &f.ty))
        .collect();
    assert_eq!(
        outputs,
        [
            (
                "RoomIds",
                &Type::List(Box::new(Type::Scalar(Scalar::Uint64)))
            ),
            ("RequestId", &Type::Scalar(Scalar::String)),
        ]
    );
    let from_model: Vec<SeedParameter> = output
        .fields
        .iter()
        .map(|f| SeedParameter {
            name: f.wire_name.clone(),
            required: None,
            ty: page_type(&f.ty),
        })
        .collect();
    assert_eq!(
        from_model,
        seed_parameters("3. Output Parameters", "4. Example", false)
    );
    let codes: Vec<&str> = action
        .errors
        .iter()
        .map(|id| version.errors[id.0].code.as_str())
        .collect();
    let seed: Vec<String> = seed_error_codes().into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, seed);
}

#[test]
fn the_seed_example_round_trips_through_the_generated_types() {
    let input = seed_section("Input Example", "Output Example");
    let body = &input[input.find('{').unwrap()..];
    let original: Value = serde_json::from_str(body).unwrap();
    let request: BatchCreateRoomRequest = serde_json::from_value(original.clone()).unwrap();
    assert_eq!(request.sdk_app_id, 1);
    let room = &request.room_infos[0];
    assert_eq!(
        (room.name.as_str(), room.teacher_id.as_deref()),
        ("abc", Some("abc"))
    );
    assert_eq!(room.rtc_audience_number, Some(1));
    assert_eq!(room.assistants.as_deref(), Some(&["abc".to_owned()][..]));
    assert_eq!(serde_json::to_value(&request).unwrap(), original);

    let output = seed_section("Output Example", "5. Developer Resources");
    tencentcloud_runtime::testing::assert_response_round_trip::<BatchCreateRoomResponse>(&output);
}

#[test]
fn requests_carry_required_members_and_only_the_optional_ones_set() {
    let room = RoomInfo::new(required::RoomInfo {
        name: "Maths".into(),
        start_time: 1_700_000_000,
        end_time: 1_700_003_600,
        resolution: 1,
        max_mic_number: 6,
        sub_type: "videodoc".into(),
    })
    .with_teacher_id("t-1");
    let request = BatchCreateRoomRequest::new(required::BatchCreateRoomRequest {
        sdk_app_id: 1400000001,
        room_infos: vec![room],
    });
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json,
        json!({
            "SdkAppId": 1400000001u64,
            "RoomInfos": [{
                "Name": "Maths", "StartTime": 1_700_000_000u64, "EndTime": 1_700_003_600u64,
                "Resolution": 1, "MaxMicNumber": 6, "SubType": "videodoc", "TeacherId": "t-1"
            }]
        })
    );
}

#[test]
fn a_request_missing_a_required_member_does_not_decode() {
    let err =
        serde_json::from_value::<BatchCreateRoomRequest>(json!({"RoomInfos": []})).unwrap_err();
    assert_eq!(err.to_string(), "at `SdkAppId`: missing required member");
}

#[test]
fn a_mistyped_nested_member_is_named_by_its_path() {
    let err = serde_json::from_value::<BatchCreateRoomRequest>(json!({
        "SdkAppId": 1,
        "RoomInfos": [
            {"Name": "a", "StartTime": 1, "EndTime": 2, "Resolution": 1, "MaxMicNumber": 1, "SubType": "video"},
            {"Name": "b", "StartTime": "soon", "EndTime": 2, "Resolution": 1, "MaxMicNumber": 1, "SubType": "video"}
        ]
    }))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "at `RoomInfos[1].StartTime`: expected an unsigned integer, found a string"
    );
}

/// With several members wrong, the error names the first in the spec's
/// order, as when decoding stopped at it: every member is read, the first
/// error kept.
#[test]
fn of_several_mistyped_members_the_first_is_named() {
    let room = json!({"Name": "a", "StartTime": 1, "EndTime": 2, "Resolution": 1, "MaxMicNumber": 1, "SubType": "video"});
    let cases = [
        (
            json!({"SdkAppId": "x", "RoomInfos": 3}),
            "at `SdkAppId`: expected an unsigned integer, found a string",
        ),
        (
            json!({"SdkAppId": 1, "RoomInfos": [room, {"Name": true, "EndTime": "later"}]}),
            "at `RoomInfos[1].Name`: expected a string, found a boolean",
        ),
        (
            json!({"RoomInfos": [{"Name": "a", "TeacherId": 5.5, "Assistants": {}}]}),
            "at `SdkAppId`: missing required member",
        ),
        (
            json!({"SdkAppId": 1, "RoomInfos": [{"Name": "a", "Assistants": {}}]}),
            "at `RoomInfos[0].StartTime`: missing required member",
        ),
    ];
    for (body, want) in cases {
        let err = serde_json::from_value::<BatchCreateRoomRequest>(body.clone()).unwrap_err();
        assert_eq!(err.to_string(), want, "{body}");
    }
}

/// `tencentcloud_runtime::json::Serde` gives any generated type the same
/// serde impls as the crate's `serde` feature, for crates built without it:
/// both checked against JSON written here.
#[test]
fn the_serde_wrapper_encodes_and_decodes_as_the_serde_feature_does() {
    use tencentcloud_runtime::json::Serde;
    let body = r#"{"SdkAppId": 7, "RoomInfos": [{"Name": "abc", "StartTime": 1, "EndTime": 2,
        "Resolution": 3, "MaxMicNumber": 4, "SubType": "videodoc", "TeacherId": "t",
        "Assistants": ["a", "b"], "RTCAudienceNumber": 5}]}"#;
    // Unset members left out.
    let encoded = json!({"SdkAppId": 7, "RoomInfos": [{"Name": "abc", "StartTime": 1,
        "EndTime": 2, "Resolution": 3, "MaxMicNumber": 4, "SubType": "videodoc",
        "TeacherId": "t", "Assistants": ["a", "b"], "RTCAudienceNumber": 5}]});
    let text = |serialized: String| serde_json::from_str::<Value>(&serialized).unwrap();
    let check = |request: &BatchCreateRoomRequest| {
        assert_eq!(request.sdk_app_id, 7);
        let room = &request.room_infos[0];
        assert_eq!(
            (room.name.as_str(), room.start_time, room.end_time),
            ("abc", 1, 2)
        );
        assert_eq!((room.resolution, room.max_mic_number), (3, 4));
        assert_eq!(room.sub_type, "videodoc");
        assert_eq!(room.teacher_id.as_deref(), Some("t"));
        assert_eq!(
            room.assistants.as_deref(),
            Some(&["a".to_owned(), "b".to_owned()][..])
        );
        assert_eq!(room.rtc_audience_number, Some(5));
        assert_eq!((room.auto_mic, room.group_id.as_deref()), (None, None));
    };
    let Serde(wrapped): Serde<BatchCreateRoomRequest> = serde_json::from_str(body).unwrap();
    check(&wrapped);
    assert_eq!(
        text(serde_json::to_string(&Serde(&wrapped)).unwrap()),
        encoded
    );
    assert_eq!(serde_json::to_value(Serde(&wrapped)).unwrap(), encoded);
    let via_feature: BatchCreateRoomRequest = serde_json::from_str(body).unwrap();
    check(&via_feature);
    assert_eq!(text(serde_json::to_string(&via_feature).unwrap()), encoded);
    assert_eq!(serde_json::to_value(&via_feature).unwrap(), encoded);
    for err in [
        serde_json::from_value::<Serde<BatchCreateRoomRequest>>(json!({"RoomInfos": []}))
            .map(|_| ())
            .unwrap_err(),
        serde_json::from_value::<BatchCreateRoomRequest>(json!({"RoomInfos": []}))
            .map(|_| ())
            .unwrap_err(),
    ] {
        assert_eq!(err.to_string(), "at `SdkAppId`: missing required member");
    }
}

#[test]
fn responses_decode_with_members_missing_null_or_unknown() {
    for (body, room_ids, request_id) in [
        (json!({}), None, None),
        (json!({"RoomIds": null, "RequestId": null}), None, None),
        (
            json!({"RoomIds": [5], "Brand": "new", "RequestId": "r"}),
            Some(vec![5]),
            Some("r"),
        ),
    ] {
        let response: BatchCreateRoomResponse = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(response.room_ids, room_ids, "{body}");
        assert_eq!(response.request_id.as_deref(), request_id, "{body}");
    }
}

#[test]
fn error_codes_parse_print_and_describe() {
    let code = ErrorCode::from_code("FailedOperation.ClassStarted");
    assert_eq!(code, ErrorCode::FailedOperationClassStarted);
    assert_eq!(code.as_str(), "FailedOperation.ClassStarted");
    assert_eq!(code.to_string(), "FailedOperation.ClassStarted");
    assert_eq!(
        code.description(),
        Some("Class status error. The class has already started.")
    );
    assert_eq!(
        "AuthFailure".parse::<ErrorCode>(),
        Ok(ErrorCode::AuthFailure)
    );
    let new = ErrorCode::from("AuthFailure.SignatureExpire");
    assert_eq!(
        new,
        ErrorCode::Unrecognized("AuthFailure.SignatureExpire".into())
    );
    assert_eq!(new.as_str(), "AuthFailure.SignatureExpire");
    assert_eq!(new.description(), None);
    for (wire, description) in seed_error_codes() {
        let code = ErrorCode::from_code(&wire);
        assert!(
            !matches!(code, ErrorCode::Unrecognized(_)),
            "{wire} has no variant"
        );
        assert_eq!(code.as_str(), wire);
        assert_eq!(code.description(), Some(description.as_str()));
    }
    assert_eq!(
        ErrorCode::KNOWN.len(),
        lcic_errors_json()["errors"].as_array().unwrap().len()
    );
}

#[test]
fn the_method_docs_list_the_seed_error_codes() {
    let client =
        std::fs::read_to_string(workspace_root().join("generated/lcic/src/v20220817/client.rs"))
            .unwrap();
    let start = client
        .find("/// Creates multiple rooms (`BatchCreateRoom`).")
        .unwrap();
    let docs = &client[start..client[start..].find("pub fn batch_create_room").unwrap() + start];
    assert!(docs.contains("This API is used to create multiple rooms at a time."));
    assert!(docs.contains(&format!(
        "Rate limit: {} requests per second.",
        seed_rate_limit()
    )));
    assert!(docs.contains("Retry class: not idempotent."));
    let listed: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("/// - [`"))
        .map(|l| l.split('`').next().unwrap())
        .collect();
    let seed: Vec<String> = seed_error_codes().into_iter().map(|(c, _)| c).collect();
    assert_eq!(listed, seed);
}

/// Answers every call with a fixed body and records what it was sent.
#[derive(Debug)]
struct Canned {
    body: &'static str,
    /// Version, action and body text of every call.
    sent: std::sync::Mutex<Vec<(String, String, String)>>,
}

impl Transport for Canned {
    fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
        let body = String::from_utf8(call.body.to_vec()).unwrap();
        self.sent.lock().unwrap().push((
            call.service.version.into(),
            call.action.name.into(),
            body,
        ));
        Box::pin(async move { Ok(Reply::new(200, self.body.as_bytes().to_vec())) })
    }
}

fn client(body: &'static str) -> (tencentcloud_lcic::Client, std::sync::Arc<Canned>) {
    #[derive(Debug)]
    struct Shared(std::sync::Arc<Canned>);
    impl Transport for Shared {
        fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
            self.0.send(call)
        }
    }
    let canned = std::sync::Arc::new(Canned {
        body,
        sent: Default::default(),
    });
    let runtime = tencentcloud_runtime::Client::with_transport(Shared(canned.clone()));
    (tencentcloud_lcic::Client::new(runtime), canned)
}

#[tokio::test]
async fn the_client_method_sends_the_action_and_decodes_the_answer() {
    let (lcic, canned) = client(r#"{"Response":{"RoomIds":[301234567],"RequestId":"213das"}}"#);
    let request = sdk_tests::batch_create_room::one_room("abc");
    let response = lcic.batch_create_room(&request).await.unwrap();
    assert_eq!(response.room_ids, Some(vec![301234567]));
    assert_eq!(response.request_id.as_deref(), Some("213das"));
    let sent = canned.sent.lock().unwrap();
    assert_eq!(sent[0].0, "2022-08-17");
    assert_eq!(sent[0].1, "BatchCreateRoom");
    // The body as written: members in the spec's order, unset ones left out.
    assert_eq!(
        sent[0].2,
        concat!(
            r#"{"SdkAppId":1400000001,"RoomInfos":[{"Name":"abc","StartTime":1700000000,"#,
            r#""EndTime":1700003600,"Resolution":1,"MaxMicNumber":6,"SubType":"videodoc"}]}"#
        )
    );
    assert_eq!(
        tencentcloud_lcic::SERVICE.intl_endpoint,
        Some("lcic.intl.tencentcloudapi.com")
    );
}

#[tokio::test]
async fn a_service_error_carries_the_typed_code() {
    let (lcic, _) = client(
        r#"{"Response":{"Error":{"Code":"InvalidParameter.SdkAppId","Message":"SdkAppId is incorrect."},"RequestId":"req-9"}}"#,
    );
    let request = BatchCreateRoomRequest::new(required::BatchCreateRoomRequest {
        sdk_app_id: 1,
        room_infos: vec![],
    });
    let err = lcic.batch_create_room(&request).await.unwrap_err();
    let service = err.service_error().expect("a service error");
    assert_eq!(service.code, ErrorCode::InvalidParameterSdkAppId);
    assert_eq!(service.request_id, "req-9");
    assert_eq!(err.code(), Some(&ErrorCode::InvalidParameterSdkAppId));
    assert_eq!(err.to_string(), "BatchCreateRoom failed: InvalidParameter.SdkAppId: SdkAppId is incorrect. (request id req-9)");
}
