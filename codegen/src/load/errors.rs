//! `errors.json`: the service's error codes and which actions return them.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole `errors.json` (its format is described in `api-spec/README.md`
/// and the repository README, "Spec directories").
#[derive(Debug, Deserialize)]
pub struct ErrorsFile {
    /// Every code of the service, with its description.
    #[serde(default)]
    pub errors: Vec<ErrorEntry>,
    /// Per action, the codes it documents.
    #[serde(default, deserialize_with = "super::unique_map")]
    pub actions: BTreeMap<String, Vec<String>>,
}

/// One error code.
#[derive(Debug, Deserialize)]
pub struct ErrorEntry {
    /// The wire code, e.g. `FailedOperation.ClassStarted`.
    pub code: String,
    /// What it means.
    #[serde(default)]
    pub description: String,
}
