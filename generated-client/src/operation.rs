//! What every call shares. Each client method returns a [`Call`] of one generated operation
//! type, which holds the operation's parameters and implements [`Operation`] (how they make a
//! request, how its response decodes); the per-call options, the `send` methods and `.await`
//! are written once here, generically, for every operation.

use std::future::{Future, IntoFuture};
use std::time::Duration;

use crate::client::Client;
use crate::error::{BuildError, Error, ErrorBody};
use crate::request::{Request, Response};
use crate::response::{ApiResponse, RawResponse};
use crate::retry::RetryPolicy;
use crate::send::CallOptions;

/// One operation of the API: its parameters, the request they make and how its responses
/// decode. Implemented by the generated operation types (this module is private, so nothing
/// else can).
pub trait Operation: Sized + Send {
    /// What a success response decodes into.
    type Output;
    /// The typed body of error statuses (`Infallible` when the specification has none).
    type ErrorBody: ErrorBody + Send;

    /// The request with every parameter, body and credential applied, or what was invalid.
    fn into_request(self, client: &Client, options: CallOptions) -> Result<Request<'_>, BuildError>;

    /// Decodes a response by its status, turning unexpected statuses into `Error::Status`.
    fn decode(response: Response) -> Result<Self::Output, Error<Self::ErrorBody>>;
}

/// A call of one operation through a [`Client`]: every client method returns one. Set the
/// operation's optional parameters and the per-call options on it, then `.await` it (or call
/// one of the `send` methods).
#[derive(Debug)]
#[must_use = "a request is sent only when awaited"]
pub struct Call<'a, O> {
    pub(crate) client: &'a Client,
    pub(crate) options: CallOptions,
    /// The operation's parameters, which its generated setters change.
    pub(crate) operation: O,
}

impl<'a, O> Call<'a, O> {
    pub(crate) fn new(client: &'a Client, operation: O) -> Self {
        Call { client, options: CallOptions::default(), operation }
    }
}

// The send methods are one async function each for the compiler to check and prove `Send`,
// for all operations at once: stamped out per operation, they took a third of `cargo check` on
// clients with hundreds of operations.
impl<'a, O: Operation + 'a> Call<'a, O> {
    /// Limits how long each attempt of this call may take, from connecting until the response
    /// body is read, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Retries this call by `policy` instead of the client's policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Declares that sending this call twice does no harm, so that it is retried even though
    /// its method (POST, PATCH) is not idempotent.
    pub fn idempotent(mut self) -> Self {
        self.options.idempotent = true;
        self
    }

    /// Sends the request and decodes the response.
    #[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
    pub fn send(self) -> impl Future<Output = Result<O::Output, Error<O::ErrorBody>>> + Send + 'a {
        async move { O::decode(self.into_request()?.send().await?) }
    }

    /// Sends the request and decodes the response, keeping its status and headers.
    #[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
    pub fn send_with_response(
        self,
    ) -> impl Future<Output = Result<ApiResponse<O::Output>, Error<O::ErrorBody>>> + Send + 'a {
        async move { with_parts(self.into_request()?.send().await?, O::decode) }
    }

    /// Sends the request and returns a success response with its body unread, to read a body
    /// the specification does not describe or to stream it; error statuses are still returned
    /// as `Error::Status`.
    #[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
    pub fn send_raw(self) -> impl Future<Output = Result<RawResponse, Error<O::ErrorBody>>> + Send + 'a {
        async move { raw(self.into_request()?.send_unread().await?).await }
    }

    /// The request this call sends.
    pub(crate) fn into_request(self) -> Result<Request<'a>, BuildError> {
        self.operation.into_request(self.client, self.options)
    }
}

impl<'a, O: Operation + 'a> IntoFuture for Call<'a, O> {
    type Output = Result<O::Output, Error<O::ErrorBody>>;
    type IntoFuture = crate::BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Decodes `response` with `decode`, keeping its status and headers.
pub(crate) fn with_parts<T, E>(
    response: Response,
    decode: impl FnOnce(Response) -> Result<T, Error<E>>,
) -> Result<ApiResponse<T>, Error<E>> {
    let (status, headers) = (response.status, response.headers.clone());
    let value = decode(response)?;
    Ok(ApiResponse { status, headers, value })
}

/// A success response with its body unread; an error status read into `Error::Status`.
pub(crate) async fn raw<E: ErrorBody>(response: reqwest::Response) -> Result<RawResponse, Error<E>> {
    if response.status().is_success() {
        return Ok(RawResponse::new(response));
    }
    Err(Response::read(response).await?.error())
}

/// The `with_*_encoding` methods of the calls of operation `$operation`, which has an
/// `encoding` field, one per encoding the operation offers for its body. The first one listed
/// is the default, the one a call starts with. Unused in clients whose bodies have one
/// encoding each.
#[allow(unused_macros)]
macro_rules! encoding_methods {
    ($operation:ident, $default:ident $(, $other:ident)*) => {
        impl<'a> $crate::Call<'a, $operation> {
            $crate::operation::encoding_method!($default, " This is the default.");
            $($crate::operation::encoding_method!($other, "");)*
        }
    };
}

#[allow(unused_imports)]
pub(crate) use encoding_methods;

/// One `with_*_encoding` method; `$note` is appended to its doc.
#[allow(unused_macros)]
macro_rules! encoding_method {
    (Json, $note:literal) => {
        #[doc = concat!(" Sends the body as `application/json`.", $note)]
        pub fn with_json_encoding(mut self) -> Self {
            self.operation.encoding = $crate::BodyEncoding::Json;
            self
        }
    };
    (FormUrlEncoded, $note:literal) => {
        #[doc = concat!(" Sends the body as `application/x-www-form-urlencoded`.", $note)]
        pub fn with_form_encoding(mut self) -> Self {
            self.operation.encoding = $crate::BodyEncoding::FormUrlEncoded;
            self
        }
    };
    (Multipart, $note:literal) => {
        #[doc = concat!(" Sends the body as `multipart/form-data`.", $note)]
        pub fn with_multipart_encoding(mut self) -> Self {
            self.operation.encoding = $crate::BodyEncoding::Multipart;
            self
        }
    };
}

#[allow(unused_imports)]
pub(crate) use encoding_method;
