//! Raw access: status and headers with the decoded value, and the unread body of a response
//! that is not what the specification documents (the CSV export documented as JSON).

mod common;

use common::{serve, user_json};
use infraon_client::futures_util::StreamExt;
use infraon_client::{Error, reqwest};
use wiremock::ResponseTemplate;

#[tokio::test]
async fn send_with_response_keeps_status_and_headers() {
    let response = ResponseTemplate::new(201).set_body_json(user_json()).insert_header("X-Request-Id", "r-7");
    let (_server, client) = serve(response).await;
    let response = client.user_profile().get("42").send_with_response().await.unwrap();
    assert_eq!(response.status, reqwest::StatusCode::CREATED);
    assert_eq!(response.headers["x-request-id"], "r-7");
    assert_eq!(response.value.profile_id, "P-1");
}

#[tokio::test]
async fn send_with_response_still_fails_on_error_statuses() {
    let (_server, client) = serve(ResponseTemplate::new(404).set_body_string("no such user")).await;
    let Err(Error::Status(error)) = client.user_profile().get("42").send_with_response().await else {
        panic!()
    };
    assert_eq!((error.status.as_u16(), error.body_text().as_ref()), (404, "no such user"));
}

const CSV: &str = "name,email\nAda Lovelace,ada@example.com\n";

#[tokio::test]
async fn the_csv_export_is_readable_raw_although_documented_as_json() {
    let response = ResponseTemplate::new(200).set_body_raw(CSV, "text/csv; charset=utf-8");
    let (server, client) = serve(response).await;
    // The documented type does not decode...
    let error = client.user_profile().download_csv().await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    // ...the raw body does.
    let raw = client.user_profile().download_csv().send_raw().await.unwrap();
    assert_eq!(raw.status(), reqwest::StatusCode::OK);
    assert_eq!(raw.content_type(), Some("text/csv; charset=utf-8"));
    assert_eq!(raw.text().await.unwrap(), CSV);
    let requests = common::requests(&server).await;
    common::assert_request(&requests[1], "GET", "/ux/common/user/profile/download_csv/", None);
}

#[tokio::test]
async fn a_large_export_streams_to_a_file_chunk_by_chunk() {
    let row = "Ada Lovelace,ada@example.com,Administrator,2024-01-01T00:00:00Z\n";
    let body = format!("name,email,profile,created\n{}", row.repeat(80_000)); // about 5 MB
    let (_server, client) = serve(ResponseTemplate::new(200).set_body_raw(body.clone(), "text/csv")).await;

    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("users-export.csv");
    let raw = client.user_profile().download_csv().send_raw().await.unwrap();
    let written = raw.save_to(&path).await.unwrap();
    assert_eq!(written, body.len() as u64);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), body);
    std::fs::remove_file(&path).unwrap();

    // The body arrives in many chunks, so `save_to` never needs all of it at once.
    let raw = client.user_profile().download_csv().send_raw().await.unwrap();
    let mut chunks = 0;
    let mut length = 0;
    let mut stream = std::pin::pin!(raw.bytes_stream());
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        chunks += 1;
        length += chunk.len();
        assert!(chunk.len() < body.len());
    }
    assert_eq!(length, body.len());
    assert!(chunks > 1, "{chunks} chunk(s)");
}

#[tokio::test]
async fn send_raw_turns_error_statuses_into_status_errors() {
    let (_server, client) = serve(ResponseTemplate::new(403).set_body_string("export not allowed")).await;
    let Err(Error::Status(error)) = client.user_profile().download_csv().send_raw().await else { panic!() };
    assert_eq!((error.status.as_u16(), error.body_text().as_ref()), (403, "export not allowed"));
}
