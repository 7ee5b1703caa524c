//! Arbitrary bytes as `api.json`, with LCIC's error codes and examples
//! beside it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_fuzz::{pipeline, LCIC_ERRORS, LCIC_EXAMPLES};

fuzz_target!(|data: &[u8]| {
    if let Ok(api) = std::str::from_utf8(data) {
        pipeline(api, Some(LCIC_ERRORS), Some(LCIC_EXAMPLES));
    }
});
