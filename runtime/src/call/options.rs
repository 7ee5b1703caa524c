//! What one call may change without another client: [`CallOptions`].

use crate::shared::{RetryClass, RetryPolicy};
use std::time::Duration;

/// Settings for one call, over the client's: each one unset keeps the
/// client's.
///
/// ```
/// # use tencentcloud_runtime::{CallOptions, RetryPolicy};
/// # use std::time::Duration;
/// let options = CallOptions::new()
///     .region("ap-singapore")
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::never());
/// assert_eq!(options.region.as_deref(), Some("ap-singapore"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The region (`X-TC-Region`, and the host of a regional endpoint).
    pub region: Option<String>,
    /// The language of messages (`X-TC-Language`: `zh-CN` or `en-US`).
    pub language: Option<String>,
    /// The time allowed for each attempt.
    pub timeout: Option<Duration>,
    /// How this call is retried.
    pub retry: Option<RetryPolicy>,
    /// Whether this call is safe to repeat, over the action's class.
    pub retry_class: Option<RetryClass>,
    /// Headers this call sends after the client's
    /// ([`header`](Self::header)).
    pub headers: Vec<(String, String)>,
}

/// The setters of the [`CallOptions`] fields, written once for the types
/// that take them: `CallOptions` itself (`call_option_setters!()`),
/// [`CallBuilder`](crate::CallBuilder), which holds its options in a field
/// (`call_option_setters!(options)`, `builder.rs`), and
/// [`StreamBuilder`](crate::StreamBuilder) and
/// [`OctetStreamBuilder`](crate::OctetStreamBuilder), which hold a
/// `CallBuilder` (`call_option_setters!(call.options)`, `stream.rs`,
/// `octet.rs`). See `shared/setters.rs`.
macro_rules! call_option_setters {
    ($($options:ident).*) => {
        $crate::shared::setters! {
            /// Sends this call to `region` instead of the client's; a region
            /// that is no region name (lowercase letters, digits, `-`) fails the
            /// call as an `InvalidRequest` transport error, with nothing sent.
            region(region: impl Into<String>) => $($options.)* region = Some(region.into());
            /// Asks for messages in `language` (`zh-CN` or `en-US`) for this call.
            language(language: impl Into<String>) =>
                $($options.)* language = Some(language.into());
            /// Allows each attempt of this call `timeout`, from sending to the
            /// end of the answer, instead of the client's. (A streaming call's
            /// answer may last longer: see [`StreamBuilder`](crate::StreamBuilder).)
            timeout(timeout: std::time::Duration) => $($options.)* timeout = Some(timeout);
            /// Retries this call under `policy` instead of its action's or the
            /// client's (see [`RetryPolicy`](crate::RetryPolicy)).
            retry(policy: $crate::shared::RetryPolicy) => $($options.)* retry = Some(policy);
            /// Retries this call as one of class `class`, whatever the action's
            /// (and whatever [`ClientBuilder::retry_class`](crate::ClientBuilder::retry_class)
            /// says); the rules are [`RetryClass`](crate::RetryClass)'s.
            retry_class(class: $crate::shared::RetryClass) =>
                $($options.)* retry_class = Some(class);
        }

        /// Sends `name: value` with this call (`X-TC-Canary: true`), after
        /// the client's headers ([`ClientBuilder::header`](crate::ClientBuilder::header));
        /// set twice, both are sent. A header the client writes itself
        /// (`Authorization`, `Content-Type`, `Host`, `X-TC-Action`,
        /// `X-TC-TraceId`, …: those it signs or routes by), or one that is no
        /// valid HTTP header, fails the call as an `InvalidRequest` transport
        /// error, with nothing sent.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.$($options.)* headers.push((name.into(), value.into()));
            self
        }
    };
}

pub(crate) use call_option_setters;

impl CallOptions {
    /// No setting changed.
    pub fn new() -> Self {
        CallOptions::default()
    }

    call_option_setters!();
}
