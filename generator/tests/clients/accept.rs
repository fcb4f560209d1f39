//! The client of `generator/tests/specs/accept.yaml` asks for the media types it reads when the
//! server could choose another, and reads a string of any media type as the text sent.

use accept_client::{Client, reqwest};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_client_asks_for_json_when_the_server_offers_xml_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/user/login"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("\"token\"", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/user/logout"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("\"bye\"", "application/json"))
        .mount(&server)
        .await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let client = Client::builder(server.uri()).http_client(http).build().unwrap();
    assert_eq!(client.login().await.unwrap(), "token");
    assert_eq!(client.logout().await.unwrap(), "bye");
    let requests = server.received_requests().await.unwrap();
    let accept = requests[0].headers.get("accept").map(|it| it.to_str().unwrap());
    assert_eq!(accept, Some("application/json, application/vnd.example+json"));
    // reqwest's own default when the document leaves the server no choice.
    assert_eq!(requests[1].headers.get("accept").map(|it| it.to_str().unwrap()), Some("*/*"));
}

#[tokio::test]
async fn a_string_of_any_media_type_is_read_as_the_text_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/proxy/status"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("all good", "text/plain"))
        .mount(&server)
        .await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let client = Client::builder(server.uri()).http_client(http).build().unwrap();
    assert_eq!(client.proxy("status").await.unwrap(), "all good");
}
