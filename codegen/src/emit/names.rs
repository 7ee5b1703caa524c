//! `names.json`: what a version must remember so that the next release of
//! its spec gives every member the Rust name it has now (see
//! [`crate::naming`]). It goes next to `api.json`, not into the crate: it is
//! an input of the next generation, as a lock file is.

use super::MARKER;
use crate::ir::ApiVersion;

/// The text of `names.json` for `version`, or `None` when there is nothing
/// to remember (the plain rules give every name).
pub fn names_file(version: &ApiVersion, generated_by: &str) -> Option<String> {
    if version.names.is_empty() {
        return None;
    }
    let body =
        serde_json::to_string_pretty(&version.names).expect("a map of strings always serializes");
    let rest = body
        .strip_prefix('{')
        .expect("a struct serializes as a JSON object");
    // The marker must be on the first line, where the writer looks for it.
    let note = format!(
        "{MARKER} by `{generated_by}`: Rust names that stay with their member in later releases of this spec (README, \"Naming\"). Edit only to rename on purpose."
    );
    let note = serde_json::to_string(&note).expect("a string always serializes");
    Some(format!("{{\"//\": {note},{rest}\n"))
}
