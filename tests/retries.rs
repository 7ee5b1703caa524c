//! Retry classes, the codes a policy chooses to retry, client tokens,
//! per-call options, the generic call and
//! answers that do not decode, end to end: the generated clients against
//! the fault-injecting loopback server (`sdk_tests::server`).

use sdk_tests::server::{verify_tc3, Answer, Recorded, TestServer};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tencentcloud_dnspod::{required, CreateAndPayDealRequest};
use tencentcloud_lcic::{Client, DescribeRoomRequest, ErrorCode};
use tencentcloud_runtime::{
    CallOptions, Error, RetryClass, RetryCode, RetryPolicy, TransportErrorKind,
};

const SECRET_ID: &str = "AKIDretryTestIdEXAMPLE";
const SECRET_KEY: &str = "retrySecretKeyValueEXAMPLE";
const CREATED: &str = r#"{"Response":{"RoomIds":[301234567],"RequestId":"created"}}"#;
const ROOM: &str = r#"{"Response":{"Name":"Maths","RequestId":"room"}}"#;
const INTERNAL: &str =
    r#"{"Response":{"Error":{"Code":"InternalError","Message":"try later"},"RequestId":"ie"}}"#;
const LIMITED: &str = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"lim"}}"#;

fn reset(body: &str) -> Answer {
    Answer::ResetMidBody { body: body.into() }
}

fn builder(server: &TestServer) -> tencentcloud_runtime::ClientBuilder {
    server.client_builder(SECRET_ID, SECRET_KEY)
}

fn lcic(runtime: tencentcloud_runtime::ClientBuilder) -> Client {
    Client::new(runtime.build().expect("the client builds"))
}

fn describe_room() -> DescribeRoomRequest {
    DescribeRoomRequest::new(tencentcloud_lcic::required::DescribeRoomRequest { room_id: 7 })
}

fn create_deal() -> CreateAndPayDealRequest {
    CreateAndPayDealRequest::new(required::CreateAndPayDealRequest {
        deal_type: 1,
        goods_type: 1,
        goods_child_type: "DP_PLUS".into(),
        goods_num: 1,
        auto_renew: 0,
    })
}

fn body(request: &Recorded) -> Value {
    serde_json::from_slice(&request.body).expect("the client sends JSON")
}

/// A stand-in for a create that honours client tokens, as Tencent's do: the
/// first request with a token creates a deal (and is recorded), a repeat
/// with the same token returns that deal again. The first answer of every
/// token is cut off mid-body after the create happened.
#[derive(Default)]
struct Deals {
    created: Mutex<BTreeMap<String, String>>,
}

impl Deals {
    fn answer(&self, request: &Recorded) -> Answer {
        let token = body(request)["ClientToken"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let mut created = self.created.lock().unwrap();
        let first = !created.contains_key(&token);
        let next = format!("deal-{}", created.len() + 1);
        let deal = created.entry(token).or_insert(next).clone();
        let answer = format!(r#"{{"Response":{{"BigDealId":"{deal}","RequestId":"d"}}}}"#);
        if first {
            reset(&answer)
        } else {
            Answer::ok(&answer)
        }
    }
}

#[tokio::test]
async fn a_create_without_a_token_gets_one_and_a_reset_after_sending_is_retried_creating_once() {
    let deals = Arc::new(Deals::default());
    let server = {
        let deals = deals.clone();
        TestServer::start(move |request, _| deals.answer(request)).await
    };
    let dnspod = tencentcloud_dnspod::Client::new(builder(&server).build().unwrap());
    let request = create_deal();
    assert_eq!(request.client_token, None);

    let response = dnspod.create_and_pay_deal(&request).await.unwrap();
    assert_eq!(response.big_deal_id.as_deref(), Some("deal-1"));

    let seen = server.requests();
    assert_eq!(seen.len(), 2, "the reset after sending was retried once");
    let tokens: Vec<Value> = seen
        .iter()
        .map(|r| body(r)["ClientToken"].clone())
        .collect();
    let token = tokens[0].as_str().expect("the client filled a token");
    assert_eq!(token.len(), 36, "UUID-shaped: {token}");
    assert_eq!(token.matches('-').count(), 4, "UUID-shaped: {token}");
    assert_eq!(tokens[1], tokens[0], "every attempt sends the same token");
    for request in &seen {
        verify_tc3(request, SECRET_ID, SECRET_KEY, "dnspod").unwrap();
    }
    assert_eq!(
        deals.created.lock().unwrap().len(),
        1,
        "one create per token"
    );

    // Another call gets its own token: a new create.
    dnspod.create_and_pay_deal(&request).await.unwrap();
    assert_eq!(deals.created.lock().unwrap().len(), 2);
    assert_ne!(body(&server.requests()[2])["ClientToken"], tokens[0]);
}

#[tokio::test]
async fn a_token_set_by_the_caller_is_sent_and_reported_on_failure() {
    let server = TestServer::start(|_, _| reset(r#"{"Response":{"RequestId":"x"}}"#)).await;
    let dnspod = tencentcloud_dnspod::Client::new(builder(&server).build().unwrap());
    let mut request = create_deal();
    request.client_token = Some("my-own-token".into());
    let err = dnspod.create_and_pay_deal(&request).await.unwrap_err();
    assert_eq!(err.client_token(), Some("my-own-token"));
    assert_eq!(server.count(), 3, "idempotent: retried up to max_attempts");
    for seen in server.requests() {
        assert_eq!(body(&seen)["ClientToken"], "my-own-token");
    }

    // A generated token is reported too, so the caller can look the deal up.
    let err = dnspod
        .create_and_pay_deal(&create_deal())
        .await
        .unwrap_err();
    let generated = err.client_token().expect("the generated token is reported");
    assert_eq!(body(&server.requests()[3])["ClientToken"], generated);
}

#[tokio::test]
async fn a_non_idempotent_create_is_never_resent() {
    for answer in [
        reset(CREATED),
        Answer::Close,
        Answer::ok(INTERNAL),
        Answer::Text {
            status: 502,
            body: "bad gateway".into(),
        },
    ] {
        let server = TestServer::start(move |_, _| answer.clone()).await;
        let err = lcic(builder(&server))
            .batch_create_room(&sdk_tests::batch_create_room::one_room("Maths"))
            .await
            .unwrap_err();
        assert_eq!(err.client_token(), None, "BatchCreateRoom has no token");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(server.count(), 1, "sent again after {err}");
    }
}

#[tokio::test]
async fn a_describe_call_survives_an_internal_error_and_a_mid_body_reset() {
    let server = TestServer::start(|_, n| match n {
        0 => Answer::ok(INTERNAL),
        1 => reset(ROOM),
        _ => Answer::ok(ROOM),
    })
    .await;
    let room = lcic(builder(&server))
        .describe_room(&describe_room())
        .await
        .unwrap();
    assert_eq!(room.name.as_deref(), Some("Maths"));
    assert_eq!(server.count(), 3);

    // And an HTTP 5xx; retries stay bounded by the policy.
    let server = TestServer::start(|_, _| Answer::Text {
        status: 503,
        body: "unavailable".into(),
    })
    .await;
    let err = lcic(
        builder(&server).retry(
            RetryPolicy::default()
                .max_attempts(4)
                .initial_backoff(Duration::from_millis(5)),
        ),
    )
    .describe_room(&describe_room())
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(server.count(), 4);
}

// On the paused clock, which moves only when every task waits for a timer
// (the loopback server answers at once): the waits are the policy's, exactly.
#[tokio::test(start_paused = true)]
async fn a_rate_limited_call_is_retried_past_the_one_second_quota_window() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let noted = Arc::clone(&arrivals);
    let server = TestServer::start(move |_, n| {
        noted.lock().unwrap().push(tokio::time::Instant::now());
        if n < 2 {
            Answer::ok(LIMITED)
        } else {
            Answer::ok(ROOM)
        }
    })
    .await;
    // The default policy: at least 1 s, then 2 s, each with up to half
    // again of jitter (the official Python SDK waits 1 s, then 2 s).
    let client = lcic(builder(&server).retry(RetryPolicy::default()));
    let room = client.describe_room(&describe_room()).await.unwrap();
    assert_eq!(room.name.as_deref(), Some("Maths"));
    let arrivals = arrivals.lock().unwrap().clone();
    let gaps: Vec<Duration> = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
    let ms = Duration::from_millis;
    assert_eq!(gaps.len(), 2);
    assert!(gaps[0] >= ms(1000) && gaps[0] <= ms(1501), "{gaps:?}");
    assert!(gaps[1] >= ms(2000) && gaps[1] <= ms(3001), "{gaps:?}");

    // Capped by the policy's largest backoff.
    let server = TestServer::start(|_, _| Answer::ok(LIMITED)).await;
    let policy = RetryPolicy::default().max_backoff(ms(300));
    let started = tokio::time::Instant::now();
    let err = lcic(builder(&server).retry(policy))
        .describe_room(&describe_room())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::RequestLimitExceeded));
    assert_eq!(started.elapsed(), ms(600));
}

#[tokio::test]
async fn per_action_overrides_work_both_ways() {
    // A create declared safe to repeat is retried after a reset.
    let server = TestServer::start(|_, n| {
        if n == 0 {
            reset(CREATED)
        } else {
            Answer::ok(CREATED)
        }
    })
    .await;
    let client =
        lcic(builder(&server).retry_class("lcic", "BatchCreateRoom", RetryClass::Idempotent));
    let created = client
        .batch_create_room(&sdk_tests::batch_create_room::one_room("Maths"))
        .await
        .unwrap();
    assert_eq!(created.room_ids, Some(vec![301234567]));
    assert_eq!(server.count(), 2);

    // A describe declared unsafe is not.
    let server = TestServer::start(|_, n| {
        if n == 0 {
            reset(ROOM)
        } else {
            Answer::ok(ROOM)
        }
    })
    .await;
    let client =
        lcic(builder(&server).retry_class("lcic", "DescribeRoom", RetryClass::NotIdempotent));
    let err = client.describe_room(&describe_room()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind() == TransportErrorKind::MaybeSent),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
    // The override is per action of a service: the same name elsewhere keeps its class.
    let other = TestServer::start(|_, n| {
        if n == 0 {
            reset(ROOM)
        } else {
            Answer::ok(ROOM)
        }
    })
    .await;
    let client =
        lcic(builder(&other).retry_class("dnspod", "DescribeRoom", RetryClass::NotIdempotent));
    client.describe_room(&describe_room()).await.unwrap();
    assert_eq!(other.count(), 2);
}

/// An error answer with `code`.
fn error(code: &str) -> Answer {
    Answer::ok(&format!(
        r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"busy"}},"RequestId":"busy"}}}}"#
    ))
}

/// Answers `code` to the first request, then `then`.
fn first_error(code: &'static str, then: &'static str) -> impl Fn(&Recorded, usize) -> Answer {
    move |_, n| {
        if n == 0 {
            error(code)
        } else {
            Answer::ok(then)
        }
    }
}

/// Up to 4 attempts, quickly, retrying the codes `patterns`.
fn choosing(patterns: &[&str]) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(4))
        .retry_codes(patterns)
        .expect("valid patterns")
}

const DEVELOPER: &str = r#"{"Response":{"DeveloperId":"dev","RequestId":"developer"}}"#;

#[tokio::test]
async fn a_chosen_code_is_retried_for_an_idempotent_call_until_it_succeeds() {
    let server = TestServer::start(|_, n| {
        if n < 2 {
            error("ResourceInUse")
        } else {
            Answer::ok(ROOM)
        }
    })
    .await;
    let client = lcic(builder(&server).retry(choosing(&["ResourceInUse"])));
    let room = client.describe_room(&describe_room()).await.unwrap();
    assert_eq!(room.name.as_deref(), Some("Maths"));
    assert_eq!(
        server.count(),
        3,
        "two answers of the chosen code, then the room"
    );

    // Bounded by the policy's attempts.
    let server = TestServer::start(|_, _| error("ResourceInUse")).await;
    let err = lcic(builder(&server).retry(choosing(&["ResourceInUse"])))
        .describe_room(&describe_room())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::ResourceInUse));
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn a_chosen_code_is_not_retried_for_a_not_idempotent_call() {
    let server = TestServer::start(first_error("ResourceInUse", CREATED)).await;
    let err = lcic(builder(&server).retry(choosing(&["ResourceInUse"])))
        .batch_create_room(&sdk_tests::batch_create_room::one_room("Maths"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::ResourceInUse));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.count(), 1, "a create was sent again after {err}");

    // Unless the user marks the action safe to repeat.
    let server = TestServer::start(first_error("ResourceInUse", CREATED)).await;
    let created = lcic(
        builder(&server)
            .retry(choosing(&["ResourceInUse"]))
            .retry_class("lcic", "BatchCreateRoom", RetryClass::Idempotent),
    )
    .batch_create_room(&sdk_tests::batch_create_room::one_room("Maths"))
    .await
    .unwrap();
    assert_eq!(created.room_ids, Some(vec![301234567]));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_code_not_chosen_is_not_retried() {
    for (chosen, answered) in [
        (&["ResourceInUse"][..], "ResourceBusy"),
        (&["ResourceInUse"][..], "ResourceInUse.Disk"),
        // Nothing chosen: the default policy does not retry these codes.
        (&[][..], "ResourceInUse"),
    ] {
        let server = TestServer::start(first_error(answered, ROOM)).await;
        let err = lcic(builder(&server).retry(choosing(chosen)))
            .describe_room(&describe_room())
            .await
            .unwrap_err();
        assert_eq!(err.code().map(|c| c.as_str()), Some(answered));
        assert_eq!(server.count(), 1, "{answered} retried, chosen {chosen:?}");
    }
}

#[tokio::test]
async fn a_prefix_pattern_matches_the_code_and_its_sub_codes_only() {
    for (answered, retried) in [
        ("ResourceUnavailable.RoomStatistics", true),
        ("ResourceUnavailable", true),
        ("ResourceUnavailableX", false),
        ("ResourceInUse", false),
        ("FailedOperation.ResourceUnavailable", false),
    ] {
        let server = TestServer::start(first_error(answered, ROOM)).await;
        let outcome = lcic(builder(&server).retry(choosing(&["ResourceUnavailable.*"])))
            .describe_room(&describe_room())
            .await;
        assert_eq!(outcome.is_ok(), retried, "{answered}: {outcome:?}");
        assert_eq!(server.count(), if retried { 2 } else { 1 }, "{answered}");
    }
}

#[tokio::test]
async fn a_per_action_policy_applies_to_that_action_only() {
    let for_describe_room = |builder: tencentcloud_runtime::ClientBuilder| {
        builder.retry_policy_for("lcic", "DescribeRoom", choosing(&["ResourceInUse"]))
    };
    // That action retries the code.
    let server = TestServer::start(first_error("ResourceInUse", ROOM)).await;
    lcic(for_describe_room(builder(&server)))
        .describe_room(&describe_room())
        .await
        .unwrap();
    assert_eq!(server.count(), 2);

    // Another idempotent action of the same service does not.
    let server = TestServer::start(first_error("ResourceInUse", DEVELOPER)).await;
    let err = lcic(for_describe_room(builder(&server)))
        .describe_developer(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::ResourceInUse));
    assert_eq!(server.count(), 1);

    // Nor does the same action name of another service.
    let server = TestServer::start(first_error("ResourceInUse", ROOM)).await;
    let client = lcic(builder(&server).retry_policy_for(
        "dnspod",
        "DescribeRoom",
        choosing(&["ResourceInUse"]),
    ));
    assert!(client.describe_room(&describe_room()).await.is_err());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_call_policy_wins_over_the_action_policy_which_wins_over_the_client_policy() {
    // The action's policy retries the code; this call's does not.
    let server = TestServer::start(first_error("ResourceInUse", ROOM)).await;
    let client = lcic(builder(&server).retry_policy_for(
        "lcic",
        "DescribeRoom",
        choosing(&["ResourceInUse"]),
    ));
    let err = client
        .describe_room(&describe_room())
        .retry(choosing(&[]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::ResourceInUse));
    assert_eq!(server.count(), 1);
    // And the other way round: this call's policy retries it.
    let server = TestServer::start(first_error("ResourceInUse", ROOM)).await;
    let client =
        lcic(builder(&server).retry_policy_for("lcic", "DescribeRoom", RetryPolicy::never()));
    client
        .describe_room(&describe_room())
        .retry(choosing(&["ResourceInUse"]))
        .await
        .unwrap();
    assert_eq!(server.count(), 2);

    // The client's policy retries the code; the action's (the last one set
    // for it) does not.
    let server = TestServer::start(first_error("ResourceInUse", ROOM)).await;
    let client = lcic(
        builder(&server)
            .retry(choosing(&["ResourceInUse"]))
            .retry_policy_for("lcic", "DescribeRoom", choosing(&["ResourceInUse"]))
            .retry_policy_for("lcic", "DescribeRoom", RetryPolicy::never()),
    );
    assert!(client.describe_room(&describe_room()).await.is_err());
    assert_eq!(server.count(), 1);
    // The client's still holds for its other actions.
    let server = TestServer::start(first_error("ResourceInUse", DEVELOPER)).await;
    let client = lcic(
        builder(&server)
            .retry(choosing(&["ResourceInUse"]))
            .retry_policy_for("lcic", "DescribeRoom", RetryPolicy::never()),
    );
    client
        .describe_developer(&Default::default())
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
}

#[test]
fn invalid_retry_code_patterns_are_refused_naming_the_pattern() {
    for bad in [
        "",
        "*",
        "Resource*",
        "ResourceUnavailable.*.Disk",
        "*.ResourceInUse",
        "Resource InUse",
        "ResourceInUse ",
        "ResourceInUse.",
    ] {
        let err = RetryPolicy::default()
            .retry_codes(["ResourceInUse", bad])
            .unwrap_err();
        assert_eq!(err.pattern(), bad);
        let message = err.to_string();
        assert!(message.contains(&format!("{bad:?}")), "{message}");
        assert_eq!(bad.parse::<RetryCode>().unwrap_err(), err);
    }
    assert_eq!(
        RetryCode::parse("Resource*").unwrap_err().to_string(),
        "invalid retry code pattern \"Resource*\": a `*` may only end the pattern, after a `.`"
    );
}

#[tokio::test]
async fn a_decode_failure_after_a_successful_create_keeps_the_body_and_request_id() {
    // The rooms were created, but one id is not a number: the answer does
    // not decode, and the ids must not be lost.
    let answer = r#"{"Response":{"RoomIds":[301234567,"3O1234568"],"RequestId":"rq-created"}}"#;
    let server = TestServer::start(move |_, _| Answer::ok(answer)).await;
    let err = lcic(builder(&server))
        .batch_create_room(&sdk_tests::batch_create_room::one_room("Maths"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("RoomIds[1]"), "{err}");
    assert_eq!(err.request_id(), Some("rq-created"));
    assert_eq!(
        err.body(),
        Some(answer.as_bytes()),
        "the whole body is kept"
    );
    let recovered: Value = serde_json::from_slice(err.body().unwrap()).unwrap();
    let ids = &recovered["Response"]["RoomIds"];
    assert_eq!(ids[0], 301234567);
    assert_eq!(ids[1], "3O1234568");
    assert_eq!(server.count(), 1, "a decode failure is not retried");
}

// The paused clock: the per-call timeout is measured exactly, whatever the load.
#[tokio::test(start_paused = true)]
async fn options_for_one_call_leave_the_client_unchanged() {
    let server = TestServer::start(|_, n| match n {
        2 => Answer::Slow {
            delay: Duration::from_secs(2),
            then: Box::new(Answer::ok(ROOM)),
        },
        3 => Answer::ok(LIMITED),
        _ => Answer::ok(ROOM),
    })
    .await;
    let client = lcic(builder(&server).region("ap-guangzhou").language("zh-CN"));
    client
        .describe_room(&describe_room())
        .region("ap-singapore")
        .language("en-US")
        .await
        .unwrap();
    client.describe_room(&describe_room()).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen[0].header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(seen[0].header("x-tc-language"), Some("en-US"));
    assert_eq!(seen[1].header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(seen[1].header("x-tc-language"), Some("zh-CN"));

    // A timeout and a retry policy for one call (as one `CallOptions`): the
    // server answers after 2 s, the call gives up after its 200 ms.
    let started = tokio::time::Instant::now();
    let err = client
        .describe_room(&describe_room())
        .options(
            CallOptions::new()
                .timeout(Duration::from_millis(200))
                .retry(RetryPolicy::never()),
        )
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(200) && took <= Duration::from_millis(205),
        "{took:?}"
    );
    assert!(err.to_string().contains("timed out"), "{err}");
    let err = client
        .describe_room(&describe_room())
        .retry(RetryPolicy::never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::RequestLimitExceeded));
    assert_eq!(server.count(), 4, "neither call was retried");
}

#[tokio::test]
async fn the_generic_call_reaches_an_action_no_generated_crate_has() {
    let server = TestServer::start(|request, n| {
        match (request.header("x-tc-action"), n) {
            (Some("DescribeZones"), _) => Answer::ok(r#"{"Response":{"TotalCount":1,"ZoneSet":[{"Zone":"ap-guangzhou-3"}],"RequestId":"z"}}"#),
            (Some("RunInstances"), 1) => reset(r#"{"Response":{"RequestId":"r"}}"#),
            (Some("RunInstances"), _) => Answer::ok(r#"{"Response":{"InstanceIdSet":["ins-1"],"RequestId":"r"}}"#),
            _ => Answer::ok(r#"{"Response":{"Error":{"Code":"InvalidAction","Message":"no such action"},"RequestId":"e"}}"#),
        }
    })
    .await;
    let runtime = builder(&server).build().unwrap();
    let zones = runtime
        .call_json(
            "cvm",
            "2017-03-12",
            "DescribeZones",
            &json!({"Filters": []}),
        )
        .region("ap-guangzhou")
        .await
        .unwrap();
    assert_eq!(zones["ZoneSet"][0]["Zone"], "ap-guangzhou-3");
    assert_eq!(zones["RequestId"], "z");
    let seen = &server.requests()[0];
    verify_tc3(seen, SECRET_ID, SECRET_KEY, "cvm").unwrap();
    assert_eq!(seen.header("x-tc-action"), Some("DescribeZones"));
    assert_eq!(seen.header("x-tc-version"), Some("2017-03-12"));
    assert_eq!(seen.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(body(seen), json!({"Filters": []}));

    // Retried as the caller says it may be: once idempotent, a reset is survived.
    let request = json!({"ClientToken": "t-1", "InstanceCount": 1});
    let created = runtime
        .call_json("cvm", "2017-03-12", "RunInstances", &request)
        .retry_class(RetryClass::Idempotent)
        .await
        .unwrap();
    assert_eq!(created["InstanceIdSet"][0], "ins-1");
    assert_eq!(server.count(), 3);

    // Service errors keep their code as a string.
    let err = runtime
        .call_json("cvm", "2017-03-12", "NoSuchAction", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code().map(String::as_str), Some("InvalidAction"));
    assert_eq!(err.request_id(), Some("e"));
}

/// The retry class the project's rule gives action `name` of `spec` (an
/// `api.json`), written here from the rule itself rather than taken from
/// the generator: idempotent when its request has a string `ClientToken`
/// member, or when its name says it only reads (`Describe`, `Get`, `List`
/// or `Query` followed by the next word, an upper-case letter or a digit;
/// or `Inquir…`). Returns (idempotent, has a client token).
fn class_by_the_rule(spec: &Value, name: &str) -> (bool, bool) {
    let input = spec["actions"][name]["input"]
        .as_str()
        .unwrap_or_else(|| panic!("{name} has an input object"));
    let members = spec["objects"][input]["members"]
        .as_array()
        .unwrap_or_else(|| panic!("{input} has members"));
    let token = members
        .iter()
        .any(|m| m["name"] == "ClientToken" && m["type"] == "string");
    let next_word =
        |rest: &str| rest.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit());
    let read_only = name.starts_with("Inquir")
        || ["Describe", "Get", "List", "Query"]
            .iter()
            .any(|word| name.strip_prefix(word).is_some_and(next_word));
    (token || read_only, token)
}

/// How many methods of one generated `client.rs` were checked, and how
/// many of them are idempotent by their client token and by their name.
#[derive(Debug, Default)]
struct Checked {
    methods: usize,
    by_token: usize,
    by_name: usize,
}

/// Checks every method of a generated `client.rs` (`text`) against the rule
/// applied to its `spec`: the class its `Action` constant passes, the
/// client token, and the class its docs state. Returns the first mismatch.
fn check_retry_classes(text: &str, spec: &Value) -> Result<Checked, String> {
    let mut checked = Checked::default();
    let mut actions = Vec::new();
    // Each method: its docs, then its `Action` constant.
    for method in text.split("# Retries").skip(1) {
        let stated = method.lines().nth(2).unwrap_or_default().trim_start();
        let constant = method
            .split("const ACTION")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .ok_or("a method without an Action")?;
        let name = constant
            .split('"')
            .nth(1)
            .ok_or_else(|| format!("no action name in {constant}"))?;
        let (idempotent, token) = class_by_the_rule(spec, name);
        let (want_class, want_stated) = if idempotent {
            ("RetryClass::Idempotent)", "/// Retry class: idempotent")
        } else {
            (
                "RetryClass::NotIdempotent)",
                "/// Retry class: not idempotent.",
            )
        };
        if !constant.contains(want_class)
            || constant.contains(".client_token(\"ClientToken\")") != token
        {
            return Err(format!(
                "{name}: want {want_class} (token: {token}): {constant}"
            ));
        }
        let read_only_stated = stated.contains("read-only by its name");
        if !stated.starts_with(want_stated)
            || stated.contains("`ClientToken`") != token
            || read_only_stated != (idempotent && !token)
        {
            return Err(format!(
                "{name}: want {want_stated:?} (token: {token}): {stated}"
            ));
        }
        checked.methods += 1;
        checked.by_token += usize::from(token);
        checked.by_name += usize::from(read_only_stated);
        actions.push(name.to_owned());
    }
    // Every action of the spec has its method, and no other method has a constant.
    let mut in_spec: Vec<String> = spec["actions"]
        .as_object()
        .ok_or("the spec has no actions")?
        .keys()
        .cloned()
        .collect();
    in_spec.sort();
    actions.sort();
    if actions != in_spec {
        return Err(format!("methods {actions:?} != spec actions {in_spec:?}"));
    }
    let constants = text
        .matches("const ACTION: ::tencentcloud_runtime::Action")
        .count();
    if constants != actions.len() {
        return Err(format!(
            "{constants} Action constants, {} stated classes",
            actions.len()
        ));
    }
    Ok(checked)
}

/// Every generated method's docs state its retry class, and the class its
/// `Action` constant passes to the runtime is the one the rule gives its
/// action in the spec (`api-spec/<service>/<version>/api.json`).
#[test]
fn every_generated_method_states_its_retry_class() {
    let root = sdk_tests::workspace_root();
    let mut all = Checked::default();
    for service in ["lcic", "dnspod", "iai", "teo"] {
        let src = root.join("generated").join(service).join("src");
        for version in std::fs::read_dir(&src).unwrap() {
            let version = version.unwrap().path();
            let path = version.join("client.rs");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            // `v20220817` is the spec's `2022-08-17`.
            let date = &version.file_name().unwrap().to_str().unwrap()[1..];
            let date = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]);
            let spec_path = root.join(format!("api-spec/{service}/{date}/api.json"));
            let spec: Value = serde_json::from_slice(&std::fs::read(&spec_path).unwrap()).unwrap();
            let checked = check_retry_classes(&text, &spec)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            all.methods += checked.methods;
            all.by_token += checked.by_token;
            all.by_name += checked.by_name;
        }
    }
    assert!(all.methods > 200, "{all:?}");
    // Both reasons for idempotence occur, so neither half of the rule goes unchecked.
    assert!(all.by_token > 0 && all.by_name > 100, "{all:?}");

    // The check fails on a client that differs from the rule: a read-only
    // action passed as not idempotent, a create passed as idempotent, a
    // token dropped, a class stated wrong.
    let lcic =
        std::fs::read_to_string(root.join("generated/lcic/src/v20220817/client.rs")).unwrap();
    let lcic_spec: Value = serde_json::from_slice(
        &std::fs::read(root.join("api-spec/lcic/2022-08-17/api.json")).unwrap(),
    )
    .unwrap();
    let dnspod =
        std::fs::read_to_string(root.join("generated/dnspod/src/v20210323/client.rs")).unwrap();
    let dnspod_spec: Value = serde_json::from_slice(
        &std::fs::read(root.join("api-spec/dnspod/2021-03-23/api.json")).unwrap(),
    )
    .unwrap();
    let idempotent = "RetryClass::Idempotent)";
    let not_idempotent = "RetryClass::NotIdempotent)";
    for (text, spec) in [
        (lcic.replacen(idempotent, not_idempotent, 1), &lcic_spec),
        (lcic.replacen(not_idempotent, idempotent, 1), &lcic_spec),
        (
            lcic.replacen(
                "Retry class: not idempotent.",
                "Retry class: idempotent.",
                1,
            ),
            &lcic_spec,
        ),
        (
            dnspod.replacen(".client_token(\"ClientToken\")", "", 1),
            &dnspod_spec,
        ),
    ] {
        assert!(check_retry_classes(&text, spec).is_err());
    }
}

#[test]
fn the_classes_follow_the_request_and_the_name() {
    let lcic = std::fs::read_to_string(
        sdk_tests::workspace_root().join("generated/lcic/src/v20220817/client.rs"),
    )
    .unwrap();
    // The "# Retries" section just before the method.
    let docs_of = |method: &str| {
        let end = lcic.find(&format!("pub fn {method}<")).unwrap();
        let start = lcic[..end].rfind("# Retries").unwrap();
        lcic[start..end].to_owned()
    };
    assert!(docs_of("describe_room").contains("Retry class: idempotent (read-only by its name)."));
    assert!(docs_of("batch_create_room").contains("Retry class: not idempotent."));
    let dnspod = std::fs::read_to_string(
        sdk_tests::workspace_root().join("generated/dnspod/src/v20210323/client.rs"),
    )
    .unwrap();
    let deal = dnspod.find("pub fn create_and_pay_deal<").unwrap();
    let docs = &dnspod[dnspod[..deal].rfind("# Retries").unwrap()..deal];
    assert!(
        docs.contains("Retry class: idempotent. The request has a `ClientToken`"),
        "{docs}"
    );
}

/// What Tencent's own published answers send against their spec decodes
/// through a generated client; anything else fails with the JSON path.
#[tokio::test]
async fn tolerated_disagreements_decode_through_the_client_and_others_fail_with_the_path() {
    let tolerated = r#"{"Response":{"StartTime":"1700000000","InteractionMode":"-1","TeacherId":42,"Assistants":"","RequestId":"lenient"}}"#;
    let server = TestServer::start(move |_, _| Answer::ok(tolerated)).await;
    let room = lcic(builder(&server))
        .describe_room(&describe_room())
        .await
        .unwrap();
    assert_eq!(room.start_time, Some(1_700_000_000));
    assert_eq!(room.interaction_mode, Some(-1));
    assert_eq!(room.teacher_id.as_deref(), Some("42"));
    assert_eq!(room.assistants, None);

    let strict = r#"{"Response":{"StartTime":"soon","RequestId":"strict"}}"#;
    let server = TestServer::start(move |_, _| Answer::ok(strict)).await;
    let err = lcic(builder(&server))
        .describe_room(&describe_room())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("at `StartTime`: expected an unsigned integer, found a string"),
        "{err}"
    );
    assert_eq!(err.request_id(), Some("strict"));
}

// A clock that is off: Tencent Cloud refuses a timestamp more than five
// minutes from its own (`AuthFailure.SignatureExpire`) and runs nothing.

const EXPIRED: &str = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"签名过期。Timestamp 和服务器时间相差不得超过五分钟"},"RequestId":"expired"}}"#;

/// A service whose clock is `ahead` seconds ahead of this machine's: a
/// call signed more than five minutes from its time is refused, with the
/// `Date` header when `dated`; any other is checked and created.
fn service_ahead(ahead: u64, dated: bool) -> impl Fn(&Recorded, usize) -> Answer {
    move |request, _| {
        let service_now = std::time::SystemTime::now() + Duration::from_secs(ahead);
        let now = service_now
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs() as i64;
        let signed: i64 = request
            .header("x-tc-timestamp")
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        if (signed - now).abs() <= 300 {
            return match verify_tc3(request, SECRET_ID, SECRET_KEY, "lcic") {
                Ok(()) => Answer::ok(CREATED),
                Err(reason) => error(&format!("AuthFailure.SignatureFailure: {reason}")),
            };
        }
        let refused = Answer::ok(EXPIRED);
        if !dated {
            return refused;
        }
        Answer::Headed {
            headers: vec![("Date".into(), httpdate::fmt_http_date(service_now))],
            then: Box::new(refused),
        }
    }
}

fn timestamps(server: &TestServer) -> Vec<i64> {
    let header = |r: &Recorded| r.header("x-tc-timestamp").unwrap().parse().unwrap();
    server.requests().iter().map(header).collect()
}

#[tokio::test]
async fn a_call_refused_for_a_clock_an_hour_off_is_signed_again_with_the_service_s_time() {
    let server = TestServer::start(service_ahead(3600, true)).await;
    let client = lcic(builder(&server));
    // A create is sent again too: the service refused it unrun.
    let request = sdk_tests::batch_create_room::bench_request();
    let created = client.batch_create_room(&request).await;
    let created = created.expect("signed again, created");
    assert_eq!(created.room_ids, Some(vec![301234567]));
    let [first, second] = timestamps(&server)[..] else {
        panic!("{:?}", timestamps(&server));
    };
    assert!(
        (3599..=3601).contains(&(second - first)),
        "{first} then {second}"
    );
    // The client keeps the service's time: the next call is signed with it.
    let again = client.batch_create_room(&request).await;
    again.expect("signed with the service's time");
    let third = timestamps(&server)[2];
    assert!((0..=2).contains(&(third - second)), "{second} then {third}");
    assert_eq!(server.count(), 3);
}

/// How many requests a describe call made to `server` before failing
/// with `AuthFailure.SignatureExpire`.
async fn sent_until_refused(server: &TestServer) -> usize {
    let err = lcic(builder(server))
        .describe_room(&describe_room())
        .await
        .expect_err("refused");
    assert_eq!(
        err.code().map(ErrorCode::as_str),
        Some("AuthFailure.SignatureExpire")
    );
    server.count()
}

#[tokio::test]
async fn a_refusal_without_a_date_or_refused_again_is_the_call_s_error() {
    // No `Date`: nothing tells the service's time, so nothing is sent again.
    let undated = TestServer::start(service_ahead(3600, false)).await;
    assert_eq!(sent_until_refused(&undated).await, 1);
    // Refused again after signing with the service's time: sent twice only.
    let stubborn = TestServer::start(|_, _| Answer::Headed {
        headers: vec![(
            "Date".into(),
            httpdate::fmt_http_date(std::time::SystemTime::now()),
        )],
        then: Box::new(Answer::ok(EXPIRED)),
    })
    .await;
    assert_eq!(sent_until_refused(&stubborn).await, 2);
}
