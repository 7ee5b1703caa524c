//! Captures what `tracing` writes, so tests can check that no secret reaches the logs.

use std::sync::{Arc, Mutex, Once};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::fmt::format::FmtSpan;

/// Collects what a `tracing` subscriber writes.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// A subscriber for this thread writing into a new `Captured`, until the guard drops.
    pub fn install(
        level: tracing::Level,
        spans: FmtSpan,
    ) -> (Captured, tracing::subscriber::DefaultGuard) {
        keep_callsites_alive();
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(level)
            .with_span_events(spans)
            .with_ansi(false)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        // Callsites another test thread registered while this subscriber was
        // being installed may hold a stale interest; ask again.
        tracing::callsite::rebuild_interest_cache();
        (captured, guard)
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        String::from_utf8(bytes).expect("the fmt subscriber writes UTF-8")
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Makes every callsite's cached interest at least "sometimes", so that a
/// thread-local subscriber installed later always sees its events.
///
/// `tracing` caches per callsite whether any subscriber wants it. When a test
/// thread without a subscriber reaches a callsite first, the cache can say
/// "never" in the instant before a capturing test installs its own, and the
/// capture then misses those events. A global subscriber that answers
/// "sometimes" and records nothing rules the "never" out.
fn keep_callsites_alive() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only if a global subscriber exists, which then decides instead.
        let _ = tracing::subscriber::set_global_default(Sometimes);
    });
}

/// Wants every callsite "sometimes" and no event.
struct Sometimes;

impl Subscriber for Sometimes {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
