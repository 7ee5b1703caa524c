//! `names.json`: the Rust names a service version has handed out where a
//! plain rule would not give them again (collisions, and names that moved to
//! a suffix). `cargo xtask codegen` keeps it next to `api.json`, like a lock
//! file: with it, a member keeps its Rust name whatever a later release of
//! the spec adds beside it (README, "Naming").

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Wire name → Rust name, in one scope.
pub type NameMap = BTreeMap<String, String>;

/// The whole `names.json`. Every section is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NamesFile {
    /// The `@generated` marker line and what the file is for.
    #[serde(rename = "//", default, skip_serializing)]
    pub note: Option<String>,
    /// Object wire name → struct name.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::unique_map"
    )]
    pub objects: NameMap,
    /// Object wire name → (member wire name → field name).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::unique_map"
    )]
    pub members: BTreeMap<String, NameMap>,
    /// Action wire name → client method name.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::unique_map"
    )]
    pub actions: NameMap,
    /// Error code → `ErrorCode` variant.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::unique_map"
    )]
    pub errors: NameMap,
}

impl NamesFile {
    /// Whether nothing is pinned.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
            && self.members.is_empty()
            && self.actions.is_empty()
            && self.errors.is_empty()
    }
}
