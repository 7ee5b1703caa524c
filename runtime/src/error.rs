//! The error every generated client method returns.

use std::fmt;

/// A service's error-code enum (generated as `ErrorCode` in each crate).
///
/// Parsing never fails: a code the spec does not list is kept verbatim, so a
/// code the service adds later is not a decoding error.
pub trait ServiceErrorCode: fmt::Debug + fmt::Display + Clone + Send + Sync + 'static {
    /// The value for a wire code such as `FailedOperation.ClassStarted`.
    fn from_code(code: &str) -> Self;
    /// The wire code.
    fn as_str(&self) -> &str;
    /// The spec's description of the code, when the spec lists it.
    fn description(&self) -> Option<&'static str>;
}

/// Codes kept as plain strings, for callers without a generated enum.
impl ServiceErrorCode for String {
    fn from_code(code: &str) -> Self {
        code.to_owned()
    }

    fn as_str(&self) -> &str {
        self
    }

    fn description(&self) -> Option<&'static str> {
        None
    }
}

/// An error answer of the service: `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError<E> {
    /// The action that failed.
    pub action: &'static str,
    /// The typed error code.
    pub code: E,
    /// The service's message.
    pub message: String,
    /// The request id, for Tencent support; empty when the service sent none.
    pub request_id: String,
}

impl<E: ServiceErrorCode> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: {}: {}",
            self.action,
            self.code.as_str(),
            self.message
        )?;
        if !self.request_id.is_empty() {
            write!(f, " (request id {})", self.request_id)?;
        }
        Ok(())
    }
}

impl<E: ServiceErrorCode> std::error::Error for ServiceError<E> {}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E: ServiceErrorCode> {
    /// The service answered with an error code.
    #[error(transparent)]
    Service(ServiceError<E>),
    /// The request could not be sent, or no complete answer arrived.
    #[error("{action}: {source}")]
    Transport {
        /// The action.
        action: &'static str,
        /// What the transport reported.
        #[source]
        source: crate::TransportError,
    },
    /// The service answered with a non-success HTTP status and no error envelope.
    #[error("{action}: HTTP status {status}; body starts: {excerpt:?}")]
    Http {
        /// The action.
        action: &'static str,
        /// The status.
        status: u16,
        /// The start of the body.
        excerpt: String,
    },
    /// The answer is not a response envelope the generated types can decode.
    #[error("{action}: cannot decode the response (HTTP status {status}): {reason}; body starts: {excerpt:?}")]
    Decode {
        /// The action.
        action: &'static str,
        /// The status.
        status: u16,
        /// What is wrong with it.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },
    /// A paginator fetched as many pages as its cap allows and the service
    /// still announced more (see [`Paginator::max_pages`](crate::paginate::Paginator::max_pages)).
    #[error("{action}: stopped after {pages} pages, the paginator's cap, with more announced")]
    TooManyPages {
        /// The action.
        action: &'static str,
        /// The pages fetched.
        pages: usize,
    },
}

impl<E: ServiceErrorCode> Error<E> {
    /// The service error, when the service answered with one.
    pub fn service_error(&self) -> Option<&ServiceError<E>> {
        match self {
            Error::Service(err) => Some(err),
            _ => None,
        }
    }

    /// The error code, when the service answered with one.
    pub fn code(&self) -> Option<&E> {
        self.service_error().map(|err| &err.code)
    }
}
