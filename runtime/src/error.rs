//! The error type every operation returns, and the trait that decodes typed error bodies.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How many characters of a response body an error message quotes before cutting it off.
const BODY_SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong while calling an operation.
///
/// `E` is the typed error body the specification documents for the operation; operations without
/// one use the default, [`Infallible`], and keep only the raw body.
#[derive(Debug, thiserror::Error)]
pub enum Error<E = Infallible> {
    /// The request could not be built: a bad base URL, path parameter, header value or body.
    #[error("could not build the request: {0}")]
    Build(#[from] BuildError),
    /// The request never got a complete response: connection refused, timeout, TLS, or a body
    /// that could not be read.
    #[error("request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The server answered with a status the operation does not treat as success.
    #[error("{0}")]
    Status(Box<StatusError<E>>),
    /// The server answered with a success status, but the body did not match the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Build(_) => None,
            Error::Transport(error) => error.status(),
            Error::Status(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
        }
    }
}

/// The request could not be built; the message says which part was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BuildError {
    message: String,
}

impl BuildError {
    pub(crate) fn new(message: impl Into<String>) -> BuildError {
        BuildError { message: message.into() }
    }

    /// The lower-case description of what was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A response whose status the operation does not treat as success.
///
/// The raw body is always kept, since error bodies are often the only hint of what went wrong;
/// `value` holds it decoded when the specification types it and the body matched that type.
#[derive(Debug)]
pub struct StatusError<E = Infallible> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
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
        write!(formatter, "server returned {}: {}", self.status, body_snippet(&self.body_text()))
    }
}

/// A success response whose body did not decode into the expected type.
#[derive(Debug)]
pub struct DecodeError {
    pub status: StatusCode,
    /// The body as text, with invalid UTF-8 replaced.
    pub body: String,
    /// Where in the body decoding failed, such as `results[3].created_on`; `.` is the root.
    pub path: String,
    pub source: serde_json::Error,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "could not decode the {} response at `{}`: {}; body: {}",
            self.status,
            self.path,
            self.source,
            body_snippet(&self.body)
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
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

/// Quotes the start of a body for an error message, marking where it was cut.
fn body_snippet(body: &str) -> String {
    if body.trim().is_empty() {
        return "(empty body)".to_owned();
    }
    let mut snippet: String = body.chars().take(BODY_SNIPPET_CHARS).collect();
    if snippet.len() < body.len() {
        snippet.push('…');
    }
    snippet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_error(body: &str) -> Error {
        Error::Status(Box::new(StatusError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
            value: None,
        }))
    }

    fn decode_error(body: &str) -> Error {
        let source = serde_json::from_str::<u32>(body).unwrap_err();
        Error::Decode(Box::new(DecodeError {
            status: StatusCode::OK,
            body: body.to_owned(),
            path: "results[3].id".to_owned(),
            source,
        }))
    }

    #[test]
    fn display() {
        let long_body = "x".repeat(500);
        let long_expected = format!("server returned 500 Internal Server Error: {}…", "x".repeat(200));
        let cases = [
            (
                Error::from(BuildError::new("path parameter `id` is empty")),
                "could not build the request: path parameter `id` is empty".to_owned(),
            ),
            (
                status_error(r#"{"detail":"boom"}"#),
                r#"server returned 500 Internal Server Error: {"detail":"boom"}"#.to_owned(),
            ),
            (status_error(""), "server returned 500 Internal Server Error: (empty body)".to_owned()),
            (status_error(&long_body), long_expected),
            (
                decode_error("\"seven\""),
                "could not decode the 200 OK response at `results[3].id`: invalid type: string \"seven\", \
                 expected u32 at line 1 column 7; body: \"seven\""
                    .to_owned(),
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn snippet_cuts_on_character_boundaries() {
        let body = "é".repeat(300);
        assert_eq!(body_snippet(&body), format!("{}…", "é".repeat(200)));
    }

    #[test]
    fn status() {
        assert_eq!(status_error("").status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(decode_error("\"one\"").status(), Some(StatusCode::OK));
        assert_eq!(Error::<Infallible>::from(BuildError::new("bad")).status(), None);
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
