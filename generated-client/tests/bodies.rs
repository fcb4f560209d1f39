//! Request and response bodies on the wire: the three body encodings, read-only properties,
//! `Nullable`, free-form values, date-times and wire names that differ from the Rust ones.

mod common;

use common::*;
use infraon_client::models::{UserList, UserListRequest};
use infraon_client::{Error, Nullable};
use serde_json::{Value, json};
use wiremock::Request;

/// A body using every kind of form value: a string needing escapes, a number, a date-time, a
/// `null`, a boolean, an array of scalars and an array of objects; one property is left out.
fn form_request() -> UserListRequest {
    UserListRequest {
        user: Some(7),
        creation_time: Some(time(19_800, 10, 0)),
        email: Nullable::Null,
        is_active: Some(true),
        customer_id: Some(vec![json!(1), json!("two & three"), json!(true), json!(2.5)]),
        customer_entity_id: Some(vec![json!({"id": 3})]),
        is_multiple_customer_user: Some(false),
        is_profile_image: None,
        ..UserListRequest::new("P 1/é+")
    }
}

/// The name/value pairs [`form_request`] becomes in a form or multipart body, in order: arrays
/// of scalars repeat the name, `null` is an empty value, objects are JSON text.
fn form_pairs() -> Vec<(String, String)> {
    [
        ("profile_id", "P 1/é+"),
        ("user", "7"),
        ("creation_time", "2024-05-01T10:20:30+05:30"),
        ("email", ""),
        ("is_active", "true"),
        ("customer_id", "1"),
        ("customer_id", "two & three"),
        ("customer_id", "true"),
        ("customer_id", "2.5"),
        ("customer_entity_id", r#"[{"id":3}]"#),
        ("is_multiple_customer_user", "false"),
    ]
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .to_vec()
}

/// The parts of a `multipart/form-data` body as name/value pairs, in order.
fn multipart_pairs(request: &Request) -> Vec<(String, String)> {
    let content_type = header_values(request, "content-type")[0];
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    let body = String::from_utf8(request.body.clone()).unwrap();
    let delimiter = format!("--{boundary}");
    let mut chunks: Vec<&str> = body.split(delimiter.as_str()).collect();
    assert_eq!(chunks.remove(0), "", "nothing before the first boundary");
    assert_eq!(chunks.pop(), Some("--\r\n"), "the body ends with the closing boundary");
    chunks
        .into_iter()
        .map(|chunk| {
            let part = chunk.strip_prefix("\r\n").and_then(|part| part.strip_suffix("\r\n")).expect(chunk);
            let (headers, value) = part.split_once("\r\n\r\n").expect(part);
            let name = headers
                .strip_prefix("Content-Disposition: form-data; name=\"")
                .and_then(|rest| rest.strip_suffix('"'))
                .expect(headers);
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn one_body_in_three_encodings() {
    let (server, client) = serve_json(user_json()).await;

    client.user_profile().update("42", form_request()).await.unwrap();
    client.user_profile().update("42", form_request()).with_form_encoding().await.unwrap();
    client.user_profile().update("42", form_request()).with_multipart_encoding().await.unwrap();
    client
        .user_profile()
        .update("42", form_request())
        .with_form_encoding()
        .with_json_encoding()
        .await
        .unwrap();

    let requests = requests(&server).await;
    assert_eq!(requests.len(), 4);
    for request in &requests {
        assert_request(request, "PUT", "/ux/common/user/profile/42/", None);
    }
    let json = json!({
        "profile_id": "P 1/é+",
        "user": 7,
        "creation_time": "2024-05-01T10:20:30+05:30",
        "email": null,
        "is_active": true,
        "customer_id": [1, "two & three", true, 2.5],
        "customer_entity_id": [{"id": 3}],
        "is_multiple_customer_user": false
    });
    assert_json_body(&requests[0], &json);
    assert_json_body(&requests[3], &json);

    let form = &requests[1];
    assert_eq!(header_values(form, "content-type"), ["application/x-www-form-urlencoded"]);
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&form.body).into_owned().collect();
    assert_eq!(pairs, form_pairs());

    assert_eq!(multipart_pairs(&requests[2]), form_pairs());
}

#[tokio::test]
async fn form_leaves_absent_properties_out() {
    let (server, client) = serve_json(user_json()).await;

    client.user_profile().update_my_profile(UserListRequest::new("P-1")).with_form_encoding().await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/ux/common/user/profile/myprofile/", None);
    assert_eq!(String::from_utf8(request.body).unwrap(), "profile_id=P-1");
}

#[tokio::test]
async fn request_bodies_have_no_read_only_properties() {
    // Destructuring without `..` stops compiling if the request type gains a property, such as
    // one of the read-only `profile`, `profile_image`, `avatar`, `name`, `last_loggged_in` or
    // `actual_username`.
    let UserListRequest {
        profile_id: _,
        user: _,
        creation_time: _,
        email: _,
        is_active: _,
        customer_id: _,
        customer_entity_id: _,
        is_multiple_customer_user: _,
        is_profile_image: _,
    } = user_request();

    let (server, client) = serve_json(user_json()).await;
    client.user_profile().update("42", user_request()).await.unwrap();

    let body: Value = only_request(&server).await.body_json().unwrap();
    let mut names: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    names.sort_unstable();
    let writable = [
        "creation_time",
        "customer_entity_id",
        "customer_id",
        "email",
        "is_active",
        "is_multiple_customer_user",
        "is_profile_image",
        "profile_id",
        "user",
    ];
    assert_eq!(names, writable);
}

#[tokio::test]
async fn responses_require_read_only_properties() {
    let read_only = ["profile", "profile_image", "avatar", "name", "last_loggged_in", "actual_username"];
    for name in read_only {
        let mut body = user_json();
        body.as_object_mut().unwrap().remove(name);
        let (_server, client) = serve_json(body.clone()).await;

        let error = client.user_profile().get("42").await.unwrap_err();

        let Error::Decode(decode) = &error else { panic!("{name}: {error:?}") };
        let message = format!("missing field `{name}`");
        assert!(decode.source.to_string().starts_with(&message), "{}", decode.source);
        assert!(error.to_string().contains(&message), "{error}");
        assert_eq!(serde_json::from_str::<Value>(&decode.body).unwrap(), body);
    }
}

/// serde reports a missing field at the object lacking it; the runtime points at the field itself.
#[tokio::test]
async fn missing_property_path_names_it() {
    let mut body = user_json();
    body.as_object_mut().unwrap().remove("name");
    let (_server, client) = serve_json(body).await;

    let Err(Error::Decode(decode)) = client.user_profile().get("42").await else {
        panic!("a body without `name` must not decode")
    };

    assert_eq!(decode.path, "name");
}

#[tokio::test]
async fn nullable_email_absent_null_or_value() {
    let cases = [
        (Nullable::Absent, None),
        (Nullable::Null, Some(Value::Null)),
        (Nullable::Value("ada@example.com".to_owned()), Some(json!("ada@example.com"))),
    ];
    for (email, expected) in cases {
        let (server, client) = serve_json(user_json()).await;
        let body = UserListRequest { email, ..UserListRequest::new("P-1") };

        client.user_profile().update("42", body).await.unwrap();

        let mut sent = json!({"profile_id": "P-1"});
        if let Some(email) = expected {
            sent["email"] = email;
        }
        assert_json_body(&only_request(&server).await, &sent);
    }
}

#[tokio::test]
async fn optional_response_properties_may_be_missing_or_null() {
    let mut body = user_json();
    let properties = body.as_object_mut().unwrap();
    properties.retain(|name, _| !matches!(name.as_str(), "user" | "creation_time" | "customer_id"));
    properties.insert("email".to_owned(), Value::Null);
    let (_server, client) = serve_json(body).await;

    let user_list = client.user_profile().my_profile().await.unwrap();

    let expected = UserList { user: None, creation_time: None, customer_id: None, email: None, ..user() };
    assert_eq!(user_list, expected);
}

#[tokio::test]
async fn free_form_arrays_keep_any_json_value() {
    let customer_id =
        vec![json!(1), json!("x"), Value::Null, json!(true), json!(2.5), json!({"a": [1]}), json!([2])];
    let mut response = user_json();
    response["customer_id"] = Value::Array(customer_id.clone());
    let (server, client) = serve_json(response).await;
    let body = UserListRequest {
        customer_id: Some(customer_id.clone()),
        customer_entity_id: Some(Vec::new()),
        ..UserListRequest::new("P-1")
    };

    let user_list = client.user_profile().set_preference(body).await.unwrap();

    assert_eq!(user_list.customer_id, Some(customer_id.clone()));
    let sent = json!({"profile_id": "P-1", "customer_id": customer_id, "customer_entity_id": []});
    assert_json_body(&only_request(&server).await, &sent);
}

#[tokio::test]
async fn creation_time_keeps_instant_and_offset() {
    let cases = [
        ("2024-05-01T10:20:30Z", time(0, 10, 0)),
        ("2024-05-01T10:20:30.123456Z", time(0, 10, 123_456)),
        ("2024-05-01T10:20:30+05:30", time(19_800, 10, 0)),
        ("2024-05-01T10:20:30.5-03:00", time(-10_800, 10, 500_000)),
    ];
    for (text, expected) in cases {
        let mut body = user_json();
        body["creation_time"] = json!(text);
        let (_server, client) = serve_json(body).await;

        let creation_time = client.user_profile().get("42").await.unwrap().creation_time.unwrap();

        assert_eq!(creation_time, expected, "{text}");
        assert_eq!(creation_time.offset(), expected.offset(), "{text}");
        assert_eq!(creation_time.timestamp_micros(), expected.timestamp_micros(), "{text}");
    }
    // The same instants in UTC, worked out by hand.
    assert_eq!(time(19_800, 10, 0).to_rfc3339(), "2024-05-01T10:20:30+05:30");
    assert_eq!(time(19_800, 10, 0).naive_utc().to_string(), "2024-05-01 04:50:30");
    assert_eq!(time(-10_800, 10, 500_000).naive_utc().to_string(), "2024-05-01 13:20:30.500");
}

#[tokio::test]
async fn max_length_is_not_enforced() {
    let long_id = "P-0123456789012345678901234567890123456789";
    assert!(long_id.len() > 25);
    let mut response = user_json();
    response["profile_id"] = json!(long_id);
    let (server, client) = serve_json(response).await;

    let user_list = client.user_profile().update("42", UserListRequest::new(long_id)).await.unwrap();

    assert_eq!(user_list.profile_id, long_id);
    assert_json_body(&only_request(&server).await, &json!({"profile_id": long_id}));
}

#[tokio::test]
async fn misspelled_wire_name_is_kept() {
    let (_server, client) = serve_json(user_json()).await;
    let user_list = client.user_profile().options().await.unwrap();
    assert_eq!(user_list.last_loggged_in, "2024-05-02 08:00:00");

    // The correct spelling is not what the server sends, so it does not stand in for the field.
    let mut body = user_json();
    let value = body.as_object_mut().unwrap().remove("last_loggged_in").unwrap();
    body["last_logged_in"] = value;
    let (_server, client) = serve_json(body).await;
    let Err(Error::Decode(error)) = client.user_profile().options().await else {
        panic!("a body without `last_loggged_in` must not decode")
    };
    assert!(error.source.to_string().starts_with("missing field `last_loggged_in`"), "{}", error.source);
}
