//! What every call shares. Each generated operation type holds the operation's parameters and
//! implements [`Operation`] (how they make a request, how its response decodes); sending it,
//! with the per-call options, is written once here, generically, for every operation. A
//! generated client's `Call` holds the three arguments of these functions.

use std::future::Future;

use crate::client::Client;
use crate::error::{BuildError, Endpoint, Error, ErrorBody};
use crate::request::{Request, Response};
use crate::response::{ApiResponse, RawResponse};
use crate::send::{CallOptions, Received};

/// One operation of the API: its parameters, the request they make and how its responses
/// decode. For generated code: each generated operation type implements it.
pub trait Operation: Sized + Send {
    /// What a success response decodes into.
    type Output;
    /// The typed body of error statuses (`Infallible` when the specification has none).
    type ErrorBody: ErrorBody + Send;
    /// The operationId, HTTP method and path template from the specification, which name the
    /// operation in every error of its calls.
    const OPERATION_ID: &'static str;
    const METHOD: reqwest::Method;
    const PATH_TEMPLATE: &'static str;

    /// The request with every parameter, body and credential applied, or what was invalid.
    fn into_request(self, client: &Client, options: CallOptions) -> Result<Request<'_>, BuildError>;

    /// Decodes a response by its status, turning unexpected statuses into `Error::Status`.
    fn decode(response: Response) -> Result<Self::Output, Error<Self::ErrorBody>>;
}

/// The future a call turns into on `.await`.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn Future<Output = T> + Send + 'a>>;

// The send functions are one async function each for the compiler to check and prove `Send`,
// for all operations at once, and they are checked once, here, rather than in every generated
// client: stamped out per operation, they took a third of `cargo check` on clients with
// hundreds of operations.

/// The request of `operation`; a parameter it rejects (before the request exists) is named
/// with the operation's endpoint too.
pub fn into_request<O: Operation>(
    client: &Client,
    options: CallOptions,
    operation: O,
) -> Result<Request<'_>, BuildError> {
    operation.into_request(client, options).map_err(|error| error.in_endpoint(Endpoint::of::<O>))
}

/// Sends the request of `operation` and decodes the response.
#[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
pub fn send<'a, O: Operation + 'a>(
    client: &'a Client,
    options: CallOptions,
    operation: O,
) -> impl Future<Output = Result<O::Output, Error<O::ErrorBody>>> + Send + 'a {
    async move { O::decode(into_request(client, options, operation)?.send().await?) }
}

/// Sends the request of `operation` and decodes the response, keeping its status and headers.
#[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
pub fn send_with_response<'a, O: Operation + 'a>(
    client: &'a Client,
    options: CallOptions,
    operation: O,
) -> impl Future<Output = Result<ApiResponse<O::Output>, Error<O::ErrorBody>>> + Send + 'a {
    async move { with_parts(into_request(client, options, operation)?.send().await?, O::decode) }
}

/// Sends the request of `operation` and returns a success response with its body unread;
/// error statuses are still returned as `Error::Status`.
#[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
pub fn send_raw<'a, O: Operation + 'a>(
    client: &'a Client,
    options: CallOptions,
    operation: O,
) -> impl Future<Output = Result<RawResponse, Error<O::ErrorBody>>> + Send + 'a {
    async move {
        match into_request(client, options, operation)?.send_raw().await? {
            Received::Raw(response) => Ok(response),
            Received::Read(response) => Err(response.error()),
        }
    }
}

/// Decodes `response` with `decode`, keeping its status and headers.
fn with_parts<T, E>(
    response: Response,
    decode: impl FnOnce(Response) -> Result<T, Error<E>>,
) -> Result<ApiResponse<T>, Error<E>> {
    let (status, headers) = (response.status, response.headers.clone());
    let value = decode(response)?;
    Ok(ApiResponse { status, headers, value })
}
