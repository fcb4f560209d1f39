//! `RetryPolicy`: which failed attempts of a call are repeated, and how long to wait before
//! each repetition. The attempt loop in `send.rs` asks the pure functions here.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// Statuses that say "try again later" rather than "this request is wrong".
const RETRY_STATUSES: [StatusCode; 4] = [
    StatusCode::TOO_MANY_REQUESTS,
    StatusCode::BAD_GATEWAY,
    StatusCode::SERVICE_UNAVAILABLE,
    StatusCode::GATEWAY_TIMEOUT,
];

/// How a call is retried: at most `max_attempts` attempts in all, waiting an exponentially
/// growing, jittered delay between them, or what the server asks for in `Retry-After`.
///
/// Only connection errors and the statuses 429, 502, 503 and 504 are retried, and only for
/// idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) unless the call is marked with
/// `.idempotent()`. The default is 3 attempts, starting at 200 ms and doubling up to 5 s.
///
/// ```
/// use std::time::Duration;
/// use openapi_client_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .delays(Duration::from_millis(100), Duration::from_secs(10));
/// assert_eq!(RetryPolicy::never().attempts(), 1);
/// # let _ = policy;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// One attempt only: nothing is retried.
    pub fn never() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// How many attempts a call gets in all, the first included; `0` is taken as `1`.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay before the first retry, doubled for each further one up to `max`; each delay
    /// is then jittered to between half of it and all of it, so clients do not retry in step.
    pub fn delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max.max(initial);
        self
    }

    /// The longest `Retry-After` the client waits for; a server asking for more gets its error
    /// returned instead, since the caller is better placed to decide. The default is 60 s.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The delay before attempt `attempt + 1` when the server did not say, jittered.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let full = self.full_backoff(attempt);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// The un-jittered delay after attempt `attempt` (1-based).
    fn full_backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.initial_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// How long to wait before retrying a response with `status`, or `None` when it is not to
    /// be retried: the status is final, or its `Retry-After` is longer than allowed.
    pub(crate) fn status_delay(
        &self,
        attempt: u32,
        status: StatusCode,
        headers: &HeaderMap,
        now: SystemTime,
    ) -> Option<Duration> {
        if !RETRY_STATUSES.contains(&status) {
            return None;
        }
        match retry_after(headers, now) {
            Some(delay) if delay > self.max_retry_after => None,
            Some(delay) => Some(delay),
            None => Some(self.backoff(attempt)),
        }
    }
}

/// Methods a server must treat the same however often they arrive (RFC 9110, section 9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE, Method::TRACE].contains(method)
}

/// The wait a `Retry-After` header asks for: delay seconds or an HTTP date. A date in the past
/// means "now"; a header that is neither form is ignored.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether a transport error is one a retry of an idempotent call may mend: the connection
/// could not be made, or was reset or closed before the response or in the middle of its body
/// (an early end of file). Timeouts are not: the server may be working on it still.
pub(crate) fn is_connection_error(error: &reqwest::Error) -> bool {
    if error.is_connect() {
        return true;
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionRefused | ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
            ) {
                return true;
            }
        }
        source = cause.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_forms() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let cases = [
            ("0", Some(Duration::ZERO)),
            ("120", Some(Duration::from_secs(120))),
            (" 7 ", Some(Duration::from_secs(7))),
            ("Wed, 21 Oct 2015 07:28:30 GMT", Some(Duration::from_secs(30))),
            ("Wed, 21 Oct 2015 07:27:00 GMT", Some(Duration::ZERO)),
            ("Wednesday, 21-Oct-15 07:29:00 GMT", Some(Duration::from_secs(60))),
            ("-5", None),
            ("soon", None),
        ];
        for (value, expected) in cases {
            assert_eq!(retry_after(&headers(value), now), expected, "{value}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum_with_jitter() {
        let policy = RetryPolicy::default().delays(Duration::from_millis(100), Duration::from_millis(500));
        let cases = [(1, 100), (2, 200), (3, 400), (4, 500), (30, 500), (u32::MAX, 500)];
        for (attempt, full_ms) in cases {
            let full = Duration::from_millis(full_ms);
            assert_eq!(policy.full_backoff(attempt), full, "attempt {attempt}");
            for _ in 0..50 {
                let delay = policy.backoff(attempt);
                assert!(delay >= full / 2 && delay <= full, "attempt {attempt}: {delay:?}");
            }
        }
    }

    #[test]
    fn statuses_and_retry_after_limits() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        let now = SystemTime::now();
        let none = HeaderMap::new();
        for status in [400, 401, 404, 409, 500, 501] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(policy.status_delay(1, status, &none, now), None, "{status}");
        }
        for status in [429, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(policy.status_delay(1, status, &none, now).is_some(), "{status}");
        }
        let status = StatusCode::SERVICE_UNAVAILABLE;
        assert_eq!(policy.status_delay(1, status, &headers("3"), now), Some(Duration::from_secs(3)));
        assert_eq!(policy.status_delay(1, status, &headers("11"), now), None);
    }

    #[test]
    fn idempotent_methods() {
        for method in [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE] {
            assert!(is_idempotent(&method), "{method}");
        }
        for method in [Method::POST, Method::PATCH] {
            assert!(!is_idempotent(&method), "{method}");
        }
    }

    #[test]
    fn zero_attempts_means_one() {
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
