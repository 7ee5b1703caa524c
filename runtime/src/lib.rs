//! # tencentcloud-runtime
//!
//! The hand-written code every generated Tencent Cloud crate shares: the
//! [`Client`] (configuration, credentials, retries, rate limit, tracing), the
//! signed HTTPS [`HttpTransport`], the response envelope decoding, the
//! [`Error`] type, and helpers the generated code and its tests use.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use tencentcloud_runtime::{Client, Credentials};
//!
//! // Credentials from the default chain (environment, ~/.tencentcloud/credentials,
//! // TKE OIDC, CVM role; see `credentials`), region and endpoint from
//! // TENCENTCLOUD_REGION / TENCENTCLOUD_ENDPOINT:
//! let runtime = Client::from_env()?;
//! // Or explicitly:
//! let runtime = Client::builder()
//!     .credentials(Credentials::new("AKID…", "…"))
//!     .region("ap-guangzhou")
//!     .international()
//!     .build()?;
//! // let lcic = tencentcloud_lcic::Client::new(runtime);
//! # drop(runtime); Ok(()) }
//! ```
//!
//! # Map of the crate
//!
//! Each folder is one concern; a new piece of it goes in its folder.
//!
//! | Folder or file | What it holds | Public as |
//! | --- | --- | --- |
//! | `call/` | one call above the wire: `client.rs` ([`Client`], [`ClientBuilder`], [`Service`], [`Action`]), `retry.rs` ([`RetryPolicy`], [`RetryClass`], the rate limiter), `options.rs` ([`CallOptions`], [`CallBuilder`]), `token.rs` (the `ClientToken`, [`new_client_token`]), `generic.rs` ([`Client::call_json`]), `envelope.rs` ([`decode_response`]), `operation.rs` ([`Operation`]) | the crate root |
//! | `wire/` | one attempt on the network: `transport.rs` (the [`Transport`] seam), `http.rs` ([`HttpTransport`], [`Endpoint`]), `sign.rs` (TC3-HMAC-SHA256) | the crate root; [`sign`] |
//! | `credentials/` | [`Credentials`], the [`ProvideCredentials`] trait, one file per provider, the cache | [`credentials`]; the main types at the root |
//! | `json/` | the generated models' JSON: `read.rs`, `write.rs`, `error.rs` | [`json`] |
//! | `error.rs` | [`Error`], what every generated method returns | the crate root |
//! | `testing.rs` | assertions for the generated example tests and users' tests | [`testing`] |
//! | `paginate.rs` | the [`Paginator`](paginate::Paginator) behind every generated `…_paginator` method: pages and items as `futures` streams, the stop rules | [`paginate`] |
//! | `mock.rs` | [`Mock`](mock::Mock), a transport answering typed rules, for users' tests | [`mock`] |
//! | `setters.rs` | `setters!`, the `fn name(mut self, value) -> Self` shape of every builder's setters, written once | not public |
//!
//! The generated crates name only the root, [`json`], [`paginate`] and [`testing`], so
//! files can move between folders without changing them.

mod call;
pub mod credentials;
mod error;
pub mod json;
pub mod mock;
pub mod paginate;
mod setters;
pub mod testing;
mod wire;

pub use call::{
    decode_response, is_internal_error, is_rate_limited, new_client_token, Action, BuildError,
    CallBuilder, CallOptions, Client, ClientBuilder, Operation, RetryClass, RetryPolicy, Service,
    ENV_ENDPOINT, ENV_REGION,
};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{Error, ServiceError, ServiceErrorCode};
pub use wire::sign;
pub use wire::{
    BoxFuture, Call, Endpoint, HttpSettings, HttpTransport, Reply, Transport, TransportError,
    TransportErrorKind,
};
