//! What one call may change without another client ([`CallOptions`]), and
//! the [`CallBuilder`] every generated method returns.

use super::client::{Action, Client, Service};
use super::retry::{RetryClass, RetryPolicy};
use crate::json::{FromJson, ToJson};
use crate::setters::setters;
use crate::wire::BoxFuture;
use crate::{Error, ServiceErrorCode};
use std::future::IntoFuture;
use std::marker::PhantomData;
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
}

/// The setters of the [`CallOptions`] fields, written once for the two types
/// that take them: `CallOptions` itself (`call_option_setters!()`) and
/// [`CallBuilder`], which holds its options in a field
/// (`call_option_setters!(options)`). See `setters.rs`.
macro_rules! call_option_setters {
    ($($options:ident)?) => {
        setters! {
            /// Sends this call to `region` instead of the client's.
            region(region: impl Into<String>) => $($options.)? region = Some(region.into());
            /// Asks for messages in `language` (`zh-CN` or `en-US`) for this call.
            language(language: impl Into<String>) =>
                $($options.)? language = Some(language.into());
            /// Allows each attempt of this call `timeout`, from sending to the
            /// end of the answer, instead of the client's.
            timeout(timeout: Duration) => $($options.)? timeout = Some(timeout);
            /// Retries this call under `policy` instead of the client's.
            retry(policy: RetryPolicy) => $($options.)? retry = Some(policy);
            /// Retries this call as one of class `class`, whatever the action's.
            retry_class(class: RetryClass) => $($options.)? retry_class = Some(class);
        }
    };
}

impl CallOptions {
    /// No setting changed.
    pub fn new() -> Self {
        CallOptions::default()
    }

    call_option_setters!();
}

/// One call, ready to send: await it (`client.describe_rooms(&request).await`),
/// or set options for this call first
/// (`client.describe_rooms(&request).region("ap-singapore").await`).
///
/// It implements [`IntoFuture`], not `Future`: `.await` sends it; where a
/// `Future` value is needed (`tokio::spawn`, `join_all`), call
/// [`into_future`](IntoFuture::into_future). Nothing is sent until then.
#[must_use = "a call is sent only when awaited"]
pub struct CallBuilder<'a, Req: ?Sized, Resp, E> {
    client: &'a Client,
    service: Service,
    action: Action,
    request: &'a Req,
    options: CallOptions,
    answer: PhantomData<fn() -> (Resp, E)>,
}

impl<Req: ?Sized, Resp, E> std::fmt::Debug for CallBuilder<'_, Req, Resp, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallBuilder")
            .field("service", &self.service.name)
            .field("action", &self.action.name)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, Req: ?Sized, Resp, E> CallBuilder<'a, Req, Resp, E> {
    pub(crate) fn new(
        client: &'a Client,
        service: Service,
        action: Action,
        request: &'a Req,
    ) -> Self {
        CallBuilder {
            client,
            service,
            action,
            request,
            options: CallOptions::default(),
            answer: PhantomData,
        }
    }

    call_option_setters!(options);

    setters! {
        /// Replaces every option of this call with `options`.
        options(options: CallOptions) => options = options;
    }
}

impl<'a, Req, Resp, E> IntoFuture for CallBuilder<'a, Req, Resp, E>
where
    Req: ToJson + Sync + ?Sized,
    Resp: FromJson + Send + 'a,
    E: ServiceErrorCode,
{
    type Output = Result<Resp, Error<E>>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            self.client
                .call_with(&self.service, &self.action, self.request, &self.options)
                .await
        })
    }
}

impl Client {
    /// The call of `action` of `service` with `request`, for a generated
    /// method to return: awaiting it sends it (see [`CallBuilder`]).
    pub fn prepare<'a, Req, Resp, E>(
        &'a self,
        service: &Service,
        action: &Action,
        request: &'a Req,
    ) -> CallBuilder<'a, Req, Resp, E>
    where
        Req: ToJson + ?Sized,
    {
        CallBuilder::new(self, *service, *action, request)
    }
}
