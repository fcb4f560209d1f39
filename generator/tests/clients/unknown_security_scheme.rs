//! The client of `generator/tests/specs/unknown_security_scheme.yaml`: operations whose
//! requirements name undefined schemes are generated, and send the credentials of the schemes
//! that are defined.

use unknown_security_scheme_client::{Client, reqwest};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn operations_send_the_credentials_the_document_defines() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/y/"))
        .and(header("X-Api-Key", "secret"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).expect(2).mount(&server).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let client = Client::builder(server.uri()).api_key("secret").http_client(http).build().unwrap();
    client.y_post().await.unwrap();
    // The document's own requirement named only an undefined scheme: nothing is sent.
    client.x_get().await.unwrap();
    client.y_get().await.unwrap();
    for request in server.received_requests().await.unwrap() {
        if request.method.as_str() == "GET" {
            assert!(!request.headers.contains_key("x-api-key"), "{request:?}");
        }
    }
}
