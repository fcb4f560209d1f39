//! What every generated request builder shares. The generated code implements [`Operation`]
//! (how to build its request, how to decode its response) and invokes [`operation_methods!`],
//! which gives the builder its per-call options and its `send` methods from the code here.

use crate::error::{BuildError, Error, ErrorBody};
use crate::request::{Request, Response};
use crate::response::{ApiResponse, RawResponse};

/// One generated request builder.
pub(crate) trait Operation<'a>: Sized + Send + 'a {
    /// What a success response decodes into.
    type Output;
    /// The typed body of error statuses (`Infallible` when the specification has none).
    type ErrorBody: ErrorBody;

    /// The request with every parameter, body and credential applied, or what was invalid.
    fn into_request(self) -> Result<Request<'a>, BuildError>;

    /// Decodes a response by its status, turning unexpected statuses into `Error::Status`.
    fn decode(response: Response) -> Result<Self::Output, Error<Self::ErrorBody>>;
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
            pub async fn send(self) -> Result<$output, $error> {
                use $crate::operation::Operation;
                Self::decode(self.into_request()?.send().await?)
            }

            /// Sends the request and decodes the response, keeping its status and headers.
            pub async fn send_with_response(self) -> Result<$crate::ApiResponse<$output>, $error> {
                use $crate::operation::Operation;
                $crate::operation::with_parts(self.into_request()?.send().await?, Self::decode)
            }

            /// Sends the request and returns a success response with its body unread, to read
            /// a body the specification does not describe or to stream it; error statuses are
            /// still returned as `Error::Status`.
            pub async fn send_raw(self) -> Result<$crate::RawResponse, $error> {
                use $crate::operation::Operation;
                $crate::operation::raw(self.into_request()?.send_unread().await?).await
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
