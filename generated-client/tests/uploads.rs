//! Multipart uploads with files from bytes, a path and a stream, with file name and content
//! type, through the CSV upload and validate operations (declared multipart by
//! `specs/overlays/csv_uploads.yaml`).

mod common;

use common::{assert_request, client_for, header_values, only_request, requests, serve_json, user_json};
use infraon_client::{Error, File, Form, futures_util};
use wiremock::{MockServer, ResponseTemplate};

const CSV: &str = "name,email\nAda Lovelace,ada@example.com\n";

/// The body as text, after checking that it is multipart.
fn multipart_text(request: &wiremock::Request) -> String {
    let content_type = header_values(request, "content-type");
    assert!(content_type[0].starts_with("multipart/form-data; boundary="), "{content_type:?}");
    String::from_utf8(request.body.clone()).unwrap()
}

#[tokio::test]
async fn a_file_from_bytes_with_name_and_content_type() {
    let (server, client) = serve_json(user_json()).await;
    let form = Form::new()
        .text("mode", "append")
        .file("file", File::from_bytes(CSV).file_name("users.csv").content_type("text/csv"));
    client.user_profile().upload_csv(form).await.unwrap();
    let request = only_request(&server).await;
    assert_request(&request, "POST", "/ux/common/user/profile/upload_csv/", None);
    let body = multipart_text(&request);
    assert!(body.contains("name=\"mode\"\r\n\r\nappend\r\n"), "{body}");
    let part = "Content-Disposition: form-data; name=\"file\"; filename=\"users.csv\"\r\nContent-Type: text/csv\r\n\r\n";
    assert!(body.contains(&format!("{part}{CSV}\r\n")), "{body}");
}

#[tokio::test]
async fn a_file_from_a_path_is_named_after_it() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("validate-me.csv");
    std::fs::write(&path, CSV).unwrap();
    let (server, client) = serve_json(user_json()).await;
    let form = Form::new().file("file", File::from_path(&path).content_type("text/csv"));
    client.user_profile().validate_csv(form).await.unwrap();
    let body = multipart_text(&only_request(&server).await);
    assert!(body.contains("name=\"file\"; filename=\"validate-me.csv\"\r\nContent-Type: text/csv"), "{body}");
    assert!(body.contains(CSV), "{body}");
}

#[tokio::test]
async fn a_file_from_a_stream_without_content_type_is_octet_stream() {
    let (server, client) = serve_json(user_json()).await;
    let chunks = ["name,email\n", "Ada Lovelace,", "ada@example.com\n"];
    let stream =
        futures_util::stream::iter(chunks.map(|chunk| Ok::<_, std::io::Error>(chunk.as_bytes().to_vec())));
    let form = Form::new().file("file", File::from_stream(stream).file_name("streamed.csv"));
    client.user_profile().upload_csv(form).await.unwrap();
    let body = multipart_text(&only_request(&server).await);
    let part = "filename=\"streamed.csv\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    assert!(body.contains(&format!("{part}{CSV}\r\n")), "{body}");
}

#[tokio::test]
async fn a_retried_upload_sends_the_whole_file_again() {
    let server = common::failing(1, ResponseTemplate::new(503)).await;
    let client = common::quick_retry_client(&server);
    let form = Form::new().file("file", File::from_bytes(CSV).file_name("users.csv"));
    client.user_profile().upload_csv(form).idempotent().await.unwrap();
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    for request in &received {
        assert!(multipart_text(request).contains(CSV));
    }

    // A stream can be read only once, so an upload from one is not retried.
    let server = common::failing(1, ResponseTemplate::new(503)).await;
    let client = common::quick_retry_client(&server);
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(CSV.as_bytes().to_vec())]);
    let form = Form::new().file("file", File::from_stream(stream));
    let error = client.user_profile().upload_csv(form).idempotent().await.unwrap_err();
    assert_eq!(error.status().map(|it| it.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_missing_file_is_a_build_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let form = Form::new().file("file", File::from_path("/nonexistent/users.csv"));
    let Err(Error::Build(error)) = client.user_profile().upload_csv(form).await else { panic!() };
    assert!(error.message().starts_with("could not read the file `/nonexistent/users.csv`: "), "{error}");
    assert!(requests(&server).await.is_empty());
}
