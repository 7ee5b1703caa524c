//! Typed mocks (`tencentcloud_runtime::mock`) with the generated LCIC client,
//! as a user's tests would write them: a function under test that creates
//! rooms, rules answering with typed responses, service errors and
//! transport failures, and the typed requests read back.

use tencentcloud_lcic::{
    required, Client, CreateRoomRequest, CreateRoomResponse, Error, ErrorCode, GetRoomsRequest,
    GetRoomsResponse, RoomItem,
};
use tencentcloud_runtime::mock::Mock;
use tencentcloud_runtime::paginate::TryStreamExt;
use tencentcloud_runtime::TransportErrorKind;

/// The code under test: creates a class of `hours` hours; a class the
/// service finds too long is split in two.
async fn schedule_class(lcic: &Client, name: &str, hours: u64) -> Result<Vec<u64>, Error> {
    let room = |name: &str, start: u64, end: u64| {
        CreateRoomRequest::new(required::CreateRoomRequest {
            name: name.into(),
            start_time: start,
            end_time: end,
            sdk_app_id: 3_520_371,
            resolution: 1,
            max_mic_number: 6,
            sub_type: "videodoc".into(),
        })
    };
    let start = 1_700_000_000;
    let end = start + hours * 3600;
    match lcic.create_room(&room(name, start, end)).await {
        Ok(created) => Ok(created.room_id.into_iter().collect()),
        Err(err) if err.code() == Some(&ErrorCode::FailedOperationClassTooLong) => {
            let middle = start + hours * 1800;
            let first = lcic
                .create_room(&room(&format!("{name} (1)"), start, middle))
                .await?;
            let second = lcic
                .create_room(&room(&format!("{name} (2)"), middle, end))
                .await?;
            Ok(first.room_id.into_iter().chain(second.room_id).collect())
        }
        Err(err) => Err(err),
    }
}

fn created(id: u64) -> CreateRoomResponse {
    CreateRoomResponse::default().with_room_id(id)
}

#[tokio::test]
async fn a_typed_response_answers_and_the_request_is_read_back_typed() {
    let mock = Mock::new();
    mock.on::<CreateRoomRequest>().returns(created(7));
    let lcic = Client::new(mock.client());
    assert_eq!(schedule_class(&lcic, "Maths", 2).await.unwrap(), [7]);
    let sent = mock.requests::<CreateRoomRequest>();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].name, "Maths");
    assert_eq!(sent[0].end_time - sent[0].start_time, 7200);
}

#[tokio::test]
async fn a_service_error_comes_back_typed() {
    let mock = Mock::new();
    mock.on::<CreateRoomRequest>()
        .fails_with("FailedOperation.ClassTooLong", "longer than five hours")
        .returns(created(1))
        .returns(created(2));
    let lcic = Client::new(mock.client());
    assert_eq!(schedule_class(&lcic, "Maths", 8).await.unwrap(), [1, 2]);
    let sent = mock.requests::<CreateRoomRequest>();
    let names: Vec<_> = sent.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Maths", "Maths (1)", "Maths (2)"]);
    assert_eq!(sent[1].end_time, sent[2].start_time);

    let mock = Mock::new();
    mock.on::<CreateRoomRequest>()
        .fails_with("FailedOperation.ClassStarted", "too late");
    let err = schedule_class(&Client::new(mock.client()), "Maths", 1)
        .await
        .unwrap_err();
    let service = err.service_error().expect("a service error");
    assert_eq!(service.code, ErrorCode::FailedOperationClassStarted);
    assert_eq!(service.message, "too late");
    assert_eq!(service.action, "CreateRoom");
}

#[tokio::test]
async fn a_transport_failure_comes_back_as_one() {
    let mock = Mock::new();
    mock.on::<CreateRoomRequest>()
        .fails_in_transport(TransportErrorKind::MaybeSent);
    let err = schedule_class(&Client::new(mock.client()), "Maths", 1)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { action: "CreateRoom", source, .. } if source.kind() == TransportErrorKind::MaybeSent),
        "{err:?}"
    );
}

#[tokio::test]
async fn answers_come_in_sequence_then_the_rule_is_used_up() {
    let mock = Mock::new();
    mock.on::<CreateRoomRequest>()
        .returns(created(1))
        .times(2)
        .returns(created(3));
    let lcic = Client::new(mock.client());
    for want in [1, 1, 3] {
        assert_eq!(schedule_class(&lcic, "Maths", 1).await.unwrap(), [want]);
    }
    let err = schedule_class(&lcic, "Maths", 1).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("no mock rule answers lcic CreateRoom"),
        "{err}"
    );
}

#[tokio::test]
async fn repeatedly_never_runs_out() {
    let mock = Mock::new();
    mock.on::<CreateRoomRequest>()
        .returns(created(5))
        .repeatedly();
    let lcic = Client::new(mock.client());
    for _ in 0..20 {
        assert_eq!(schedule_class(&lcic, "Maths", 1).await.unwrap(), [5]);
    }
    assert_eq!(mock.requests::<CreateRoomRequest>().len(), 20);
}

#[tokio::test]
async fn a_predicate_picks_the_rule() {
    let mock = Mock::new();
    mock.on::<CreateRoomRequest>()
        .when(|r| r.name.starts_with("Physics"))
        .returns(created(20))
        .repeatedly();
    mock.on::<CreateRoomRequest>()
        .returns(created(10))
        .repeatedly();
    let lcic = Client::new(mock.client());
    assert_eq!(schedule_class(&lcic, "Maths", 1).await.unwrap(), [10]);
    assert_eq!(schedule_class(&lcic, "Physics", 1).await.unwrap(), [20]);
}

#[tokio::test]
async fn an_unmatched_call_fails_naming_the_action() {
    let mock = Mock::new();
    mock.on::<GetRoomsRequest>()
        .returns(GetRoomsResponse::default());
    let err = schedule_class(&Client::new(mock.client()), "Maths", 1)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Transport {
                action: "CreateRoom",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("no mock rule answers lcic CreateRoom"),
        "{err}"
    );
    assert_eq!(
        mock.actions(),
        ["CreateRoom"],
        "the unmatched call is recorded too"
    );
}

#[tokio::test]
async fn paginators_run_on_mocks() {
    let mock = Mock::new();
    let page = |ids: &[u64]| {
        GetRoomsResponse::default().with_total(3).with_rooms(
            ids.iter()
                .map(|&id| RoomItem::default().with_room_id(id))
                .collect(),
        )
    };
    mock.on::<GetRoomsRequest>()
        .returns(page(&[1, 2]))
        .returns(page(&[3]));
    let lcic = Client::new(mock.client());
    let request = GetRoomsRequest::new(required::GetRoomsRequest { sdk_app_id: 1 }).with_limit(2);
    let rooms: Vec<RoomItem> = lcic
        .get_rooms_paginator(request)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = rooms.iter().map(|r| r.room_id.unwrap()).collect();
    assert_eq!(ids, [1, 2, 3]);
    let pages: Vec<_> = mock
        .requests::<GetRoomsRequest>()
        .into_iter()
        .map(|r| r.page)
        .collect();
    assert_eq!(pages, [Some(1), Some(2)], "GetRooms counts pages from 1");
}
