//! `Client`, `ClientBuilder` and `Call`: this crate's own types around the runtime's, so that
//! the generated operations can be their methods. Every method here forwards to
//! `openapi-client-runtime`, which does the work and is compiled once for all clients.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::time::Duration;

use crate::runtime::{self, CallOptions, Operation};
use crate::{ApiResponse, BuildError, Error, RawResponse, RedirectPolicy, RetryPolicy};

/// A connection to one API server, with one method per operation. Cloning is cheap and shares
/// the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: runtime::Client,
}

impl Client {
    /// Starts configuring a client for the server at `base_url`, such as
    /// `https://tenant.example.com`; a path prefix like `/api/v2` is kept.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        let user_agent = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
        ClientBuilder { inner: runtime::Client::builder(base_url, user_agent) }
    }

    /// A client without credentials, for servers or operations that need none.
    pub fn new(base_url: impl Into<String>) -> Result<Client, BuildError> {
        Client::builder(base_url).build()
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(formatter)
    }
}

/// Configures a [`Client`]: retries, timeouts, limits, redirects, headers, hooks, and one method
/// per security scheme of the API for its credential.
///
/// ```
/// use std::time::Duration;
/// use accept_client::{Client, RetryPolicy};
///
/// let client = Client::builder("https://tenant.example.com")
///     .retry(RetryPolicy::default().max_attempts(5))
///     .timeout(Duration::from_secs(30))
///     .connect_timeout(Duration::from_secs(5))
///     .default_header("X-Team", "integrations")
///     .on_request(|request| eprintln!("-> {} {}", request.method(), request.url()))
///     .on_response(|response| eprintln!("<- {}", response.status()))
///     .build()?;
/// # Ok::<(), accept_client::BuildError>(())
/// ```
pub struct ClientBuilder {
    inner: runtime::ClientBuilder,
}

impl ClientBuilder {
    /// Uses the caller's own HTTP client, for proxies or certificates. Its own settings (user
    /// agent, connect and read timeouts) then apply instead of this builder's defaults. Build
    /// it with `.redirect(reqwest::redirect::Policy::none())`, or it follows redirects by its
    /// own policy before [`redirect`](Self::redirect) sees them.
    pub fn http_client(self, http: crate::reqwest::Client) -> Self {
        ClientBuilder { inner: self.inner.http_client(http) }
    }

    /// How calls are retried unless a call says otherwise; see [`RetryPolicy`]. Use
    /// [`RetryPolicy::never`] to turn retries off.
    pub fn retry(self, policy: RetryPolicy) -> Self {
        ClientBuilder { inner: self.inner.retry(policy) }
    }

    /// The longest each attempt of a call may take, from connecting until the response body is
    /// read; a call can set its own with `.timeout(...)`. No limit by default: the read timeout
    /// and the deadline bound every call.
    pub fn timeout(self, timeout: Duration) -> Self {
        ClientBuilder { inner: self.inner.timeout(timeout) }
    }

    /// The longest connecting may take; 10 s by default. It is a setting of the HTTP client
    /// this builder creates, so it cannot be combined with [`http_client`](Self::http_client).
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        ClientBuilder { inner: self.inner.connect_timeout(timeout) }
    }

    /// The longest the server may stay silent, while the client waits for the response or for
    /// the next bytes of its body; 30 s by default. It is a setting of the HTTP client this
    /// builder creates, so it cannot be combined with [`http_client`](Self::http_client).
    pub fn read_timeout(self, timeout: Duration) -> Self {
        ClientBuilder { inner: self.inner.read_timeout(timeout) }
    }

    /// The longest a whole call may take: every attempt, redirect and wait between attempts,
    /// and reading the body it decodes. A wait for a retry that would pass it ends the call
    /// with a timeout error at once. 5 minutes by default; a call can set its own with
    /// `.deadline(...)`, and `Duration::MAX` means none.
    pub fn deadline(self, deadline: Duration) -> Self {
        ClientBuilder { inner: self.inner.deadline(deadline) }
    }

    /// The largest response body a call decodes, in bytes; a larger one ends the call with
    /// [`Error::TooLarge`] as soon as it is known, without being read further. 32 MiB by
    /// default; a call can set its own with `.body_limit(...)`. `send_raw` bodies are not
    /// limited.
    pub fn body_limit(self, bytes: usize) -> Self {
        ClientBuilder { inner: self.inner.body_limit(bytes) }
    }

    /// How much of the body of an error status is read and kept in `StatusError::body`; the
    /// rest is left unread and `body_truncated` is set. 64 KiB by default.
    pub fn error_body_limit(self, bytes: usize) -> Self {
        ClientBuilder { inner: self.inner.error_body_limit(bytes) }
    }

    /// Which redirects calls follow; see [`RedirectPolicy`]. By default up to 10 within the
    /// base URL's origin.
    pub fn redirect(self, policy: RedirectPolicy) -> Self {
        ClientBuilder { inner: self.inner.redirect(policy) }
    }

    /// The most pages a paged listing fetches; when more would follow, the listing ends with
    /// [`Error::Paging`]. 10,000 by default; a call can set its own with `.max_pages(...)`.
    pub fn max_pages(self, pages: u64) -> Self {
        ClientBuilder { inner: self.inner.max_pages(pages) }
    }

    /// A header sent with every request, unless the request sets it itself. An invalid name or
    /// value is reported by [`build`](Self::build).
    pub fn default_header(self, name: &str, value: &str) -> Self {
        ClientBuilder { inner: self.inner.default_header(name, value) }
    }

    /// Calls `hook` with every request just before it is sent, each attempt of a call
    /// included, to log it, count it or change it (a refreshed token, a trace header).
    /// Hooks run in the order they were added.
    pub fn on_request(self, hook: impl Fn(&mut crate::reqwest::Request) + Send + Sync + 'static) -> Self {
        ClientBuilder { inner: self.inner.on_request(hook) }
    }

    /// Calls `hook` with every response as soon as its status and headers arrive, each attempt
    /// of a call included (error statuses and retried ones too).
    pub fn on_response(self, hook: impl Fn(&crate::reqwest::Response) + Send + Sync + 'static) -> Self {
        ClientBuilder { inner: self.inner.on_response(hook) }
    }

    /// Checks the base URL, the settings and the credentials, and finishes the client.
    pub fn build(self) -> Result<Client, BuildError> {
        Ok(Client { inner: self.inner.build()? })
    }

    /// Sets the API key or bearer token of `scheme`: the generated credential methods call it.
    #[allow(dead_code)] // unused by APIs without such schemes
    pub(crate) fn credential(self, scheme: &'static runtime::request::SecurityScheme, value: String) -> Self {
        ClientBuilder { inner: self.inner.credential(scheme, value) }
    }

    /// Sets a path parameter every operation with it shares: the generated setting methods
    /// call it.
    #[allow(dead_code)] // unused by APIs without settings
    pub(crate) fn path_setting(self, name: &'static str, value: String) -> Self {
        ClientBuilder { inner: self.inner.path_setting(name, value) }
    }

    /// Sets the user name and password of the HTTP basic `scheme`.
    #[allow(dead_code)] // unused by APIs without basic authentication
    pub(crate) fn basic_credential(
        self,
        scheme: &'static runtime::request::SecurityScheme,
        username: String,
        password: String,
    ) -> Self {
        ClientBuilder { inner: self.inner.basic_credential(scheme, username, password) }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(formatter)
    }
}

/// A call of one operation through a [`Client`]: every client method returns one. Set the
/// operation's optional parameters and the per-call options on it, then `.await` it (or call
/// one of the `send` methods).
#[derive(Debug)]
#[must_use = "a request is sent only when awaited"]
pub struct Call<'a, O> {
    client: &'a runtime::Client,
    options: CallOptions,
    /// The operation's parameters, which its generated setters change.
    pub(crate) operation: O,
}

impl<'a, O> Call<'a, O> {
    pub(crate) fn new(client: &'a Client, operation: O) -> Self {
        Call { client: &client.inner, options: CallOptions::default(), operation }
    }
}

impl<'a, O: Operation + 'a> Call<'a, O> {
    /// Limits how long each attempt of this call may take, from connecting until the response
    /// body is read, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Limits how long this whole call may take, retries and their waits included, instead of
    /// the client's deadline.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// The largest response body this call decodes, in bytes, instead of the client's limit.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.options.body_limit = Some(bytes);
        self
    }

    /// The most pages `.pages()` and `.items()` fetch for this call, instead of the client's
    /// maximum.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.options.max_pages = Some(pages);
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
    pub fn send(self) -> impl Future<Output = Result<O::Output, Error<O::ErrorBody>>> + Send + 'a {
        runtime::send(self.client, self.options, self.operation)
    }

    /// Sends the request and decodes the response, keeping its status and headers.
    pub fn send_with_response(
        self,
    ) -> impl Future<Output = Result<ApiResponse<O::Output>, Error<O::ErrorBody>>> + Send + 'a {
        runtime::send_with_response(self.client, self.options, self.operation)
    }

    /// Sends the request and returns a success response with its body unread, to read a body
    /// the specification does not describe or to stream it; error statuses are still returned
    /// as `Error::Status`.
    pub fn send_raw(self) -> impl Future<Output = Result<RawResponse, Error<O::ErrorBody>>> + Send + 'a {
        runtime::send_raw(self.client, self.options, self.operation)
    }

    /// The request this call sends: paged listings start from it.
    #[allow(dead_code)] // unused by APIs without paged listings
    pub(crate) fn into_request(self) -> Result<runtime::request::Request<'a>, BuildError> {
        runtime::into_request(self.client, self.options, self.operation)
    }
}

impl<'a, O: Operation + 'a> IntoFuture for Call<'a, O> {
    type Output = Result<O::Output, Error<O::ErrorBody>>;
    type IntoFuture = runtime::BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The `with_*_encoding` methods of the calls of operation `$operation`, which has an
/// `encoding` field, one per encoding the operation offers for its body. The first one listed
/// is the default, the one a call starts with.
#[allow(unused_macros)] // unused by APIs whose bodies have one encoding each
macro_rules! encoding_methods {
    ($operation:ident, $default:ident $(, $other:ident)*) => {
        impl<'a> $crate::Call<'a, $operation> {
            $crate::client::encoding_method!($default, " This is the default.");
            $($crate::client::encoding_method!($other, "");)*
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
