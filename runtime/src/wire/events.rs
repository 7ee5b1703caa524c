//! A streamed answer, event by event: the body of a `text/event-stream`
//! answer read through the SSE [`Decoder`], each event opened as an answer
//! of its own ([`open_event`]).

use super::envelope::{open_event, Opened};
use super::headers::X_TC_REQUEST_ID;
use super::sse::{Decoder, Event, SseError};
use super::transport::{BodyStream, StreamingReply};
use crate::shared::{Error, ServiceErrorCode, TransportError, TransportErrorKind};
use std::collections::VecDeque;
use std::task::{ready, Context, Poll};

/// The events of a streamed answer of one action, as they arrive.
pub(crate) struct Events {
    action: &'static str,
    status: u16,
    request_id: Option<String>,
    body: BodyStream,
    decoder: Decoder,
    /// Events decoded and not yet handed out.
    ready: VecDeque<Event>,
    /// Why decoding stopped, handed out once the events before it are.
    failed: Option<SseError>,
    /// The answer ended (its end, or a failure, was handed out).
    ended: bool,
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("action", &self.action)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("ready", &self.ready.len())
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl Events {
    /// The events of `reply`, an answer of `action` that is an event
    /// stream, none over `max_event_bytes`.
    pub(crate) fn new(action: &'static str, reply: StreamingReply, max_event_bytes: usize) -> Self {
        Events {
            action,
            status: reply.status,
            request_id: reply.header(X_TC_REQUEST_ID.as_str()).map(str::to_owned),
            body: reply.body,
            decoder: Decoder::new().max_event_bytes(max_event_bytes),
            ready: VecDeque::new(),
            failed: None,
            ended: false,
        }
    }

    /// The request id of the answer (its `X-TC-RequestId` header).
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The next event, opened; `None` at the end. A failure of the
    /// connection, an event over the cap or an error event is the last
    /// item; an event that is not JSON is not (the next one may be). An
    /// event with blank data carries nothing and is skipped.
    pub(crate) fn poll_next<E: ServiceErrorCode>(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Opened, Error<E>>>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                if event.data.trim().is_empty() {
                    continue;
                }
                let request_id = self.request_id.as_deref();
                let opened = open_event(self.action, self.status, request_id, event.data);
                if matches!(opened, Err(Error::Service(_))) {
                    // An error event ends the answer: nothing after it counts.
                    self.ended = true;
                    self.ready.clear();
                }
                return Poll::Ready(Some(opened));
            }
            if self.ended {
                return Poll::Ready(None);
            }
            if let Some(err) = self.failed.take() {
                return Poll::Ready(Some(Err(self.end(too_large(err)))));
            }
            match ready!(self.body.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => {
                    if let Err(err) = self.decoder.feed(&chunk, &mut self.ready) {
                        self.failed = Some(err);
                    }
                }
                Some(Err(source)) => return Poll::Ready(Some(Err(self.end(source)))),
                None => self.ended = true,
            }
        }
    }

    /// The error `source` ending the answer.
    fn end<E: ServiceErrorCode>(&mut self, source: TransportError) -> Error<E> {
        self.ended = true;
        self.ready.clear();
        Error::Transport {
            action: self.action,
            source,
            call: None,
        }
    }
}

/// An event over the cap, as the transport error it ends the answer with.
fn too_large(err: SseError) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        err.to_string(),
        Some(Box::new(err)),
    )
}
