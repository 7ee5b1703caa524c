//! The time calls are signed with: this machine's clock, corrected by what
//! a service said of its own when it refused a signature as stale.
//!
//! Tencent Cloud refuses a call whose `X-TC-Timestamp` is more than five
//! minutes from its own time with `AuthFailure.SignatureExpire`, before
//! running it. A machine whose clock is off (a VM restored from a snapshot,
//! a container without time sync) would fail every call; the answer's
//! `Date` header tells the service's time, so the transport keeps the
//! offset, signs the refused call again once with it, and signs every later
//! call with it too.

use super::envelope::error_code_of;
use super::transport::Reply;
use memchr::memmem::Finder;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The code of a call refused for a timestamp too far from the service's.
const SIGNATURE_EXPIRED: &str = "AuthFailure.SignatureExpire";

/// The largest answer looked at for that code: an error envelope is a few
/// hundred bytes; a larger answer is a success.
const MAX_ERROR_BYTES: usize = 16 * 1024;

/// This machine's clock, corrected by the offset a service's answer told.
#[derive(Debug, Default)]
pub(super) struct Clock {
    /// The service's time less this machine's, in seconds.
    skew: AtomicI64,
}

impl Clock {
    /// Seconds since the Unix epoch on the services' clock, as far as this
    /// transport knows it: the `X-TC-Timestamp` of a call signed now.
    pub(super) fn now(&self) -> i64 {
        unix_seconds(SystemTime::now()) + self.skew.load(Ordering::Relaxed)
    }

    /// Learns the service's time from `reply` when it refused a call as
    /// signed too long ago or ahead (`AuthFailure.SignatureExpire`) and its
    /// `Date` header tells the time: then true, the call may be signed
    /// again. The service ran none of it, so sending it again is safe for
    /// any action; the caller does so once.
    pub(super) fn corrected_by(&self, reply: &Reply) -> bool {
        if !refused_as_stale(&reply.body) {
            return false;
        }
        let Some(service_time) = reply.header("date").and_then(service_time) else {
            return false;
        };
        let skew = service_time - unix_seconds(SystemTime::now());
        self.skew.store(skew, Ordering::Relaxed);
        tracing::warn!(
            target: "tencentcloud::clock",
            skew_seconds = skew,
            "a call was refused as signed at the wrong time ({SIGNATURE_EXPIRED}): this \
             machine's clock is {skew} s from the service's; signing with the service's time",
        );
        true
    }
}

/// Whether `body` is an error envelope of code [`SIGNATURE_EXPIRED`]:
/// looked for in the bytes first (with a searcher made once), so that the
/// answers of every call cost no parse.
fn refused_as_stale(body: &[u8]) -> bool {
    static CODE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(SIGNATURE_EXPIRED));
    body.len() <= MAX_ERROR_BYTES
        && CODE.find(body).is_some()
        && error_code_of(body).as_deref() == Some(SIGNATURE_EXPIRED)
}

/// The time an HTTP `Date` header (`Sun, 06 Dec 2026 07:00:00 GMT`) tells,
/// in seconds since the Unix epoch.
fn service_time(date: &str) -> Option<i64> {
    httpdate::parse_http_date(date).ok().map(unix_seconds)
}

fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::DATE;

    fn refused(date: Option<&str>) -> Reply {
        let body = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"签名过期"},"RequestId":"r"}}"#;
        let mut reply = Reply::new(200, body.into());
        if let Some(date) = date {
            reply
                .headers
                .insert(DATE, date.parse().expect("a header value"));
        }
        reply
    }

    #[test]
    fn a_refused_signature_with_a_date_sets_the_clock_to_the_service_s() {
        let clock = Clock::default();
        let an_hour_ahead = SystemTime::now() + std::time::Duration::from_secs(3600);
        let date = httpdate::fmt_http_date(an_hour_ahead);
        assert!(clock.corrected_by(&refused(Some(&date))));
        let ahead = clock.now() - unix_seconds(SystemTime::now());
        assert!((3599..=3600).contains(&ahead), "{ahead}");
    }

    #[test]
    fn other_answers_leave_the_clock_alone() {
        let clock = Clock::default();
        let date = "Sun, 06 Dec 2099 07:00:00 GMT";
        let other = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"m"},"RequestId":"r"}}"#;
        let mut mentions = Reply::new(
            200,
            r#"{"Response":{"Note":"AuthFailure.SignatureExpire","RequestId":"r"}}"#.into(),
        );
        mentions
            .headers
            .insert(DATE, date.parse().expect("a header value"));
        let mut failure = Reply::new(200, other.into());
        failure
            .headers
            .insert(DATE, date.parse().expect("a header value"));
        for reply in [refused(None), refused(Some("yesterday")), mentions, failure] {
            assert!(!clock.corrected_by(&reply), "{reply:?}");
        }
        let off = clock.now() - unix_seconds(SystemTime::now());
        assert!((-1..=0).contains(&off), "{off}");
    }

    #[test]
    fn times_before_the_epoch_are_negative() {
        let before = UNIX_EPOCH - std::time::Duration::from_secs(5);
        assert_eq!(unix_seconds(before), -5);
        assert_eq!(service_time("Thu, 01 Jan 1970 00:01:00 GMT"), Some(60));
    }
}
