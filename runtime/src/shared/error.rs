//! The error every generated client method returns.

use super::transport_error::TransportError;
use std::fmt;

/// How much of a body error messages quote.
const EXCERPT_CHARS: usize = 200;

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
#[non_exhaustive]
pub struct ServiceError<E> {
    /// The action that failed.
    pub action: &'static str,
    /// The typed error code.
    pub code: E,
    /// The service's message.
    pub message: String,
    /// The request id, for Tencent support; empty when the service sent none.
    pub request_id: String,
    /// What identifies the call: its trace id and client token (see
    /// [`Error::trace_id`], [`Error::client_token`]).
    pub call: Option<Box<CallIds>>,
}

impl<E> ServiceError<E> {
    /// An error of `action` with `code`, `message` and `request_id` (empty
    /// when unknown): for tests and transports of your own.
    pub fn new(
        action: &'static str,
        code: E,
        message: impl Into<String>,
        request_id: impl Into<String>,
    ) -> Self {
        ServiceError {
            action,
            code,
            message: message.into(),
            request_id: request_id.into(),
            call: None,
        }
    }
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
///
/// Nothing the service sent is lost: [`request_id`](Error::request_id),
/// [`body`](Error::body) (the whole answer of a [`Decode`](Error::Decode)
/// error, so the ids a create returned can still be read from it), the
/// [`client_token`](Error::client_token) the call sent and its
/// [`trace_id`](Error::trace_id) are reachable here.
#[derive(thiserror::Error)]
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
        source: TransportError,
        /// What identifies the call: its trace id and client token (see
        /// [`Error::trace_id`], [`Error::client_token`]).
        call: Option<Box<CallIds>>,
    },
    /// The service answered with a non-success HTTP status and no error
    /// envelope, or redirected the call (3xx), which the client does not
    /// follow: a signed call goes to the host it was signed for only.
    #[error("{action}: HTTP status {status}{}; body starts: {excerpt:?}", redirect_note(.location))]
    Http {
        /// The action.
        action: &'static str,
        /// The status.
        status: u16,
        /// The start of the body.
        excerpt: String,
        /// The `Location` header of a redirect ([`Error::location`]).
        location: Option<String>,
        /// What identifies the call: its trace id and client token (see
        /// [`Error::trace_id`], [`Error::client_token`]).
        call: Option<Box<CallIds>>,
    },
    /// The answer is not a response envelope the generated types can decode.
    /// The action may have succeeded: `body` holds the whole answer.
    ///
    /// Neither the message nor `Debug` shows any of the body, which may
    /// hold secrets (the keys a credentials action returns, say); only its
    /// length. Nothing is lost: [`Error::body`] gives the whole of it.
    #[error(
        "{action}: cannot decode the response (HTTP status {status}): {reason}; the {}-byte body is kept (Error::body)",
        .body.len()
    )]
    Decode {
        /// The action.
        action: &'static str,
        /// The status.
        status: u16,
        /// What is wrong with it.
        reason: String,
        /// The whole body, as received (bounded by
        /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
        body: Vec<u8>,
        /// `Response.RequestId`, when the body carried one.
        request_id: Option<String>,
        /// What identifies the call: its trace id and client token (see
        /// [`Error::trace_id`], [`Error::client_token`]).
        call: Option<Box<CallIds>>,
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
    /// A page-number paginator was given a request without a page number,
    /// and the spec does not say whether the action counts pages from 0 or
    /// from 1 ([`FirstPage::Unknown`](crate::paginate::FirstPage::Unknown)):
    /// guessing would skip a page or list one twice, so nothing was sent.
    /// Set the page member on the request to the first page wanted.
    #[error("{action}: the spec does not say whether `{member}` counts pages from 0 or 1; set `{member}` on the request to the first page you want")]
    FirstPageUnknown {
        /// The action.
        action: &'static str,
        /// The page-number member of the request (its Rust field name).
        member: &'static str,
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

    /// The request id of the answer, when one arrived and carried it.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(err) if !err.request_id.is_empty() => Some(&err.request_id),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The whole body of an answer that could not be decoded
    /// ([`Error::Decode`]): the action may have succeeded, and what it
    /// returned (the ids of what a create made) can be read from it. This is
    /// the only way to it: the error's message and `Debug` show its length,
    /// never its text, which may hold secrets.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The `Location` a 3xx answer redirected the call to ([`Error::Http`]);
    /// the client never follows it.
    pub fn location(&self) -> Option<&str> {
        match self {
            Error::Http { location, .. } => location.as_deref(),
            _ => None,
        }
    }

    /// The `ClientToken` the call sent, when the action's request has one:
    /// the one set on the request, or the one the client generated for it
    /// (the same on every attempt). Looking up what the action did with
    /// that token, or calling it again with a request carrying it, cannot
    /// act twice.
    pub fn client_token(&self) -> Option<&str> {
        self.call_ids()?.client_token.as_deref()
    }

    /// The `X-TC-TraceId` the call sent, the same on each of its attempts
    /// (a UUID the client makes per call): with the request id, what
    /// Tencent's support finds a call by. Every error of a call carries it,
    /// whether an answer arrived or not.
    pub fn trace_id(&self) -> Option<&str> {
        Some(&self.call_ids()?.trace_id)
    }

    /// What identifies the call this error is of, when it is one call's.
    pub fn call_ids(&self) -> Option<&CallIds> {
        match self {
            Error::Service(err) => err.call.as_deref(),
            Error::Transport { call, .. }
            | Error::Http { call, .. }
            | Error::Decode { call, .. } => call.as_deref(),
            Error::TooManyPages { .. } | Error::FirstPageUnknown { .. } => None,
        }
    }

    /// This error, recording what identifies the call it is of.
    pub(crate) fn of_call(mut self, ids: &CallIds) -> Self {
        let slot = match &mut self {
            Error::Service(err) => &mut err.call,
            Error::Transport { call, .. }
            | Error::Http { call, .. }
            | Error::Decode { call, .. } => call,
            // Not one call's error: nothing was sent for it.
            Error::TooManyPages { .. } | Error::FirstPageUnknown { .. } => return self,
        };
        *slot = Some(Box::new(ids.clone()));
        self
    }
}

/// Shows every field but a [`Decode`](Error::Decode) error's body, of
/// which only the length: a body may hold secrets.
impl<E: ServiceErrorCode> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(err) => f.debug_tuple("Service").field(err).finish(),
            Error::Transport { action, source, .. } => f
                .debug_struct("Transport")
                .field("action", action)
                .field("source", source)
                .field("client_token", &self.client_token())
                .field("trace_id", &self.trace_id())
                .finish(),
            Error::Http {
                action,
                status,
                excerpt,
                location,
                ..
            } => f
                .debug_struct("Http")
                .field("action", action)
                .field("status", status)
                .field("excerpt", excerpt)
                .field("location", location)
                .field("client_token", &self.client_token())
                .field("trace_id", &self.trace_id())
                .finish(),
            Error::Decode {
                action,
                status,
                reason,
                body,
                ..
            } => f
                .debug_struct("Decode")
                .field("action", action)
                .field("status", status)
                .field("reason", reason)
                .field("body", &format_args!("<{} bytes>", body.len()))
                .field("request_id", &self.request_id())
                .field("client_token", &self.client_token())
                .field("trace_id", &self.trace_id())
                .finish(),
            Error::TooManyPages { action, pages } => f
                .debug_struct("TooManyPages")
                .field("action", action)
                .field("pages", pages)
                .finish(),
            Error::FirstPageUnknown { action, member } => f
                .debug_struct("FirstPageUnknown")
                .field("action", action)
                .field("member", member)
                .finish(),
        }
    }
}

/// What identifies one call on each of its attempts and in its errors: the
/// trace id it sends (`X-TC-TraceId`, a UUID made per call) and, when its
/// request has one, its client token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallIds {
    /// The `X-TC-TraceId` the call sent.
    pub trace_id: String,
    /// The `ClientToken` the call sent, when its request has one.
    pub client_token: Option<String>,
}

impl CallIds {
    /// A new call, sending `client_token` if its request has one.
    pub(crate) fn new(client_token: Option<String>) -> Self {
        CallIds {
            trace_id: new_trace_id(),
            client_token,
        }
    }
}

/// A UUID v4 for `X-TC-TraceId`. Its bits come from `fastrand`, not the
/// system's generator: a trace id finds a call, it guards nothing, and a
/// system call per call would be most of what making one costs.
fn new_trace_id() -> String {
    let bytes = fastrand::u128(..).to_le_bytes();
    let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
    // Encoded straight into a buffer: `to_string` goes through `fmt`.
    let mut text = uuid::Uuid::encode_buffer();
    uuid.hyphenated().encode_lower(&mut text).to_owned()
}

/// `(a redirect to …, not followed)` for an HTTP error with a `Location`.
fn redirect_note(location: &Option<String>) -> String {
    match location {
        Some(location) => format!(" (a redirect to {location}, not followed)"),
        None => String::new(),
    }
}

/// The start of a body, for messages: at most [`EXCERPT_CHARS`] characters.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decode_error_shows_none_of_its_body() {
        let secret = "tmpSecretKeyEXAMPLE";
        let body = format!(
            r#"{{"Response":{{"Credentials":{{"TmpSecretKey":"{secret}"}},"ExpiredTime":"x"}}}}"#
        );
        let err: Error<String> = Error::Decode {
            action: "AssumeRole",
            status: 200,
            reason: "at `ExpiredTime`: expected an integer, found a string".into(),
            body: body.clone().into_bytes(),
            request_id: Some("r1".into()),
            call: None,
        };
        for shown in [format!("{err}"), format!("{err:?}"), format!("{err:#?}")] {
            assert!(
                !shown.contains(secret) && !shown.contains("Credentials"),
                "{shown}"
            );
            assert!(shown.contains(&body.len().to_string()), "{shown}");
        }
        assert!(err.to_string().contains("at `ExpiredTime`"), "{err}");
        assert_eq!(
            err.body(),
            Some(body.as_bytes()),
            "the body stays available"
        );
    }

    #[test]
    fn a_redirect_names_its_location() {
        let err: Error<String> = Error::Http {
            action: "DescribeRoom",
            status: 307,
            excerpt: String::new(),
            location: Some("https://elsewhere.example/".into()),
            call: None,
        };
        assert_eq!(err.location(), Some("https://elsewhere.example/"));
        assert_eq!(
            err.to_string(),
            "DescribeRoom: HTTP status 307 (a redirect to https://elsewhere.example/, not followed); body starts: \"\""
        );
        assert!(format!("{err:?}").contains("location: Some("));
    }

    #[test]
    fn an_unknown_first_page_names_the_member_and_carries_no_token() {
        let err: Error<String> = Error::FirstPageUnknown {
            action: "DescribeThings",
            member: "page_number",
        };
        assert_eq!(
            err.to_string(),
            "DescribeThings: the spec does not say whether `page_number` counts pages from 0 or 1; \
             set `page_number` on the request to the first page you want"
        );
        let err = err.of_call(&CallIds::new(Some("token".into())));
        assert_eq!(err.client_token(), None, "no call was sent");
        assert_eq!(err.trace_id(), None, "no call was sent");
        assert_eq!(
            format!("{err:?}"),
            r#"FirstPageUnknown { action: "DescribeThings", member: "page_number" }"#
        );
    }

    #[test]
    fn excerpts_are_bounded() {
        let long = "é".repeat(1000);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
    }
}
