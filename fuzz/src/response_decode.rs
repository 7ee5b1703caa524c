//! The `response_decode` target: an arbitrary HTTP status and body through
//! the client's response decoding, into four LCIC response types and into
//! `Value`; what decodes must survive encode → decode.
//!
//! The target (`fuzz_targets/response_decode.rs`) calls [`run`], and so does
//! the regression replay in `tests/fuzz_regressions.rs` (which includes this
//! file), on every input under `fuzz/regressions/response_decode/`.

use tencentcloud_lcic::{models, ErrorCode};
use tencentcloud_runtime::json::{FromJson, ToJson};
use tencentcloud_runtime::{decode_response, Error};

/// What one input decoded to.
#[derive(Debug)]
pub struct Outcome {
    /// The HTTP status the input's first two bytes give.
    pub status: u16,
    /// Per type, in this order: `BatchCreateRoomResponse`,
    /// `DescribeRoomResponse`, `GetRoomsResponse`,
    /// `DescribeDocumentsResponse`: `Ok` when it decoded (and survived
    /// encode → decode), else the typed error.
    pub typed: [Result<(), Error<ErrorCode>>; 4],
    /// The same into `serde_json::Value`, with error codes as strings.
    pub untyped: Result<(), Error<String>>,
}

/// Decodes `data` (status: its first two bytes, little-endian, modulo 600;
/// body: the rest) into each type; `None` when `data` is shorter than two
/// bytes.
///
/// # Panics
/// When decoding panics, or a decoded response does not survive encode →
/// decode unchanged: the bugs the target looks for.
pub fn run(data: &[u8]) -> Option<Outcome> {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]) % 600, rest),
        _ => return None,
    };
    Some(Outcome {
        status,
        typed: [
            check::<models::BatchCreateRoomResponse>(status, body),
            check::<models::DescribeRoomResponse>(status, body),
            check::<models::GetRoomsResponse>(status, body),
            check::<models::DescribeDocumentsResponse>(status, body),
        ],
        untyped: decode_response::<serde_json::Value, String>("Fuzz", status, body).map(|_| ()),
    })
}

fn check<T: FromJson + ToJson + PartialEq + std::fmt::Debug>(
    status: u16,
    body: &[u8],
) -> Result<(), Error<ErrorCode>> {
    let decoded = decode_response::<T, ErrorCode>("Fuzz", status, body)?;
    let again = T::from_json(decoded.to_json()).expect("an encoded response decodes");
    assert_eq!(
        again, decoded,
        "a decoded response changed in encode → decode"
    );
    Ok(())
}
