//! `api.json`: the API spec exactly as Tencent publishes it in `tccli`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole `api.json`.
#[derive(Debug, Deserialize)]
pub struct ApiFile {
    /// Service-level facts.
    pub metadata: Metadata,
    /// Actions by name.
    #[serde(deserialize_with = "super::unique_map")]
    pub actions: BTreeMap<String, Action>,
    /// Objects (requests, responses, data types) by name.
    #[serde(deserialize_with = "super::unique_map")]
    pub objects: BTreeMap<String, Object>,
}

/// `metadata`.
#[derive(Debug, Deserialize)]
pub struct Metadata {
    /// The API version, e.g. `2022-08-17`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// The name used in endpoints and signatures, e.g. `lcic`, `as`.
    #[serde(rename = "serviceShortName")]
    pub service_short_name: String,
    /// The service's Chinese product name.
    #[serde(rename = "serviceNameCN", default)]
    pub service_name_cn: Option<String>,
    /// A one-paragraph description of the service (mainland specs only).
    #[serde(default)]
    pub api_brief: Option<String>,
}

/// One entry of `actions`.
#[derive(Debug, Deserialize)]
pub struct Action {
    /// What the action does.
    #[serde(default)]
    pub document: String,
    /// The request object.
    pub input: String,
    /// The response object.
    pub output: String,
    /// A short human title.
    #[serde(default)]
    pub name: String,
    /// `online` or `deprecated`.
    #[serde(default)]
    pub status: Option<String>,
}

/// One entry of `objects`.
#[derive(Debug, Deserialize)]
pub struct Object {
    /// What the object is.
    #[serde(default)]
    pub document: String,
    /// Its members, in the spec's order.
    pub members: Vec<Member>,
    /// `in`, `out` or `both` for data types; absent for requests/responses.
    #[serde(default)]
    pub usage: Option<String>,
}

/// One member of an object.
#[derive(Debug, Deserialize)]
pub struct Member {
    /// The wire name.
    pub name: String,
    /// The kind: `string`, `int`, `float`, `bool`, `list`, `object`, `binary`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The element or format: `int64`, `uint64`, `datetime`, an object name, …
    pub member: String,
    /// What the member means.
    #[serde(default)]
    pub document: String,
    /// Whether a request must carry it (`true`/`false`, or `1`/`0` as some
    /// published files write it; see the README, "Spec directories").
    #[serde(default, deserialize_with = "super::flag")]
    pub required: Option<bool>,
    /// Deprecated members are `disabled` (read like `required`).
    #[serde(default, deserialize_with = "super::flag")]
    pub disabled: Option<bool>,
    /// An example value, as the API page shows it (mostly a string, `"0"`).
    #[serde(default)]
    pub example: Option<serde_json::Value>,
}
