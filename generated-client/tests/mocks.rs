//! The crate's typed mocks (cargo feature `mock`) as a user of the client tests their own code
//! with them: no live tenant, and a mock that cannot drift from the API.

mod common;

use common::client_for;
use infraon_client::models::{UserList, UserListRequest};
use infraon_client::{Client, Error, mock};
use wiremock::MockServer;

/// Code a user of the client would write: the e-mail address of a user, if it has one.
async fn email_of(client: &Client, id: &str) -> Result<Option<String>, Error> {
    Ok(client.user_profile().get(id).await?.email)
}

/// More of it: invites a user by e-mail, returning the invited profile's id.
async fn invite(client: &Client, email: &str) -> Result<String, Error> {
    let request = UserListRequest { email: Some(email.to_owned()).into(), ..UserListRequest::new("new") };
    Ok(client.user_profile().invite(request).await?.profile_id)
}

fn user(id: &str, email: Option<&str>) -> UserList {
    UserList {
        email: email.map(str::to_owned),
        ..UserList::new(id, "Administrator", "", "", "Ada", "", "ada")
    }
}

#[tokio::test]
async fn a_mocked_get_answers_the_typed_user() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let mounted =
        mock::user_profile::get().id("42").respond(user("42", Some("ada@example.com"))).mount(&server).await;

    assert_eq!(email_of(&client, "42").await.unwrap().as_deref(), Some("ada@example.com"));
    assert_eq!(mounted.calls().await, 1);
    assert!(mounted.misses().is_empty(), "{:?}", mounted.misses());
}

#[tokio::test]
async fn a_request_the_mock_does_not_expect_is_refused_with_the_reason() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let mounted = mock::user_profile::list()
        .items_per_page(50)
        .page(1)
        .sort("name")
        .respond_json(200, serde_json::json!({ "data": [] }))
        .mount(&server)
        .await;

    let error = client.user_profile().list(50, 2).sort("name").await.unwrap_err();

    assert_eq!(error.status().map(|it| it.as_u16()), Some(404), "{error}");
    assert_eq!(mounted.calls().await, 0);
    let misses = mounted.misses();
    assert_eq!(misses.len(), 1, "{misses:?}");
    assert!(misses[0].ends_with("query `page`: expected [\"1\"], got [\"2\"]"), "{misses:?}");
}

#[tokio::test]
async fn a_mocked_write_checks_the_typed_body_and_can_fail() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let expected =
        UserListRequest { email: Some("ada@example.com".to_owned()).into(), ..UserListRequest::new("new") };
    let accepted =
        mock::user_profile::invite().body(expected.clone()).respond(user("7", None)).mount(&server).await;

    assert_eq!(invite(&client, "ada@example.com").await.unwrap(), "7");
    assert_eq!(accepted.calls().await, 1);

    // Another address is not what the mock expects: it says so.
    assert!(invite(&client, "grace@example.com").await.is_err());
    assert!(accepted.misses()[0].contains("body: expected"), "{:?}", accepted.misses());
    drop(accepted);

    // The same operation, mocked to fail.
    let _failing = mock::user_profile::invite().respond_status(503).mount(&server).await;
    let error = invite(&client, "ada@example.com").await.unwrap_err();
    assert_eq!(error.status().map(|it| it.as_u16()), Some(503), "{error}");
}
