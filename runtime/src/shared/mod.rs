//! The shared vocabulary, at the bottom of the runtime: what every layer
//! above names and nothing here names anything above it.
//!
//! - [`Service`] and [`Action`] (`service.rs`): what the generated code
//!   passes for each call.
//! - The retry rules (`retry.rs`): [`RetryClass`], [`RetryPolicy`], the
//!   codes they read ([`is_rate_limited`], [`is_internal_error`], the
//!   chosen [`RetryCode`]s) and the one retry loop, which the client and
//!   the STS providers share.
//! - [`Error`], [`ServiceError`], [`ServiceErrorCode`] (`error.rs`): what a
//!   call returns.
//! - [`TransportError`] and [`TransportErrorKind`] (`transport_error.rs`):
//!   why an attempt got no answer.
//! - [`Redacted`] (`redact.rs`): how a generated model's `Debug` shows a
//!   secret member, without its value.
//! - [`BoxFuture`], and `setters!` (`setters.rs`), the shape of every
//!   builder's setters.
//!
//! The JSON rules sit below even this: the `tencentcloud-json` crate,
//! public as [`json`](crate::json).

mod error;
mod redact;
mod retry;
mod service;
mod setters;
mod transport_error;

pub(crate) use error::excerpt;
pub use error::{CallIds, Error, ServiceError, ServiceErrorCode};
pub use redact::Redacted;
pub(crate) use retry::retrying;
pub use retry::{
    is_internal_error, is_rate_limited, RetryClass, RetryCode, RetryCodeError, RetryPolicy,
};
pub use service::{Action, Service};
pub(crate) use setters::setters;
pub use transport_error::{TransportError, TransportErrorKind};

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future: what [`Transport::send`](crate::Transport::send)
/// and [`ProvideCredentials::provide`](crate::ProvideCredentials::provide)
/// return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
