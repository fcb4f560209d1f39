//! The attempt loop every call goes through: timeouts, hooks, retries with backoff and
//! `Retry-After`, and (with the `tracing` feature) one span per call.

use std::time::{Duration, Instant, SystemTime};

use crate::error::Error;
use crate::request::Prepared;
use crate::retry::{RetryPolicy, is_connection_error, is_idempotent};

/// What the caller chose for one call, over the client's defaults.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Instead of the client's timeout.
    pub timeout: Option<Duration>,
    /// Instead of the client's retry policy.
    pub retry: Option<RetryPolicy>,
    /// The caller vouched that repeating this call is harmless, whatever its method.
    pub idempotent: bool,
}

/// Sends `prepared` until it gets a response worth returning, and returns it with its body
/// unread. Error statuses are returned as responses too: the caller reads their body.
pub(crate) async fn execute<E>(mut prepared: Prepared<'_>) -> Result<reqwest::Response, Error<E>> {
    let client = prepared.client;
    let config = &client.config;
    let policy = prepared.options.retry.as_ref().unwrap_or(&config.retry).clone();
    let may_retry = prepared.options.idempotent || is_idempotent(&prepared.method);
    let (operation_id, template) = prepared.operation;
    let span = trace::Span::new(operation_id, &prepared.method, template);
    let started = Instant::now();
    let mut attempt = 1;
    loop {
        let last = !may_retry || attempt >= policy.attempts();
        let Some(mut request) = prepared.next(last).await? else {
            unreachable!("a retry is only made when the body can be sent again");
        };
        for hook in &config.request_hooks {
            hook(&mut request);
        }
        let result = span.attempt(attempt, client.http.execute(request)).await;
        let retries_left = !last && prepared.is_replayable();
        let delay = match &result {
            Ok(response) => {
                for hook in &config.response_hooks {
                    hook(response);
                }
                span.record(attempt, Some(response.status().as_u16()), started.elapsed());
                let delay =
                    || policy.status_delay(attempt, response.status(), response.headers(), SystemTime::now());
                if retries_left { delay() } else { None }
            }
            Err(error) => {
                span.record(attempt, None, started.elapsed());
                (retries_left && is_connection_error(error)).then(|| policy.backoff(attempt))
            }
        };
        match delay {
            Some(delay) => {
                drop(result);
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            None => return result.map_err(Error::Transport),
        }
    }
}

/// A span per call with the `tracing` feature, nothing without it.
#[cfg(feature = "tracing")]
mod trace {
    use std::future::Future;
    use std::time::Duration;

    use tracing::Instrument;
    use tracing::field::Empty;

    pub(crate) struct Span(tracing::Span);

    impl Span {
        pub(crate) fn new(operation_id: &str, method: &reqwest::Method, template: &str) -> Span {
            Span(tracing::info_span!(
                "http_call",
                operation_id,
                method = method.as_str(),
                path_template = template,
                status = Empty,
                attempt = Empty,
                elapsed_ms = Empty,
            ))
        }

        pub(crate) async fn attempt<F: Future>(&self, attempt: u32, future: F) -> F::Output {
            self.0.record("attempt", attempt);
            future.instrument(self.0.clone()).await
        }

        pub(crate) fn record(&self, attempt: u32, status: Option<u16>, elapsed: Duration) {
            if let Some(status) = status {
                self.0.record("status", status);
            }
            self.0.record("elapsed_ms", elapsed.as_millis() as u64);
            self.0.in_scope(|| match status {
                Some(status) => tracing::debug!(attempt, status, "response"),
                None => tracing::debug!(attempt, "transport error"),
            });
        }
    }
}

#[cfg(not(feature = "tracing"))]
mod trace {
    use std::future::Future;
    use std::time::Duration;

    pub(crate) struct Span;

    impl Span {
        pub(crate) fn new(_operation_id: &str, _method: &reqwest::Method, _template: &str) -> Span {
            Span
        }

        pub(crate) async fn attempt<F: Future>(&self, _attempt: u32, future: F) -> F::Output {
            future.await
        }

        pub(crate) fn record(&self, _attempt: u32, _status: Option<u16>, _elapsed: Duration) {}
    }
}
