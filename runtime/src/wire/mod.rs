//! The wire: what goes over the network for one attempt of a call.
//!
//! - [`Transport`] (`transport.rs`): the seam the [`Client`](crate::Client)
//!   sends each attempt through; a test or a user's own stack implements it
//!   to replace everything below.
//! - [`HttpTransport`] (`http.rs`): the real one, a signed HTTPS `POST /`
//!   over reqwest with rustls, and the [`Endpoint`] it sends to.
//! - [`sign`](crate::sign) (`sign.rs`): TC3-HMAC-SHA256 request signing;
//!   public as `tencentcloud_runtime::sign` (the signing benchmark calls it).
//!
//! Nothing here retries, rate-limits or decodes an answer: that is the call
//! logic's job (`call/`).

mod http;
pub mod sign;
mod transport;

pub(crate) use http::http_settings_setters;
pub use http::{Endpoint, HttpSettings, HttpTransport};
pub use transport::{BoxFuture, Call, Reply, Transport, TransportError, TransportErrorKind};
