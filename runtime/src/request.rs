//! `Request` and `Response`: how generated operations turn parameters, bodies and credentials
//! into an HTTP request, and the response back into typed values or errors.

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{Client, Credential};
use crate::decode::located;
use crate::display::{TEXT_CHARS, cut, redact_userinfo};
use crate::error::{BuildError, DecodeError, Endpoint, Error, ErrorBody, StatusError};
use crate::send::{CallOptions, Reading, Received};
use crate::upload::Form;

/// Everything but the RFC 3986 unreserved characters, so a value can never leave its segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The longest URL the HTTP library can send (`http::Uri` stops at 65,534 bytes). A longer one
/// is a build error up front; sent, it would fail as a transport error quoting all of it.
const MAX_URL_BYTES: usize = u16::MAX as usize - 1;

/// One security scheme of the specification, as a constant in the generated code.
pub enum SecurityScheme {
    /// A key sent in a header, query parameter or cookie named `parameter`.
    ApiKey { name: &'static str, location: ApiKeyLocation, parameter: &'static str },
    /// `Authorization: Bearer <token>`.
    Bearer { name: &'static str },
    /// `Authorization: Basic <base64 of user:password>`.
    Basic { name: &'static str },
}

impl SecurityScheme {
    /// The name of the scheme in the specification's `securitySchemes`.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            SecurityScheme::ApiKey { name, .. }
            | SecurityScheme::Bearer { name }
            | SecurityScheme::Basic { name } => name,
        }
    }
}

pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// How a request body is sent, among the media types the operation accepts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json`.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`.
    FormUrlEncoded,
    /// `multipart/form-data`, one text part per field.
    Multipart,
}

/// Encodes a path parameter so that it stays inside its own segment.
///
/// Empty values and the dot segments `.` and `..` are rejected: URL parsers resolve dot segments
/// even when percent-encoded, which would silently send the request to another path.
pub fn path_segment(name: &str, value: &impl std::fmt::Display) -> Result<String, BuildError> {
    let text = value.to_string();
    if text.is_empty() {
        return Err(BuildError::new(format!("path parameter `{name}` is empty")));
    }
    if text == "." || text == ".." {
        return Err(BuildError::new(format!("path parameter `{name}` must not be `{text}`")));
    }
    Ok(utf8_percent_encode(&text, PATH_SEGMENT).to_string())
}

/// A request body, serialized as soon as the operation hands it over.
enum Body {
    /// Encoded once; each attempt shares the bytes.
    Json(Bytes),
    /// Sent as is, with its content type.
    Raw(Bytes, &'static str),
    Form(Bytes),
    Multipart(Vec<(String, String)>),
    /// Multipart with file parts, rebuilt for each attempt.
    Files(Form),
}

impl Body {
    /// Whether the body can be sent again by a retry.
    fn is_replayable(&self) -> bool {
        match self {
            Body::Files(form) => form.is_replayable(),
            _ => true,
        }
    }

    /// Adds the body to the request of one attempt; `None` when it cannot be sent again.
    async fn attach(
        &mut self,
        builder: reqwest::RequestBuilder,
    ) -> Result<Option<reqwest::RequestBuilder>, BuildError> {
        Ok(Some(match self {
            Body::Json(bytes) => builder.header(CONTENT_TYPE, "application/json").body(bytes.clone()),
            Body::Raw(bytes, content_type) => builder.header(CONTENT_TYPE, *content_type).body(bytes.clone()),
            Body::Form(text) => {
                builder.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(text.clone())
            }
            Body::Multipart(pairs) => {
                let form = pairs.iter().fold(reqwest::multipart::Form::new(), |form, (name, value)| {
                    form.text(name.clone(), value.clone())
                });
                builder.multipart(form)
            }
            Body::Files(form) => match form.next_form().await? {
                Some(form) => builder.multipart(form),
                None => return Ok(None),
            },
        }))
    }
}

/// A request being assembled by a generated operation.
///
/// The methods do not return errors, to keep the generated code short; the first failure is
/// kept and returned when the request is sent.
pub struct Request<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Body>,
    /// The schemes whose credentials are sent: the first set the client can satisfy.
    security: &'static [&'static SecurityScheme],
    error: Option<BuildError>,
    /// The operationId and path template, for hooks and tracing.
    operation: (&'static str, &'static str),
    options: CallOptions,
    /// An absolute URL replacing base URL, path and query: the next page of a listing.
    url: Option<url::Url>,
}

impl<'a> Request<'a> {
    pub(crate) fn new(client: &'a Client, method: Method, path: String) -> Request<'a> {
        Request {
            client,
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            security: &[],
            error: None,
            operation: ("", ""),
            options: CallOptions::default(),
            url: None,
        }
    }

    /// Names the operation (its operationId and path template) and takes the caller's options
    /// for this call.
    pub fn operation(&mut self, id: &'static str, template: &'static str, options: CallOptions) {
        self.operation = (id, template);
        self.options = options;
    }

    /// A copy for another page of the same listing; `None` when the body cannot be copied.
    pub(crate) fn try_clone(&self) -> Option<Request<'a>> {
        let body = match &self.body {
            None => None,
            Some(Body::Json(bytes)) => Some(Body::Json(bytes.clone())),
            Some(Body::Raw(bytes, content_type)) => Some(Body::Raw(bytes.clone(), content_type)),
            Some(Body::Form(text)) => Some(Body::Form(text.clone())),
            Some(Body::Multipart(pairs)) => Some(Body::Multipart(pairs.clone())),
            Some(Body::Files(_)) => return None,
        };
        Some(Request {
            client: self.client,
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body,
            security: self.security,
            error: self.error.clone(),
            operation: self.operation,
            options: self.options.clone(),
            url: self.url.clone(),
        })
    }

    pub(crate) fn client(&self) -> &'a Client {
        self.client
    }

    /// The operation this request is for, which its errors name.
    pub(crate) fn endpoint(&self) -> Endpoint {
        Endpoint::new(self.operation.0, self.method.clone(), self.operation.1)
    }

    /// The most pages a listing starting with this request fetches.
    pub(crate) fn max_pages(&self) -> u64 {
        self.options.max_pages.unwrap_or(self.client.config.max_pages)
    }

    /// The last value of query parameter `name`.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().rev().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Replaces every value of query parameter `name` with `value`.
    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(key, _)| key != name);
        self.query.push((name.to_owned(), value));
    }

    /// Sends the request to `url` instead, which already holds every query parameter.
    pub(crate) fn set_url(&mut self, url: url::Url) {
        self.url = Some(url);
    }

    /// A multipart body with files.
    pub fn multipart(&mut self, form: Form) {
        self.body = Some(Body::Files(form));
    }

    /// Adds a query parameter in form style: `None` is left out, arrays repeat the name, and
    /// each property of an object becomes its own parameter.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match to_value("query parameter", name, value) {
            Ok(value) => self.query.extend(parameter_pairs(name, &value)),
            Err(error) => self.fail(error),
        }
    }

    /// Adds a header parameter: `None` is left out, arrays repeat the header, and objects are
    /// sent as JSON text.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let result = to_value("header", name, value).and_then(|value| {
            let header_name = header_name(name)?;
            for text in header_texts(&value) {
                let header_value = HeaderValue::try_from(text).map_err(|_| {
                    BuildError::new(format!("header `{name}` has a value that is not valid in a header"))
                })?;
                self.headers.append(header_name.clone(), header_value);
            }
            Ok(())
        });
        if let Err(error) = result {
            self.fail(error);
        }
    }

    pub fn body<T: Serialize + ?Sized>(&mut self, body: &T, encoding: BodyEncoding) {
        match encode_body(body, encoding) {
            Ok(body) => self.body = Some(body),
            Err(error) => self.fail(error),
        }
    }

    /// A body sent as is (files, text), for operations whose body is not structured data.
    pub fn raw_body(&mut self, body: Vec<u8>, content_type: &'static str) {
        self.body = Some(Body::Raw(body.into(), content_type));
    }

    /// Picks the credentials to send from the operation's alternative sets of schemes.
    ///
    /// The first set the client has every credential for wins; an empty set means anonymous
    /// access is allowed, so it is taken only when no set with credentials fits. When none
    /// fits, the request goes out without credentials and the server decides: the caller's own
    /// HTTP client may add them, or the operation may work anonymously.
    pub fn security(&mut self, requirements: &'static [&'static [&'static SecurityScheme]]) {
        let client = self.client;
        let satisfied = requirements.iter().find(|schemes| {
            !schemes.is_empty() && schemes.iter().all(|scheme| client.credential_for(scheme).is_some())
        });
        self.security = satisfied.copied().unwrap_or_default();
    }

    /// Sends the request, retrying as configured, and reads the whole response body.
    ///
    /// Generic over the error body type so that generated code can use `?` on it in an
    /// operation returning any `Error<E>`.
    pub(crate) async fn send<E>(self) -> Result<Response, Error<E>> {
        match crate::send::execute(self.prepare()?, Reading::Whole).await? {
            Received::Read(response) => Ok(response),
            Received::Raw(_) => unreachable!("only `Reading::SuccessUnread` leaves a body unread"),
        }
    }

    /// Sends the request, retrying as configured: a success response comes back with its body
    /// unread, an error status with its body read.
    pub(crate) async fn send_raw<E>(self) -> Result<Received, Error<E>> {
        crate::send::execute(self.prepare()?, Reading::SuccessUnread).await
    }

    /// Checks everything collected so far and puts the URL together; the request itself is
    /// made per attempt by [`Prepared::next`]. Errors name the operation.
    fn prepare(self) -> Result<Prepared<'a>, BuildError> {
        let endpoint = self.endpoint();
        self.prepare_unnamed().map_err(|error| error.in_endpoint(|| endpoint))
    }

    fn prepare_unnamed(self) -> Result<Prepared<'a>, BuildError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut query = self.query;
        let mut basic = None;
        for scheme in self.security {
            let Some(credential) = self.client.credential_for(scheme) else { continue };
            match (scheme, credential) {
                (SecurityScheme::Basic { .. }, Credential::Basic { username, password }) => {
                    basic = Some((username.as_str(), password.as_str()));
                }
                (
                    SecurityScheme::ApiKey { location: ApiKeyLocation::Query, parameter, .. },
                    Credential::Secret { value, .. },
                ) => query.push((parameter.to_string(), value.clone())),
                // Header credentials were made when they were set (`build` rejects those that
                // cannot be), and `security` only picks credentials that fit their scheme.
                _ => {}
            }
        }
        let url = match self.url {
            Some(url) => url,
            None => join_url(&self.client.base_url, &self.path, &query)?,
        };
        let length = url.as_str().len();
        if length > MAX_URL_BYTES {
            return Err(BuildError::new(format!(
                "the URL is {length} bytes long, more than the {MAX_URL_BYTES} an HTTP request can carry; \
                 send long values in the request body"
            )));
        }
        Ok(Prepared {
            client: self.client,
            method: self.method,
            operation: self.operation,
            timeout: self.options.timeout.or(self.client.config.timeout),
            options: self.options,
            url,
            other_origin: false,
            headers: self.headers,
            security: self.security,
            basic,
            body: self.body,
        })
    }

    fn fail(&mut self, error: BuildError) {
        // The first failure is the one to report; later ones are often caused by it.
        self.error.get_or_insert(error);
    }
}

/// A request ready to go out, made anew for each attempt.
pub(crate) struct Prepared<'a> {
    pub(crate) client: &'a Client,
    pub(crate) method: Method,
    /// The operationId and path template.
    pub(crate) operation: (&'static str, &'static str),
    pub(crate) options: CallOptions,
    timeout: Option<std::time::Duration>,
    /// Where the next request goes: the operation's URL, or where a redirect pointed.
    url: url::Url,
    /// Whether `url` is on another origin than the base URL's, where neither credentials nor
    /// default headers go.
    other_origin: bool,
    /// The operation's header parameters.
    headers: HeaderMap,
    /// Schemes whose credentials go in a header (made when the credential was set) are sent
    /// from here; the others are already in `url` or `basic`.
    security: &'static [&'static SecurityScheme],
    basic: Option<(&'a str, &'a str)>,
    body: Option<Body>,
}

impl Prepared<'_> {
    /// The operation this request is for, which its errors name.
    pub(crate) fn endpoint(&self) -> Endpoint {
        Endpoint::new(self.operation.0, self.method.clone(), self.operation.1)
    }

    /// Where the next request goes.
    pub(crate) fn url(&self) -> &url::Url {
        &self.url
    }

    /// Sends the following requests to `url`, where a redirect pointed.
    pub(crate) fn redirect(&mut self, url: url::Url) {
        self.other_origin = url.origin() != self.client.origin;
        self.url = url;
    }

    /// The request of the next attempt or redirect, or `None` when its body cannot be sent
    /// again.
    pub(crate) async fn next(&mut self) -> Result<Option<reqwest::Request>, BuildError> {
        let url = self.url.clone();
        let mut headers = self.headers.clone();
        // Another origin gets neither the credentials nor the default headers, which may carry
        // secrets too; only the operation's own header parameters go there.
        let (security, basic, default_headers) = match self.other_origin {
            false => (self.security, self.basic, Some(&self.client.config.default_headers)),
            true => (&[][..], None, None),
        };
        for scheme in security {
            if let Some(Credential::Secret { header: Some((name, value)), .. }) =
                self.client.credential_for(scheme)
            {
                // A credential in `Authorization` replaces a header parameter of that name.
                if name == AUTHORIZATION {
                    headers.insert(name, value.clone());
                } else {
                    headers.append(name, value.clone());
                }
            }
        }
        for (name, value) in default_headers.into_iter().flatten() {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        let mut request = reqwest::Request::new(self.method.clone(), url);
        *request.headers_mut() = headers;
        *request.timeout_mut() = self.timeout;
        let mut builder = reqwest::RequestBuilder::from_parts(self.client.http.clone(), request);
        if let Some((username, password)) = basic {
            // reqwest already base64-encodes the pair and marks the header sensitive.
            builder = builder.basic_auth(username, Some(password));
        }
        let builder = match &mut self.body {
            None => builder,
            Some(body) => match body.attach(builder).await? {
                Some(builder) => builder,
                None => return Ok(None),
            },
        };
        // reqwest's message would quote the URL, which may hold a password or an API key.
        builder
            .build()
            .map(Some)
            .map_err(|error| BuildError::new(format!("invalid request: {}", error.without_url())))
    }

    /// Whether another attempt could send the body again.
    pub(crate) fn is_replayable(&self) -> bool {
        self.body.as_ref().is_none_or(Body::is_replayable)
    }
}

/// A response whose body has been read, ready for the generated code to decode.
pub struct Response {
    pub(crate) endpoint: Endpoint,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// Whether `body` is only the start of an error body, cut at the error body limit.
    pub(crate) body_truncated: bool,
}

impl Response {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Decodes a success body as JSON, reporting where decoding failed.
    ///
    /// An empty body is decoded as `null`, so it is accepted by `Option`, `()` and
    /// `serde_json::Value` and is a decode error for everything else.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let body: &[u8] = if self.body.trim_ascii().is_empty() { b"null" } else { &self.body };
        // Tracking the path slows every decode down; only a failure needs it, so decode plainly
        // first and again with tracking to say where it failed.
        if let Ok(value) = serde_json::from_slice(body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let decoded = match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => deserializer.end().map(|()| value).map_err(|error| (".".to_owned(), error)),
            Err(error) => Err(located(&error.path().to_string(), error.into_inner())),
        };
        decoded.map_err(|(path, source)| {
            let body = String::from_utf8_lossy(&self.body).into_owned();
            Error::Decode(Box::new(DecodeError {
                endpoint: self.endpoint,
                status: self.status,
                body,
                path,
                source,
            }))
        })
    }

    /// Accepts a success response without a documented body, ignoring whatever was sent.
    pub fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// Turns a response with an unexpected status into an error, keeping the raw body.
    /// The body as text, for `text/*` responses; invalid UTF-8 is replaced, not an error.
    pub fn text(self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as sent, for binary responses.
    pub fn bytes(self) -> Vec<u8> {
        self.body.into()
    }

    pub fn error<E: ErrorBody>(self) -> Error<E> {
        let value = E::decode(self.status.as_u16(), &self.body);
        Error::Status(Box::new(StatusError {
            endpoint: self.endpoint,
            status: self.status,
            headers: self.headers,
            body: self.body.into(),
            body_truncated: self.body_truncated,
            value,
        }))
    }
}

fn to_value<T: Serialize + ?Sized>(kind: &str, name: &str, value: &T) -> Result<Value, BuildError> {
    serde_json::to_value(value)
        .map_err(|error| BuildError::new(format!("{kind} `{name}` could not be serialized: {error}")))
}

/// Splits a query parameter into pairs, form style with `explode: true`.
pub(crate) fn parameter_pairs(name: &str, value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            items.iter().filter(|item| !item.is_null()).map(|item| (name.to_owned(), text(item))).collect()
        }
        Value::Object(properties) => properties
            .iter()
            .filter(|(_, property)| !property.is_null())
            .map(|(property_name, property)| (property_name.clone(), text(property)))
            .collect(),
        scalar => vec![(name.to_owned(), text(scalar))],
    }
}

/// The values of a header parameter; a repeated header means the same as a comma-separated one.
pub(crate) fn header_texts(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().filter(|item| !item.is_null()).map(text).collect(),
        other => vec![text(other)],
    }
}

/// Flattens a form or multipart body into name/value pairs.
///
/// `null` becomes an empty value, which Django REST Framework reads as null for nullable
/// fields. Values that have no form encoding of their own (objects, arrays of objects) are sent
/// as JSON text, which is what such servers parse them with.
fn form_pairs(body: &Value) -> Result<Vec<(String, String)>, BuildError> {
    let Value::Object(properties) = body else {
        return Err(BuildError::new(format!(
            "a form body must serialize to an object, found {}",
            kind(body)
        )));
    };
    let mut pairs = Vec::new();
    for (name, value) in properties {
        match value {
            Value::Array(items) if items.iter().all(is_scalar) => {
                pairs.extend(items.iter().map(|item| (name.clone(), text(item))));
            }
            other => pairs.push((name.clone(), text(other))),
        }
    }
    Ok(pairs)
}

fn encode_body<T: Serialize + ?Sized>(body: &T, encoding: BodyEncoding) -> Result<Body, BuildError> {
    match encoding {
        BodyEncoding::Json => serde_json::to_vec(body)
            .map(|it| Body::Json(it.into()))
            .map_err(|error| BuildError::new(format!("the body could not be serialized: {error}"))),
        BodyEncoding::FormUrlEncoded => {
            let pairs = form_pairs(&to_value("body", "form", body)?)?;
            let text = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
            Ok(Body::Form(text.into()))
        }
        BodyEncoding::Multipart => Ok(Body::Multipart(form_pairs(&to_value("body", "multipart", body)?)?)),
    }
}

/// The text of one value: strings as they are, `null` as nothing, anything else as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn fits(scheme: &SecurityScheme, credential: &Credential) -> bool {
    match scheme {
        SecurityScheme::ApiKey { .. } | SecurityScheme::Bearer { .. } => {
            matches!(credential, Credential::Secret { .. })
        }
        SecurityScheme::Basic { .. } => matches!(credential, Credential::Basic { .. }),
    }
}

/// The header that carries `value` for `scheme`: the API key in its header, `name=key` in
/// `Cookie`, `Bearer <token>` in `Authorization`; `None` for query keys and basic credentials.
pub(crate) fn credential_header(
    scheme: &SecurityScheme,
    value: &str,
) -> Result<Option<(HeaderName, HeaderValue)>, BuildError> {
    Ok(Some(match scheme {
        SecurityScheme::ApiKey { location: ApiKeyLocation::Header, parameter, name } => {
            (header_name(parameter)?, secret_header(name, value.to_owned())?)
        }
        SecurityScheme::ApiKey { location: ApiKeyLocation::Cookie, parameter, name } => {
            (COOKIE, secret_header(name, format!("{parameter}={value}"))?)
        }
        SecurityScheme::Bearer { name } => (AUTHORIZATION, secret_header(name, format!("Bearer {value}"))?),
        SecurityScheme::ApiKey { location: ApiKeyLocation::Query, .. } | SecurityScheme::Basic { .. } => {
            return Ok(None);
        }
    }))
}

/// Rejects an API key or token that cannot be sent as it is: control characters (CR, LF, NUL)
/// would end or split the header carrying it, and `;` would end the cookie. The messages name
/// the scheme, never the value.
pub(crate) fn check_secret(scheme: &SecurityScheme, value: &str) -> Result<(), BuildError> {
    check_controls(scheme, value)?;
    if matches!(scheme, SecurityScheme::ApiKey { location: ApiKeyLocation::Cookie, .. })
        && value.contains(';')
    {
        let name = scheme.name();
        return Err(BuildError::new(format!(
            "the credential of `{name}` contains `;`, which would end its cookie"
        )));
    }
    Ok(())
}

/// Rejects a user name or password that basic authentication cannot carry (RFC 7617): control
/// characters, and `:` in the user name, which is where the password starts.
pub(crate) fn check_basic(scheme: &SecurityScheme, username: &str, password: &str) -> Result<(), BuildError> {
    check_controls(scheme, username)?;
    check_controls(scheme, password)?;
    if username.contains(':') {
        let name = scheme.name();
        return Err(BuildError::new(format!(
            "the user name of `{name}` contains `:`, which basic authentication reads as the start of the password"
        )));
    }
    Ok(())
}

fn check_controls(scheme: &SecurityScheme, text: &str) -> Result<(), BuildError> {
    match text.contains(char::is_control) {
        false => Ok(()),
        true => Err(BuildError::new(format!(
            "the credential of `{}` contains a control character (a line break, NUL or the like), which \
             no credential can hold",
            scheme.name()
        ))),
    }
}

fn header_name(name: &str) -> Result<HeaderName, BuildError> {
    HeaderName::try_from(name).map_err(|_| BuildError::new(format!("`{name}` is not a valid header name")))
}

/// A header value carrying a secret, marked sensitive so that it stays out of debug output.
fn secret_header(scheme: &str, text: String) -> Result<HeaderValue, BuildError> {
    // The message names the scheme only: the value itself must never show up in an error.
    let mut value = HeaderValue::try_from(text)
        .map_err(|_| BuildError::new(format!("the credential of `{scheme}` is not valid in a header")))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Appends the encoded path and the query to the base URL, which may have a path of its own.
fn join_url(base_url: &str, path: &str, query: &[(String, String)]) -> Result<url::Url, BuildError> {
    let joined = format!("{base_url}{path}");
    let mut url = url::Url::parse(&joined).map_err(|error| {
        BuildError::new(format!("invalid URL `{}`: {error}", cut(&redact_userinfo(&joined), TEXT_CHARS)))
    })?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
}

/// Security schemes for the runtime's unit tests, as generated code would declare them.
#[cfg(test)]
pub(crate) mod test_schemes {
    use super::{ApiKeyLocation, SecurityScheme};

    pub(crate) const API_KEY: SecurityScheme = SecurityScheme::ApiKey {
        name: "ApiKeyAuth",
        location: ApiKeyLocation::Header,
        parameter: "Authorization",
    };
    pub(crate) const QUERY_KEY: SecurityScheme =
        SecurityScheme::ApiKey { name: "QueryKey", location: ApiKeyLocation::Query, parameter: "key" };
    pub(crate) const COOKIE_KEY: SecurityScheme =
        SecurityScheme::ApiKey { name: "CookieKey", location: ApiKeyLocation::Cookie, parameter: "session" };
    pub(crate) const BEARER: SecurityScheme = SecurityScheme::Bearer { name: "BearerAuth" };
    pub(crate) const BASIC: SecurityScheme = SecurityScheme::Basic { name: "BasicAuth" };
}

#[cfg(test)]
mod tests {
    use super::test_schemes::*;
    use super::*;
    use crate::client::test_client;
    use serde_json::json;

    const UNSET: SecurityScheme = SecurityScheme::Bearer { name: "Unset" };

    /// Alternative sets of security schemes, as the generated code passes them.
    type Requirements = &'static [&'static [&'static SecurityScheme]];

    /// Builds the request without sending it, to inspect what would go on the wire.
    fn build(request: Request<'_>) -> Result<reqwest::Request, BuildError> {
        use futures_util::FutureExt;
        let next = request.prepare()?.next().now_or_never().expect("bodies without files need no waiting");
        Ok(next?.expect("a first attempt is always possible"))
    }

    fn header_text(request: &reqwest::Request, name: &str) -> Vec<String> {
        request.headers().get_all(name).iter().map(|value| value.to_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn path_segments() {
        let cases = [
            ("42", Ok("42")),
            ("a/../b?x#y z", Ok("a%2F..%2Fb%3Fx%23y%20z")),
            ("A-z_0.9~", Ok("A-z_0.9~")),
            ("a+b&c=d%", Ok("a%2Bb%26c%3Dd%25")),
            ("é日", Ok("%C3%A9%E6%97%A5")),
            ("...", Ok("...")),
            ("", Err("path parameter `id` is empty")),
            (".", Err("path parameter `id` must not be `.`")),
            ("..", Err("path parameter `id` must not be `..`")),
        ];
        for (value, expected) in cases {
            let actual = path_segment("id", &value);
            assert_eq!(actual.as_deref().map_err(BuildError::message), expected, "{value}");
        }
        assert_eq!(path_segment("id", &7).unwrap(), "7");
    }

    #[test]
    fn urls() {
        let cases = [
            ("https://tenant.example.com", "/ux/users/", "https://tenant.example.com/ux/users/"),
            ("https://tenant.example.com/", "/ux/users/", "https://tenant.example.com/ux/users/"),
            (
                "https://tenant.example.com/api/v2/",
                "/ux/users/",
                "https://tenant.example.com/api/v2/ux/users/",
            ),
            ("http://127.0.0.1:9/api", "/a%2F..%2Fb/", "http://127.0.0.1:9/api/a%2F..%2Fb/"),
        ];
        for (base_url, path, expected) in cases {
            let client = test_client(base_url).unwrap();
            let request = build(client.request(Method::GET, path.to_owned())).unwrap();
            assert_eq!(request.url().as_str(), expected);
        }
    }

    #[test]
    fn query_pairs() {
        let cases: [(Value, &str); 8] = [
            (json!(true), "name=true"),
            (json!(2.5), "name=2.5"),
            (json!(null), ""),
            (json!("a&b=c+d é"), "name=a%26b%3Dc%2Bd+%C3%A9"),
            (json!([1, null, 2]), "name=1&name=2"),
            (json!({"page": 2, "size": null, "sort": "-id"}), "page=2&sort=-id"),
            (json!([{"a": 1}]), "name=%7B%22a%22%3A1%7D"),
            (json!([]), ""),
        ];
        let client = test_client("https://tenant.example.com").unwrap();
        for (value, expected) in cases {
            let mut request = client.request(Method::GET, "/items/".to_owned());
            request.query("name", &value);
            let request = build(request).unwrap();
            assert_eq!(request.url().query().unwrap_or(""), expected, "{value}");
        }
        let mut request = client.request(Method::GET, "/items/".to_owned());
        request.query("reverse", &None::<bool>);
        request.query("id", &[3, 4][..]);
        assert_eq!(build(request).unwrap().url().as_str(), "https://tenant.example.com/items/?id=3&id=4");
    }

    #[test]
    fn a_url_too_long_to_send_is_a_build_error() {
        let client = test_client("https://tenant.example.com").unwrap();
        let mut request = client.request(Method::GET, "/items/".to_owned());
        request.operation("items_list", "/items/", CallOptions::default());
        request.query("search", &"x".repeat(100_000));
        let error = request.prepare().err().unwrap();
        assert_eq!(
            error.message(),
            "the URL is 100041 bytes long, more than the 65534 an HTTP request can carry; send long values in the \
             request body"
        );
        assert_eq!(error.endpoint().map(Endpoint::operation_id), Some("items_list"));
        let mut request = client.request(Method::GET, "/items/".to_owned());
        request.query("search", &"x".repeat(65_000));
        assert!(request.prepare().is_ok());
    }

    #[test]
    fn headers() {
        let client = test_client("https://tenant.example.com").unwrap();
        let mut request = client.request(Method::GET, "/".to_owned());
        request.header("X-Trace", &Some("abc"));
        request.header("X-Missing", &None::<String>);
        request.header("X-Ids", &[1, 2]);
        let request = build(request).unwrap();
        assert_eq!(header_text(&request, "x-trace"), ["abc"]);
        assert_eq!(header_text(&request, "x-ids"), ["1", "2"]);
        assert!(request.headers().get("x-missing").is_none());
    }

    #[test]
    fn first_build_error_wins() {
        let client = test_client("https://tenant.example.com").unwrap();
        let mut request = client.request(Method::POST, "/".to_owned());
        request.header("X-Bad", "line\nbreak");
        request.header("bad name", "value");
        request.body(&[1, 2], BodyEncoding::FormUrlEncoded);
        let error = build(request).unwrap_err();
        assert_eq!(error.message(), "header `X-Bad` has a value that is not valid in a header");

        let mut request = client.request(Method::POST, "/".to_owned());
        request.body(&[1, 2], BodyEncoding::Multipart);
        assert_eq!(
            build(request).unwrap_err().message(),
            "a form body must serialize to an object, found an array"
        );
    }

    #[test]
    fn form_pair_table() {
        let body = json!({
            "name": "Ada Lovelace",
            "phone": null,
            "active": false,
            "age": 36,
            "tags": ["a", "b"],
            "empty": [],
            "address": {"city": "London"},
            "contacts": [{"kind": "mail"}],
        });
        let expected = [
            ("name", "Ada Lovelace"),
            ("phone", ""),
            ("active", "false"),
            ("age", "36"),
            ("tags", "a"),
            ("tags", "b"),
            ("address", r#"{"city":"London"}"#),
            ("contacts", r#"[{"kind":"mail"}]"#),
        ];
        let expected: Vec<_> =
            expected.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
        assert_eq!(form_pairs(&body).unwrap(), expected);
        assert_eq!(
            form_pairs(&json!("text")).unwrap_err().message(),
            "a form body must serialize to an object, found a string"
        );
    }

    #[test]
    fn security_picks_the_first_satisfiable_set() {
        let client = Client::builder("https://tenant.example.com", "test")
            .credential(&API_KEY, "key-1".to_owned())
            .credential(&QUERY_KEY, "key 2".to_owned())
            .credential(&COOKIE_KEY, "key3".to_owned())
            .credential(&BEARER, "token4".to_owned())
            .basic_credential(&BASIC, "user".to_owned(), "pass".to_owned())
            .build()
            .unwrap();
        // (requirements, "authorization header | cookie header | query")
        let cases: [(Requirements, &str); 7] = [
            (&[&[&API_KEY]], "key-1 |  | "),
            (&[], " |  | "),
            (&[&[], &[&BEARER]], "Bearer token4 |  | "),
            (&[&[&BASIC]], "Basic dXNlcjpwYXNz |  | "),
            (&[&[&QUERY_KEY, &COOKIE_KEY]], " | session=key3 | key=key+2"),
            (&[&[&API_KEY, &COOKIE_KEY], &[&BASIC]], "key-1 | session=key3 | "),
            (&[&[&API_KEY, &UNSET], &[&BASIC]], "Basic dXNlcjpwYXNz |  | "),
        ];
        for (requirements, expected) in cases {
            assert_eq!(authorize(&client, requirements), expected);
        }

        let anonymous = test_client("https://tenant.example.com").unwrap();
        assert_eq!(authorize(&anonymous, &[&[&API_KEY], &[&BEARER]]), " |  | ");
        // A user name and password do not fit an API key scheme, so nothing is sent.
        let mismatched = Client::builder("https://tenant.example.com", "test")
            .basic_credential(&API_KEY, "a".to_owned(), "b".to_owned())
            .build()
            .unwrap();
        assert_eq!(authorize(&mismatched, &[&[&API_KEY]]), " |  | ");
    }

    /// The credentials a request carries, as "authorization | cookie | query".
    fn authorize(client: &Client, requirements: Requirements) -> String {
        let mut request = client.request(Method::GET, "/".to_owned());
        request.security(requirements);
        let request = build(request).unwrap();
        for value in request.headers().values() {
            assert!(value.is_sensitive());
        }
        let authorization = header_text(&request, "authorization").join(",");
        let cookie = header_text(&request, "cookie").join(",");
        format!("{authorization} | {cookie} | {}", request.url().query().unwrap_or(""))
    }

    #[test]
    fn json_decoding() {
        let response = |body: &str| Response {
            endpoint: crate::error::test_endpoint(),
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
            body_truncated: false,
        };
        assert_eq!(response(r#"{"a": 1}"#).json::<Value, ()>().unwrap(), json!({"a": 1}));
        assert_eq!(response("").json::<Option<u32>, ()>().unwrap(), None);
        response(" ").json::<(), ()>().unwrap();
        assert!(response("").headers.is_empty());
        let cases = [
            ("[1, \"x\"]", "[1]", "invalid type: string \"x\", expected u32 at line 1 column 7"),
            ("[1] [2]", ".", "trailing characters at line 1 column 5"),
            ("", ".", "invalid type: null, expected a sequence at line 1 column 4"),
        ];
        for (body, path, message) in cases {
            let Err(Error::Decode(error)) = response(body).json::<Vec<u32>, ()>() else { panic!("{body}") };
            assert_eq!(
                (error.path.as_str(), error.source.to_string().as_str(), error.body.as_str()),
                (path, message, body)
            );
        }
    }

    /// The shape the generator emits for one operation, so a change here that breaks generated
    /// code fails to compile.
    mod generated {
        use crate::client::{Client, ClientBuilder};
        use crate::error::{Error, ErrorBody};
        use crate::nullable::Nullable;
        use crate::request::{ApiKeyLocation, BodyEncoding, SecurityScheme, path_segment};

        const API_KEY_AUTH: SecurityScheme = SecurityScheme::ApiKey {
            name: "ApiKeyAuth",
            location: ApiKeyLocation::Header,
            parameter: "Authorization",
        };

        impl ClientBuilder {
            pub fn test_api_key(self, value: impl Into<String>) -> Self {
                self.credential(&API_KEY_AUTH, value.into())
            }
        }

        #[derive(Debug, serde::Serialize)]
        pub struct UserListRequest {
            pub name: String,
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            pub phone: Nullable<String>,
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            pub email: Nullable<String>,
            pub roles: Vec<u32>,
        }

        #[derive(Debug, PartialEq, serde::Deserialize)]
        pub struct UserList {
            pub id: u32,
            pub name: String,
        }

        #[derive(Debug, PartialEq, serde::Deserialize)]
        pub struct Problem {
            pub detail: String,
        }

        impl ErrorBody for Problem {
            fn decode(_status: u16, body: &[u8]) -> Option<Self> {
                serde_json::from_slice(body).ok()
            }
        }

        #[derive(Debug)]
        pub struct UxCommonUserProfileUpdate {
            pub id: String,
            pub body: UserListRequest,
            pub encoding: BodyEncoding,
            pub reverse: Option<bool>,
            pub trace: Option<String>,
        }

        impl crate::operation::Operation for UxCommonUserProfileUpdate {
            type Output = UserList;
            type ErrorBody = std::convert::Infallible;
            const OPERATION_ID: &'static str = "update";
            const METHOD: reqwest::Method = reqwest::Method::PUT;
            const PATH_TEMPLATE: &'static str = "/ux/common/user/profile/{id}/";

            fn into_request(
                self,
                client: &Client,
                options: crate::send::CallOptions,
            ) -> Result<crate::request::Request<'_>, crate::BuildError> {
                let id = path_segment("id", &self.id)?;
                let path = format!("/ux/common/user/profile/{id}/");
                let mut request = client.request(reqwest::Method::PUT, path);
                request.operation("update", "/ux/common/user/profile/{id}/", options);
                request.query("reverse", &self.reverse);
                request.header("X-Trace", &self.trace);
                request.body(&self.body, self.encoding);
                request.security(&[&[&API_KEY_AUTH]]);
                Ok(request)
            }

            fn decode(response: crate::request::Response) -> Result<UserList, Error> {
                match response.status().as_u16() {
                    200 => response.json(),
                    _ => Err(response.error()),
                }
            }
        }

        pub async fn delete_user(client: &Client, id: u32) -> Result<(), Error<Problem>> {
            let path = format!("/ux/users/{}/", path_segment("id", &id)?);
            let mut request = client.request(reqwest::Method::DELETE, path);
            request.security(&[]);
            let response = request.send().await?;
            match response.status().as_u16() {
                204 => response.empty(),
                _ => Err(response.error()),
            }
        }
    }

    mod server {
        use super::generated::*;
        use crate::client::Client;
        use crate::error::Error;
        use crate::nullable::Nullable;
        use crate::request::BodyEncoding;
        use crate::send::CallOptions;
        use serde_json::json;
        use wiremock::matchers::any;
        use wiremock::{Mock, MockServer, ResponseTemplate};

        /// A server answering every request with `response`, and a client pointed at it.
        async fn serve(response: ResponseTemplate) -> (MockServer, Client) {
            let server = MockServer::start().await;
            Mock::given(any()).respond_with(response).mount(&server).await;
            // No proxy, so that a proxy configured on the machine cannot intercept local requests.
            let http = reqwest::Client::builder().no_proxy().build().unwrap();
            let client = Client::builder(format!("{}/api/v2/", server.uri()), "test")
                .test_api_key("Token secret")
                .http_client(http)
                .build()
                .unwrap();
            (server, client)
        }

        async fn received(server: &MockServer) -> wiremock::Request {
            let mut requests = server.received_requests().await.unwrap();
            assert_eq!(requests.len(), 1);
            requests.remove(0)
        }

        /// Sends the update operation with `encoding`, as a generated client's call does.
        async fn update(client: &Client, encoding: BodyEncoding) -> Result<UserList, Error> {
            let body = UserListRequest {
                name: "Ada Lovelace".to_owned(),
                phone: Nullable::Null,
                email: Nullable::Absent,
                roles: vec![1, 2],
            };
            let operation = UxCommonUserProfileUpdate {
                id: "a/b c".to_owned(),
                body,
                encoding,
                reverse: Some(true),
                trace: Some("trace-1".to_owned()),
            };
            crate::send(client, CallOptions::default(), operation).await
        }

        fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
            request.headers.get(name).map_or("", |value| value.to_str().unwrap())
        }

        #[tokio::test]
        async fn json_request() {
            let (server, client) =
                serve(ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Ada"}))).await;
            let user = update(&client, BodyEncoding::Json).await.unwrap();
            assert_eq!(user, UserList { id: 7, name: "Ada".to_owned() });

            let request = received(&server).await;
            assert_eq!(request.method.as_str(), "PUT");
            assert_eq!(request.url.path(), "/api/v2/ux/common/user/profile/a%2Fb%20c/");
            assert_eq!(request.url.query(), Some("reverse=true"));
            assert_eq!(header(&request, "x-trace"), "trace-1");
            assert_eq!(header(&request, "authorization"), "Token secret");
            assert_eq!(header(&request, "content-type"), "application/json");
            assert_eq!(
                request.body_json::<serde_json::Value>().unwrap(),
                json!({"name": "Ada Lovelace", "phone": null, "roles": [1, 2]})
            );
        }

        #[tokio::test]
        async fn form_request() {
            let (server, client) =
                serve(ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Ada"}))).await;
            update(&client, BodyEncoding::FormUrlEncoded).await.unwrap();

            let request = received(&server).await;
            assert_eq!(header(&request, "content-type"), "application/x-www-form-urlencoded");
            assert_eq!(String::from_utf8(request.body).unwrap(), "name=Ada+Lovelace&phone=&roles=1&roles=2");
        }

        #[tokio::test]
        async fn multipart_request() {
            let (server, client) =
                serve(ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Ada"}))).await;
            update(&client, BodyEncoding::Multipart).await.unwrap();

            let request = received(&server).await;
            assert!(header(&request, "content-type").starts_with("multipart/form-data; boundary="));
            let body = String::from_utf8(request.body).unwrap();
            for part in [
                "name=\"name\"\r\n\r\nAda Lovelace\r\n",
                "name=\"phone\"\r\n\r\n\r\n",
                "name=\"roles\"\r\n\r\n2\r\n",
            ] {
                assert!(body.contains(part), "{part:?} not in {body}");
            }
        }

        #[tokio::test]
        async fn status_error_keeps_the_body() {
            let (_server, client) =
                serve(ResponseTemplate::new(500).set_body_string("database is down")).await;
            let Err(Error::Status(error)) = update(&client, BodyEncoding::Json).await else { panic!() };
            assert_eq!(
                (error.status.as_u16(), error.body_text().as_ref(), error.value),
                (500, "database is down", None)
            );
        }

        #[tokio::test]
        async fn typed_status_error() {
            let (server, client) =
                serve(ResponseTemplate::new(404).set_body_json(json!({"detail": "not found"}))).await;
            let Err(Error::Status(error)) = delete_user(&client, 3).await else { panic!() };
            assert_eq!(error.value, Some(Problem { detail: "not found".to_owned() }));
            let request = received(&server).await;
            assert_eq!((request.method.as_str(), request.url.path()), ("DELETE", "/api/v2/ux/users/3/"));
            // The operation declares no security, so the configured key stays home.
            assert!(request.headers.get("authorization").is_none());
        }

        #[tokio::test]
        async fn empty_success() {
            let (_server, client) = serve(ResponseTemplate::new(204)).await;
            delete_user(&client, 3).await.unwrap();
        }

        #[tokio::test]
        async fn decode_error_keeps_body_and_path() {
            let (_server, client) =
                serve(ResponseTemplate::new(200).set_body_string(r#"{"id": "seven"}"#)).await;
            let Err(Error::Decode(error)) = update(&client, BodyEncoding::Json).await else { panic!() };
            assert_eq!(
                (error.status.as_u16(), error.path.as_str(), error.body.as_str()),
                (200, "id", r#"{"id": "seven"}"#)
            );
        }

        #[tokio::test]
        async fn connection_refused() {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            drop(listener);
            let http = reqwest::Client::builder().no_proxy().build().unwrap();
            let client = Client::builder(format!("http://127.0.0.1:{port}"), "test")
                .http_client(http)
                .build()
                .unwrap();
            let error = update(&client, BodyEncoding::Json).await.unwrap_err();
            assert!(matches!(error, Error::Transport(_)), "{error:?}");
            // The operation, then the cause, which reqwest keeps three sources down.
            let message = error.to_string();
            assert!(
                message.starts_with("update (PUT /ux/common/user/profile/{id}/): request failed: "),
                "{message}"
            );
            assert!(message.contains("Connection refused"), "{message}");
        }
    }
}
