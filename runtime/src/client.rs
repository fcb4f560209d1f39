//! `Client` and `ClientBuilder`: the base URL, the HTTP client and the credentials every
//! generated operation sends its requests with. A generated client wraps both in types of its
//! own, which carry the generated methods and the user-facing docs.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::display::redact_userinfo;
use crate::error::BuildError;
use crate::redirect::RedirectPolicy;
use crate::request::{Request, SecurityScheme};
use crate::retry::RetryPolicy;

/// The body limit for decoded responses: 32 MiB. JSON APIs rarely send a single response over a
/// few megabytes, while decoding one into Rust values takes several times its size again; a
/// larger export is better streamed with `send_raw`, which no limit applies to.
pub(crate) const DEFAULT_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// How much of an error body is kept: 64 KiB. Error bodies are messages for people; a larger
/// one is an HTML page from a proxy, whose start says all there is to say.
pub(crate) const DEFAULT_ERROR_BODY_LIMIT: usize = 64 * 1024;

/// How long connecting may take: 10 s, many times a slow TLS handshake across the world.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the server may stay silent while a response is awaited or read: 30 s.
pub(crate) const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a whole call may take, retries and their waits included: 5 minutes. It bounds what
/// the read timeout cannot, a server that dribbles a byte at a time, also on a caller's own HTTP
/// client; a decoded body within the body limit takes seconds.
pub(crate) const DEFAULT_DEADLINE: Duration = Duration::from_secs(5 * 60);

/// How many pages a listing fetches at most: 10,000, a million items at 100 a page, while a
/// server that never ends a listing is stopped after minutes rather than never.
pub(crate) const DEFAULT_MAX_PAGES: u64 = 10_000;

/// A connection to one API server. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    /// The base URL as given, without a trailing `/`, so operation paths can be appended.
    pub(crate) base_url: String,
    /// The base URL's origin, which redirects stay within by default.
    pub(crate) origin: url::Origin,
    pub(crate) http: reqwest::Client,
    /// Credentials keyed by the name of the security scheme they belong to.
    pub(crate) credentials: BTreeMap<&'static str, Credential>,
    pub(crate) config: Arc<Config>,
}

/// Sees, and may change, every request just before it is sent (each attempt of a call).
pub type RequestHook = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;
/// Sees every response as soon as its headers arrive (each attempt of a call), before the body
/// is read.
pub type ResponseHook = Arc<dyn Fn(&reqwest::Response) + Send + Sync>;

/// What every call of a client shares: retries, timeouts, limits, extra headers and hooks.
pub(crate) struct Config {
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Duration,
    pub(crate) body_limit: usize,
    pub(crate) error_body_limit: usize,
    pub(crate) redirect: RedirectPolicy,
    pub(crate) max_pages: u64,
    pub(crate) default_headers: HeaderMap,
    pub(crate) request_hooks: Vec<RequestHook>,
    pub(crate) response_hooks: Vec<ResponseHook>,
    /// Values of path parameters set once for every operation (see [`ClientBuilder::path_setting`]).
    pub(crate) path_settings: BTreeMap<&'static str, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            retry: RetryPolicy::default(),
            timeout: None,
            deadline: DEFAULT_DEADLINE,
            body_limit: DEFAULT_BODY_LIMIT,
            error_body_limit: DEFAULT_ERROR_BODY_LIMIT,
            redirect: RedirectPolicy::default(),
            max_pages: DEFAULT_MAX_PAGES,
            default_headers: HeaderMap::new(),
            request_hooks: Vec::new(),
            response_hooks: Vec::new(),
            path_settings: BTreeMap::new(),
        }
    }
}

/// A secret for one security scheme. It has no `Debug` so that it cannot end up in a log.
#[derive(Clone)]
pub(crate) enum Credential {
    /// An API key or bearer token, with the header that carries it when its scheme sends it in
    /// one (made once here rather than on every call; `None` for keys sent in the query).
    Secret {
        value: String,
        header: Option<(HeaderName, HeaderValue)>,
    },
    Basic {
        username: String,
        password: String,
    },
}

impl Client {
    /// The credential set for `scheme`, when it is of the kind the scheme needs.
    pub(crate) fn credential_for(&self, scheme: &SecurityScheme) -> Option<&Credential> {
        self.credentials.get(scheme.name()).filter(|credential| crate::request::fits(scheme, credential))
    }

    /// Starts configuring a client for the server at `base_url`, such as
    /// `https://tenant.example.com`; a path prefix like `/api/v2` is kept. `user_agent` is what
    /// the HTTP client this builder creates sends, so server logs can tell the client apart:
    /// the generated crate's name and version.
    pub fn builder(base_url: impl Into<String>, user_agent: &'static str) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            user_agent,
            http: None,
            credentials: BTreeMap::new(),
            config: Config::default(),
            connect_timeout: None,
            read_timeout: None,
            error: None,
        }
    }

    /// The value set for the path parameter `name` with [`ClientBuilder::path_setting`]; the
    /// generated operations fall back to the document's default without one.
    pub fn path_setting(&self, name: &str) -> Option<&str> {
        self.config.path_settings.get(name).map(String::as_str)
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a request to `path`, which begins with `/` and has its parameters already encoded.
    pub fn request(&self, method: reqwest::Method, path: String) -> Request<'_> {
        Request::new(self, method, path)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Client")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. A generated client's builder forwards to these methods and adds
/// one method per security scheme of the API, which calls [`credential`](Self::credential) or
/// [`basic_credential`](Self::basic_credential).
///
/// ```
/// use std::time::Duration;
/// use openapi_client_runtime::{Client, RetryPolicy};
///
/// let client = Client::builder("https://tenant.example.com", "my-client/1.0")
///     .retry(RetryPolicy::default().max_attempts(5))
///     .timeout(Duration::from_secs(30))
///     .connect_timeout(Duration::from_secs(5))
///     .default_header("X-Team", "integrations")
///     .on_request(|request| eprintln!("-> {} {}", request.method(), request.url()))
///     .on_response(|response| eprintln!("<- {}", response.status()))
///     .build()?;
/// # Ok::<(), openapi_client_runtime::BuildError>(())
/// ```
pub struct ClientBuilder {
    base_url: String,
    user_agent: &'static str,
    http: Option<reqwest::Client>,
    credentials: BTreeMap<&'static str, Credential>,
    config: Config,
    /// Settings of the HTTP client this builder creates, when the caller chose them.
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    /// The first invalid setting, reported by `build`.
    error: Option<BuildError>,
}

impl ClientBuilder {
    /// Uses the caller's own HTTP client, for proxies or certificates. Its own settings (user
    /// agent, connect and read timeouts) then apply instead of this builder's defaults. Build
    /// it with `.redirect(reqwest::redirect::Policy::none())`, or it follows redirects by its
    /// own policy before [`redirect`](Self::redirect) sees them.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How calls are retried unless a call says otherwise; see [`RetryPolicy`]. Use
    /// [`RetryPolicy::never`] to turn retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// The longest each attempt of a call may take, from connecting until the response body is
    /// read; a call can set its own with `.timeout(...)`. No limit by default: the read timeout
    /// and the deadline bound every call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take; 10 s by default. It is a setting of the HTTP client
    /// this builder creates, so it cannot be combined with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The longest the server may stay silent, while the client waits for the response or for
    /// the next bytes of its body; 30 s by default. It is a setting of the HTTP client this
    /// builder creates, so it cannot be combined with [`http_client`](Self::http_client).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The longest a whole call may take: every attempt, redirect and wait between attempts,
    /// and reading the body it decodes. A wait for a retry that would pass it ends the call
    /// with a timeout error at once. 5 minutes by default; a call can set its own with
    /// `.deadline(...)`, and `Duration::MAX` means none.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.config.deadline = deadline;
        self
    }

    /// The largest response body a call decodes, in bytes; a larger one ends the call with
    /// `Error::TooLarge` as soon as it is known, without being read further. 32 MiB by default;
    /// a call can set its own with `.body_limit(...)`. `send_raw` bodies are not limited.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.config.body_limit = bytes;
        self
    }

    /// How much of the body of an error status is read and kept in `StatusError::body`; the
    /// rest is left unread and `body_truncated` is set. 64 KiB by default.
    pub fn error_body_limit(mut self, bytes: usize) -> Self {
        self.config.error_body_limit = bytes;
        self
    }

    /// Which redirects calls follow; see [`RedirectPolicy`]. By default up to 10 within the
    /// base URL's origin.
    pub fn redirect(mut self, policy: RedirectPolicy) -> Self {
        self.config.redirect = policy;
        self
    }

    /// The most pages a paged listing fetches; when more would follow, the listing ends with
    /// `Error::Paging`. 10,000 by default; a call can set its own with `.max_pages(...)`.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.config.max_pages = pages;
        self
    }

    /// A header sent with every request, unless the request sets it itself.
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => {
                self.config.default_headers.append(name, value);
            }
            _ => {
                let error = BuildError::new(format!("default header `{name}` is not a valid header"));
                self.error.get_or_insert(error);
            }
        }
        self
    }

    /// Calls `hook` with every request just before it is sent, each attempt of a call
    /// included, to log it, count it or change it (a refreshed token, a trace header).
    /// Hooks run in the order they were added.
    pub fn on_request(mut self, hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static) -> Self {
        self.config.request_hooks.push(Arc::new(hook));
        self
    }

    /// Calls `hook` with every response as soon as its status and headers arrive, each attempt
    /// of a call included (error statuses and retried ones too).
    pub fn on_response(mut self, hook: impl Fn(&reqwest::Response) + Send + Sync + 'static) -> Self {
        self.config.response_hooks.push(Arc::new(hook));
        self
    }

    /// Checks the base URL, the settings and the credentials, and finishes the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let origin = check_base_url(&self.base_url)?.origin();
        if let Some(error) = self.error {
            return Err(error);
        }
        let http = match self.http {
            Some(_) if self.connect_timeout.is_some() => {
                return Err(BuildError::new(
                    "a connect timeout cannot be set on a caller's own HTTP client; set it on that client",
                ));
            }
            Some(_) if self.read_timeout.is_some() => {
                return Err(BuildError::new(
                    "a read timeout cannot be set on a caller's own HTTP client; set it on that client",
                ));
            }
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent)
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .read_timeout(self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT))
                // The attempt loop follows redirects itself, by the client's `RedirectPolicy`.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| BuildError::new(format!("could not create the HTTP client: {error}")))?,
        };
        Ok(Client {
            base_url: self.base_url.trim_end_matches('/').to_owned(),
            origin,
            http,
            credentials: self.credentials,
            config: Arc::new(self.config),
        })
    }

    /// Sets the value of the path parameter `name` for every operation whose path has it, in
    /// place of the document's default: the generated client's setting methods (such as an API
    /// version segment) call it.
    pub fn path_setting(mut self, name: &'static str, value: String) -> Self {
        self.config.path_settings.insert(name, value);
        self
    }

    /// Sets the API key or bearer token of `scheme`. A value that cannot be sent (a line
    /// break, a NUL) is reported by [`build`](Self::build), naming the scheme only.
    pub fn credential(mut self, scheme: &'static SecurityScheme, value: String) -> Self {
        let checked = crate::request::check_secret(scheme, &value)
            .and_then(|()| crate::request::credential_header(scheme, &value));
        let header = match checked {
            Ok(header) => header,
            Err(error) => {
                self.error.get_or_insert(error);
                None
            }
        };
        self.credentials.insert(scheme.name(), Credential::Secret { value, header });
        self
    }

    /// Sets the user name and password of the HTTP basic `scheme`. A control character in
    /// either, or a `:` in the user name, is reported by [`build`](Self::build).
    pub fn basic_credential(
        mut self,
        scheme: &'static SecurityScheme,
        username: String,
        password: String,
    ) -> Self {
        if let Err(error) = crate::request::check_basic(scheme, &username, &password) {
            self.error.get_or_insert(error);
        }
        self.credentials.insert(scheme.name(), Credential::Basic { username, password });
        self
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ClientBuilder")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Rejects base URLs that operation paths cannot simply be appended to, and returns the URL.
/// The messages quote it without its userinfo, which may hold a password.
fn check_base_url(base_url: &str) -> Result<url::Url, BuildError> {
    let shown = crate::display::cut(&redact_userinfo(base_url), crate::display::TEXT_CHARS);
    let url = url::Url::parse(base_url)
        .map_err(|error| BuildError::new(format!("invalid base URL `{shown}`: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BuildError::new(format!("base URL `{shown}` must start with http:// or https://")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BuildError::new(format!(
            "base URL `{shown}` must not have a query or fragment, since operation paths are appended to it"
        )));
    }
    Ok(url)
}

/// A client without credentials, as tests need many.
#[cfg(test)]
pub(crate) fn test_client(base_url: impl Into<String>) -> Result<Client, BuildError> {
    Client::builder(base_url, "test").build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::test_schemes::{API_KEY, BASIC, BEARER, COOKIE_KEY, QUERY_KEY};

    #[test]
    fn base_urls() {
        let cases = [
            ("https://tenant.example.com", Ok("https://tenant.example.com")),
            ("https://tenant.example.com/", Ok("https://tenant.example.com")),
            ("http://127.0.0.1:8080/api/v2/", Ok("http://127.0.0.1:8080/api/v2")),
            ("tenant.example.com", Err("invalid base URL `tenant.example.com`: relative URL without a base")),
            (
                "ftp://tenant.example.com",
                Err("base URL `ftp://tenant.example.com` must start with http:// or https://"),
            ),
            (
                "https://tenant.example.com/?a=1",
                Err(
                    "base URL `https://tenant.example.com/?a=1` must not have a query or fragment, since operation paths are appended to it",
                ),
            ),
            (
                "https://tenant.example.com/#top",
                Err(
                    "base URL `https://tenant.example.com/#top` must not have a query or fragment, since operation paths are appended to it",
                ),
            ),
        ];
        for (base_url, expected) in cases {
            let result = test_client(base_url);
            let actual = result.as_ref().map(Client::base_url).map_err(BuildError::message);
            assert_eq!(actual, expected, "{base_url}");
        }
    }

    #[test]
    fn path_settings_are_kept_by_name() {
        let client = Client::builder("https://tenant.example.com", "test")
            .path_setting("apiVersion", "v5".to_owned())
            .path_setting("apiVersion", "v6".to_owned())
            .build()
            .unwrap();
        assert_eq!(client.path_setting("apiVersion"), Some("v6"));
        assert_eq!(client.path_setting("region"), None);
    }

    #[test]
    fn debug_hides_credentials() {
        let builder = Client::builder("https://tenant.example.com", "test")
            .credential(&API_KEY, "secret-key".to_owned())
            .basic_credential(&BASIC, "ada".to_owned(), "secret-password".to_owned());
        let builder_debug = format!("{builder:?}");
        let client_debug = format!("{:?}", builder.build().unwrap());
        assert_eq!(
            client_debug,
            r#"Client { base_url: "https://tenant.example.com", credentials: ["ApiKeyAuth", "BasicAuth"], .. }"#
        );
        for debug in [builder_debug, client_debug] {
            assert!(!debug.contains("secret"), "{debug}");
        }
    }

    #[test]
    fn userinfo_never_shows() {
        let base_url = "https://ada:secret-password@tenant.example.com/api";
        let builder_debug = format!("{:?}", Client::builder(base_url, "test"));
        assert_eq!(
            format!("{:?}", test_client(base_url).unwrap()),
            r#"Client { base_url: "https://***@tenant.example.com/api", credentials: [], .. }"#
        );
        assert!(!builder_debug.contains("secret"), "{builder_debug}");
        let cases = [
            (
                "https://ada:secret@tenant.example.com:99999",
                "invalid base URL `https://***@tenant.example.com:99999`: invalid port number",
            ),
            (
                "ftp://ada:secret@tenant.example.com",
                "base URL `ftp://***@tenant.example.com` must start with http:// or https://",
            ),
            (
                "ada:secret@tenant.example.com",
                "base URL `***@tenant.example.com` must start with http:// or https://",
            ),
        ];
        for (base_url, expected) in cases {
            assert_eq!(test_client(base_url).unwrap_err().message(), expected);
        }
    }

    #[test]
    fn credentials_are_checked_when_built() {
        let control = |scheme: &str| {
            format!(
                "the credential of `{scheme}` contains a control character (a line break, NUL or the like), which \
                 no credential can hold"
            )
        };
        let cases = [
            (&API_KEY, "Token abc", None),
            (&API_KEY, "Token abc\r\nX-Admin: yes", Some(control("ApiKeyAuth"))),
            (&API_KEY, "Token\0abc", Some(control("ApiKeyAuth"))),
            (&QUERY_KEY, "a b&c;d", None),
            (&QUERY_KEY, "abc\n", Some(control("QueryKey"))),
            (&COOKIE_KEY, "abc", None),
            (
                &COOKIE_KEY,
                "abc; admin=yes",
                Some("the credential of `CookieKey` contains `;`, which would end its cookie".to_owned()),
            ),
            (&BEARER, "tøken", None),
            (&BEARER, "tok\ten", Some(control("BearerAuth"))),
        ];
        for (scheme, value, expected) in cases {
            let built = Client::builder("https://tenant.example.com", "test")
                .credential(scheme, value.to_owned())
                .build();
            assert_eq!(built.as_ref().err().map(BuildError::message), expected.as_deref(), "{value:?}");
        }
        let basic_cases = [
            ("ada", "pass:word", None),
            ("ada", "pass\nword", Some(control("BasicAuth"))),
            ("a\0da", "password", Some(control("BasicAuth"))),
            (
                "a:da",
                "password",
                Some(
                    "the user name of `BasicAuth` contains `:`, which basic authentication reads as the start of \
                     the password"
                        .to_owned(),
                ),
            ),
        ];
        for (username, password, expected) in basic_cases {
            let built = Client::builder("https://tenant.example.com", "test")
                .basic_credential(&BASIC, username.to_owned(), password.to_owned())
                .build();
            assert_eq!(built.as_ref().err().map(BuildError::message), expected.as_deref(), "{username:?}");
        }
    }
}
