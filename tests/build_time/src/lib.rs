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
    let room = RoomInfo::new(name, 1_700_000_000, 1_700_003_600, 1, 6, "videodoc");
    let response = client
        .batch_create_room(&BatchCreateRoomRequest::new(sdk_app_id, vec![room]))
        .await?;
    Ok(response.room_ids.and_then(|ids| ids.first().copied()))
}
