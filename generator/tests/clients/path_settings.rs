//! The client of `generator/tests/specs/path_settings.yaml`: an API version segment is a client
//! setting with the document's default, not an argument of every method.

use path_settings_client::models::GetLegacyApiVersion;
use path_settings_client::{Client, ClientBuilder, reqwest};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
    server
}

fn builder(server: &MockServer) -> ClientBuilder {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    Client::builder(server.uri()).http_client(http)
}

async fn paths(server: &MockServer) -> Vec<String> {
    server.received_requests().await.unwrap().iter().map(|it| it.url.path().to_owned()).collect()
}

#[tokio::test]
async fn the_version_segment_is_a_setting_with_the_documents_default() {
    let server = server().await;
    let client = builder(&server).build().unwrap();
    client.get_user(7).await.unwrap();
    client.list_users().await.unwrap();
    // An operation whose default differs from the others' keeps it as an argument.
    client.get_legacy(GetLegacyApiVersion::V3).await.unwrap();
    assert_eq!(paths(&server).await, ["/v4/users/7", "/v4/users", "/v3/legacy"]);
}

#[tokio::test]
async fn the_setting_overrides_the_default() {
    let server = server().await;
    let client = builder(&server).api_version("v5").build().unwrap();
    client.get_user(7).await.unwrap();
    assert_eq!(paths(&server).await, ["/v5/users/7"]);
}
