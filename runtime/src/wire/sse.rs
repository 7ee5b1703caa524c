//! Server-Sent Events: the `text/event-stream` format a streaming call's
//! answer comes in, read incrementally by a [`Decoder`].
//!
//! The rules are the WHATWG HTML standard's, "Interpreting an event
//! stream" (what browsers' `EventSource` follows):
//! - a line ends in LF, CRLF or CR, a CR at the end of one chunk and an LF
//!   at the start of the next being one line end;
//! - a line starting with `:` is a comment, ignored;
//! - `field: value`: one space after the colon is dropped; a line with no
//!   colon is a field with an empty value; fields other than `data`,
//!   `event`, `id` and `retry` are ignored;
//! - `data` lines append to the event's data, joined by `\n`;
//! - a blank line dispatches the event, unless no `data` line came since
//!   the last one (then nothing is dispatched);
//! - `id` (unless it holds a NUL) and `retry` (only ASCII digits) last
//!   beyond their event, until changed;
//! - a UTF-8 byte order mark at the very start is ignored; bytes that are
//!   not UTF-8 read as U+FFFD. Whole lines are decoded, never chunks, so a
//!   character split between chunks reads as itself;
//! - at the end of the stream, an event without its blank line is dropped.
//!
//! One thing is added: a cap on the size of an event
//! ([`Decoder::max_event_bytes`]), so that a server that never ends a line
//! or an event cannot make the decoder hold unbounded memory.
//!
//! ```
//! use tencentcloud_runtime::sse::Decoder;
//!
//! let mut decoder = Decoder::new();
//! let mut events = Vec::new();
//! decoder.feed(b"data: {\"Content\":\"\xe4\xbd", &mut events)?;
//! decoder.feed(b"\xa0\"}\r", &mut events)?;
//! assert!(events.is_empty(), "no blank line yet");
//! decoder.feed(b"\n\r\n", &mut events)?;
//! assert_eq!(events[0].data, r#"{"Content":"你"}"#);
//! assert_eq!(events[0].event, "message");
//! # Ok::<(), tencentcloud_runtime::sse::SseError>(())
//! ```

use crate::shared::setters;

/// The default cap on one event's size: 16 MiB.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One event of a stream, as dispatched by a blank line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event {
    /// The event type: the last `event` field of the event, or `message`
    /// when it had none (or an empty one).
    pub event: String,
    /// The `data` lines of the event, joined by `\n`.
    pub data: String,
    /// The last event id (`id` field) of the stream so far; empty when none
    /// was set.
    pub id: String,
    /// The reconnection time (`retry` field, in milliseconds) the stream
    /// set last, if any.
    pub retry: Option<u64>,
}

/// Why a stream cannot be decoded further.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SseError {
    /// An event's data, or one line, is over the decoder's cap
    /// ([`Decoder::max_event_bytes`]).
    #[error("an event of the stream is larger than the {limit}-byte cap")]
    EventTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
}

/// Reads a `text/event-stream` incrementally: fed the bytes as they come,
/// in chunks split anywhere, it yields each event once its blank line is in.
#[derive(Debug, Clone)]
pub struct Decoder {
    max_event_bytes: usize,
    /// The line being read, without its end.
    line: Vec<u8>,
    /// The last byte read ended a line with CR: an LF next belongs to it.
    after_cr: bool,
    /// No line has ended yet: the stream's byte order mark, if any, starts
    /// the line being read.
    first_line: bool,
    /// The event being read: its data (each line followed by `\n`) and type.
    data: String,
    event: String,
    /// What lasts from event to event.
    id: String,
    retry: Option<u64>,
    /// The error that stopped the decoder; it stays stopped.
    failed: Option<SseError>,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder {
            max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
            line: Vec::new(),
            after_cr: false,
            first_line: true,
            data: String::new(),
            event: String::new(),
            id: String::new(),
            retry: None,
            failed: None,
        }
    }
}

impl Decoder {
    /// A decoder at the start of a stream, with the default cap
    /// ([`DEFAULT_MAX_EVENT_BYTES`]).
    pub fn new() -> Self {
        Decoder::default()
    }

    setters! {
        /// This decoder, refusing an event whose data, or any one line, is
        /// over `bytes` bytes ([`SseError::EventTooLarge`]).
        max_event_bytes(bytes: usize) => max_event_bytes = bytes;
    }

    /// Reads the next `chunk` of the stream, adding to `events` each event
    /// it completes, in order.
    ///
    /// # Errors
    /// [`SseError::EventTooLarge`] when an event or a line grows over the
    /// cap; the events completed before it are added. The decoder stays
    /// stopped: every later call fails the same way.
    pub fn feed(&mut self, chunk: &[u8], events: &mut impl Extend<Event>) -> Result<(), SseError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        let outcome = self.read(chunk, events);
        if let Err(err) = &outcome {
            self.failed = Some(err.clone());
        }
        outcome
    }

    /// Splits `chunk` into lines, each handled once it has ended.
    fn read(&mut self, mut chunk: &[u8], events: &mut impl Extend<Event>) -> Result<(), SseError> {
        while !chunk.is_empty() {
            if std::mem::take(&mut self.after_cr) && chunk[0] == b'\n' {
                chunk = &chunk[1..];
                continue;
            }
            let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') else {
                return self.extend_line(chunk);
            };
            self.extend_line(&chunk[..end])?;
            self.after_cr = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            self.end_line(events)?;
        }
        Ok(())
    }

    fn extend_line(&mut self, bytes: &[u8]) -> Result<(), SseError> {
        if self.line.len() + bytes.len() > self.max_event_bytes {
            return Err(self.too_large());
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    /// Handles the line read, which has just ended.
    fn end_line(&mut self, events: &mut impl Extend<Event>) -> Result<(), SseError> {
        let mut line = std::mem::take(&mut self.line);
        let mut bytes = line.as_slice();
        if std::mem::take(&mut self.first_line) {
            bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        }
        let outcome = self.field(&String::from_utf8_lossy(bytes), events);
        // The buffer is kept for the next line: most lines are alike in size.
        line.clear();
        self.line = line;
        outcome
    }

    /// Applies one whole line (its end removed) to the event being read.
    fn field(&mut self, line: &str, events: &mut impl Extend<Event>) -> Result<(), SseError> {
        if line.is_empty() {
            self.dispatch(events);
            return Ok(());
        }
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match name {
            // A comment: nothing to apply.
            "" => {}
            "data" => {
                if self.data.len() + value.len() + 1 > self.max_event_bytes {
                    return Err(self.too_large());
                }
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => value.clone_into(&mut self.event),
            "id" if !value.contains('\0') => value.clone_into(&mut self.id),
            "retry" if value.bytes().all(|b| b.is_ascii_digit()) => {
                // Too many digits for a u64 is no time at all: ignored too.
                if let Ok(millis) = value.parse() {
                    self.retry = Some(millis);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Ends the event being read: dispatched when it has data.
    fn dispatch(&mut self, events: &mut impl Extend<Event>) {
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        let event = if event.is_empty() {
            "message".to_owned()
        } else {
            event
        };
        events.extend([Event {
            event,
            data,
            id: self.id.clone(),
            retry: self.retry,
        }]);
    }

    fn too_large(&self) -> SseError {
        SseError::EventTooLarge {
            limit: self.max_event_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The events of `stream` fed in chunks cut at `cuts`, and the error
    /// the feeding ended with, if any.
    fn decode_cut(
        decoder: &Decoder,
        stream: &[u8],
        cuts: &[usize],
    ) -> (Vec<Event>, Option<SseError>) {
        let mut decoder = decoder.clone();
        let mut events = Vec::new();
        let mut cuts: Vec<usize> = cuts.iter().map(|&c| c.min(stream.len())).collect();
        cuts.sort_unstable();
        let mut start = 0;
        for end in cuts.into_iter().chain([stream.len()]) {
            if let Err(err) = decoder.feed(&stream[start..end], &mut events) {
                return (events, Some(err));
            }
            start = end;
        }
        (events, None)
    }

    fn decode(stream: &str) -> Vec<Event> {
        let (events, error) = decode_cut(&Decoder::new(), stream.as_bytes(), &[]);
        assert_eq!(error, None);
        events
    }

    fn event(data: &str) -> Event {
        Event {
            event: "message".into(),
            data: data.into(),
            id: String::new(),
            retry: None,
        }
    }

    #[test]
    fn a_blank_line_dispatches_and_data_lines_join() {
        let events = decode("data: one\ndata:two\ndata:  three\n\ndata: {}\n\n");
        assert_eq!(events, [event("one\ntwo\n three"), event("{}")]);
    }

    #[test]
    fn lines_end_in_lf_crlf_or_cr() {
        let events = decode("data: a\r\ndata: b\rdata: c\n\r\r\ndata: d\r\r");
        assert_eq!(events, [event("a\nb\nc"), event("d")]);
    }

    #[test]
    fn comments_and_unknown_fields_are_ignored() {
        let events = decode(": keep-alive\n:\nfoo: bar\nDATA: x\ndata: y\n: more\n\n");
        assert_eq!(events, [event("y")]);
    }

    #[test]
    fn an_event_without_data_is_not_dispatched() {
        let events = decode("event: ping\n\n: nothing\n\nid: 1\n\ndata: z\n\n");
        // The type of the undispatched event does not leak; the id lasts.
        assert_eq!(
            events,
            [Event {
                id: "1".into(),
                ..event("z")
            }]
        );
        // `data:` with no value is data: an empty line of it.
        assert_eq!(decode("data:\n\n"), [event("")]);
        assert_eq!(decode("data\n\n"), [event("")]);
    }

    #[test]
    fn event_id_and_retry_fields() {
        let events = decode(
            "event: delta\nid: 7\nretry: 3000\ndata: a\n\n\
             data: b\n\n\
             id\nretry: 12x\nid: bad\0id\ndata: c\n\n",
        );
        assert_eq!(
            events,
            [
                Event {
                    event: "delta".into(),
                    data: "a".into(),
                    id: "7".into(),
                    retry: Some(3000),
                },
                Event {
                    id: "7".into(),
                    retry: Some(3000),
                    ..event("b")
                },
                Event {
                    retry: Some(3000),
                    ..event("c")
                },
            ]
        );
    }

    #[test]
    fn one_space_after_the_colon_is_dropped() {
        assert_eq!(decode("data:   x \n\n"), [event("  x ")]);
        assert_eq!(decode("data:x:y\n\n"), [event("x:y")]);
    }

    #[test]
    fn a_leading_bom_is_ignored_once() {
        let events = decode("\u{FEFF}data: a\n\n\u{FEFF}data: b\n\n");
        assert_eq!(events, [event("a")], "a later BOM starts an unknown field");
    }

    #[test]
    fn an_event_cut_off_at_the_end_is_dropped() {
        assert_eq!(decode("data: a\n\ndata: b\n"), [event("a")]);
        assert_eq!(decode("data: a\n\ndata: b"), [event("a")]);
    }

    #[test]
    fn bytes_that_are_not_utf8_read_as_replacement_characters() {
        let (events, _) = decode_cut(&Decoder::new(), b"data: a\xFFb\n\n", &[]);
        assert_eq!(events, [event("a\u{FFFD}b")]);
    }

    #[test]
    fn the_cap_bounds_lines_and_data() {
        let small = Decoder::new().max_event_bytes(8);
        let too_large = Some(SseError::EventTooLarge { limit: 8 });
        let (events, error) = decode_cut(&small, b"data: 1\n\ndata: 123456789", &[]);
        assert_eq!((events, error), (vec![event("1")], too_large.clone()));
        // Short lines, but too much data in one event.
        let (events, error) = decode_cut(&small, b"data:123\ndata:456\ndata:7\n\n", &[]);
        assert_eq!((events, error), (vec![], too_large.clone()));
        // A line growing chunk by chunk is refused as soon as it is over.
        let mut decoder = small.clone();
        let mut events = Vec::new();
        for _ in 0..8 {
            decoder.feed(b":", &mut events).unwrap();
        }
        assert_eq!(decoder.feed(b":", &mut events).err(), too_large);
        assert_eq!(
            decoder.feed(b"\n\n", &mut events).err(),
            too_large,
            "a stopped decoder stays stopped"
        );
        // At the cap exactly is fine: lines of 8 bytes, data of 8 (its
        // `\n`s counted).
        let (events, error) = decode_cut(&small, b"data:123\ndata:456\n\n", &[]);
        assert_eq!((events, error), (vec![event("123\n456")], None));
    }

    #[test]
    fn every_cut_in_two_gives_the_same_events() {
        let stream = "\u{FEFF}data: 你好\r\ndata: é😀\r\rid: 1\r\n: c\revent: x\ndata: y\r\n\r\n";
        let whole = decode(stream);
        assert_eq!(whole.len(), 2);
        for cut in 0..=stream.len() {
            let (events, error) = decode_cut(&Decoder::new(), stream.as_bytes(), &[cut]);
            assert_eq!((events, error), (whole.clone(), None), "cut at {cut}");
        }
        let bytes: Vec<usize> = (0..stream.len()).collect();
        let (events, _) = decode_cut(&Decoder::new(), stream.as_bytes(), &bytes);
        assert_eq!(events, whole, "byte by byte");
    }

    /// A value: ASCII, multi-byte UTF-8, colons and spaces.
    fn value() -> impl Strategy<Value = String> {
        "[a-z0-9 :{}\"é你好😀]{0,10}"
    }

    /// One line of a stream, without its end.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            value().prop_map(|v| format!("data:{v}")),
            value().prop_map(|v| format!("data: {v}")),
            value().prop_map(|v| format!("event: {v}")),
            value().prop_map(|v| format!("id: {v}")),
            "[0-9]{1,4}x?".prop_map(|v| format!("retry: {v}")),
            value().prop_map(|v| format!(":{v}")),
            value(),
            Just("data".to_owned()),
            Just(String::new()),
            Just(String::new()),
        ]
    }

    /// A stream: an optional BOM, then lines each ended in LF, CR or CRLF.
    fn stream() -> impl Strategy<Value = Vec<u8>> {
        let ending = prop_oneof![Just("\n"), Just("\r"), Just("\r\n")];
        (
            any::<bool>(),
            prop::collection::vec((line(), ending), 0..30),
        )
            .prop_map(|(bom, lines)| {
                let mut text = String::from(if bom { "\u{FEFF}" } else { "" });
                for (line, ending) in lines {
                    text.push_str(&line);
                    text.push_str(ending);
                }
                text.into_bytes()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any chunking gives the events (and the error) of the whole.
        #[test]
        fn any_chunking_gives_the_same_events(
            stream in stream(),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
            cap in prop_oneof![Just(DEFAULT_MAX_EVENT_BYTES), 4usize..64],
        ) {
            let decoder = Decoder::new().max_event_bytes(cap);
            let cuts: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
            let whole = decode_cut(&decoder, &stream, &[]);
            prop_assert_eq!(decode_cut(&decoder, &stream, &cuts), whole);
        }
    }
}
