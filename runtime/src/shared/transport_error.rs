//! Why an attempt did not get its answer: [`TransportError`], and how far
//! it got ([`TransportErrorKind`]), which the retry rules read.

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
}
