//! What the generated code names for each call: the [`Service`] (and API
//! version) and the [`Action`].

use super::retry::RetryClass;

/// A service and API version, as generated into each version module (`SERVICE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// The service short name used in endpoints and signatures (`lcic`).
    pub name: &'static str,
    /// The API version sent in `X-TC-Version` (`2022-08-17`).
    pub version: &'static str,
    /// The documented international domain, when the spec records it;
    /// [`Endpoint::International`](crate::Endpoint::International) calls it
    /// instead of `<name>.intl.tencentcloudapi.com`.
    pub intl_endpoint: Option<&'static str>,
}

/// An action, as generated into each client method:
/// `Action::new("RunInstances").retry_class(RetryClass::Idempotent).client_token("ClientToken")`,
/// or, for an action that can answer as a stream of events,
/// `Action::new("ChatCompletions").stream_member("Stream")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Action {
    /// The wire name sent in `X-TC-Action` (`BatchCreateRoom`).
    pub name: &'static str,
    /// The documented rate limit, in requests per second.
    pub rate_limit_per_second: Option<u32>,
    /// Whether calling it twice is safe, which decides what is retried.
    pub retry_class: RetryClass,
    /// The request member that makes a retry safe (`ClientToken`), when
    /// the request has one: filled with a fresh token when unset or empty.
    pub client_token: Option<&'static str>,
    /// The request member (`Stream`, a boolean) that asks the action to
    /// answer as a stream of events, when it can: a streaming call
    /// ([`Client::prepare_stream`](crate::Client::prepare_stream)) sends it
    /// as `true`.
    pub stream_member: Option<&'static str>,
}

impl Action {
    /// The action named `name` (its wire name): no rate limit, not
    /// idempotent, no client token, no stream member.
    pub const fn new(name: &'static str) -> Self {
        Action {
            name,
            rate_limit_per_second: None,
            retry_class: RetryClass::NotIdempotent,
            client_token: None,
            stream_member: None,
        }
    }

    /// This action, with a documented limit of `per_second` requests per second.
    pub const fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit_per_second = Some(per_second);
        self
    }

    /// This action, of retry class `class`.
    pub const fn retry_class(mut self, class: RetryClass) -> Self {
        self.retry_class = class;
        self
    }

    /// This action, whose request member `member` (a string) is filled with
    /// a fresh token when the caller leaves it unset or empty.
    pub const fn client_token(mut self, member: &'static str) -> Self {
        self.client_token = Some(member);
        self
    }

    /// This action, whose request member `member` (a boolean) a streaming
    /// call sets to `true`, whatever the request holds; other calls send the
    /// request as it is.
    pub const fn stream_member(mut self, member: &'static str) -> Self {
        self.stream_member = Some(member);
        self
    }
}
