//! The `batch_create_room` example program, as a function so that the
//! end-to-end tests run exactly what `cargo run --example batch_create_room`
//! runs, against a local server.

use std::io::Write;
use tencentcloud_lcic::{required, BatchCreateRoomRequest, Client, Error, RoomInfo};

/// The request the client benchmarks send: one room, its required members set.
pub fn bench_request() -> BatchCreateRoomRequest {
    one_room("Maths")
}

/// A request for one room named `name` in app 1400000001, with only its
/// required members set: what the end-to-end and fault tests send.
pub fn one_room(name: impl Into<String>) -> BatchCreateRoomRequest {
    let room = RoomInfo::new(required::RoomInfo {
        name: name.into(),
        start_time: 1_700_000_000,
        end_time: 1_700_003_600,
        resolution: 1,
        max_mic_number: 6,
        sub_type: "videodoc".into(),
    });
    BatchCreateRoomRequest::new(required::BatchCreateRoomRequest {
        sdk_app_id: 1400000001,
        room_infos: vec![room],
    })
}

/// The body a request for one room `name` of app `sdk_app_id`, as
/// [`one_room`] builds it, must be sent as: written out by hand, so a test
/// that compares with it does not compare the encoder with itself.
pub fn one_room_json(sdk_app_id: u64, name: &str) -> serde_json::Value {
    serde_json::json!({
        "SdkAppId": sdk_app_id,
        "RoomInfos": [{
            "Name": name,
            "StartTime": 1700000000,
            "EndTime": 1700003600,
            "Resolution": 1,
            "MaxMicNumber": 6,
            "SubType": "videodoc",
        }],
    })
}

/// Reads a BatchCreateRoom request body from the file named by `args[0]`,
/// sends it with the client `setup` builds, prints the response as JSON to
/// `out` and returns 0; on a service error prints the code, message and
/// request id to `err` and returns 1; on any other failure a message and 1.
pub async fn run(
    args: &[String],
    setup: impl FnOnce() -> Result<Client, tencentcloud_runtime::BuildError>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match send(args, setup).await {
        Ok(json) => match writeln!(out, "{json}") {
            Ok(()) => 0,
            Err(e) => report(err, &format!("cannot print the response: {e}")),
        },
        Err(Failure::Service(e)) => {
            let service = e
                .service_error()
                .expect("Failure::Service holds only service errors");
            report(
                err,
                &format!(
                    "{}: {} (request id {})",
                    service.code.as_str(),
                    service.message,
                    service.request_id
                ),
            )
        }
        Err(Failure::Other(message)) => report(err, &message),
    }
}

enum Failure {
    Service(Error),
    Other(String),
}

async fn send(
    args: &[String],
    setup: impl FnOnce() -> Result<Client, tencentcloud_runtime::BuildError>,
) -> Result<String, Failure> {
    let [path] = args else {
        return Err(Failure::Other(
            "usage: cargo run --example batch_create_room -- <request.json>".into(),
        ));
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Other(format!("cannot read {path}: {e}")))?;
    let request: BatchCreateRoomRequest = serde_json::from_str(&text)
        .map_err(|e| Failure::Other(format!("{path} is not a BatchCreateRoom request: {e}")))?;
    let client = setup().map_err(|e| Failure::Other(e.to_string()))?;
    let response = client
        .batch_create_room(&request)
        .await
        .map_err(|e| match e {
            Error::Service(_) => Failure::Service(e),
            other => Failure::Other(other.to_string()),
        })?;
    serde_json::to_string_pretty(&response)
        .map_err(|e| Failure::Other(format!("cannot encode the response: {e}")))
}

fn report(err: &mut dyn Write, message: &str) -> i32 {
    let _ = writeln!(err, "error: {message}");
    1
}
