//! Runs the main logic of every example under `examples/` against a local server, so that none
//! can rot: each example's `main` only reads the environment and calls the function tested here.

mod common;

#[allow(dead_code)]
#[path = "../examples/list_users.rs"]
mod list_users;

#[allow(dead_code)]
#[path = "../examples/create_delete_user.rs"]
mod create_delete_user;

#[allow(dead_code)]
#[path = "../examples/upload_csv.rs"]
mod upload_csv;

use common::{PREFIX, assert_request, client_for, requests};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn list_users_pages_through_everyone_with_progress() {
    let server = MockServer::start().await;
    let pages = [
        json!({"data": [{"name": "Ada", "email": "ada@example.com"}, {"name": "Alan"}], "count": 3}),
        json!({"data": [{"name": "Grace", "email": "grace@example.com"}], "count": 3}),
    ];
    for (index, page) in pages.iter().enumerate() {
        Mock::given(query_param("page", (index + 1).to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
    }
    let mut progress = Vec::new();
    let users = list_users::list_users(&client_for(&server), 2, &mut progress).await.unwrap();
    let lines: Vec<String> = users.iter().map(list_users::describe).collect();
    assert_eq!(lines, ["Ada <ada@example.com>", "Alan <?>", "Grace <grace@example.com>"]);
    assert_eq!(String::from_utf8(progress).unwrap(), "fetched 2 of 3 users\nfetched 3 of 3 users\n");
}

#[tokio::test]
async fn create_delete_user_creates_then_deletes_the_same_user() {
    let server = MockServer::start().await;
    let created = json!({"status": "success", "user_id": 17, "message": "User created"});
    Mock::given(method("POST"))
        .and(path(format!("{PREFIX}/ux/common/user/profile/")))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .mount(&server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let mut out = Vec::new();
    create_delete_user::create_then_delete(&client_for(&server), "Ada Lovelace", "ada@example.com", &mut out)
        .await
        .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "created user 17: User created\ndeleted user 17\n");
    let requests = requests(&server).await;
    assert_request(&requests[0], "POST", "/ux/common/user/profile/", None);
    assert_eq!(
        requests[0].body_json::<serde_json::Value>().unwrap(),
        json!({"name": "Ada Lovelace", "email": "ada@example.com"})
    );
    assert_request(&requests[1], "DELETE", "/ux/common/user/profile/17/", None);
}

#[tokio::test]
async fn upload_csv_validates_then_uploads_the_file() {
    let server = MockServer::start().await;
    Mock::given(path(format!("{PREFIX}/ux/common/user/profile/validate_csv/")))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"valid": true}"#))
        .mount(&server)
        .await;
    Mock::given(path(format!("{PREFIX}/ux/common/user/profile/upload_csv/")))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"imported": 1}"#))
        .mount(&server)
        .await;
    let csv = "name,email\nAda Lovelace,ada@example.com\n";
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("example-users.csv");
    std::fs::write(&file, csv).unwrap();
    let mut out = Vec::new();
    upload_csv::validate_then_upload(&client_for(&server), &file, &mut out).await.unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "validate_csv: 200 OK: {\"valid\": true}\nupload_csv: 200 OK: {\"imported\": 1}\n"
    );
    for request in requests(&server).await {
        let body = String::from_utf8(request.body).unwrap();
        assert!(body.contains("filename=\"example-users.csv\"\r\nContent-Type: text/csv\r\n\r\n"), "{body}");
        assert!(body.contains(csv), "{body}");
    }
}
