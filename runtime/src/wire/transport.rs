//! The seam between the client and the wire: [`Transport`].

use crate::shared::{Action, BoxFuture, Service, TransportError};
use std::time::Duration;

/// One attempt of a call handed to a [`Transport`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Call<'a> {
    /// The service and version.
    pub service: &'a Service,
    /// The action.
    pub action: &'a Action,
    /// The request serialized as JSON; sent (and signed) exactly as is.
    pub body: &'a [u8],
    /// The URL this service's calls go to instead of the transport's
    /// endpoint, when one was set for it.
    pub endpoint: Option<&'a str>,
    /// The region of this call ([`CallOptions::region`](crate::CallOptions::region))
    /// instead of the transport's, when set.
    pub region: Option<&'a str>,
    /// The language of this call instead of the transport's, when set.
    pub language: Option<&'a str>,
    /// The time allowed for this attempt instead of the transport's, when set.
    pub timeout: Option<Duration>,
}

/// The HTTP answer to a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Sends one attempt of a call and returns the HTTP answer. The
/// [`Client`](crate::Client) around it retries and rate-limits; signing and
/// HTTP live behind this trait ([`HttpTransport`](crate::HttpTransport)), so
/// tests and embedders can substitute their own.
pub trait Transport: std::fmt::Debug + Send + Sync + 'static {
    /// Sends one attempt of `call`.
    fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>>;
}
