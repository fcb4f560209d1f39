//! The error type every operation returns, the operation each error names, and the trait that
//! decodes typed error bodies.
//!
//! Every `Display` and `Debug` here is one bounded piece of text, however large or hostile the
//! response: bodies and messages from outside are cut short through `display.rs`.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use crate::display::{TEXT_CHARS, body_snippet, cut};

/// How many headers the `Debug` of an error shows; a server may send a hundred.
const HEADERS_SHOWN: usize = 16;

/// Everything that can go wrong while calling an operation.
///
/// `E` is the typed error body the specification documents for the operation; operations without
/// one use the default, [`Infallible`], and keep only the raw body. The `Display` of every
/// variant names the operation (see [`Endpoint`]) and what went wrong, in bounded length.
#[derive(Debug)]
pub enum Error<E = Infallible> {
    /// The request could not be built: a bad path parameter, header value, body or URL.
    Build(BuildError),
    /// The request never got a complete response: connection refused or reset, a timeout or
    /// the call's deadline, TLS, or a body that could not be read.
    Transport(Box<TransportError>),
    /// The server answered with a status the operation does not treat as success, or with a
    /// redirect the client did not follow.
    Status(Box<StatusError<E>>),
    /// The server answered with a success status, but the body did not match the expected type.
    Decode(Box<DecodeError>),
    /// The server answered with a success status and a body larger than the body limit, which
    /// was not read further.
    TooLarge(Box<TooLargeError>),
    /// A paged listing was stopped: too many pages, or a page the server had sent before.
    Paging(Box<PagingError>),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Build(_) | Error::Paging(_) => None,
            Error::Transport(error) => error.status(),
            Error::Status(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            Error::TooLarge(error) => Some(error.status),
        }
    }

    /// The operation the failed call was for; `None` only for a request built by hand without
    /// naming one.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        match self {
            Error::Build(error) => error.endpoint(),
            Error::Transport(error) => Some(&error.endpoint),
            Error::Status(error) => Some(&error.endpoint),
            Error::Decode(error) => Some(&error.endpoint),
            Error::TooLarge(error) => Some(&error.endpoint),
            Error::Paging(error) => Some(&error.endpoint),
        }
    }

    /// Whether the call ran out of time: a timeout or its deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_timeout())
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Build(error) => match error.endpoint() {
                Some(endpoint) => write!(formatter, "{endpoint}: could not build the request: {error}"),
                None => write!(formatter, "could not build the request: {error}"),
            },
            Error::Transport(error) => error.fmt(formatter),
            Error::Status(error) => error.fmt(formatter),
            Error::Decode(error) => error.fmt(formatter),
            Error::TooLarge(error) => error.fmt(formatter),
            Error::Paging(error) => error.fmt(formatter),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Build(error) => Some(error),
            Error::Transport(error) => std::error::Error::source(error.as_ref()),
            Error::Status(_) | Error::Decode(_) | Error::TooLarge(_) | Error::Paging(_) => None,
        }
    }
}

impl<E> From<BuildError> for Error<E> {
    fn from(error: BuildError) -> Self {
        Error::Build(error)
    }
}

/// The operation a call was for, which every error of the call names: its operationId, method
/// and path template, shown as `list_users (GET /users/)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    operation_id: &'static str,
    method: Method,
    path_template: &'static str,
}

impl Endpoint {
    pub(crate) fn new(operation_id: &'static str, method: Method, path_template: &'static str) -> Endpoint {
        Endpoint { operation_id, method, path_template }
    }

    /// The endpoint of operation `O`, from the constants its generated type declares.
    pub(crate) fn of<O: crate::operation::Operation>() -> Endpoint {
        Endpoint::new(O::OPERATION_ID, O::METHOD, O::PATH_TEMPLATE)
    }

    /// The operationId from the specification.
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template from the specification, such as `/users/{id}/`.
    pub fn path_template(&self) -> &str {
        self.path_template
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} ({} {})", self.operation_id, self.method, self.path_template)
    }
}

/// The request or the client could not be built; the message says which part was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    message: String,
    /// The call whose request it was; `None` for a client's settings.
    endpoint: Option<Box<Endpoint>>,
}

impl BuildError {
    pub(crate) fn new(message: impl Into<String>) -> BuildError {
        BuildError { message: message.into(), endpoint: None }
    }

    /// The same error, naming `endpoint` unless it already names one.
    pub(crate) fn in_endpoint(mut self, endpoint: impl FnOnce() -> Endpoint) -> BuildError {
        self.endpoint.get_or_insert_with(|| Box::new(endpoint()));
        self
    }

    /// The lower-case description of what was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The operation whose request could not be built; `None` for a client's settings.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_deref()
    }
}

/// The message alone: [`Error`] adds the operation.
impl fmt::Display for BuildError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

/// The request never got a complete response. Its `Display` names the operation and the root
/// cause ("operation timed out", "Connection reset by peer"), never the URL, which may carry a
/// password or an API key; `source()` is the reqwest error, its URL removed.
pub struct TransportError {
    pub(crate) endpoint: Endpoint,
    cause: Cause,
}

enum Cause {
    Http(reqwest::Error),
    /// The call's deadline passed, while waiting for the server or, with `wait`, before a
    /// retry the server asked to wait for.
    Deadline {
        deadline: Duration,
        wait: Option<Duration>,
    },
}

impl TransportError {
    pub(crate) fn http(endpoint: Endpoint, error: reqwest::Error) -> TransportError {
        TransportError { endpoint, cause: Cause::Http(error.without_url()) }
    }

    pub(crate) fn deadline(endpoint: Endpoint, deadline: Duration, wait: Option<Duration>) -> TransportError {
        TransportError { endpoint, cause: Cause::Deadline { deadline, wait } }
    }

    /// The operation the call was for.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Whether a timeout or the call's deadline ended it.
    pub fn is_timeout(&self) -> bool {
        match &self.cause {
            Cause::Http(error) => error.is_timeout(),
            Cause::Deadline { .. } => true,
        }
    }

    /// Whether the connection could not be made.
    pub fn is_connect(&self) -> bool {
        matches!(&self.cause, Cause::Http(error) if error.is_connect())
    }

    fn status(&self) -> Option<StatusCode> {
        match &self.cause {
            Cause::Http(error) => error.status(),
            Cause::Deadline { .. } => None,
        }
    }

    /// What went wrong, down to the root cause, in bounded length.
    fn causes(&self) -> String {
        match &self.cause {
            Cause::Http(error) => causes(error),
            Cause::Deadline { deadline, wait: None } => {
                format!("timed out: the call took longer than its deadline of {deadline:?}")
            }
            Cause::Deadline { deadline, wait: Some(wait) } => format!(
                "timed out: the server asked to wait {wait:?} before a retry, which would pass the call's \
                 deadline of {deadline:?}"
            ),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: request failed: {}", self.endpoint, self.causes())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("TransportError")
            .field("endpoint", &self.endpoint)
            .field("cause", &self.causes())
            .finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Http(error) => Some(error),
            Cause::Deadline { .. } => None,
        }
    }
}

/// The messages of `error` and its sources, joined: reqwest's own says only "error sending
/// request", the cause that matters ("Connection refused") is a few levels down.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        // Some layers repeat their cause's message in their own.
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    cut(&text, TEXT_CHARS)
}

/// A response whose status the operation does not treat as success.
///
/// The raw body is kept, since error bodies are often the only hint of what went wrong, up to
/// the client's error body limit; `value` holds it decoded when the specification types it and
/// the body matched that type.
pub struct StatusError<E = Infallible> {
    pub endpoint: Endpoint,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// Whether `body` is only the start of a longer body, cut at the error body limit.
    pub body_truncated: bool,
    pub value: Option<E>,
}

impl<E> StatusError<E> {
    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

impl<E> fmt::Display for StatusError<E> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}: server returned {}: {}",
            self.endpoint,
            self.status,
            body_snippet(&self.body)
        )?;
        if self.body_truncated {
            write!(formatter, " (only the first {} bytes were read)", self.body.len())?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> fmt::Debug for StatusError<E> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("StatusError")
            .field("endpoint", &self.endpoint)
            .field("status", &self.status)
            .field("headers", &ShortHeaders(&self.headers))
            .field("body", &body_snippet(&self.body))
            .field("body_truncated", &self.body_truncated)
            .field("value", &Verbatim(&cut(&format!("{:?}", self.value), TEXT_CHARS)))
            .finish()
    }
}

/// A success response whose body did not decode into the expected type.
pub struct DecodeError {
    pub endpoint: Endpoint,
    pub status: StatusCode,
    /// The body as text, with invalid UTF-8 replaced.
    pub body: String,
    /// Where in the body decoding failed, such as `results[3].created_on`; `.` is the root.
    pub path: String,
    pub source: serde_json::Error,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The decoder's message may quote a whole string of the body, and the path its keys.
        write!(
            formatter,
            "{}: could not decode the {} response at `{}`: {}; body: {}",
            self.endpoint,
            self.status,
            cut(&self.path, TEXT_CHARS),
            cut(&self.source.to_string(), TEXT_CHARS),
            body_snippet(self.body.as_bytes())
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("DecodeError")
            .field("endpoint", &self.endpoint)
            .field("status", &self.status)
            .field("body", &body_snippet(self.body.as_bytes()))
            .field("path", &cut(&self.path, TEXT_CHARS))
            .field("source", &cut(&self.source.to_string(), TEXT_CHARS))
            .finish()
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A success response whose body is larger than the body limit. Reading stopped at the limit
/// (or before reading, when `Content-Length` announced more), so memory never held more.
#[derive(Debug)]
pub struct TooLargeError {
    pub endpoint: Endpoint,
    pub status: StatusCode,
    /// The body limit in bytes.
    pub limit: usize,
    /// The length the server announced in `Content-Length`, when it did.
    pub content_length: Option<u64>,
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}: the {} response body is larger than the body limit of {} bytes",
            self.endpoint, self.status, self.limit
        )?;
        if let Some(length) = self.content_length {
            write!(formatter, " (Content-Length: {length})")?;
        }
        formatter.write_str("; raise `body_limit`, or stream the body with `send_raw`")
    }
}

/// A paged listing that was stopped, after the pages before were yielded.
#[derive(Debug)]
pub struct PagingError {
    pub endpoint: Endpoint,
    /// How many pages were fetched, the one that stopped the listing included.
    pub pages: u64,
    pub reason: PagingStop,
}

/// Why a paged listing was stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingStop {
    /// More pages would follow, but the listing has as many pages as `max_pages` allows.
    MaxPages,
    /// A page is byte for byte one the server sent before: the server ignores the page
    /// parameter, or its next links go round in a circle.
    Repeated,
    /// The page after the last one fetched would be numbered past `i64::MAX`.
    PageNumberOverflow,
}

impl fmt::Display for PagingError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (endpoint, pages) = (&self.endpoint, self.pages);
        match self.reason {
            PagingStop::MaxPages => write!(
                formatter,
                "{endpoint}: paging stopped after {pages} pages, the most `max_pages` allows, with more to come"
            ),
            PagingStop::Repeated => write!(
                formatter,
                "{endpoint}: paging stopped at page {pages}, which repeats an earlier page: the server \
                 ignores the page parameter or its next links go round in a circle"
            ),
            PagingStop::PageNumberOverflow => write!(
                formatter,
                "{endpoint}: paging stopped after {pages} pages: the next page number would pass {}",
                i64::MAX
            ),
        }
    }
}

/// Shows at most [`HEADERS_SHOWN`] headers, each cut short, so that a server sending many long
/// headers cannot blow up a log line.
struct ShortHeaders<'a>(&'a HeaderMap);

impl fmt::Debug for ShortHeaders<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = formatter.debug_map();
        for (name, value) in self.0.iter().take(HEADERS_SHOWN) {
            let value = if value.is_sensitive() {
                "Sensitive".into()
            } else {
                String::from_utf8_lossy(value.as_bytes())
            };
            map.entry(&cut(name.as_str(), TEXT_CHARS), &cut(&value, TEXT_CHARS));
        }
        if self.0.len() > HEADERS_SHOWN {
            map.entry(&"…", &format!("{} more", self.0.len() - HEADERS_SHOWN));
        }
        map.finish()
    }
}

/// Text shown in `Debug` as it is, without quotes: already formatted, and cut.
struct Verbatim<'a>(&'a str);

impl fmt::Debug for Verbatim<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.0)
    }
}

/// Decodes the body of an error response into the type the specification documents for it.
///
/// A separate trait rather than a `DeserializeOwned` bound, because the default error type,
/// [`Infallible`], cannot implement `Deserialize` here and must never be decoded at all.
pub trait ErrorBody: Sized {
    /// Returns `None` when the body does not match the type, so the raw body still reaches the
    /// caller instead of a second error hiding the first.
    fn decode(status: u16, body: &[u8]) -> Option<Self>;
}

impl ErrorBody for Infallible {
    fn decode(_status: u16, _body: &[u8]) -> Option<Self> {
        None
    }
}

/// The JSON error bodies that are not types of a generated crate, which could not implement
/// this crate's trait for them: a generated crate implements it for its own types only.
macro_rules! json_error_bodies {
    ($(impl<$($param:ident),*> for $ty:ty;)*) => {
        $(impl<$($param: serde::de::DeserializeOwned),*> ErrorBody for $ty {
            fn decode(_status: u16, body: &[u8]) -> Option<Self> {
                serde_json::from_slice(body).ok()
            }
        })*
    };
}

json_error_bodies! {
    impl<> for serde_json::Value;
    impl<> for serde_json::Map<String, serde_json::Value>;
    impl<> for String;
    impl<> for bool;
    impl<> for i64;
    impl<> for u64;
    impl<> for f64;
    impl<T> for Vec<T>;
    impl<T> for std::collections::BTreeMap<String, T>;
}

/// The endpoint the unit tests' errors name.
#[cfg(test)]
pub(crate) fn test_endpoint() -> Endpoint {
    Endpoint::new("users_retrieve", Method::GET, "/users/{id}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_error(body: &[u8], body_truncated: bool) -> Error<serde_json::Value> {
        Error::Status(Box::new(StatusError {
            endpoint: test_endpoint(),
            status: StatusCode::INTERNAL_SERVER_ERROR,
            headers: HeaderMap::new(),
            body: body.to_vec(),
            body_truncated,
            value: serde_json::from_slice(body).ok(),
        }))
    }

    fn decode_error(body: &str) -> Error<serde_json::Value> {
        let source = serde_json::from_str::<u32>(body).unwrap_err();
        Error::Decode(Box::new(DecodeError {
            endpoint: test_endpoint(),
            status: StatusCode::OK,
            body: body.to_owned(),
            path: "results[3].id".to_owned(),
            source,
        }))
    }

    fn paging_error(reason: PagingStop) -> Error<serde_json::Value> {
        Error::Paging(Box::new(PagingError { endpoint: test_endpoint(), pages: 3, reason }))
    }

    #[test]
    fn display() {
        let long_string = format!("\"{}\"", "y".repeat(100_000));
        let too_large = TooLargeError {
            endpoint: test_endpoint(),
            status: StatusCode::OK,
            limit: 1024,
            content_length: Some(4096),
        };
        let cases = [
            (
                Error::from(BuildError::new("path parameter `id` is empty").in_endpoint(test_endpoint)),
                "users_retrieve (GET /users/{id}/): could not build the request: path parameter `id` is empty"
                    .to_owned(),
            ),
            (
                Error::from(BuildError::new("invalid base URL")),
                "could not build the request: invalid base URL".to_owned(),
            ),
            (
                status_error(br#"{"detail":"boom"}"#, false),
                r#"users_retrieve (GET /users/{id}/): server returned 500 Internal Server Error: {"detail":"boom"}"#
                    .to_owned(),
            ),
            (
                status_error(b"", false),
                "users_retrieve (GET /users/{id}/): server returned 500 Internal Server Error: (empty body)".to_owned(),
            ),
            (
                status_error(&[b'x'; 1024], true),
                format!(
                    "users_retrieve (GET /users/{{id}}/): server returned 500 Internal Server Error: {}… (1024 bytes) \
                     (only the first 1024 bytes were read)",
                    "x".repeat(200)
                ),
            ),
            (
                decode_error("\"seven\""),
                "users_retrieve (GET /users/{id}/): could not decode the 200 OK response at `results[3].id`: \
                 invalid type: string \"seven\", expected u32 at line 1 column 7; body: \"seven\""
                    .to_owned(),
            ),
            (
                decode_error(&long_string),
                format!(
                    "users_retrieve (GET /users/{{id}}/): could not decode the 200 OK response at `results[3].id`: \
                     invalid type: string \"{}…; body: \"{}… (100002 bytes)",
                    "y".repeat(TEXT_CHARS - 22),
                    "y".repeat(199)
                ),
            ),
            (
                Error::TooLarge(Box::new(too_large)),
                "users_retrieve (GET /users/{id}/): the 200 OK response body is larger than the body limit of 1024 \
                 bytes (Content-Length: 4096); raise `body_limit`, or stream the body with `send_raw`"
                    .to_owned(),
            ),
            (
                paging_error(PagingStop::MaxPages),
                "users_retrieve (GET /users/{id}/): paging stopped after 3 pages, the most `max_pages` allows, \
                 with more to come"
                    .to_owned(),
            ),
            (
                paging_error(PagingStop::Repeated),
                "users_retrieve (GET /users/{id}/): paging stopped at page 3, which repeats an earlier page: the \
                 server ignores the page parameter or its next links go round in a circle"
                    .to_owned(),
            ),
            (
                paging_error(PagingStop::PageNumberOverflow),
                "users_retrieve (GET /users/{id}/): paging stopped after 3 pages: the next page number would pass \
                 9223372036854775807"
                    .to_owned(),
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn debug_is_bounded_and_shows_bodies_as_text() {
        let body = format!(r#"{{"detail": "{}"}}"#, "z".repeat(5_000_000));
        let mut error = status_error(body.as_bytes(), false);
        let Error::Status(status) = &mut error else { unreachable!() };
        for index in 0..100 {
            status.headers.append("x-filler", "v".repeat(1000).parse().unwrap());
            let name = reqwest::header::HeaderName::try_from(format!("x-{index}")).unwrap();
            status.headers.append(name, "w".parse().unwrap());
        }
        let debug = format!("{error:?}");
        assert!(debug.len() < 12_000, "{} bytes of Debug", debug.len());
        assert!(debug.contains(r#"body: "{\"detail\": \"zzz"#), "{debug}");
        assert!(debug.contains("… (5000014 bytes)"), "{debug}");
        assert!(debug.contains(r#""…": "184 more""#), "{debug}");
        for error in [decode_error(&body), paging_error(PagingStop::Repeated)] {
            let debug = format!("{error:?}");
            assert!(debug.len() < 2_000, "{} bytes of Debug: {}", debug.len(), &debug[..2_000]);
        }
    }

    #[test]
    fn status() {
        assert_eq!(status_error(b"", false).status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(decode_error("\"one\"").status(), Some(StatusCode::OK));
        assert_eq!(Error::<Infallible>::from(BuildError::new("bad")).status(), None);
        assert_eq!(paging_error(PagingStop::MaxPages).status(), None);
    }

    #[test]
    fn endpoints() {
        let endpoint = test_endpoint();
        assert_eq!(
            (endpoint.operation_id(), endpoint.method(), endpoint.path_template()),
            ("users_retrieve", &Method::GET, "/users/{id}/")
        );
        let other = Endpoint::new("users_list", Method::GET, "/users/");
        assert_eq!(decode_error("\"one\"").endpoint(), Some(&endpoint));
        assert_eq!(Error::<Infallible>::from(BuildError::new("bad")).endpoint(), None);
        // The first endpoint named is kept.
        let named = BuildError::new("bad").in_endpoint(test_endpoint).in_endpoint(|| other.clone());
        assert_eq!(named.endpoint(), Some(&endpoint));
    }

    #[test]
    fn error_bodies() {
        assert_eq!(<Infallible as ErrorBody>::decode(400, b"{}"), None);
        assert_eq!(serde_json::Value::decode(200, br#"{"a":1}"#), Some(serde_json::json!({"a": 1})));
        assert_eq!(serde_json::Value::decode(500, b"<html>"), None);
        assert_eq!(String::decode(400, br#""bad request""#), Some("bad request".to_owned()));
        assert_eq!(Vec::<String>::decode(400, br#"["a", "b"]"#), Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(Vec::<String>::decode(400, br#"{"a": 1}"#), None);
        assert_eq!(i64::decode(400, b"42"), Some(42));
    }

    #[test]
    fn result_stays_small() {
        // Boxing the large variants keeps every `Result<T, Error>` cheap to move around.
        assert!(std::mem::size_of::<Error>() <= 32, "{}", std::mem::size_of::<Error>());
    }
}
