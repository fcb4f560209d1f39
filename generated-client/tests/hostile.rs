//! The client against servers that misbehave on purpose: bodies too large or endless, silence,
//! dribbling, redirects to other origins and from writes, connections cut in the middle of a
//! body, pages without end. Where wiremock cannot misbehave enough, a server written here
//! speaks raw HTTP/1.1 over a local socket; it serves a fixed number of connections and its
//! tasks end with the test's runtime. Limits and timeouts are small so the file stays quick.

mod common;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{API_KEY, quick_retries, user_json, user_request};
use infraon_client::futures_util::StreamExt;
use infraon_client::{Client, ClientBuilder, Error, PagingStop, RedirectPolicy, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const MIB: usize = 1024 * 1024;

/// What a raw server received on one connection.
#[derive(Clone, Debug)]
struct Received {
    head: String,
    body: Vec<u8>,
}

impl Received {
    fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }

    /// The value of header `name`, which the test sends at most once.
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// A raw HTTP/1.1 server on a local port.
struct RawServer {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl RawServer {
    /// Serves at most `connections` connections, one request each: reads the request, then
    /// hands the connection to `respond` with its number (from 0). Each handler ends when it
    /// has answered or the client has gone; the rest ends with the test's runtime.
    async fn start<F, Fut>(connections: usize, respond: F) -> RawServer
    where
        F: Fn(usize, TcpStream) -> Fut + Send + 'static,
        Fut: Future<Output = std::io::Result<()>> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            for index in 0..connections {
                let Ok((mut stream, _)) = listener.accept().await else { return };
                let Ok(request) = read_request(&mut stream).await else { continue };
                log.lock().unwrap().push(request);
                tokio::spawn(respond(index, stream));
            }
        });
        RawServer { url, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// Reads one request: its head, and as many body bytes as its `Content-Length` says.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Received> {
    let mut bytes = Vec::new();
    let mut buffer = [0; 4096];
    let head_end = loop {
        if let Some(end) = bytes.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        bytes.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let mut received = Received { head, body: bytes[head_end..].to_vec() };
    let length: usize = received.header("content-length").map_or(0, |it| it.parse().unwrap());
    while received.body.len() < length {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        received.body.extend_from_slice(&buffer[..read]);
    }
    Ok(received)
}

/// A whole response with `status` (such as `200 OK`), extra header lines and `body`.
fn response(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let head =
        format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n", body.len());
    [head.as_bytes(), body].concat()
}

/// Answers every connection with `bytes`, then closes it.
fn answer(
    bytes: Vec<u8>,
) -> impl Fn(usize, TcpStream) -> std::pin::Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>> {
    move |_, mut stream| {
        let bytes = bytes.clone();
        Box::pin(async move { stream.write_all(&bytes).await })
    }
}

/// A 200 response announcing `announced` bytes of JSON and sending `sent` of them, then
/// ending the connection: with a reset when `reset`, else with an early end of file.
async fn cut_off(mut stream: TcpStream, announced: usize, sent: usize, reset: bool) -> std::io::Result<()> {
    let head =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\n\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&b" ".repeat(sent)).await?;
    stream.flush().await?;
    if reset {
        // Long enough for the client to be reading the body when the reset comes; how long
        // does not change what the test checks.
        tokio::time::sleep(Duration::from_millis(100)).await;
        stream.set_zero_linger()?;
    }
    Ok(())
}

/// A client for `url` with the API key, quick retries and the runtime's own HTTP client,
/// whose redirects, connect and read timeouts are the runtime's.
fn builder(url: &str) -> ClientBuilder {
    Client::builder(url).api_key_auth(API_KEY).retry(quick_retries())
}

// 1. A limit on response bodies; memory stays bounded.

#[tokio::test]
async fn a_body_announced_larger_than_the_limit_is_refused_unread() {
    let head =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", 50 * MIB);
    let server = RawServer::start(1, move |_, mut stream| {
        let head = head.clone();
        async move {
            stream.write_all(head.as_bytes()).await?;
            let zeros = vec![b'0'; 64 * 1024];
            for _ in 0..(50 * 16) {
                stream.write_all(&zeros).await?;
            }
            Ok(())
        }
    })
    .await;
    let client = builder(&server.url).body_limit(MIB).build().unwrap();

    let error = client.user_profile().get("42").await.unwrap_err();

    let Error::TooLarge(too_large) = &error else { panic!("{error:?}") };
    assert_eq!((too_large.limit, too_large.content_length), (MIB, Some(50 * MIB as u64)));
    let message = error.to_string();
    assert!(message.starts_with("ux_common_user_profile_retrieve_2 (GET /ux/common/user/profile/{id}/): "));
    assert!(message.contains("larger than the body limit of 1048576 bytes"), "{message}");
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let server = RawServer::start(1, |_, mut stream| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        stream.write_all(head.as_bytes()).await?;
        let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
        // Until the client hangs up.
        loop {
            stream.write_all(chunk.as_bytes()).await?;
        }
    })
    .await;
    let client = builder(&server.url).build().unwrap();

    let error = client.user_profile().get("42").body_limit(MIB).await.unwrap_err();

    let Error::TooLarge(too_large) = &error else { panic!("{error:?}") };
    assert_eq!((too_large.limit, too_large.content_length), (MIB, None));
}

#[tokio::test]
async fn an_error_body_is_kept_up_to_its_limit() {
    let page = format!("<html><body>{}</body></html>", "Bad gateway. ".repeat(400_000));
    let (_server, client) = common::serve(ResponseTemplate::new(500).set_body_string(page.clone())).await;
    let small = Client::builder(client.base_url())
        .http_client(common::http())
        .error_body_limit(1024)
        .build()
        .unwrap();

    let Err(Error::Status(status)) = small.user_profile().options().await else { panic!() };
    assert_eq!((status.body.as_slice(), status.body_truncated), (&page.as_bytes()[..1024], true));
    assert!(status.to_string().ends_with("(only the first 1024 bytes were read)"), "{status}");

    // The default keeps 64 KiB of the 5 MB page.
    let Err(Error::Status(status)) = client.user_profile().options().await else { panic!() };
    assert_eq!((status.body.len(), status.body_truncated), (64 * 1024, true));
}

#[tokio::test]
async fn send_raw_reads_past_the_body_limit() {
    let body = "a,b\n".repeat(MIB);
    let (_server, client) =
        common::serve(ResponseTemplate::new(200).set_body_raw(body.clone(), "text/csv")).await;

    let raw = client.user_profile().download_csv().body_limit(MIB).send_raw().await.unwrap();

    assert!(format!("{raw:?}").starts_with("RawResponse { endpoint: "), "{raw:?}");
    assert_eq!(raw.bytes().await.unwrap().len(), body.len());
}

// 2. Default read timeout, and a deadline for the whole call.

#[tokio::test]
async fn a_silent_server_hits_the_read_timeout() {
    let server = RawServer::start(1, |_, stream| async move {
        // Holds the connection without a word until the test ends.
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(stream);
        Ok(())
    })
    .await;
    let client = builder(&server.url).read_timeout(Duration::from_millis(200)).build().unwrap();

    let error = client.user_profile().get("42").await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with(
        "ux_common_user_profile_retrieve_2 (GET /ux/common/user/profile/{id}/): request failed: "
    ));
    assert!(message.contains("timed out"), "{message}");
    assert_eq!(server.received().len(), 1, "a timeout is not retried");
}

#[tokio::test]
async fn a_dribbling_server_hits_the_deadline() {
    let server = RawServer::start(1, |_, mut stream| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n";
        stream.write_all(head.as_bytes()).await?;
        // A byte now and then keeps the read timeout from firing, forever.
        loop {
            stream.write_all(b" ").await?;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let client = builder(&server.url).deadline(Duration::from_secs(60)).build().unwrap();

    let error = client.user_profile().get("42").deadline(Duration::from_millis(300)).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert!(
        error.to_string().ends_with("timed out: the call took longer than its deadline of 300ms"),
        "{error}"
    );
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_ends_the_call_instead_of_waiting() {
    let busy = ResponseTemplate::new(503).insert_header("Retry-After", "59");
    let (server, _) = common::serve(busy).await;
    let client = builder(&common::base_url(&server)).deadline(Duration::from_secs(5)).build().unwrap();

    let error = client.user_profile().get("42").await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert!(
        error.to_string().ends_with(
            "timed out: the server asked to wait 59s before a retry, which would pass the call's deadline of 5s"
        ),
        "{error}"
    );
    assert_eq!(common::requests(&server).await.len(), 1);
}

// 3. Redirects only within the base URL's origin, never turning a write into a GET.

/// A server at another origin (another port), counting what reaches it.
async fn other_origin() -> RawServer {
    RawServer::start(4, |_, mut stream| async move {
        let body = serde_json::to_vec(&user_json()).unwrap();
        stream.write_all(&response("200 OK", "content-type: application/json\r\n", &body)).await
    })
    .await
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_an_error_status() {
    let elsewhere = other_origin().await;
    let location = format!("location: {}/steal\r\n", elsewhere.url);
    let server = RawServer::start(2, answer(response("302 Found", &location, b""))).await;
    let client = builder(&server.url).default_header("X-Secret", "s3cr3t").build().unwrap();

    let error = client.user_profile().get("42").await.unwrap_err();

    let Error::Status(status) = &error else { panic!("{error:?}") };
    assert_eq!(status.status.as_u16(), 302);
    assert_eq!(status.headers["location"], format!("{}/steal", elsewhere.url));
    assert!(elsewhere.received().is_empty());
}

#[tokio::test]
async fn other_origins_when_allowed_get_no_credentials_nor_default_headers() {
    let elsewhere = other_origin().await;
    let location = format!("location: {}/moved\r\n", elsewhere.url);
    let server = RawServer::start(1, answer(response("307 Temporary Redirect", &location, b""))).await;
    let policy = RedirectPolicy::default().other_origins(true);
    let client = builder(&server.url).default_header("X-Secret", "s3cr3t").redirect(policy).build().unwrap();

    let user = client.user_profile().get("42").await.unwrap();

    assert_eq!(user.profile_id, "P-1");
    let first = &server.received()[0];
    assert_eq!((first.header("authorization"), first.header("x-secret")), (Some(API_KEY), Some("s3cr3t")));
    let moved = &elsewhere.received()[0];
    assert_eq!(moved.request_line(), "GET /moved HTTP/1.1");
    assert_eq!((moved.header("authorization"), moved.header("x-secret")), (None, None));
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_and_can_be_turned_off() {
    let user = serde_json::to_vec(&user_json()).unwrap();
    let server = RawServer::start(3, move |index, mut stream| {
        let answer = match index {
            1 => response("200 OK", "content-type: application/json\r\n", &user),
            _ => response("301 Moved Permanently", "location: /users/42/\r\n", b""),
        };
        async move { stream.write_all(&answer).await }
    })
    .await;

    builder(&server.url).build().unwrap().user_profile().get("42").await.unwrap();
    let never = builder(&server.url).redirect(RedirectPolicy::none()).build().unwrap();
    let error = never.user_profile().get("42").await.unwrap_err();

    assert_eq!(error.status().map(|it| it.as_u16()), Some(301));
    let lines: Vec<String> = server.received().iter().map(|it| it.request_line().to_owned()).collect();
    assert_eq!(
        lines,
        [
            "GET /ux/common/user/profile/42/ HTTP/1.1",
            "GET /users/42/ HTTP/1.1",
            "GET /ux/common/user/profile/42/ HTTP/1.1"
        ]
    );
}

#[tokio::test]
async fn a_write_is_never_turned_into_a_get() {
    let server = RawServer::start(4, |index, mut stream| async move {
        let status = ["301 Moved Permanently", "302 Found", "303 See Other", "302 Found"][index];
        stream.write_all(&response(status, "location: /elsewhere/\r\n", b"")).await
    })
    .await;
    let client = builder(&server.url).build().unwrap();

    let mut errors = Vec::new();
    for _ in 0..3 {
        errors.push(client.user_profile().update_active_users(user_request()).await.unwrap_err());
    }
    errors.push(client.user_profile().update("42", user_request()).await.unwrap_err());

    let statuses: Vec<_> = errors.iter().map(|it| it.status().map(|status| status.as_u16())).collect();
    assert_eq!(statuses, [Some(301), Some(302), Some(303), Some(302)]);
    let lines: Vec<String> = server.received().iter().map(|it| it.request_line().to_owned()).collect();
    let post = "POST /ux/common/user/profile/active_users/ HTTP/1.1";
    assert_eq!(lines, [post, post, post, "PUT /ux/common/user/profile/42/ HTTP/1.1"]);
}

#[tokio::test]
async fn a_307_resends_the_write_with_its_body_within_the_origin_only() {
    let user = serde_json::to_vec(&user_json()).unwrap();
    let server = RawServer::start(2, move |index, mut stream| {
        let answer = match index {
            0 => response("307 Temporary Redirect", "location: /v2/active_users/\r\n", b""),
            _ => response("200 OK", "content-type: application/json\r\n", &user),
        };
        async move { stream.write_all(&answer).await }
    })
    .await;
    builder(&server.url).build().unwrap().user_profile().update_active_users(user_request()).await.unwrap();
    let received = server.received();
    assert_eq!(received[1].request_line(), "POST /v2/active_users/ HTTP/1.1");
    assert_eq!(received[1].body, received[0].body);
    assert_eq!(serde_json::from_slice::<Value>(&received[1].body).unwrap(), common::user_request_json());

    // The same to another origin is not followed: the body stays home.
    let elsewhere = other_origin().await;
    let location = format!("location: {}/collect\r\n", elsewhere.url);
    let server = RawServer::start(1, answer(response("307 Temporary Redirect", &location, b""))).await;
    let client = builder(&server.url).build().unwrap();
    let error = client.user_profile().update_active_users(user_request()).await.unwrap_err();
    assert_eq!(error.status().map(|it| it.as_u16()), Some(307));
    assert!(elsewhere.received().is_empty());
}

// 4. Bounded `Debug` and `Display`, bodies as text.

#[tokio::test]
async fn debug_and_display_of_a_huge_error_page_stay_short() {
    let page = format!("<html><body>{}</body></html>", "Internal error. ".repeat(320_000)); // 5 MB
    let (_server, client) = common::serve(ResponseTemplate::new(500).set_body_string(page)).await;

    let error = client.user_profile().options().await.unwrap_err();

    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(display.len() < 600, "{} bytes: {display}", display.len());
    assert!(debug.len() < 2000, "{} bytes: {debug}", debug.len());
    assert!(debug.contains(r#"body: "<html><body>Internal error. "#), "{debug}");
    assert!(!debug.contains("[60, 104, 116"), "the body as a list of numbers: {debug}");
}

// 5. Every error names the operation and its root cause.

#[tokio::test]
async fn a_reset_names_its_cause_and_a_post_is_not_retried() {
    let server = RawServer::start(2, |_, stream| cut_off(stream, 2000, 100, true)).await;
    let client = builder(&server.url).build().unwrap();

    let error = client.user_profile().update_active_users(user_request()).await.unwrap_err();

    let message = error.to_string();
    let operation = "ux_common_user_profile_active_users_create (POST /ux/common/user/profile/active_users/)";
    assert!(message.starts_with(&format!("{operation}: request failed: ")), "{message}");
    assert!(message.contains("Connection reset by peer"), "{message}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn an_early_end_of_the_body_names_its_cause() {
    let server = RawServer::start(1, |_, stream| cut_off(stream, 2000, 100, false)).await;
    let client = builder(&server.url).retry(RetryPolicy::never()).build().unwrap();

    let error = client.user_profile().get("42").await.unwrap_err();

    assert!(error.to_string().contains("end of file before message length reached"), "{error}");
    let endpoint = error.endpoint().unwrap();
    assert_eq!(
        (endpoint.operation_id(), endpoint.method().as_str(), endpoint.path_template()),
        ("ux_common_user_profile_retrieve_2", "GET", "/ux/common/user/profile/{id}/")
    );
}

#[tokio::test]
async fn a_rejected_path_parameter_names_the_operation() {
    let client = Client::new("https://tenant.example.com").unwrap();

    let error = client.user_profile().get("..").await.unwrap_err();

    // Rejected before the request exists, and still named by the operation's own constants.
    assert_eq!(
        error.to_string(),
        "ux_common_user_profile_retrieve_2 (GET /ux/common/user/profile/{id}/): could not build the request: \
         path parameter `id` must not be `..`"
    );
}

// 6. A URL too long to send is a build error with a short message.

#[tokio::test]
async fn a_huge_query_value_is_a_short_build_error() {
    let (server, client) = common::serve_json(json!({})).await;

    let error = client.user_profile().list(10, 1).sort("x".repeat(100_000)).await.unwrap_err();

    assert!(matches!(error, Error::Build(_)), "{error:?}");
    let message = error.to_string();
    assert!(message.len() < 300, "{} bytes: {message}", message.len());
    assert!(
        message
            .starts_with("ux_common_user_profile_retrieve (GET /ux/common/user/profile/): could not build")
    );
    assert!(common::requests(&server).await.is_empty());
}

// 7. Paging: no overflow, no endless listings.

/// Answers every request with a page of one user named after the request's number, so that no
/// two pages are alike, and counts the requests.
struct EndlessPages(AtomicUsize);

impl Respond for EndlessPages {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let number = self.0.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json(json!({"data": [{"name": format!("user {number}")}]}))
    }
}

#[tokio::test]
async fn paging_from_the_last_page_number_ends_with_an_error_not_a_panic() {
    let (_server, client) = common::serve_json(json!({"data": [{"name": "Ada"}]})).await;

    let results: Vec<_> = client.user_profile().list(1, i64::MAX).items().collect().await;

    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap()["name"], "Ada");
    let Err(Error::Paging(error)) = &results[1] else { panic!("{:?}", results[1]) };
    assert_eq!((error.pages, error.reason), (1, PagingStop::PageNumberOverflow));
}

#[tokio::test]
async fn a_server_ignoring_the_page_number_is_noticed_on_the_second_page() {
    let (server, client) = common::serve_json(json!({"data": [{"name": "Ada"}]})).await;

    let results: Vec<_> = client.user_profile().list(1, 1).pages().collect().await;

    assert_eq!(results.len(), 2);
    let Err(Error::Paging(error)) = &results[1] else { panic!("{:?}", results[1]) };
    assert_eq!((error.pages, error.reason), (2, PagingStop::Repeated));
    assert_eq!(common::requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_listing_without_end_stops_at_the_page_limit() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(EndlessPages(AtomicUsize::new(0))).mount(&server).await;
    let client =
        builder(&common::base_url(&server)).http_client(common::http()).max_pages(4).build().unwrap();

    let results: Vec<_> = client.user_profile().list(1, 1).pages().collect().await;
    let per_call: Vec<_> = client.user_profile().list(1, 1).max_pages(2).pages().collect().await;

    assert_eq!((results.len(), per_call.len()), (5, 3));
    for (results, pages) in [(&results, 4), (&per_call, 2)] {
        assert!(results[..pages].iter().all(Result::is_ok));
        let Err(Error::Paging(error)) = &results[pages] else { panic!("{:?}", results[pages]) };
        assert_eq!((error.pages, error.reason), (pages as u64, PagingStop::MaxPages));
    }
    assert_eq!(common::requests(&server).await.len(), 6);
}

// 8. A password in the base URL never shows.

#[tokio::test]
async fn userinfo_in_the_base_url_never_shows() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("http://ada:secret-password@{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder(&refused).retry(RetryPolicy::never()).build().unwrap();
    let error = client.user_profile().get("42").await.unwrap_err();
    let bad_base = Client::new("http://ada:secret-password@127.0.0.1:99999").unwrap_err();
    let (server, _) = common::serve(ResponseTemplate::new(200).set_body_string("a,b")).await;
    let with_password = common::base_url(&server).replace("http://", "http://ada:secret-password@");
    let client_2 = Client::builder(with_password).http_client(common::http()).build().unwrap();
    let raw = client_2.user_profile().download_csv().send_raw().await.unwrap();

    assert!(error.to_string().contains("Connection refused"), "{error}");
    let shown = [
        format!("{client:?}"),
        error.to_string(),
        format!("{error:?}"),
        bad_base.to_string(),
        format!("{raw:?}"),
    ];
    for shown in shown {
        assert!(!shown.contains("secret-password"), "{shown}");
    }
    assert!(format!("{client:?}").contains("http://***@127.0.0.1:"), "{client:?}");
}

// 9. A body cut off midway is retried for idempotent calls.

#[tokio::test]
async fn a_body_cut_off_midway_is_retried() {
    let user = serde_json::to_vec(&user_json()).unwrap();
    let server = RawServer::start(3, move |index, mut stream| {
        let user = user.clone();
        async move {
            match index {
                0 => cut_off(stream, 2000, 100, true).await,
                1 => cut_off(stream, 2000, 100, false).await,
                _ => stream.write_all(&response("200 OK", "content-type: application/json\r\n", &user)).await,
            }
        }
    })
    .await;
    let client = builder(&server.url).build().unwrap();

    let user = client.user_profile().get("42").await.unwrap();

    assert_eq!(user.profile_id, "P-1");
    assert_eq!(server.received().len(), 3);
}

// 10. Credentials that cannot be sent are rejected by `build`.

#[test]
fn credentials_with_line_breaks_or_nul_fail_at_build() {
    for key in ["Token abc\r\nX-Admin: yes", "Token abc\0", "Token abc\n"] {
        let error = Client::builder("https://tenant.example.com").api_key_auth(key).build().unwrap_err();
        assert!(error.message().starts_with("the credential of `ApiKeyAuth` contains a control character"));
        assert!(!format!("{error} {error:?}").contains("abc"), "{error:?}");
    }
}
