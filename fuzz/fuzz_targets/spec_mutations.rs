//! Structured mutations of a real spec (LCIC's BatchCreateRoom slice):
//! renamed, retyped, deleted and added objects, members and actions,
//! recursion, odd names and docs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_fuzz::{mutate, pipeline, Mutation, SEED_API, SEED_ERRORS, SEED_EXAMPLES};

fuzz_target!(|mutations: Vec<Mutation>| {
    let api = mutate(SEED_API, &mutations);
    pipeline(&api, Some(SEED_ERRORS), Some(SEED_EXAMPLES));
});
