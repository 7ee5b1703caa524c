//! What one call may change without another client ([`CallOptions`]), and
//! the [`CallBuilder`] every generated method returns.

use super::client::{Action, Client, Service};
use super::retry::{RetryClass, RetryPolicy};
use crate::json::{FromJson, ToJson};
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

impl CallOptions {
    /// No setting changed.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Sends this call to `region`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Asks for messages in `language` (`zh-CN` or `en-US`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Allows each attempt `timeout`, from sending to the end of the answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries this call under `policy`.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Retries this call as one of class `class`.
    pub fn retry_class(mut self, class: RetryClass) -> Self {
        self.retry_class = Some(class);
        self
    }
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

    /// Sends this call to `region` instead of the client's.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.options.region = Some(region.into());
        self
    }

    /// Asks for messages in `language` (`zh-CN` or `en-US`) for this call.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.options.language = Some(language.into());
        self
    }

    /// Allows each attempt of this call `timeout` instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Retries this call under `policy` instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Retries this call as one of class `class`, whatever the action's.
    pub fn retry_class(mut self, class: RetryClass) -> Self {
        self.options.retry_class = Some(class);
        self
    }

    /// Replaces every option of this call with `options`.
    pub fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
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
