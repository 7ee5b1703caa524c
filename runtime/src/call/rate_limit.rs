//! The per-action client-side rate limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Spaces the calls of each action of each service so that the calls
/// through one runtime [`Client`](crate::Client) (and its clones) stay
/// within the action's documented requests-per-second limit: a burst waits
/// instead of collecting `RequestLimitExceeded`. Its scope is that client:
/// two clients built separately, or two processes, each have their own
/// budget, as the service's limit does not (it counts per account).
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    next_slot: Mutex<HashMap<(&'static str, &'static str), Instant>>,
}

impl RateLimiter {
    /// Reserves the next slot for `action` of `service` and waits for it.
    pub(crate) async fn wait(&self, service: &'static str, action: &'static str, per_second: u32) {
        let interval = Duration::from_secs(1) / per_second.max(1);
        let slot = {
            let mut slots = self
                .next_slot
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = Instant::now();
            let key = (service, action);
            let slot = slots.get(&key).copied().filter(|s| *s > now).unwrap_or(now);
            slots.insert(key, slot + interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_spaced_to_the_limit() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for _ in 0..41 {
            limiter.wait("lcic", "BatchCreateRoom", 20).await;
        }
        // 41 calls at 20/s: the last one starts 2 s after the first.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        // Another action, and the same action of another service, have their own budget.
        let other = Instant::now();
        limiter.wait("lcic", "DescribeRoom", 20).await;
        limiter.wait("dnspod", "BatchCreateRoom", 20).await;
        assert_eq!(other.elapsed(), Duration::ZERO);
    }
}
