//! `Client` and `ClientBuilder`: the base URL, the HTTP client and the credentials every
//! generated operation sends its requests with. A generated client wraps both in types of its
//! own, which carry the generated methods and the user-facing docs.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::BuildError;
use crate::request::{Request, SecurityScheme};
use crate::retry::RetryPolicy;

/// A connection to one API server. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    /// The base URL as given, without a trailing `/`, so operation paths can be appended.
    pub(crate) base_url: String,
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

/// What every call of a client shares: retries, timeout, extra headers and hooks.
#[derive(Default)]
pub(crate) struct Config {
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Option<Duration>,
    pub(crate) default_headers: HeaderMap,
    pub(crate) request_hooks: Vec<RequestHook>,
    pub(crate) response_hooks: Vec<ResponseHook>,
}

/// A secret for one security scheme. It has no `Debug` so that it cannot end up in a log.
#[derive(Clone)]
pub(crate) enum Credential {
    /// An API key or bearer token, with the header that carries it when its scheme sends it in
    /// one (made once here rather than on every call; `None` when the value cannot be a header
    /// value, which each call then reports).
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
            error: None,
        }
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
            .field("base_url", &self.base_url)
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
    connect_timeout: Option<Duration>,
    /// The first invalid setting, reported by `build`.
    error: Option<BuildError>,
}

impl ClientBuilder {
    /// Uses the caller's own HTTP client, for proxies or certificates. Its own settings (user
    /// agent, connect timeout) then apply instead of this builder's defaults.
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
    /// read; a call can set its own with `.timeout(...)`. No limit by default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take. It is a setting of the HTTP client this builder
    /// creates, so it cannot be combined with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
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

    /// Checks the base URL and the settings and finishes the client.
    pub fn build(self) -> Result<Client, BuildError> {
        check_base_url(&self.base_url)?;
        if let Some(error) = self.error {
            return Err(error);
        }
        let http = match (self.http, self.connect_timeout) {
            (Some(_), Some(_)) => {
                return Err(BuildError::new(
                    "a connect timeout cannot be set on a caller's own HTTP client; set it on that client",
                ));
            }
            (Some(http), None) => http,
            (None, connect_timeout) => {
                let mut builder = reqwest::Client::builder().user_agent(self.user_agent);
                if let Some(timeout) = connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder
                    .build()
                    .map_err(|error| BuildError::new(format!("could not create the HTTP client: {error}")))?
            }
        };
        Ok(Client {
            base_url: self.base_url.trim_end_matches('/').to_owned(),
            http,
            credentials: self.credentials,
            config: Arc::new(self.config),
        })
    }

    /// Sets the API key or bearer token of `scheme`.
    pub fn credential(mut self, scheme: &'static SecurityScheme, value: String) -> Self {
        let header = crate::request::credential_header(scheme, &value).ok().flatten();
        self.credentials.insert(scheme.name(), Credential::Secret { value, header });
        self
    }

    /// Sets the user name and password of the HTTP basic `scheme`.
    pub fn basic_credential(
        mut self,
        scheme: &'static SecurityScheme,
        username: String,
        password: String,
    ) -> Self {
        self.credentials.insert(scheme.name(), Credential::Basic { username, password });
        self
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Rejects base URLs that operation paths cannot simply be appended to.
fn check_base_url(base_url: &str) -> Result<(), BuildError> {
    let url = url::Url::parse(base_url)
        .map_err(|error| BuildError::new(format!("invalid base URL `{base_url}`: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BuildError::new(format!("base URL `{base_url}` must start with http:// or https://")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BuildError::new(format!(
            "base URL `{base_url}` must not have a query or fragment, since operation paths are appended to it"
        )));
    }
    Ok(())
}

/// A client without credentials, as tests need many.
#[cfg(test)]
pub(crate) fn test_client(base_url: impl Into<String>) -> Result<Client, BuildError> {
    Client::builder(base_url, "test").build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::test_schemes::{API_KEY, BASIC};

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
}
