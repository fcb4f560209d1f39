//! Retries, timeouts, default headers and hooks, against a local server that fails on purpose.
//! Backoffs are configured in milliseconds so the tests stay quick.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{base_url, failing, http, quick_retries, requests, user_json, user_request};
use infraon_client::{Client, ClientBuilder, Error, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client with the API key whose retries wait a few milliseconds.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder(base_url(server)).api_key_auth(common::API_KEY).http_client(http()).retry(quick_retries())
}

async fn count(server: &MockServer) -> usize {
    requests(server).await.len()
}

#[tokio::test]
async fn idempotent_calls_are_retried_on_429_502_503_504() {
    for status in [429, 502, 503, 504] {
        let server = failing(2, ResponseTemplate::new(status)).await;
        let client = builder(&server).build().unwrap();
        let user = client.user_profile().get("42").await.unwrap();
        assert_eq!(user.profile_id, "P-1", "{status}");
        assert_eq!(count(&server).await, 3, "{status}: two failures, then the success");
    }
}

#[tokio::test]
async fn put_and_delete_are_retried_too() {
    let server = failing(1, ResponseTemplate::new(503)).await;
    let client = builder(&server).build().unwrap();
    client.user_profile().update("42", user_request()).await.unwrap();
    let server_2 = failing(1, ResponseTemplate::new(503)).await;
    let client_2 = builder(&server_2).build().unwrap();
    client_2.user_profile().delete("42").await.unwrap();
    let methods: Vec<String> = requests(&server).await.iter().map(|it| it.method.to_string()).collect();
    assert_eq!(methods, ["PUT", "PUT"]);
    let methods: Vec<String> = requests(&server_2).await.iter().map(|it| it.method.to_string()).collect();
    assert_eq!(methods, ["DELETE", "DELETE"]);
}

#[tokio::test]
async fn other_error_statuses_are_not_retried() {
    for status in [400, 401, 404, 500, 501] {
        let server = failing(5, ResponseTemplate::new(status)).await;
        let client = builder(&server).build().unwrap();
        let error = client.user_profile().get("42").await.unwrap_err();
        assert_eq!(error.status().map(|it| it.as_u16()), Some(status));
        assert_eq!(count(&server).await, 1, "{status}");
    }
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_error_is_returned() {
    let server = failing(100, ResponseTemplate::new(503).set_body_string("busy")).await;
    let client = builder(&server).retry(quick_retries().max_attempts(4)).build().unwrap();
    let Err(Error::Status(error)) = client.user_profile().get("42").await else { panic!() };
    assert_eq!((error.status.as_u16(), error.body_text().as_ref()), (503, "busy"));
    assert_eq!(count(&server).await, 4);
}

#[tokio::test]
async fn a_post_is_not_repeated_unless_the_call_opts_in() {
    let server = failing(2, ResponseTemplate::new(503)).await;
    let client = builder(&server).build().unwrap();
    let error = client.user_profile().update_active_users(user_request()).await.unwrap_err();
    assert_eq!(error.status().map(|it| it.as_u16()), Some(503));
    assert_eq!(count(&server).await, 1, "a POST must not be sent twice by default");

    // The same call, declared safe to repeat by the caller: retried after the second failure,
    // and the body is resent whole.
    client.user_profile().update_active_users(user_request()).idempotent().await.unwrap();
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3);
    assert!(requests[1..].iter().all(|it| it.body == requests[0].body && !it.body.is_empty()));
}

#[tokio::test]
async fn a_call_can_turn_retries_off_or_change_them() {
    let server = failing(100, ResponseTemplate::new(503)).await;
    let client = builder(&server).build().unwrap();
    client.user_profile().get("42").retry(RetryPolicy::never()).await.unwrap_err();
    assert_eq!(count(&server).await, 1);
    client.user_profile().get("42").retry(quick_retries().max_attempts(2)).await.unwrap_err();
    assert_eq!(count(&server).await, 3);
    let never = builder(&server).retry(RetryPolicy::never()).build().unwrap();
    never.user_profile().get("42").await.unwrap_err();
    assert_eq!(count(&server).await, 4);
}

#[tokio::test]
async fn retry_after_in_seconds_is_waited_for() {
    let server = failing(1, ResponseTemplate::new(429).insert_header("Retry-After", "1")).await;
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    client.user_profile().get("42").await.unwrap();
    // The backoff alone would be a few milliseconds; the server asked for a second.
    assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_understood() {
    // A date in the past means "now"; one far in the future is longer than the client waits.
    let past = httpdate::fmt_http_date(std::time::SystemTime::now() - Duration::from_secs(60));
    let server = failing(1, ResponseTemplate::new(503).insert_header("Retry-After", past.as_str())).await;
    builder(&server).build().unwrap().user_profile().get("42").await.unwrap();
    assert_eq!(count(&server).await, 2);

    let future = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    let server = failing(1, ResponseTemplate::new(503).insert_header("Retry-After", future.as_str())).await;
    let error = builder(&server).build().unwrap().user_profile().get("42").await.unwrap_err();
    assert_eq!(error.status().map(|it| it.as_u16()), Some(503));
    assert_eq!(count(&server).await, 1, "an hour is more than max_retry_after allows");
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_returns_the_error() {
    let server = failing(1, ResponseTemplate::new(503).insert_header("Retry-After", "2")).await;
    let policy = quick_retries().max_retry_after(Duration::from_secs(1));
    let client = builder(&server).retry(policy).build().unwrap();
    let started = Instant::now();
    let error = client.user_profile().get("42").await.unwrap_err();
    assert_eq!(error.status().map(|it| it.as_u16()), Some(503));
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(count(&server).await, 1);
}

/// A base URL on a port nothing listens on.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn connection_errors_are_retried_for_idempotent_calls_only() {
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let seen = attempts.clone();
    let client = Client::builder(refused_url())
        .http_client(http())
        .retry(quick_retries().max_attempts(3))
        .on_request(move |request| seen.lock().unwrap().push(request.method().to_string()))
        .build()
        .unwrap();
    let error = client.user_profile().get("42").await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(*attempts.lock().unwrap(), ["GET", "GET", "GET"]);

    attempts.lock().unwrap().clear();
    let error = client.user_profile().update_active_users(user_request()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(*attempts.lock().unwrap(), ["POST"]);
}

#[tokio::test]
async fn timeouts_from_the_client_and_per_call() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(user_json()).set_delay(Duration::from_millis(300));
    Mock::given(any()).respond_with(slow).mount(&server).await;

    let client = builder(&server).timeout(Duration::from_millis(50)).build().unwrap();
    let Err(Error::Transport(error)) = client.user_profile().get("42").await else { panic!() };
    assert!(error.is_timeout(), "{error}");
    assert_eq!(count(&server).await, 1, "a timeout is not retried");

    // A call may allow itself more time than the client default, or less.
    client.user_profile().get("42").timeout(Duration::from_secs(5)).await.unwrap();
    let patient = builder(&server).timeout(Duration::from_secs(5)).build().unwrap();
    let Err(Error::Transport(error)) =
        patient.user_profile().get("42").timeout(Duration::from_millis(50)).await
    else {
        panic!()
    };
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn connect_timeout_belongs_to_the_clients_own_http_client() {
    let built = Client::builder("http://127.0.0.1:9").connect_timeout(Duration::from_secs(1)).build();
    assert!(built.is_ok());
    let error = Client::builder("http://127.0.0.1:9")
        .connect_timeout(Duration::from_secs(1))
        .http_client(http())
        .build();
    assert_eq!(
        error.unwrap_err().message(),
        "a connect timeout cannot be set on a caller's own HTTP client; set it on that client"
    );
}

#[tokio::test]
async fn user_agent_and_default_headers() {
    let (server, _) = common::serve(ResponseTemplate::new(200).set_body_json(user_json())).await;
    // The client's own HTTP client, which names the crate and its version. The server is local,
    // and no proxy is configured in the test environment.
    let client = Client::builder(base_url(&server))
        .default_header("X-Team", "integrations")
        .default_header("Authorization", "Token from-default")
        .api_key_auth(common::API_KEY)
        .build()
        .unwrap();
    client.user_profile().get("42").await.unwrap();
    let request = common::only_request(&server).await;
    let agent = concat!("infraon-client/", env!("CARGO_PKG_VERSION"));
    assert_eq!(common::header_values(&request, "user-agent"), [agent]);
    assert_eq!(common::header_values(&request, "x-team"), ["integrations"]);
    // The operation's credential wins over a default header of the same name.
    assert_eq!(common::header_values(&request, "authorization"), [common::API_KEY]);

    let invalid = Client::builder(base_url(&server)).default_header("X-Bad", "line\nbreak").build();
    assert_eq!(invalid.unwrap_err().message(), "default header `X-Bad` is not a valid header");
}

#[tokio::test]
async fn hooks_see_and_change_every_attempt() {
    let server = failing(1, ResponseTemplate::new(503)).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let (requests_log, responses_log) = (log.clone(), log.clone());
    let client = builder(&server)
        // A token refresh: the hook replaces the credential on every request.
        .on_request(|request| {
            request.headers_mut().insert("authorization", "Token refreshed".parse().unwrap());
        })
        .on_request(move |request| {
            requests_log.lock().unwrap().push(format!("{} {}", request.method(), request.url().path()))
        })
        .on_response(move |response| responses_log.lock().unwrap().push(response.status().to_string()))
        .build()
        .unwrap();
    client.user_profile().get("42").await.unwrap();
    let path = format!("GET {}/ux/common/user/profile/42/", common::PREFIX);
    assert_eq!(*log.lock().unwrap(), [path.as_str(), "503 Service Unavailable", path.as_str(), "200 OK"]);
    for request in requests(&server).await {
        assert_eq!(common::header_values(&request, "authorization"), ["Token refreshed"]);
    }
}
