//! `overlay.json`: facts that Tencent documents on its API pages but not in
//! `api.json` (endpoint domain, per-action rate limits). It lives next to
//! `api.json` so that copying a newer upstream `api.json` over the old one
//! keeps them.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole `overlay.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Where these facts come from (free text, for reviewers).
    #[serde(default)]
    pub source: Option<String>,
    /// The documented international domain, e.g. `lcic.intl.tencentcloudapi.com`.
    #[serde(default)]
    pub intl_endpoint: Option<String>,
    /// Per-action facts.
    #[serde(default, deserialize_with = "super::unique_map")]
    pub actions: BTreeMap<String, ActionOverlay>,
}

/// Facts about one action.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionOverlay {
    /// The documented request rate limit, in requests per second.
    pub rate_limit_per_second: u32,
}
