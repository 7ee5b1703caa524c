//! The setter shape the runtime's builders share, written once.
//!
//! Every builder-like type here ([`ClientBuilder`](crate::ClientBuilder),
//! [`HttpSettings`](crate::HttpSettings), [`CallOptions`](crate::CallOptions),
//! [`CallBuilder`](crate::CallBuilder), [`StreamBuilder`](crate::StreamBuilder),
//! [`OctetStreamBuilder`](crate::OctetStreamBuilder),
//! [`RetryPolicy`](crate::RetryPolicy),
//! [`Credentials`](crate::Credentials), the STS providers) has setters of one
//! shape: `pub fn name(mut self, value: T) -> Self { <store value>; self }`.
//! `setters!` writes that shape from one line a setter,
//! `name(value: T) => field = <expression of value>;`, its doc comment passed
//! through, so that rustdoc and IDEs show each setter as if written by hand:
//!
//! ```ignore
//! impl RetryPolicy {
//!     setters! {
//!         /// This policy with this largest backoff.
//!         max_backoff(backoff: Duration) => max_backoff = backoff;
//!     }
//! }
//! ```
//!
//! The field may be a path (`settings.region`). Where two types take the
//! same settings, the list of setters is written once too, in a macro next to
//! the type that owns the fields, taking the path to them:
//! `http_settings_setters!` (`wire/http.rs`) for [`HttpSettings`](crate::HttpSettings)
//! and the [`ClientBuilder`](crate::ClientBuilder) holding one,
//! `call_option_setters!` (`call/options.rs`) for [`CallOptions`](crate::CallOptions),
//! the [`CallBuilder`](crate::CallBuilder) holding one and the
//! [`StreamBuilder`](crate::StreamBuilder) and
//! [`OctetStreamBuilder`](crate::OctetStreamBuilder) holding a `CallBuilder`, and
//! `sts_provider!` (`credentials/sts.rs`) for both STS providers.
//!
//! A setter that does more than store a value (`ClientBuilder::international`,
//! `ClientBuilder::retry_class`) stays an ordinary method; so do the `const`
//! ones of [`Action`](crate::Action).

/// Writes `pub fn name(mut self, arg: T) -> Self { self.field = value; self }`
/// for each `name(arg: T) => field = value;`, with its doc comment.
macro_rules! setters {
    ($(
        $(#[$attr:meta])*
        $name:ident($arg:ident: $ty:ty) => $($field:ident).+ = $value:expr;
    )*) => {$(
        $(#[$attr])*
        pub fn $name(mut self, $arg: $ty) -> Self {
            self.$($field).+ = $value;
            self
        }
    )*};
}

pub(crate) use setters;
