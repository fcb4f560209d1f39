//! What every generated request builder shares. The generated code implements [`Operation`]
//! (how to build its request, how to decode its response) and invokes [`operation_methods!`],
//! which gives the builder its per-call options and its `send` methods from the code here.

use std::future::Future;

use crate::error::{BuildError, Error, ErrorBody};
use crate::request::{Request, Response};
use crate::response::{ApiResponse, RawResponse};

/// One generated request builder.
pub(crate) trait Operation<'a>: Sized + Send + 'a {
    /// What a success response decodes into.
    type Output;
    /// The typed body of error statuses (`Infallible` when the specification has none).
    type ErrorBody: ErrorBody + Send;

    /// The request with every parameter, body and credential applied, or what was invalid.
    fn into_request(self) -> Result<Request<'a>, BuildError>;

    /// Decodes a response by its status, turning unexpected statuses into `Error::Status`.
    fn decode(response: Response) -> Result<Self::Output, Error<Self::ErrorBody>>;
}

// The send methods of every builder call these. Written once and generic, they are one async
// function each for the compiler to check and prove `Send`, where `async fn`s in the macro were
// one per operation: that took a third of `cargo check` on clients with hundreds of operations.

/// Sends `operation` and decodes the response.
#[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
pub(crate) fn send<'a, O: Operation<'a>>(
    operation: O,
) -> impl Future<Output = Result<O::Output, Error<O::ErrorBody>>> + Send + 'a {
    async move { O::decode(operation.into_request()?.send().await?) }
}

/// Sends `operation` and decodes the response, keeping its status and headers.
#[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
pub(crate) fn send_with_response<'a, O: Operation<'a>>(
    operation: O,
) -> impl Future<Output = Result<ApiResponse<O::Output>, Error<O::ErrorBody>>> + Send + 'a {
    async move { with_parts(operation.into_request()?.send().await?, O::decode) }
}

/// Sends `operation`, returning a success response with its body unread.
#[allow(clippy::manual_async_fn)] // `+ Send` in the signature is the point
pub(crate) fn send_raw<'a, O: Operation<'a>>(
    operation: O,
) -> impl Future<Output = Result<RawResponse, Error<O::ErrorBody>>> + Send + 'a {
    async move { raw(operation.into_request()?.send_unread().await?).await }
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

/// The per-call options and send methods of a request builder `$builder<'a>` with fields
/// `client` and `options`, whose `send` returns `Result<$output, $error>`.
macro_rules! operation_methods {
    ($builder:ident, $output:ty, $error:ty) => {
        impl<'a> $builder<'a> {
            /// Limits how long each attempt of this call may take, from connecting until the
            /// response body is read, instead of the client's timeout.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Retries this call by `policy` instead of the client's policy.
            pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// Declares that sending this call twice does no harm, so that it is retried even
            /// though its method (POST, PATCH) is not idempotent.
            pub fn idempotent(mut self) -> Self {
                self.options.idempotent = true;
                self
            }

            /// Sends the request and decodes the response.
            pub fn send(self) -> impl std::future::Future<Output = Result<$output, $error>> + Send + 'a {
                $crate::operation::send(self)
            }

            /// Sends the request and decodes the response, keeping its status and headers.
            pub fn send_with_response(
                self,
            ) -> impl std::future::Future<Output = Result<$crate::ApiResponse<$output>, $error>> + Send + 'a
            {
                $crate::operation::send_with_response(self)
            }

            /// Sends the request and returns a success response with its body unread, to read
            /// a body the specification does not describe or to stream it; error statuses are
            /// still returned as `Error::Status`.
            pub fn send_raw(
                self,
            ) -> impl std::future::Future<Output = Result<$crate::RawResponse, $error>> + Send + 'a {
                $crate::operation::send_raw(self)
            }
        }

        impl<'a> std::future::IntoFuture for $builder<'a> {
            type Output = Result<$output, $error>;
            type IntoFuture = $crate::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

pub(crate) use operation_methods;

/// The `with_*_encoding` methods of a request builder `$builder<'a>` with an `encoding` field,
/// one per encoding its operation offers for the body. The first one listed is the default,
/// the one the builder starts with. Unused in clients whose bodies have one encoding each.
#[allow(unused_macros)]
macro_rules! encoding_methods {
    ($builder:ident, $default:ident $(, $other:ident)*) => {
        impl<'a> $builder<'a> {
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
            self.encoding = $crate::BodyEncoding::Json;
            self
        }
    };
    (FormUrlEncoded, $note:literal) => {
        #[doc = concat!(" Sends the body as `application/x-www-form-urlencoded`.", $note)]
        pub fn with_form_encoding(mut self) -> Self {
            self.encoding = $crate::BodyEncoding::FormUrlEncoded;
            self
        }
    };
    (Multipart, $note:literal) => {
        #[doc = concat!(" Sends the body as `multipart/form-data`.", $note)]
        pub fn with_multipart_encoding(mut self) -> Self {
            self.encoding = $crate::BodyEncoding::Multipart;
            self
        }
    };
}

#[allow(unused_imports)]
pub(crate) use encoding_method;
