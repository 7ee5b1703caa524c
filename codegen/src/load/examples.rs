//! `examples.json`: request/response examples per action, as `tccli` ships them.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole `examples.json`.
#[derive(Debug, Deserialize)]
pub struct ExamplesFile {
    /// Examples per action.
    #[serde(deserialize_with = "super::unique_map")]
    pub actions: BTreeMap<String, Vec<Example>>,
}

/// One example: an HTTP request text and a JSON response text.
#[derive(Debug, Deserialize)]
pub struct Example {
    /// Its title.
    #[serde(default)]
    pub title: String,
    /// The HTTP request: headers, a blank line, the JSON body.
    #[serde(default)]
    pub input: String,
    /// The response body.
    #[serde(default)]
    pub output: String,
}
