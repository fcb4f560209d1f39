//! What each kind of failure turns into: empty successes, error statuses, bodies that do not
//! decode, and servers that cannot be reached.

mod common;

use common::*;
use infraon_client::models::UserListRequest;
use infraon_client::reqwest::StatusCode;
use infraon_client::{Client, Error};
use serde_json::json;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn no_content_is_ok() {
    let (server, client) = serve(ResponseTemplate::new(204)).await;
    assert!(matches!(client.user_profile().delete("7").await, Ok(())));
    assert_request(&only_request(&server).await, "DELETE", "/ux/common/user/profile/7/", None);
}

#[tokio::test]
async fn client_error_keeps_status_headers_and_body() {
    let body = r#"{"detail": "Not found."}"#;
    let response = ResponseTemplate::new(404)
        .insert_header("x-request-id", "req-1")
        .set_body_raw(body, "application/json");
    let (server, client) = serve(response).await;

    let error = client.user_profile().get("7").await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(
        error.to_string(),
        format!(
            "ux_common_user_profile_retrieve_2 (GET /ux/common/user/profile/{{id}}/): server returned 404 Not Found: {body}"
        )
    );
    let Error::Status(status) = error else { panic!("{error:?}") };
    assert_eq!(status.status, StatusCode::NOT_FOUND);
    assert_eq!(status.headers["x-request-id"], "req-1");
    assert_eq!(status.headers["content-type"], "application/json");
    assert_eq!(status.body_text(), body);
    assert_eq!(status.body, body.as_bytes());
    assert!(status.value.is_none());
    assert_request(&only_request(&server).await, "GET", "/ux/common/user/profile/7/", None);
}

#[tokio::test]
async fn every_kind_of_operation_reports_error_statuses() {
    let cases = [(400, "bad page"), (401, "Invalid token."), (422, "{\"email\": [\"invalid\"]}"), (503, "")];
    for (code, body) in cases {
        let response = ResponseTemplate::new(code).insert_header("retry-after", "3").set_body_string(body);
        let (_server, client) = serve(response).await;
        let errors = [
            client.user_profile().list(10, 1).await.unwrap_err(),
            client.user_profile().create().await.unwrap_err(),
            client.user_profile().update("7", UserListRequest::new("P-1")).await.unwrap_err(),
            client.user_profile().delete("7").await.unwrap_err(),
            client.user_profile().download_csv().await.unwrap_err(),
        ];
        for error in errors {
            assert_eq!(error.status().map(|status| status.as_u16()), Some(code), "{error:?}");
            let Error::Status(status) = error else { panic!("{code}: {error:?}") };
            assert_eq!(status.body_text(), body);
            assert_eq!(status.headers["retry-after"], "3");
        }
    }
}

#[tokio::test]
async fn server_error_with_invalid_utf8_body_is_kept_raw() {
    let body = b"oops \xff\xfe".to_vec();
    let (_server, client) = serve(ResponseTemplate::new(500).set_body_bytes(body.clone())).await;

    let Err(Error::Status(status)) = client.user_profile().options().await else {
        panic!("a 500 is a status error")
    };

    assert_eq!(status.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(status.body, body);
    assert_eq!(status.body_text(), "oops \u{fffd}\u{fffd}");
}

#[tokio::test]
async fn non_json_success_is_a_decode_error() {
    let response = ResponseTemplate::new(200).set_body_raw("a,b\n1,2", "text/csv");
    let (server, client) = serve(response).await;

    let error = client.user_profile().download_csv().await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::OK));
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(
        (decode.status, decode.body.as_str(), decode.path.as_str()),
        (StatusCode::OK, "a,b\n1,2", ".")
    );
    assert!(decode.source.is_syntax(), "{}", decode.source);
    let operation =
        "ux_common_user_profile_download_csv_retrieve (GET /ux/common/user/profile/download_csv/)";
    let expected = format!("{operation}: could not decode the 200 OK response at `.`: ");
    assert!(error.to_string().starts_with(&expected), "{error}");
    assert_request(&only_request(&server).await, "GET", "/ux/common/user/profile/download_csv/", None);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let (_server, client) = serve(ResponseTemplate::new(200).set_body_string(r#"{"profile_id":"#)).await;

    let Err(Error::Decode(decode)) = client.user_profile().get("7").await else {
        panic!("a truncated body must not decode")
    };

    assert_eq!((decode.status, decode.body.as_str()), (StatusCode::OK, r#"{"profile_id":"#));
    assert!(decode.source.is_eof(), "{}", decode.source);
}

#[tokio::test]
async fn wrong_shapes_are_decode_errors_with_a_path() {
    let mut wrong_type = user_json();
    wrong_type["customer_id"] = json!("not a list");
    let mut bad_time = user_json();
    bad_time["creation_time"] = json!("yesterday");
    let cases = [(wrong_type, "customer_id"), (bad_time, "creation_time"), (json!("a user"), ".")];
    for (body, path) in cases {
        let (_server, client) = serve_json(body.clone()).await;
        let Err(Error::Decode(decode)) = client.user_profile().my_profile().await else {
            panic!("{body} must not decode")
        };
        assert_eq!(decode.path, path, "{}", decode.source);
    }

    // The list's free-form map still needs an object.
    let (_server, client) = serve_json(json!(["not", "a", "map"])).await;
    let error = client.user_profile().list(10, 1).await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn empty_success_body_where_a_value_is_expected_is_a_decode_error() {
    let (_server, client) = serve(ResponseTemplate::new(200)).await;
    let error = client.user_profile().get("7").await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!((decode.body.as_str(), decode.path.as_str()), ("", "."));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = Client::builder(format!("http://127.0.0.1:{port}{PREFIX}"))
        .api_key_auth(API_KEY)
        .http_client(http())
        .build()
        .unwrap();

    let error = client.user_profile().list(10, 1).await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
    let expected = "ux_common_user_profile_retrieve (GET /ux/common/user/profile/): request failed: ";
    assert!(error.to_string().starts_with(expected), "{error}");
    assert!(error.to_string().ends_with("Connection refused (os error 111)"), "{error}");
    assert!(!format!("{error:?}").contains("0123456789abcdef"), "{error:?}");
}
