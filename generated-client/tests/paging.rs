//! Page-number paging of the user list, declared by `specs/overlays/user_list_paging.yaml`
//! (items in `data`, total in `count`): every item of every page, in order, stopping on an
//! empty page or once the total is reached. Next-URL paging is tested in `src/paging.rs`.

mod common;

use common::{PREFIX, client_for, requests};
use infraon_client::futures_util::{StreamExt, TryStreamExt};
use infraon_client::{Error, Page};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server with the given pages of the user list, page numbers from 1; later pages are empty.
async fn user_pages(pages: &[Value]) -> MockServer {
    let server = MockServer::start().await;
    for (index, page) in pages.iter().enumerate() {
        Mock::given(method("GET"))
            .and(path(format!("{PREFIX}/ux/common/user/profile/")))
            .and(query_param("page", (index + 1).to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
    }
    let empty = ResponseTemplate::new(200).set_body_json(json!({"data": []}));
    Mock::given(method("GET")).respond_with(empty).with_priority(10).mount(&server).await;
    server
}

fn users(names: &[&str]) -> Value {
    names.iter().map(|name| json!({"name": name})).collect()
}

async fn page_numbers(server: &MockServer) -> Vec<String> {
    let requests = requests(server).await;
    requests
        .iter()
        .map(|request| {
            let query: Vec<_> = request.url.query_pairs().collect();
            let get = |name: &str| query.iter().find(|(key, _)| key == name).map(|it| it.1.to_string());
            assert_eq!(get("items_per_page").as_deref(), Some("2"), "{}", request.url);
            assert_eq!(get("sort").as_deref(), Some("name"), "{}", request.url);
            get("page").unwrap()
        })
        .collect()
}

fn names(items: &[Value]) -> Vec<&str> {
    items.iter().map(|it| it["name"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn items_run_until_an_empty_page() {
    let server =
        user_pages(&[json!({"data": users(&["Ada", "Alan"])}), json!({"data": users(&["Grace"])})]).await;
    let client = client_for(&server);
    let items: Vec<Value> =
        client.user_profile().list(2, 1).sort("name").items().try_collect().await.unwrap();
    assert_eq!(names(&items), ["Ada", "Alan", "Grace"]);
    assert_eq!(page_numbers(&server).await, ["1", "2", "3"]);
}

#[tokio::test]
async fn paging_stops_once_the_total_is_reached() {
    let server = user_pages(&[
        json!({"data": users(&["Ada", "Alan"]), "count": 3}),
        json!({"data": users(&["Grace"]), "count": 3}),
    ])
    .await;
    let client = client_for(&server);
    let pages: Vec<Page<Value>> =
        client.user_profile().list(2, 1).sort("name").pages().try_collect().await.unwrap();
    assert_eq!(
        pages.iter().map(|it| (it.items.len(), it.total)).collect::<Vec<_>>(),
        [(2, Some(3)), (1, Some(3))]
    );
    assert_eq!(page_numbers(&server).await, ["1", "2"], "no request after the total is reached");
}

#[tokio::test]
async fn paging_starts_at_the_page_asked_for() {
    let server = user_pages(&[json!({"data": users(&["Ada"])}), json!({"data": users(&["Grace"])})]).await;
    let client = client_for(&server);
    let items: Vec<Value> =
        client.user_profile().list(2, 2).sort("name").items().try_collect().await.unwrap();
    assert_eq!(names(&items), ["Grace"]);
    assert_eq!(page_numbers(&server).await, ["2", "3"]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    let server = MockServer::start().await;
    Mock::given(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": users(&["Ada"])})))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let results: Vec<Result<Value, Error>> =
        client.user_profile().list(2, 1).sort("name").items().collect().await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap()["name"], "Ada");
    assert_eq!(results[1].as_ref().unwrap_err().status().map(|it| it.as_u16()), Some(500));
}

#[tokio::test]
async fn a_page_without_the_declared_items_is_a_decode_error_quoting_the_body() {
    let server = user_pages(&[json!({"results": users(&["Ada"])})]).await;
    let client = client_for(&server);
    let Err(Error::Decode(error)) = client.user_profile().list(2, 1).items().try_next().await else {
        panic!()
    };
    assert!(error.to_string().contains("missing field `data`"), "{error}");
    assert_eq!(error.body, r#"{"results":[{"name":"Ada"}]}"#);
}
