//! One attempt of a call, as the client's calls and the credential
//! providers' STS calls both make it: sent through a [`Transport`], its
//! envelope opened, traced. (Whether to make another is the retry rules'
//! business, below this layer.)

use super::envelope::{open, Opened};
use super::http::redirect_of;
use super::transport::{Call, Transport};
use crate::shared::{Action, Error, Service, ServiceErrorCode, TransportError};
use std::time::Instant;
use tracing::{field, Instrument, Span};

/// The span a call is traced in, `tencentcloud.call`: the service, version
/// and action, the client token when the request has one, and, once done,
/// how many attempts it took.
pub(crate) fn call_span(service: &Service, action: &Action, client_token: Option<&str>) -> Span {
    tracing::info_span!(
        "tencentcloud.call",
        service = service.name,
        version = service.version,
        action = action.name,
        client_token,
        attempts = field::Empty,
    )
}

/// Attempt number `attempt` of `call` through `transport`, in its own
/// `attempt` span: sent, then its envelope opened; the span records the
/// status, the request id and the latency.
pub(crate) async fn attempt<E: ServiceErrorCode>(
    transport: &dyn Transport,
    call: Call<'_>,
    attempt: u32,
) -> Result<Opened, Error<E>> {
    let span = tracing::info_span!(
        "attempt",
        attempt,
        status = field::Empty,
        request_id = field::Empty,
        latency_ms = field::Empty,
    );
    send_and_open(transport, call).instrument(span).await
}

async fn send_and_open<E: ServiceErrorCode>(
    transport: &dyn Transport,
    call: Call<'_>,
) -> Result<Opened, Error<E>> {
    let action = call.action;
    let span = Span::current();
    let started = Instant::now();
    let outcome = match transport.send(call).await {
        Ok(reply) => {
            span.record("status", reply.status);
            let (request_id, result) = open(action.name, reply.status, reply.body);
            if let Some(id) = &request_id {
                span.record("request_id", id.as_str());
            }
            result
        }
        Err(source) => Err(failed(action.name, source)),
    };
    span.record("latency_ms", started.elapsed().as_millis() as u64);
    outcome
}

/// The error of an attempt whose transport failed: an HTTP error for a
/// redirect, which is an answer, not followed; else a transport error.
fn failed<E: ServiceErrorCode>(action: &'static str, source: TransportError) -> Error<E> {
    if let Some(redirect) = redirect_of(&source) {
        tracing::Span::current().record("status", redirect.status);
        return Error::Http {
            action,
            status: redirect.status,
            excerpt: redirect.excerpt.clone(),
            location: redirect.location.clone(),
            client_token: None,
        };
    }
    Error::Transport {
        action,
        source,
        client_token: None,
    }
}
