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
//! # Streaming calls
//!
//! An action that can answer with a stream of events (Server-Sent Events:
//! Hunyuan's or LKEAP's `ChatCompletions` with `"Stream": true`) is called
//! with [`Client::prepare_stream`] (or, by name, [`Client::call_json_stream`]),
//! which gives a [`StreamBuilder`]: the options of any call, and awaiting it
//! sends the call, with the action's stream member set to `true`, and
//! gives an [`EventStream`] once the answer's head is in: a
//! [`Stream`](futures_core::Stream) of the responses, one per event, as they
//! arrive. Its docs say how errors before and during the stream come, and
//! what is retried (only before the stream is accepted). The events are
//! read by [`sse`], a Server-Sent Events decoder; a [`Transport`] streams
//! through [`Transport::send_streaming`], which transports written before
//! it get by default.
//!
//! # Octet-stream calls
//!
//! An action whose body is raw bytes rather than JSON (CLS's `UploadLog`,
//! which the official SDKs send with `call_octet_stream`) is called with
//! [`Client::prepare_octet_stream`] (or, by name,
//! [`Client::call_octet_stream`]), which gives an [`OctetStreamBuilder`]:
//! the options of any call, and awaiting it gives the decoded `Response`
//! as for any call. The bytes are the body, sent as they are with
//! `Content-Type: application/octet-stream`; the request's parameters go in
//! headers, each top-level member `Name` as `{prefix}Name` (`X-CLS-TopicId`);
//! the call is signed with TC3-HMAC-SHA256 as any call, over that content
//! type and the SHA-256 of the bytes. A [`Transport`] sees such a call as a
//! [`Call`] whose [`content_type`](Call::content_type) is
//! [`ContentType::OctetStream`] and whose [`headers`](Call::headers) hold
//! the parameters.
//!
//! # Map of the crate
//!
//! The crate is built in layers, one folder each. A layer uses only the
//! layers of the rows before its own in this table, never one after, so
//! each can be read, tested and changed knowing only what comes before it.
//! `tests/layers.rs` holds the order too (its `LAYERS`), and fails on any
//! file whose `crate::…` paths reach a later layer; the JSON crate, a crate
//! of its own, cannot reach the runtime at all. A new piece goes in the
//! earliest layer its needs allow.
//!
//! | Layer | What it holds | Public as |
//! | --- | --- | --- |
//! | 0. the `tencentcloud-json` crate (`runtime/json/`) | the generated models' JSON rules, shared with the generator: `FromJson`, `ToJson`, `JsonError`, the lenient `number_in`, `parse` (numbers' exact text), the secret-name rule `is_secret_name` | [`json`], [`serde_via_json!`] |
//! | 1. `shared/` | the vocabulary every layer names: `service.rs` ([`Service`], [`Action`]), `retry.rs` (the retry rules: [`RetryClass`], [`RetryPolicy`], [`RetryCode`], [`is_rate_limited`], [`is_internal_error`], the retry loop), `error.rs` ([`Error`], [`ServiceError`], [`ServiceErrorCode`], [`CallIds`]), `transport_error.rs` ([`TransportError`], [`TransportErrorKind`]), `redact.rs` ([`Redacted`], a secret member in a model's `Debug`), [`BoxFuture`], `setters.rs` (`setters!`, the `fn name(mut self, value) -> Self` shape of every builder's setters, written once) | the crate root |
//! | 2. `wire/` | one attempt on the network: `transport.rs` (the [`Transport`] seam, [`Call`], [`ContentType`], [`Reply`], [`StreamingReply`]), `headers.rs` (the rule for a call's own headers, the `X-TC-*` names the transport writes, `X-TC-RequestClient`), `http.rs` ([`HttpTransport`], [`HttpSettings`]), `connect.rs` (the `reqwest::Client` of [`HttpSettings`], for the transport and the credential providers: roots, proxy, the user's own client; [`HttpSetupError`]), `endpoint.rs` ([`Endpoint`]: every API host format and its parsing), `keys.rs` ([`Credentials`], what a call is signed with), `sign.rs` (TC3-HMAC-SHA256), `clock.rs` (the time calls are signed with, corrected by a stale-signature answer's `Date`), `envelope.rs` ([`decode_response`]), `attempt.rs` (one traced attempt, whole or streaming), `log.rs` (the `tencentcloud::wire` trace log, secrets redacted), `sse.rs` (the Server-Sent Events decoder), `events.rs` (a streamed answer, event by event), `testing.rs` | the crate root; [`sign`], [`sse`], [`testing`] |
//! | 3. `credentials/` | where credentials come from: the [`ProvideCredentials`] trait, one file per provider, the default chain, the cache, the STS caller (over the wire, without the client) | [`credentials`]; the main types at the root |
//! | 4. `call/` | one call above the wire: `client.rs` ([`Client`], [`ClientBuilder`]), `options.rs` ([`CallOptions`]), `builder.rs` ([`CallBuilder`]), `stream.rs` ([`StreamBuilder`], [`EventStream`]), `octet.rs` ([`OctetStreamBuilder`], [`Client::prepare_octet_stream`]), `rate_limit.rs`, `token.rs` ([`new_client_token`], the members a call fills in the body), `generic.rs` ([`Client::call_json`], [`Client::call_json_stream`], [`Client::call_octet_stream`]), `operation.rs` ([`Operation`]), `paginate.rs`, `mock.rs` | the crate root; [`paginate`], [`mock`] |
//! | 5. `defaults/` | where the default credential chain and the environment meet the client: [`ClientBuilder::build`], [`Client::from_env`], [`ClientBuilder::with_env`], [`ENV_REGION`], [`ENV_ENDPOINT`] | the crate root |
//!
//! The generated crates name only the root, [`json`], [`paginate`] and
//! [`testing`], so files can move between folders without changing them.

mod call;
pub mod credentials;
mod defaults;
mod shared;
mod wire;

#[doc(inline)]
pub use tencentcloud_json as json;
pub use tencentcloud_json::serde_via_json;

pub use call::{mock, paginate};
pub use wire::{sign, sse, testing};

pub use call::{
    new_client_token, BuildError, CallBuilder, CallOptions, Client, ClientBuilder, EventStream,
    OctetStreamBuilder, Operation, StreamBuilder,
};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use defaults::{ENV_ENDPOINT, ENV_REGION};
pub use shared::{
    is_internal_error, is_rate_limited, Action, BoxFuture, CallIds, Error, Redacted, RetryClass,
    RetryCode, RetryCodeError, RetryPolicy, Service, ServiceError, ServiceErrorCode,
    TransportError, TransportErrorKind,
};
pub use wire::{
    decode_response, BodyStream, Call, ContentType, Endpoint, HttpSettings, HttpSetupError,
    HttpTransport, Reply, StreamingReply, Transport,
};
