//! `Client` and `ClientBuilder`: the base URL, the HTTP client and the credentials every
//! generated operation sends its requests with.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::BuildError;
use crate::request::{Request, SecurityScheme};

/// The user agent of the default HTTP client, so server logs can tell this client apart.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A connection to one API server. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    /// The base URL as given, without a trailing `/`, so operation paths can be appended.
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    /// Credentials keyed by the name of the security scheme they belong to.
    pub(crate) credentials: BTreeMap<&'static str, Credential>,
}

/// A secret for one security scheme. It has no `Debug` so that it cannot end up in a log.
#[derive(Clone)]
pub(crate) enum Credential {
    /// An API key or bearer token.
    Secret(String),
    Basic {
        username: String,
        password: String,
    },
}

impl Client {
    /// Starts configuring a client for the server at `base_url`, such as
    /// `https://tenant.example.com`; a path prefix like `/api/v2` is kept.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder { base_url: base_url.into(), http: None, credentials: BTreeMap::new() }
    }

    /// A client without credentials, for servers or operations that need none.
    pub fn new(base_url: impl Into<String>) -> Result<Client, BuildError> {
        Client::builder(base_url).build()
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a request to `path`, which begins with `/` and has its parameters already encoded.
    pub(crate) fn request(&self, method: reqwest::Method, path: String) -> Request<'_> {
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

/// Configures a [`Client`]. The generator adds one method per security scheme of the API.
pub struct ClientBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    credentials: BTreeMap<&'static str, Credential>,
}

impl ClientBuilder {
    /// Uses the caller's own HTTP client, to set timeouts, proxies or certificates.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the base URL and finishes the client.
    pub fn build(self) -> Result<Client, BuildError> {
        check_base_url(&self.base_url)?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .build()
                .map_err(|error| BuildError::new(format!("could not create the HTTP client: {error}")))?,
        };
        Ok(Client {
            base_url: self.base_url.trim_end_matches('/').to_owned(),
            http,
            credentials: self.credentials,
        })
    }

    /// Sets the API key or bearer token of `scheme`.
    pub(crate) fn credential(mut self, scheme: &'static SecurityScheme, value: String) -> Self {
        self.credentials.insert(scheme.name(), Credential::Secret(value));
        self
    }

    /// Sets the user name and password of the HTTP basic `scheme`.
    pub(crate) fn basic_credential(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::ApiKeyLocation;

    const API_KEY: SecurityScheme = SecurityScheme::ApiKey {
        name: "ApiKeyAuth",
        location: ApiKeyLocation::Header,
        parameter: "Authorization",
    };
    const BASIC: SecurityScheme = SecurityScheme::Basic { name: "BasicAuth" };

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
            let result = Client::new(base_url);
            let actual = result.as_ref().map(Client::base_url).map_err(BuildError::message);
            assert_eq!(actual, expected, "{base_url}");
        }
    }

    #[test]
    fn debug_hides_credentials() {
        let builder = Client::builder("https://tenant.example.com")
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
