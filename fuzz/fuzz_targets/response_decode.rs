//! Arbitrary HTTP status and body through the client's response decoding,
//! into LCIC's response types; what decodes must survive encode → decode
//! (`tencentcloud_fuzz::response_decode`, which the regression replay in
//! `tests/fuzz_regressions.rs` runs too).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tencentcloud_fuzz::response_decode::run(data);
});
