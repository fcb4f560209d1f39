//! What the `send_with_response` and `send_raw` methods of every request builder return: the
//! decoded value with status and headers, or the response with its body still unread.

use std::fmt;
use std::path::Path;

use futures_util::{Stream, StreamExt};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::io::AsyncWriteExt;

use crate::error::{Endpoint, Error, TransportError};

/// A decoded response value with the status and headers it came with.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiResponse<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub value: T,
}

/// A success response whose body has not been read yet, for bodies that are not what the
/// specification documents (a CSV export documented as JSON) or too large to hold in memory.
/// No body limit applies here, nor the call's deadline: reading is up to the caller (the read
/// timeout and a timeout set for each attempt still apply).
///
/// Error statuses never get here: `send_raw` returns them as [`Error::Status`].
pub struct RawResponse {
    response: reqwest::Response,
    /// The operation the call was for, which errors while reading name.
    endpoint: Endpoint,
}

impl RawResponse {
    pub(crate) fn new(response: reqwest::Response, endpoint: Endpoint) -> RawResponse {
        RawResponse { response, endpoint }
    }

    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The `Content-Type` header, when it is present and valid text.
    pub fn content_type(&self) -> Option<&str> {
        self.headers().get(reqwest::header::CONTENT_TYPE)?.to_str().ok()
    }

    /// Reads the whole body, however large.
    pub async fn bytes(self) -> Result<bytes::Bytes, Error> {
        let endpoint = self.endpoint;
        self.response.bytes().await.map_err(|error| transport(&endpoint, error))
    }

    /// Reads the whole body as text, decoded by the charset of its content type (UTF-8
    /// otherwise), invalid sequences replaced.
    pub async fn text(self) -> Result<String, Error> {
        let endpoint = self.endpoint;
        self.response.text().await.map_err(|error| transport(&endpoint, error))
    }

    /// The body as a stream of chunks, as they arrive from the network.
    pub fn bytes_stream(self) -> impl Stream<Item = Result<bytes::Bytes, Error>> + Send {
        let endpoint = self.endpoint;
        self.response.bytes_stream().map(move |chunk| chunk.map_err(|error| transport(&endpoint, error)))
    }

    /// Writes the body to the file at `path` (created or truncated) chunk by chunk, so only one
    /// chunk is in memory at a time, and returns the number of bytes written.
    pub async fn save_to(self, path: impl AsRef<Path>) -> std::io::Result<u64> {
        let mut file = tokio::fs::File::create(path).await?;
        let mut written = 0;
        let mut stream = std::pin::pin!(self.response.bytes_stream());
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(std::io::Error::other)?;
            file.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        file.flush().await?;
        Ok(written)
    }

    /// The underlying reqwest response.
    pub fn into_inner(self) -> reqwest::Response {
        self.response
    }
}

/// Without the URL reqwest's `Debug` shows, which may hold a password or an API key.
impl fmt::Debug for RawResponse {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("RawResponse")
            .field("endpoint", &self.endpoint)
            .field("status", &self.status())
            .field("content_type", &self.content_type())
            .field("content_length", &self.response.content_length())
            .finish_non_exhaustive()
    }
}

fn transport(endpoint: &Endpoint, error: reqwest::Error) -> Error {
    Error::Transport(Box::new(TransportError::http(endpoint.clone(), error)))
}
