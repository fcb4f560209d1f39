//! The client of `generator/tests/specs/nullable.yaml` decodes `null` wherever the document
//! allows it: a nullable `$ref`, array items, map values, a union member, an `allOf` of members
//! letting it through, a `null`-only body.

use nullable_client::models::{Owner, OwnerContact, OwnerHistoryItem, Pet};
use nullable_client::{Client, reqwest};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering `GET /owners/1` with `owner` and `DELETE /owners/1` with `null`, and a
/// client pointed at it.
async fn serve(owner: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/owners/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(owner))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/owners/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("null", "application/json"))
        .mount(&server)
        .await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let client = Client::builder(server.uri()).http_client(http).build().unwrap();
    (server, client)
}

#[tokio::test]
async fn nulls_decode_where_the_document_allows_them() {
    let owner = json!({
        "pet": null,
        "tags": ["a", null],
        "scores": { "x": 1, "y": null },
        "contact": null,
        "history": [null, { "name": "Rex" }, "lost"],
        "sequence": null,
    });
    let (_server, client) = serve(owner).await;
    let owner = client.get_owner(1).await.unwrap();
    let expected = Owner {
        tags: vec![Some("a".to_owned()), None],
        scores: [("x".to_owned(), Some(1)), ("y".to_owned(), None)].into_iter().collect(),
        history: vec![
            None,
            Some(OwnerHistoryItem::Pet(Pet::new("Rex"))),
            Some(OwnerHistoryItem::String("lost".to_owned())),
        ],
        ..Owner::new(Vec::new(), Default::default(), Vec::new())
    };
    assert_eq!(owner, expected);
    assert_eq!(client.delete_owner(1).await.unwrap(), Value::Null);
}

#[test]
fn a_union_with_a_nullable_member_holds_null_itself() {
    // Nested where no `Option` is around it, such as inside another union, the union itself
    // must take the `null`.
    let contact: OwnerContact = serde_json::from_value(Value::Null).unwrap();
    assert_eq!(contact, OwnerContact::Null);
    assert_eq!(serde_json::to_value(&contact).unwrap(), Value::Null);
    let contact: OwnerContact = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(contact, OwnerContact::Integer(7));
}
