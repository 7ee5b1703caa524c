//! `overlay.json`: facts that Tencent documents on its API pages but not in
//! `api.json` (endpoint domain, per-action rate limits), and corrections of
//! what the generator reads from the spec's prose (where pages start, what a
//! `ClientToken` is, which members hold secrets). It lives next to
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
    /// Members whose secrecy the name rule gets wrong, as `Object.Member`:
    /// `true` prints the member redacted in `Debug`, `false` prints it.
    #[serde(default, deserialize_with = "super::unique_map")]
    pub sensitive: BTreeMap<String, bool>,
}

/// Facts about one action.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionOverlay {
    /// The documented request rate limit, in requests per second.
    #[serde(default)]
    pub rate_limit_per_second: Option<u32>,
    /// The number of the first page of a page-number action (0 or 1), when
    /// its docs and examples do not say or say it wrong.
    #[serde(default)]
    pub first_page: Option<u64>,
    /// Whether the request's `ClientToken` is an idempotency key, when its
    /// docs do not say or say it wrong.
    #[serde(default)]
    pub client_token: Option<ClientTokenOverlay>,
    /// Whether the action can answer as a stream of Server-Sent Events,
    /// when the spec and the list of known streaming actions get it wrong.
    #[serde(default)]
    pub stream: Option<bool>,
    /// For an action that takes raw bytes (`application/octet-stream`),
    /// the prefix of the headers its members travel in (`X-CLS-`).
    #[serde(default)]
    pub octet_stream_header_prefix: Option<String>,
}

/// What an action's `ClientToken` is, in `overlay.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientTokenOverlay {
    /// A repeated call with the same token is recognised: the action is
    /// idempotent and the runtime fills the token.
    IdempotencyKey,
    /// Anything else (unused, a check value…): the token is the caller's.
    NotAKey,
}
