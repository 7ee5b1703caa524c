//! The LCIC API generated at build time (see `build.rs`), and a function
//! that uses its client.

include!(concat!(env!("OUT_DIR"), "/lcic/include.rs"));

/// Where `build.rs` wrote the generated files, so a test can compare them
/// with the checked-in crate.
pub const GENERATED_DIR: &str = concat!(env!("OUT_DIR"), "/lcic");

/// Creates one room with the build-time generated client; returns its id.
pub async fn create_room(
    client: &Client,
    sdk_app_id: u64,
    name: &str,
) -> Result<Option<u64>, Error> {
    let room = RoomInfo::new(required::RoomInfo {
        name: name.into(),
        start_time: 1_700_000_000,
        end_time: 1_700_003_600,
        resolution: 1,
        max_mic_number: 6,
        sub_type: "videodoc".into(),
    });
    let request = BatchCreateRoomRequest::new(required::BatchCreateRoomRequest {
        sdk_app_id,
        room_infos: vec![room],
    });
    let response = client.batch_create_room(&request).await?;
    Ok(response.room_ids.and_then(|ids| ids.first().copied()))
}
