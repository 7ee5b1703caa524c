//! One attempt of a call, as the client's calls and the credential
//! providers' STS calls both make it: sent through a [`Transport`], its
//! envelope opened, traced. (Whether to make another is the retry rules'
//! business, below this layer.)

use super::envelope::{is_success, open, Opened};
use super::events::Events;
use super::http::redirect_of;
use super::transport::{Call, StreamingReply, Transport};
use crate::shared::{Action, CallIds, Error, Service, ServiceErrorCode, TransportError};
use futures_util::TryStreamExt;
use std::future::Future;
use std::time::Instant;
use tracing::{field, Instrument, Span};

/// The span a call is traced in, `tencentcloud.call`: the service, version
/// and action, the trace id it sends, the client token when the request
/// has one, and, once done, how many attempts it took.
pub(crate) fn call_span(service: &Service, action: &Action, ids: &CallIds) -> Span {
    tracing::info_span!(
        "tencentcloud.call",
        service = service.name,
        version = service.version,
        action = action.name,
        trace_id = ids.trace_id.as_str(),
        client_token = ids.client_token.as_deref(),
        attempts = field::Empty,
    )
}

/// Attempt number `attempt` of `call` through `transport`, in its own
/// `attempt` span: sent, then its envelope opened; the span records the
/// status, the request id and the latency. (Not an `async fn`, nor is
/// [`attempt_streaming`]: one layer of future less, holding the call a
/// second time, to be moved on every call.)
pub(crate) fn attempt<'a, E: ServiceErrorCode>(
    transport: &'a dyn Transport,
    call: Call<'a>,
    attempt: u32,
) -> impl Future<Output = Result<Opened, Error<E>>> + 'a {
    send_and_open(transport, call).instrument(attempt_span(attempt))
}

/// What an attempt of a streaming call got: a stream of events, or a whole
/// answer (which a service gives instead, to an error at least).
#[derive(Debug)]
pub(crate) enum Streamed {
    /// The events, arriving.
    Events(Events),
    /// A whole success answer: the one response.
    Whole(Opened),
}

/// Attempt number `attempt` of a streaming `call` through `transport`, in
/// its own `attempt` span, as [`attempt`] but done once the head of the
/// answer is in: a stream of events (2xx, `text/event-stream`) is returned
/// as it is, its events capped at `max_event_bytes`; any other answer is
/// read whole and its envelope opened. The span's latency is the head's.
pub(crate) fn attempt_streaming<'a, E: ServiceErrorCode>(
    transport: &'a dyn Transport,
    call: Call<'a>,
    attempt: u32,
    max_event_bytes: usize,
) -> impl Future<Output = Result<Streamed, Error<E>>> + 'a {
    send_streaming_and_open(transport, call, max_event_bytes).instrument(attempt_span(attempt))
}

/// The span of attempt number `attempt`.
fn attempt_span(attempt: u32) -> Span {
    tracing::info_span!(
        "attempt",
        attempt,
        status = field::Empty,
        request_id = field::Empty,
        latency_ms = field::Empty,
    )
}

async fn send_streaming_and_open<E: ServiceErrorCode>(
    transport: &dyn Transport,
    call: Call<'_>,
    max_event_bytes: usize,
) -> Result<Streamed, Error<E>> {
    let action = call.action.name;
    let span = Span::current();
    let started = Instant::now();
    let outcome = match transport.send_streaming(call).await {
        Ok(reply) => {
            span.record("status", reply.status);
            open_streamed(action, reply, max_event_bytes).await
        }
        Err(source) => Err(failed(action, source)),
    };
    span.record("latency_ms", started.elapsed().as_millis() as u64);
    outcome
}

/// The events of `reply`, or its whole answer opened; its request id
/// recorded on the current span.
async fn open_streamed<E: ServiceErrorCode>(
    action: &'static str,
    reply: StreamingReply,
    max_event_bytes: usize,
) -> Result<Streamed, Error<E>> {
    let span = Span::current();
    if reply.is_event_stream() && is_success(reply.status) {
        let events = Events::new(action, reply, max_event_bytes);
        if let Some(id) = events.request_id() {
            span.record("request_id", id);
        }
        return Ok(Streamed::Events(events));
    }
    let status = reply.status;
    let body: Vec<u8> = reply
        .body
        .try_concat()
        .await
        .map_err(|source| failed(action, source))?;
    let (request_id, result) = open(action, status, body);
    if let Some(id) = &request_id {
        span.record("request_id", id.as_str());
    }
    result.map(Streamed::Whole)
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
            call: None,
        };
    }
    Error::Transport {
        action,
        source,
        call: None,
    }
}
