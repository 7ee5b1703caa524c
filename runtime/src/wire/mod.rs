//! The wire: what goes over the network for one attempt of a call, and
//! what comes back.
//!
//! - [`Transport`] (`transport.rs`): the seam the [`Client`](crate::Client)
//!   sends each attempt through; a test or a user's own stack implements it
//!   to replace everything below. A streaming call's attempt gets a
//!   [`StreamingReply`], whose body arrives as a stream. A [`Call`]'s body
//!   is JSON or raw bytes, as its [`ContentType`] says.
//! - [`HttpTransport`] and [`HttpSettings`] (`http.rs`): the real one, a
//!   signed HTTPS `POST /` over reqwest with rustls. It signs with the
//!   [`Credentials`] (`keys.rs`) that a small trait of its own hands it for
//!   each attempt; the credentials layer's cache implements that trait, so
//!   nothing here knows where credentials come from.
//! - `clock.rs`: the time calls are signed with, corrected once a service
//!   refuses a signature as stale (`AuthFailure.SignatureExpire`) and says
//!   its own time; the HTTPS transport then signs that call once again.
//! - `connect.rs`: the one place a `reqwest::Client` is made from
//!   [`HttpSettings`] (root certificates, proxy, connect timeout, or the
//!   user's own client), for the transport and the credential providers'
//!   own requests alike; [`HttpSetupError`] when the settings are wrong.
//! - `headers.rs`: the rule for the headers a call adds to every call's
//!   (an octet-stream call's parameters), which the client checks before
//!   sending and the HTTPS transport as it writes them.
//! - [`Endpoint`] (`endpoint.rs`): every host format of Tencent Cloud's API
//!   and its parsing, written once.
//! - [`sign`](crate::sign) (`sign.rs`): TC3-HMAC-SHA256 request signing;
//!   public as `tencentcloud_runtime::sign` (the signing benchmark calls it).
//! - [`decode_response`] (`envelope.rs`): opening Tencent Cloud's
//!   `{"Response": …}` envelope into an answer or a service error.
//! - One traced attempt (`attempt.rs`): sent, its envelope opened; what the
//!   client and the STS providers both make.
//! - [`sse`](crate::sse) (`sse.rs`): the Server-Sent Events decoder a
//!   streamed answer is read with; `events.rs`: a streamed answer, event
//!   by event, each opened as an answer; the streaming attempt is in
//!   `attempt.rs`, beside the other.
//! - [`testing`](crate::testing) (`testing.rs`): assertions for the
//!   generated example tests and users' tests, on bodies as the envelope
//!   decoding reads them.
//!
//! Nothing here decides to retry (the one call signed again after a stale
//! signature was refused unrun, `clock.rs`), rate-limits or chooses credentials: the
//! retry rules are below (`shared/`), the rest above.

mod attempt;
mod clock;
mod connect;
mod endpoint;
mod envelope;
mod events;
mod headers;
mod http;
mod keys;
mod log;
pub mod sign;
pub mod sse;
pub mod testing;
mod transport;

pub(crate) use attempt::{attempt, attempt_streaming, call_span, Streamed};
pub(crate) use connect::http_client;
pub use connect::HttpSetupError;
pub use endpoint::Endpoint;
pub(crate) use endpoint::{api_domain, api_service_of, mainland_url, region_problem};
pub use envelope::decode_response;
pub(crate) use envelope::Opened;
pub(crate) use events::Events;
pub(crate) use headers::{app_name_problem, check_headers, X_TC_REQUEST_ID};
pub(crate) use http::{http_settings_setters, SigningCredentials};
pub use http::{HttpSettings, HttpTransport};
pub use keys::Credentials;
pub use transport::{BodyStream, Call, ContentType, Reply, StreamingReply, Transport};

/// The service the wire's tests send to.
#[cfg(test)]
const LCIC: crate::shared::Service = crate::shared::Service {
    name: "lcic",
    version: "2022-08-17",
    intl_endpoint: None,
};
