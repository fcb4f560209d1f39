//! The client of `generator/tests/specs/pointer_refs.yaml` types and decodes the schemas that
//! `$ref`s find inside a component.

use pointer_refs_client::models::OrderLinesItem;
use pointer_refs_client::{Client, reqwest};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_pointer_into_a_component_decodes_as_the_schema_it_points_at() {
    let server = MockServer::start().await;
    let lines = json!([{ "sku": "A-1", "quantity": 2 }, { "sku": "B-7" }]);
    Mock::given(method("GET"))
        .and(path("/orders/42/lines"))
        .respond_with(ResponseTemplate::new(200).set_body_json(lines))
        .mount(&server)
        .await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let client = Client::builder(server.uri()).http_client(http).build().unwrap();
    // `id` is `#/components/schemas/Order/properties/id`: an integer.
    let lines: Vec<OrderLinesItem> = client.get_order_lines(42).await.unwrap();
    let expected =
        vec![OrderLinesItem { quantity: Some(2), ..OrderLinesItem::new("A-1") }, OrderLinesItem::new("B-7")];
    assert_eq!(lines, expected);
}
