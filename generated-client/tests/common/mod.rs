//! Helpers shared by the integration tests: a local mock server, a client pointed at it under a
//! path prefix, the sample user sent and received, and checks of what the server received.

// Each test binary compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, TimeZone};
use infraon_client::models::{UserList, UserListRequest};
use std::time::Duration;

use infraon_client::{Client, Nullable, RetryPolicy, reqwest};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The API key every client is configured with; it must reach the server exactly as given.
pub const API_KEY: &str = "Token 0123456789abcdef";

/// The path prefix of the base URL, which every request path must keep.
pub const PREFIX: &str = "/tenant-a/api";

/// An HTTP client without proxies, so that a proxy configured on the machine cannot intercept
/// requests to the local server.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// The base URL of `server` with the path prefix.
pub fn base_url(server: &MockServer) -> String {
    format!("{}{PREFIX}", server.uri())
}

/// A client with the API key, pointed at `server` under the path prefix.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder(base_url(server)).api_key_auth(API_KEY).http_client(http()).build().unwrap()
}

/// A server answering every request with `response`, and a client pointed at it.
pub async fn serve(response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    let client = client_for(&server);
    (server, client)
}

/// A server answering every request with 200 and `body` as JSON.
pub async fn serve_json(body: Value) -> (MockServer, Client) {
    serve(ResponseTemplate::new(200).set_body_json(body)).await
}

/// A server answering the first `failures` requests with `failure`, and 200 with a user after.
pub async fn failing(failures: u64, failure: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(failure).up_to_n_times(failures).with_priority(1).mount(&server).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json()))
        .mount(&server)
        .await;
    server
}

/// Retries that wait a few milliseconds, so tests stay fast.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().delays(Duration::from_millis(2), Duration::from_millis(4))
}

/// A client without credentials that retries quickly.
pub fn quick_retry_client(server: &MockServer) -> Client {
    Client::builder(base_url(server)).http_client(http()).retry(quick_retries()).build().unwrap()
}

pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = requests(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// The values of header `name`, in order.
pub fn header_values<'a>(request: &'a Request, name: &str) -> Vec<&'a str> {
    request.headers.get_all(name).iter().map(|value| value.to_str().unwrap()).collect()
}

/// Checks the method, the path under the prefix, the raw query string and the API key.
pub fn assert_request(request: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(request.method.as_str(), method, "method of {}", request.url);
    assert_eq!(request.url.path(), format!("{PREFIX}{path}"), "path of {}", request.url);
    assert_eq!(request.url.query(), query, "query of {}", request.url);
    assert_eq!(header_values(request, "authorization"), [API_KEY], "authorization of {}", request.url);
}

/// Checks that the body is `expected`, sent as JSON.
pub fn assert_json_body(request: &Request, expected: &Value) {
    assert_eq!(header_values(request, "content-type"), ["application/json"], "{}", request.url);
    let body: Value = request.body_json().expect("the body is JSON");
    assert_eq!(&body, expected, "body of {}", request.url);
}

/// Checks that the request carries no body at all.
pub fn assert_no_body(request: &Request) {
    assert!(request.headers.get("content-type").is_none(), "{:?}", request.headers);
    assert!(request.body.is_empty(), "{:?}", String::from_utf8_lossy(&request.body));
}

/// The instant `2024-05-01T10:20:30` at `offset_seconds` east of UTC, plus `micros`.
pub fn time(offset_seconds: i32, hour: u32, micros: i64) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(offset_seconds).unwrap();
    offset.with_ymd_and_hms(2024, 5, 1, hour, 20, 30).unwrap() + chrono::TimeDelta::microseconds(micros)
}

/// A `UserList` response with every property set, as the server sends it.
pub fn user_json() -> Value {
    json!({
        "profile_id": "P-1",
        "user": 42,
        "profile": "Administrator",
        "creation_time": "2024-05-01T10:20:30Z",
        "profile_image": "/media/profile/p-1.png",
        "avatar": "AL",
        "email": "ada@example.com",
        "name": "Ada Lovelace",
        "is_active": true,
        "last_loggged_in": "2024-05-02 08:00:00",
        "customer_id": [1, "two", null, {"k": [true]}],
        "customer_entity_id": [],
        "actual_username": "ada",
        "is_multiple_customer_user": false,
        "is_profile_image": true
    })
}

/// [`user_json`] decoded.
pub fn user() -> UserList {
    UserList {
        user: Some(42),
        creation_time: Some(time(0, 10, 0)),
        email: Some("ada@example.com".to_owned()),
        is_active: Some(true),
        customer_id: Some(vec![json!(1), json!("two"), Value::Null, json!({"k": [true]})]),
        customer_entity_id: Some(Vec::new()),
        is_multiple_customer_user: Some(false),
        is_profile_image: Some(true),
        ..UserList::new(
            "P-1",
            "Administrator",
            "/media/profile/p-1.png",
            "AL",
            "Ada Lovelace",
            "2024-05-02 08:00:00",
            "ada",
        )
    }
}

/// A request body with every writable property set.
pub fn user_request() -> UserListRequest {
    UserListRequest {
        user: Some(7),
        creation_time: Some(time(19_800, 10, 0)),
        email: Nullable::Value("ada@example.com".to_owned()),
        is_active: Some(true),
        customer_id: Some(vec![json!(1), json!("two"), json!(true)]),
        customer_entity_id: Some(vec![json!(9)]),
        is_multiple_customer_user: Some(false),
        is_profile_image: Some(true),
        ..UserListRequest::new("P-1")
    }
}

/// [`user_request`] as JSON on the wire.
pub fn user_request_json() -> Value {
    json!({
        "profile_id": "P-1",
        "user": 7,
        "creation_time": "2024-05-01T10:20:30+05:30",
        "email": "ada@example.com",
        "is_active": true,
        "customer_id": [1, "two", true],
        "customer_entity_id": [9],
        "is_multiple_customer_user": false,
        "is_profile_image": true
    })
}
