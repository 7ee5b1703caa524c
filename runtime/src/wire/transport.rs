//! The seam between the client and the wire: [`Transport`].

use crate::Action;
use crate::Service;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed, sendable future: what [`Transport::send`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

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

/// How far a failed attempt got, which decides whether retrying it is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Nothing reached the server (connection refused, DNS, TLS handshake):
    /// retrying cannot run the action twice.
    NotSent,
    /// The request may have reached the server, and no complete answer came
    /// (timeout after sending, connection reset or closed mid-response, a
    /// truncated body). Retrying could run the action twice.
    MaybeSent,
    /// The answer was larger than the configured cap and was not read.
    BodyTooLarge,
    /// The request could not be built (an invalid endpoint URL or header).
    InvalidRequest,
    /// No usable credentials could be obtained, so nothing was sent; the
    /// source is the [`CredentialsError`](crate::CredentialsError)
    /// ([`TransportError::credentials_error`]).
    Credentials,
}

/// Why a transport could not deliver a call or its answer.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// An error of `kind` with a message and, optionally, its cause.
    pub fn new(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source,
        }
    }

    /// How far the attempt got.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Why no credentials could be obtained, for a
    /// [`Credentials`](TransportErrorKind::Credentials) error.
    pub fn credentials_error(&self) -> Option<&crate::CredentialsError> {
        self.source.as_ref()?.downcast_ref()
    }
}

/// Sends one attempt of a call and returns the HTTP answer. The
/// [`Client`](crate::Client) around it retries and rate-limits; signing and
/// HTTP live behind this trait ([`HttpTransport`](crate::HttpTransport)), so
/// tests and embedders can substitute their own.
pub trait Transport: std::fmt::Debug + Send + Sync + 'static {
    /// Sends one attempt of `call`.
    fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>>;
}
