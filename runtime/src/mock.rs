//! Typed mocks of an API's operations for the tests of code that uses a generated client (cargo
//! feature `mock`), on a local [`wiremock`] server. A generated client's `mock` module has one
//! builder per operation that fills in a [`MockOperation`] with typed values: the path
//! parameters, query parameters, headers and body a request must have, and the response to give
//! it. Expectations are serialized exactly as the client serializes the request, so a mock
//! matches what the client sends and nothing else.
//!
//! A request to the operation's method and path that misses an expectation is not answered by
//! the mock (the server's default is 404), and the [`Mounted`] mock keeps why, so a failing
//! test can say which expectation was wrong.

use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;
use wiremock::{Match, Mock, MockGuard, MockServer, Request, ResponseTemplate};

use crate::request::{header_texts, parameter_pairs, path_segment};

/// The expectations and the response of one mocked operation. For generated code: a generated
/// mock builder holds one and offers typed methods for it.
#[derive(Debug)]
pub struct MockOperation {
    expectations: Expectations,
    response: ResponseTemplate,
}

/// What a request must be to match: checked in order, the first miss is the reason kept.
#[derive(Clone, Debug)]
struct Expectations {
    method: Method,
    /// The path template's parts: literal text and parameter names.
    template: Vec<Segment>,
    path: Vec<(String, String)>,
    /// Expected (name, values) pairs, values as the client writes them.
    query: Vec<(String, Vec<String>)>,
    headers: Vec<(String, Vec<String>)>,
    body: Option<Value>,
    /// Why requests to this operation's method and path did not match, one line each.
    misses: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Literal(String),
    Parameter(String),
}

impl MockOperation {
    /// A mock of the operation at `method` and `path_template` (`/users/{id}/`) that answers
    /// `200 OK` with no body until told otherwise.
    pub fn new(method: Method, path_template: &str) -> MockOperation {
        let expectations = Expectations {
            method,
            template: parse_template(path_template),
            path: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            misses: Arc::default(),
        };
        MockOperation { expectations, response: ResponseTemplate::new(200) }
    }

    /// The path parameter `name` must be `value` (percent-encoded as the client encodes it).
    pub fn path_parameter(mut self, name: &str, value: &impl std::fmt::Display) -> Self {
        let encoded = path_segment(name, value).unwrap_or_else(|error| panic!("mock of {name}: {error}"));
        self.expectations.path.push((name.to_owned(), encoded));
        self
    }

    /// The query parameter `name` must be `value`, serialized as the client serializes it.
    pub fn query(mut self, name: &str, value: &impl Serialize) -> Self {
        let value = serde_json::to_value(value).expect("a mock's query value serializes");
        let mut expected: Vec<(String, Vec<String>)> = Vec::new();
        for (key, text) in parameter_pairs(name, &value) {
            match expected.iter_mut().find(|(existing, _)| *existing == key) {
                Some((_, values)) => values.push(text),
                None => expected.push((key, vec![text])),
            }
        }
        self.expectations.query.extend(expected);
        self
    }

    /// The header `name` must be `value`, serialized as the client serializes it.
    pub fn header(mut self, name: &str, value: &impl Serialize) -> Self {
        let value = serde_json::to_value(value).expect("a mock's header value serializes");
        self.expectations.headers.push((name.to_ascii_lowercase(), header_texts(&value)));
        self
    }

    /// The request body must be this value as JSON.
    pub fn json_body(mut self, value: &impl Serialize) -> Self {
        self.expectations.body = Some(serde_json::to_value(value).expect("a mock's body serializes"));
        self
    }

    /// Answers with `status` and `value` as a JSON body.
    pub fn respond_json(mut self, status: u16, value: &impl Serialize) -> Self {
        self.response = ResponseTemplate::new(status).set_body_json(value);
        self
    }

    /// Answers with `status` and no body.
    pub fn respond_empty(mut self, status: u16) -> Self {
        self.response = ResponseTemplate::new(status);
        self
    }

    /// Answers with `status` and `body` as it is, of `content_type`.
    pub fn respond_raw(mut self, status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.response = ResponseTemplate::new(status).set_body_raw(body.into(), content_type);
        self
    }

    /// Puts the mock on `server` until the returned [`Mounted`] is dropped.
    pub async fn mount(self, server: &MockServer) -> Mounted {
        let misses = self.expectations.misses.clone();
        let guard = Mock::given(self.expectations).respond_with(self.response).mount_as_scoped(server).await;
        Mounted { guard, misses }
    }
}

/// A mock on a server, for as long as this lives.
pub struct Mounted {
    guard: MockGuard,
    misses: Arc<Mutex<Vec<String>>>,
}

impl Mounted {
    /// How many requests matched the mock.
    pub async fn calls(&self) -> usize {
        self.guard.received_requests().await.len()
    }

    /// Why each request to the operation's method and path that did not match missed, such as
    /// ``query `page`: expected ["2"], got ["1"]``.
    pub fn misses(&self) -> Vec<String> {
        self.misses.lock().expect("the misses lock is never poisoned").clone()
    }
}

impl std::fmt::Debug for Mounted {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Mounted").field("misses", &self.misses()).finish_non_exhaustive()
    }
}

impl Match for Expectations {
    fn matches(&self, request: &Request) -> bool {
        if request.method != self.method {
            return false;
        }
        let Some(path) = match_suffix(&self.template, request.url.path()) else { return false };
        match self.miss(request, &path) {
            None => true,
            Some(reason) => {
                let line = format!("{} {}: {reason}", request.method, request.url.path());
                self.misses.lock().expect("the misses lock is never poisoned").push(line);
                false
            }
        }
    }
}

impl Expectations {
    /// The first expectation `request` misses, given its path parameters.
    fn miss(&self, request: &Request, path: &[(String, String)]) -> Option<String> {
        for (name, expected) in &self.path {
            let actual = path.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
            if actual != Some(expected.as_str()) {
                return Some(format!("path parameter `{name}`: expected {expected:?}, got {actual:?}"));
            }
        }
        for (name, expected) in &self.query {
            let actual: Vec<String> = request
                .url
                .query_pairs()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.into_owned())
                .collect();
            if actual != *expected {
                return Some(format!("query `{name}`: expected {expected:?}, got {actual:?}"));
            }
        }
        for (name, expected) in &self.headers {
            let actual: Vec<String> = request
                .headers
                .get_all(name.as_str())
                .iter()
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                .collect();
            if actual != *expected {
                return Some(format!("header `{name}`: expected {expected:?}, got {actual:?}"));
            }
        }
        if let Some(expected) = &self.body {
            match serde_json::from_slice::<Value>(&request.body) {
                Ok(actual) if actual == *expected => {}
                Ok(actual) => return Some(format!("body: expected {expected}, got {actual}")),
                Err(_) => {
                    let text = String::from_utf8_lossy(&request.body);
                    return Some(format!("body: expected {expected} as JSON, got {text:?}"));
                }
            }
        }
        None
    }
}

/// The path parameters of `path` when it ends with `template` after whole segments of its own
/// (the path prefix of a base URL such as `https://host/tenant-a/api`), else `None`.
fn match_suffix(template: &[Segment], path: &str) -> Option<Vec<(String, String)>> {
    path.match_indices('/').find_map(|(start, _)| match_template(template, &path[start..]))
}

fn parse_template(template: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|it| open + it) else { break };
        if open > 0 {
            segments.push(Segment::Literal(rest[..open].to_owned()));
        }
        segments.push(Segment::Parameter(rest[open + 1..close].to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(Segment::Literal(rest.to_owned()));
    }
    segments
}

/// The path parameters of `path` when it fits `template` (each parameter one non-empty path
/// segment, as sent), else `None`.
fn match_template(template: &[Segment], path: &str) -> Option<Vec<(String, String)>> {
    let mut rest = path;
    let mut parameters = Vec::new();
    for (index, segment) in template.iter().enumerate() {
        match segment {
            Segment::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
            Segment::Parameter(name) => {
                // A parameter runs to the next literal text, within one path segment.
                let end = match template.get(index + 1) {
                    Some(Segment::Literal(next)) => rest.find(next.as_str())?,
                    _ => rest.len(),
                };
                let value = &rest[..end];
                if value.is_empty() || value.contains('/') {
                    return None;
                }
                parameters.push((name.clone(), value.to_owned()));
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(parameters)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A template, a path, and the parameters found (`None`: the path does not fit).
    type Case = (&'static str, &'static str, Option<&'static [(&'static str, &'static str)]>);

    #[test]
    fn paths_fit_templates() {
        let cases: [Case; 6] = [
            ("/users/{id}/", "/users/42/", Some(&[("id", "42")])),
            ("/users/{id}/", "/users/", None),
            ("/users/{id}/", "/users/4/2/", None),
            ("/a/{x}.{y}", "/a/b.c", Some(&[("x", "b"), ("y", "c")])),
            ("/users/", "/users/", Some(&[])),
            ("/users/", "/users/x", None),
        ];
        for (template, path, expected) in cases {
            let expected: Option<Vec<(String, String)>> = expected
                .map(|it| it.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect());
            assert_eq!(match_template(&parse_template(template), path), expected, "{template} {path}");
        }
    }

    #[test]
    fn a_base_url_path_prefix_comes_before_the_template() {
        let template = parse_template("/users/{id}/");
        let found = match_suffix(&template, "/tenant-a/api/users/42/");
        assert_eq!(found, Some(vec![("id".to_owned(), "42".to_owned())]));
        assert_eq!(match_suffix(&template, "/tenant-a/api/users/42/x"), None);
    }
}
