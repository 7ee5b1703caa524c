//! The [`CallBuilder`] every generated method returns, and
//! [`Client::prepare`], which makes one.

use super::client::Client;
use super::options::{call_option_setters, CallOptions};
use crate::shared::{setters, Action, BoxFuture, Error, Service, ServiceErrorCode};
use std::future::IntoFuture;
use std::marker::PhantomData;
use tencentcloud_json::{FromJson, ToJson};

/// One call, ready to send: await it (`client.describe_rooms(&request).await`),
/// or set options for this call first
/// (`client.describe_rooms(&request).region("ap-singapore").await`).
///
/// It implements [`IntoFuture`], not `Future`: `.await` sends it; where a
/// `Future` value is needed (`tokio::spawn`, `join_all`), call
/// [`into_future`](IntoFuture::into_future). Nothing is sent until then.
#[must_use = "a call is sent only when awaited"]
pub struct CallBuilder<'a, Req: ?Sized, Resp, E> {
    // Shared with the `StreamBuilder` holding one (`stream.rs`).
    pub(super) client: &'a Client,
    pub(super) service: Service,
    pub(super) action: Action,
    pub(super) request: &'a Req,
    pub(super) options: CallOptions,
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
