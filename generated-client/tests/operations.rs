//! Every operation of the client against a local server: the request the server received
//! (method, path under the base URL's prefix, query, API key, body) and the decoded response;
//! then path and query encoding, and the API key's handling.

mod common;

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use common::*;
use infraon_client::models::{UserList, UserListRequest, UserProfileCreateResponse};
use infraon_client::{Client, Error};
use serde_json::{Map, Value, json};
use wiremock::ResponseTemplate;

/// The future of an operation returning a `UserList`, so that several fit in one table.
type UserCall<'a> = Pin<Box<dyn Future<Output = Result<UserList, Error>> + Send + 'a>>;

/// Sends each call in turn to a server answering with [`user_json`], checking the decoded user
/// and the request it made.
async fn check_user_calls(
    server: &wiremock::MockServer,
    method: &str,
    body: Option<&Value>,
    calls: Vec<(&str, UserCall<'_>)>,
) {
    for (index, (path, call)) in calls.into_iter().enumerate() {
        assert_eq!(call.await.unwrap(), user(), "{path}");
        let requests = requests(server).await;
        assert_eq!(requests.len(), index + 1, "{path}");
        let request = &requests[index];
        assert_request(request, method, path, None);
        match body {
            Some(body) => assert_json_body(request, body),
            None => assert_no_body(request),
        }
    }
}

#[tokio::test]
async fn list_sends_required_and_optional_query_and_decodes_a_free_form_map() {
    let page = json!({"count": 2, "results": [{"id": 1}, {"id": 2}], "next": null, "meta": {"a": "b"}});
    let (server, client) = serve_json(page.clone()).await;

    let map: Map<String, Value> = client.user_profile().list(50, 2).sort("name").reverse(true).await.unwrap();

    assert_eq!(Value::Object(map), page);
    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/ux/common/user/profile/",
        Some("items_per_page=50&page=2&reverse=true&sort=name"),
    );
    assert_no_body(&request);
}

#[tokio::test]
async fn list_leaves_unset_optional_query_parameters_out() {
    let (server, client) = serve_json(json!({})).await;

    let map = client.user_profile().list(10, 1).await.unwrap();

    assert!(map.is_empty());
    let request = only_request(&server).await;
    assert_request(&request, "GET", "/ux/common/user/profile/", Some("items_per_page=10&page=1"));
    let names: Vec<_> = request.url.query_pairs().map(|(name, _)| name.into_owned()).collect();
    assert_eq!(names, ["items_per_page", "page"]);
}

#[tokio::test]
async fn list_encodes_query_values() {
    let (server, client) = serve_json(json!({})).await;

    client.user_profile().list(-1, 0).sort("name&x=1 +é").reverse(false).await.unwrap();

    let request = only_request(&server).await;
    let query = "items_per_page=-1&page=0&reverse=false&sort=name%26x%3D1+%2B%C3%A9";
    assert_request(&request, "GET", "/ux/common/user/profile/", Some(query));
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let expected = [("items_per_page", "-1"), ("page", "0"), ("reverse", "false"), ("sort", "name&x=1 +é")];
    assert_eq!(pairs, expected.map(|(name, value)| (name.to_owned(), value.to_owned())));
}

#[tokio::test]
async fn create_without_body_sends_no_body_and_decodes_201() {
    let created = json!({"status": "success", "user_id": 20, "message": "user created"});
    let (server, client) = serve(ResponseTemplate::new(201).set_body_json(created)).await;

    let response = client.user_profile().create().await.unwrap();

    let expected = UserProfileCreateResponse {
        status: Some("success".to_owned()),
        user_id: Some(20),
        message: Some("user created".to_owned()),
    };
    assert_eq!(response, expected);
    let request = only_request(&server).await;
    assert_request(&request, "POST", "/ux/common/user/profile/", None);
    assert_no_body(&request);
}

#[tokio::test]
async fn create_with_free_form_body_sends_it_as_json() {
    let (server, client) = serve(ResponseTemplate::new(201).set_body_json(json!({"user_id": 21}))).await;
    let body = json!({"name": "Ada", "roles": [1, "admin", null], "settings": {"theme": "dark"}});
    let Value::Object(map) = body.clone() else { unreachable!() };

    let response = client.user_profile().create().body(map).await.unwrap();

    assert_eq!(response, UserProfileCreateResponse { user_id: Some(21), ..Default::default() });
    let request = only_request(&server).await;
    assert_request(&request, "POST", "/ux/common/user/profile/", None);
    assert_json_body(&request, &body);
}

#[tokio::test]
async fn retrieve_by_id_decodes_every_property() {
    let (server, client) = serve_json(user_json()).await;

    let user_list = client.user_profile().get("42").await.unwrap();

    assert_eq!(user_list, user());
    let request = only_request(&server).await;
    assert_request(&request, "GET", "/ux/common/user/profile/42/", None);
    assert_no_body(&request);
}

#[tokio::test]
async fn update_puts_the_body_as_json() {
    let (server, client) = serve_json(user_json()).await;

    let user_list = client.user_profile().update("42", user_request()).await.unwrap();

    assert_eq!(user_list, user());
    let request = only_request(&server).await;
    assert_request(&request, "PUT", "/ux/common/user/profile/42/", None);
    assert_json_body(&request, &user_request_json());
}

#[tokio::test]
async fn destroy_accepts_204() {
    let (server, client) = serve(ResponseTemplate::new(204)).await;

    let () = client.user_profile().delete("42").await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "DELETE", "/ux/common/user/profile/42/", None);
    assert_no_body(&request);
}

#[tokio::test]
async fn get_actions_decode_a_user() {
    let (server, client) = serve_json(user_json()).await;
    let calls: Vec<(&str, UserCall)> = vec![
        ("/ux/common/user/profile/activeuser_list/", client.user_profile().active_users().into_future()),
        ("/ux/common/user/profile/download_csv/", client.user_profile().download_csv().into_future()),
        ("/ux/common/user/profile/getmyprofile/", client.user_profile().my_profile().into_future()),
        ("/ux/common/user/profile/options/", client.user_profile().options().into_future()),
    ];
    check_user_calls(&server, "GET", None, calls).await;
}

#[tokio::test]
async fn post_actions_send_the_body_as_json_and_decode_a_user() {
    let (server, client) = serve_json(user_json()).await;
    let body = user_request;
    let calls: Vec<(&str, UserCall)> = vec![
        (
            "/ux/common/user/profile/active_users/",
            client.user_profile().update_active_users(body()).into_future(),
        ),
        ("/ux/common/user/profile/logout/", client.user_profile().logout(body()).into_future()),
        ("/ux/common/user/profile/myprofile/", client.user_profile().update_my_profile(body()).into_future()),
        ("/ux/common/user/profile/preference/", client.user_profile().set_preference(body()).into_future()),
        ("/ux/common/user/profile/user_invite/", client.user_profile().invite(body()).into_future()),
    ];
    check_user_calls(&server, "POST", Some(&user_request_json()), calls).await;
}

#[tokio::test]
async fn path_parameters_stay_inside_their_segment() {
    let cases = [
        ("a/../b?x#y z", "a%2F..%2Fb%3Fx%23y%20z"),
        ("%2e%2e", "%252e%252e"),
        ("...", "..."),
        ("é 1+2", "%C3%A9%201%2B2"),
    ];
    for (id, segment) in cases {
        let (server, client) = serve_json(user_json()).await;
        client.user_profile().get(id).await.unwrap();
        client.user_profile().update(id, UserListRequest::new("P-1")).await.unwrap();
        client.user_profile().delete(id).await.unwrap();

        let path = format!("/ux/common/user/profile/{segment}/");
        let requests = requests(&server).await;
        let methods: Vec<_> = requests.iter().map(|request| request.method.as_str()).collect();
        assert_eq!(methods, ["GET", "PUT", "DELETE"], "{id}");
        for request in &requests {
            assert_request(request, request.method.as_str(), &path, None);
        }
    }
}

#[tokio::test]
async fn dot_and_empty_ids_are_rejected_before_sending() {
    let cases = [
        ("", "path parameter `id` is empty"),
        (".", "path parameter `id` must not be `.`"),
        ("..", "path parameter `id` must not be `..`"),
    ];
    let (server, client) = serve_json(user_json()).await;
    for (id, message) in cases {
        let errors = [
            client.user_profile().get(id).await.unwrap_err(),
            client.user_profile().update(id, UserListRequest::new("P-1")).await.unwrap_err(),
            client.user_profile().delete(id).await.unwrap_err(),
        ];
        for error in errors {
            let Error::Build(build) = &error else { panic!("{id:?}: {error:?}") };
            assert_eq!(build.message(), message);
            assert_eq!(error.status(), None);
        }
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_client_without_the_key_sends_no_authorization() {
    let (server, _client) = serve_json(user_json()).await;
    let client = Client::builder(base_url(&server)).http_client(http()).build().unwrap();

    client.user_profile().list(10, 1).await.unwrap();
    client.user_profile().update("1", UserListRequest::new("P-1")).await.unwrap();
    client.user_profile().create().await.unwrap();

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 3);
    for request in requests {
        assert!(request.headers.get("authorization").is_none(), "{}", request.url);
    }
}

#[tokio::test]
async fn debug_output_never_shows_the_key() {
    let builder = Client::builder("http://127.0.0.1:9/tenant-a/api").api_key_auth(API_KEY);
    let builder_debug = format!("{builder:?}");
    let client = builder.http_client(http()).build().unwrap();
    let debugs = [
        builder_debug,
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.user_profile().update("1", user_request())),
        format!("{:?}", client.user_profile().list(1, 1).sort("name")),
    ];
    for debug in debugs {
        assert!(!debug.contains("0123456789abcdef"), "{debug}");
    }
    assert!(format!("{client:?}").contains("ApiKeyAuth"));
}

#[tokio::test]
async fn a_trailing_slash_on_the_base_url_is_not_doubled() {
    let (server, _client) = serve(ResponseTemplate::new(204)).await;
    let client = Client::builder(format!("{}/", base_url(&server)))
        .api_key_auth(API_KEY)
        .http_client(http())
        .build()
        .unwrap();

    client.user_profile().delete("1").await.unwrap();

    assert_request(&only_request(&server).await, "DELETE", "/ux/common/user/profile/1/", None);
}

#[tokio::test]
async fn a_key_that_is_not_a_valid_header_fails_at_build_without_showing_it() {
    let (server, _client) = serve_json(json!({})).await;
    let built =
        Client::builder(base_url(&server)).api_key_auth("Token secret\nX: y").http_client(http()).build();

    let error = built.unwrap_err();

    assert_eq!(
        error.message(),
        "the credential of `ApiKeyAuth` contains a control character (a line break, NUL or the like), which no \
         credential can hold"
    );
    assert!(!format!("{error} {error:?}").contains("secret"), "{error:?}");
    assert!(requests(&server).await.is_empty());
}
