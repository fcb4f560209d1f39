//! The attempt loop every call goes through: timeouts and the call's deadline, hooks,
//! redirects, reading the body within a limit, retries with backoff and `Retry-After`, and
//! (with the `tracing` feature) one span per call.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use crate::body;
use crate::error::{Endpoint, Error, TooLargeError, TransportError};
use crate::redirect::next_url;
use crate::request::{Prepared, Response};
use crate::response::RawResponse;
use crate::retry::{RetryPolicy, is_connection_error, is_idempotent};

/// What the caller chose for one call, over the client's defaults.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Instead of the client's timeout for each attempt.
    pub timeout: Option<Duration>,
    /// Instead of the client's deadline for the whole call.
    pub deadline: Option<Duration>,
    /// Instead of the client's retry policy.
    pub retry: Option<RetryPolicy>,
    /// Instead of the client's body limit, in bytes.
    pub body_limit: Option<usize>,
    /// Instead of the client's maximum page count, for paged listings.
    pub max_pages: Option<u64>,
    /// The caller vouched that repeating this call is harmless, whatever its method.
    pub idempotent: bool,
}

/// What a call reads of the response it ends with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The whole body, to decode it: a success body up to the body limit (a larger one is an
    /// error), an error body up to the error body limit (the rest is left unread).
    Whole,
    /// A success body is left for the caller to stream, unlimited; an error body is read as
    /// for `Whole`.
    SuccessUnread,
}

/// The response a call ends with.
pub(crate) enum Received {
    Read(Response),
    /// A success response with its body unread, from `Reading::SuccessUnread`.
    Raw(RawResponse),
}

/// What the loop does after one exchange with the server.
enum Step {
    Done(Received),
    /// Wait this long, then make the next attempt.
    Retry(Duration),
    /// Send the same request to the URL a redirect pointed at.
    Redirect(url::Url),
}

/// Sends `prepared` until it gets a response worth returning, follows redirects the policy
/// allows, and reads the body as `reading` says. A failure that happened before the server
/// could act on the request (a refused or reset connection, a body cut off midway) and the
/// statuses that ask for it are retried, for idempotent calls, within the call's deadline.
pub(crate) async fn execute<E>(mut prepared: Prepared<'_>, reading: Reading) -> Result<Received, Error<E>> {
    let client = prepared.client;
    let config = &client.config;
    let options = &prepared.options;
    let policy = options.retry.as_ref().unwrap_or(&config.retry).clone();
    let may_retry = options.idempotent || is_idempotent(&prepared.method);
    let limits =
        Limits { body: options.body_limit.unwrap_or(config.body_limit), error_body: config.error_body_limit };
    let deadline = Deadline::new(options.deadline.unwrap_or(config.deadline));
    let endpoint = prepared.endpoint();
    let (operation_id, template) = prepared.operation;
    let span = trace::Span::new(operation_id, &prepared.method, template);
    let started = Instant::now();
    let mut attempt = 1;
    let mut redirects = 0;
    loop {
        let Some(mut request) =
            prepared.next().await.map_err(|error| error.in_endpoint(|| endpoint.clone()))?
        else {
            unreachable!("a retry or redirect is only made when the body can be sent again");
        };
        for hook in &config.request_hooks {
            hook(&mut request);
        }
        let retries_left = may_retry && attempt < policy.attempts() && prepared.is_replayable();
        let exchange = async {
            let response = span.attempt(attempt, client.http.execute(request)).await;
            span.record(attempt, response.as_ref().ok().map(|it| it.status().as_u16()), started.elapsed());
            let response = match response {
                Ok(response) => response,
                Err(error) if retries_left && is_connection_error(&error) => {
                    return Ok(Step::Retry(policy.backoff(attempt)));
                }
                Err(error) => return Err(transport(&endpoint, error)),
            };
            for hook in &config.response_hooks {
                hook(&response);
            }
            let (status, headers) = (response.status(), response.headers());
            let next = next_url(
                &config.redirect,
                &prepared.method,
                status,
                headers,
                prepared.url(),
                &client.origin,
                redirects,
            );
            if let Some(next) = next.filter(|_| prepared.is_replayable()) {
                return Ok(Step::Redirect(next));
            }
            if retries_left {
                if let Some(delay) = policy.status_delay(attempt, status, headers, SystemTime::now()) {
                    return Ok(Step::Retry(delay));
                }
            }
            match receive(response, reading, limits, &endpoint).await {
                Err(Failure::Transport(error)) if retries_left && is_connection_error(&error) => {
                    Ok(Step::Retry(policy.backoff(attempt)))
                }
                Err(Failure::Transport(error)) => Err(transport(&endpoint, error)),
                Err(Failure::TooLarge(error)) => Err(Error::TooLarge(error)),
                Ok(received) => Ok(Step::Done(received)),
            }
        };
        match deadline.bound(exchange).await {
            None => return Err(deadline.passed(&endpoint, None)),
            Some(Err(error)) => return Err(error),
            Some(Ok(Step::Done(received))) => return Ok(received),
            Some(Ok(Step::Redirect(url))) => {
                redirects += 1;
                prepared.redirect(url);
            }
            Some(Ok(Step::Retry(delay))) => {
                if !deadline.allows(delay) {
                    return Err(deadline.passed(&endpoint, Some(delay)));
                }
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
        }
    }
}

/// How much of a body is read.
#[derive(Clone, Copy)]
struct Limits {
    body: usize,
    error_body: usize,
}

/// Why a response could not be received.
enum Failure {
    Transport(reqwest::Error),
    TooLarge(Box<TooLargeError>),
}

/// Reads the body of the final `response` as `reading` and `limits` say.
async fn receive(
    mut response: reqwest::Response,
    reading: Reading,
    limits: Limits,
    endpoint: &Endpoint,
) -> Result<Received, Failure> {
    let status = response.status();
    let success = status.is_success();
    if success && reading == Reading::SuccessUnread {
        return Ok(Received::Raw(RawResponse::new(response, endpoint.clone())));
    }
    let limit = if success { limits.body } else { limits.error_body };
    let content_length = response.content_length();
    let too_large = |content_length| {
        let endpoint = endpoint.clone();
        Failure::TooLarge(Box::new(TooLargeError { endpoint, status, limit, content_length }))
    };
    // A success body announced as too large is refused before a byte of it is read.
    if success && content_length.is_some_and(|length| length > limit as u64) {
        return Err(too_large(content_length));
    }
    let read = body::read(&mut response, limit).await.map_err(Failure::Transport)?;
    if success && read.cut {
        return Err(too_large(content_length));
    }
    Ok(Received::Read(Response {
        endpoint: endpoint.clone(),
        status,
        // Reading the body did not need the headers, so they move out instead of being copied.
        headers: std::mem::take(response.headers_mut()),
        body: read.bytes,
        body_truncated: read.cut,
    }))
}

fn transport<E>(endpoint: &Endpoint, error: reqwest::Error) -> Error<E> {
    Error::Transport(Box::new(TransportError::http(endpoint.clone(), error)))
}

/// The instant a call must be over by, when its deadline is not too far off to matter.
struct Deadline {
    duration: Duration,
    at: Option<tokio::time::Instant>,
}

impl Deadline {
    fn new(duration: Duration) -> Deadline {
        Deadline { duration, at: tokio::time::Instant::now().checked_add(duration) }
    }

    /// `future`'s output, or `None` when the deadline passed first.
    async fn bound<F: Future>(&self, future: F) -> Option<F::Output> {
        match self.at {
            Some(at) => tokio::time::timeout_at(at, future).await.ok(),
            None => Some(future.await),
        }
    }

    /// Whether waiting `delay` from now leaves the deadline ahead.
    fn allows(&self, delay: Duration) -> bool {
        self.at.is_none_or(|at| tokio::time::Instant::now().checked_add(delay).is_some_and(|end| end < at))
    }

    fn passed<E>(&self, endpoint: &Endpoint, wait: Option<Duration>) -> Error<E> {
        Error::Transport(Box::new(TransportError::deadline(endpoint.clone(), self.duration, wait)))
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
