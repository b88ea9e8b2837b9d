//! The retry policy (docs/remote.md, "Retries"): which failures are retried, how long to wait
//! between attempts, and the timeouts of a request and of a deferred query.

use std::time::{Duration, SystemTime};

/// How requests are retried and bounded in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests per call, the first included (so `1` means no retry).
    pub max_attempts: u32,
    /// The first backoff delay; each retry doubles it.
    pub base_delay: Duration,
    /// The longest wait between attempts (a longer `Retry-After` is cut to it).
    pub max_delay: Duration,
    /// Connecting to the server.
    pub connect_timeout: Duration,
    /// One request, from sending to the end of the answer.
    pub request_timeout: Duration,
    /// The first wait between polls of a deferred answer; it grows by half each poll.
    pub poll_interval: Duration,
    /// The longest wait between polls.
    pub max_poll_interval: Duration,
    /// How long a deferred query may stay `IN_PROGRESS`.
    pub deferred_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            poll_interval: Duration::from_millis(200),
            max_poll_interval: Duration::from_secs(2),
            deferred_timeout: Duration::from_secs(15 * 60),
        }
    }
}

/// HTTP statuses that mean "try again later": rate limited, or a gateway in front of the API
/// that failed or timed out.
pub fn is_retried_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (attempt counts from 1). The server's
    /// `Retry-After` wins when given, plus up to a quarter of `base_delay` of jitter so that
    /// clients told the same instant do not return together. Otherwise exponential backoff
    /// with "equal jitter": half of `base_delay * 2^(attempt-1)` (capped at `max_delay`) plus a
    /// random part up to the other half.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            let jitter = random_up_to(self.base_delay / 4);
            return (wait + jitter).min(self.max_delay);
        }
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
            .min(self.max_delay);
        exp / 2 + random_up_to(exp / 2)
    }
}

fn random_up_to(max: Duration) -> Duration {
    let nanos = max.as_nanos().min(u64::MAX as u128) as u64;
    if nanos == 0 {
        return Duration::ZERO;
    }
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

/// `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3); `None` when absent or
/// unreadable.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retried_statuses() {
        for s in [429, 502, 503, 504] {
            assert!(is_retried_status(s));
        }
        for s in [200, 400, 401, 403, 404, 500] {
            assert!(!is_retried_status(s), "{s}");
        }
    }

    #[test]
    fn backoff_doubles_within_its_jitter_band_and_is_capped() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..200 {
            let d1 = p.delay(1, None);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
            let d3 = p.delay(3, None);
            assert!(d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400));
            let d9 = p.delay(9, None);
            assert!(d9 >= Duration::from_millis(500) && d9 <= Duration::from_millis(1000));
        }
        // The jitter is random: 200 draws are not all equal.
        let draws: std::collections::HashSet<_> = (0..200).map(|_| p.delay(2, None)).collect();
        assert!(draws.len() > 1);
    }

    #[test]
    fn retry_after_wins_with_a_little_jitter() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(400),
            max_delay: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let d = p.delay(1, Some(Duration::from_secs(2)));
            assert!(
                d >= Duration::from_secs(2) && d <= Duration::from_millis(2100),
                "{d:?}"
            );
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(600))),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn retry_after_forms() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
