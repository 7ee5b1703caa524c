//! Arbitrary HTTP status and body through the client's response decoding,
//! into LCIC's response types; what decodes must survive encode → decode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_lcic::{models, ErrorCode};
use tencentcloud_runtime::decode_response;
use tencentcloud_runtime::json::{FromJson, ToJson};

fn check<T: FromJson + ToJson + PartialEq + std::fmt::Debug>(status: u16, body: &[u8]) {
    if let Ok(decoded) = decode_response::<T, ErrorCode>("Fuzz", status, body) {
        let again = T::from_json(decoded.to_json()).expect("an encoded response decodes");
        assert_eq!(
            again, decoded,
            "a decoded response changed in encode → decode"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]) % 600, rest),
        _ => return,
    };
    check::<models::BatchCreateRoomResponse>(status, body);
    check::<models::DescribeRoomResponse>(status, body);
    check::<models::GetRoomsResponse>(status, body);
    check::<models::DescribeDocumentsResponse>(status, body);
    let _ = decode_response::<serde_json::Value, String>("Fuzz", status, body);
});
