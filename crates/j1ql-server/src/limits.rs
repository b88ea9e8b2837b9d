//! `--rate-limit N/PERIOD`: a keyed GCRA limiter (the `governor` crate) and the numbers the
//! `RateLimit-*` and `Retry-After` headers carry.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::Quota;

use crate::config::RateLimit;

/// How many keys the limiter holds before it forgets the idle ones.
pub const KEYS_KEPT: usize = 10_000;

/// One limiter for all keys (accounts).
pub struct RateLimiter {
    limit: RateLimit,
    clock: DefaultClock,
    inner: governor::RateLimiter<
        String,
        DefaultKeyedStateStore<String>,
        DefaultClock,
        StateInformationMiddleware,
    >,
}

/// What the limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request may go on.
    pub allowed: bool,
    /// Requests per period.
    pub limit: u32,
    /// The period in seconds.
    pub period_secs: u64,
    /// Requests left right now.
    pub remaining: u32,
    /// Seconds until the whole quota is available again.
    pub reset_secs: u64,
    /// Seconds to wait before the next request is allowed (when refused).
    pub retry_after_secs: u64,
}

impl RateLimiter {
    /// A limiter allowing `limit.requests` per `limit.period` (in bursts up to that many).
    pub fn new(limit: RateLimit) -> RateLimiter {
        let burst = NonZeroU32::new(limit.requests).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(limit.period / burst.get())
            .unwrap_or_else(|| Quota::per_second(burst))
            .allow_burst(burst);
        let clock = DefaultClock::default();
        let inner = governor::RateLimiter::<
            String,
            DefaultKeyedStateStore<String>,
            DefaultClock,
            governor::middleware::NoOpMiddleware<<DefaultClock as Clock>::Instant>,
        >::new(quota, DefaultKeyedStateStore::default(), clock.clone())
        .with_middleware::<StateInformationMiddleware>();
        RateLimiter {
            limit,
            clock,
            inner,
        }
    }

    /// Counts one request of `key`. Keys whose quota is whole again are forgotten once more
    /// than [`KEYS_KEPT`] are held, so that many account names cannot grow memory without bound.
    pub fn check(&self, key: &str) -> Decision {
        if self.inner.len() > KEYS_KEPT {
            self.inner.retain_recent();
        }
        let per_request = self.limit.period.as_secs_f64() / f64::from(self.limit.requests);
        let mut decision = Decision {
            allowed: true,
            limit: self.limit.requests,
            period_secs: self.limit.period.as_secs(),
            remaining: 0,
            reset_secs: 0,
            retry_after_secs: 0,
        };
        match self.inner.check_key(&key.to_string()) {
            Ok(state) => {
                decision.remaining = state.remaining_burst_capacity();
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                decision.allowed = false;
                decision.retry_after_secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            }
        }
        let used = self.limit.requests - decision.remaining;
        decision.reset_secs = (f64::from(used) * per_request).ceil() as u64;
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_limit_refuses_the_request_after_the_quota() {
        let limiter = RateLimiter::new(RateLimit {
            requests: 3,
            period: Duration::from_secs(60),
        });
        let remaining: Vec<u32> = (0..3).map(|_| limiter.check("a").remaining).collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = limiter.check("a");
        assert!(!refused.allowed);
        assert!(refused.retry_after_secs >= 1 && refused.retry_after_secs <= 20);
        assert!(limiter.check("b").allowed, "keys are limited separately");
    }
}
