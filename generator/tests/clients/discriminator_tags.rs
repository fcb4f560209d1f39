//! The client of `generator/tests/specs/discriminator_tags.yaml`: the enum writes the tag of
//! its variant, so a member's field cannot make the two disagree on the wire, and constructors
//! fill in the only value a tag can have.

use discriminator_tags_client::models::{Credentials, LegacyLogin, LoginMethod, PasswordLogin, TokenLogin};
use serde_json::json;

#[test]
fn the_enum_writes_the_tag_of_its_variant() {
    let login = PasswordLogin::new("ada", "secret");
    assert_eq!(login.method, "password");
    // A field set by hand to another variant's tag is overwritten by the enum.
    let disagreeing = PasswordLogin { method: "token".to_owned(), ..login };
    let sent = serde_json::to_value(Credentials::PasswordLogin(disagreeing)).unwrap();
    assert_eq!(sent, json!({ "identifier": "ada", "method": "password", "password": "secret" }));
    let read: Credentials = serde_json::from_value(sent).unwrap();
    assert!(matches!(read, Credentials::PasswordLogin(_)), "{read:?}");

    let token = TokenLogin::new("t0k3n");
    assert_eq!(token.method, LoginMethod::Token);
    let sent = serde_json::to_value(Credentials::TokenLogin(token)).unwrap();
    assert_eq!(sent, json!({ "method": "token", "token": "t0k3n", "kind": "bearer" }));

    // A member named by two values keeps the argument; the enum writes the first value.
    let legacy = LegacyLogin::new("old", "ada");
    let sent = serde_json::to_value(Credentials::LegacyLogin(legacy)).unwrap();
    assert_eq!(sent["method"], "legacy");
    let unknown = json!({ "method": "sso", "realm": "x" });
    let read: Credentials = serde_json::from_value(unknown.clone()).unwrap();
    assert_eq!(serde_json::to_value(read).unwrap(), unknown);
}

/// serde's path stops at the union, so the member's failure names its own path, which the
/// runtime joins onto the path outside (`result.password`) in `Error::Decode`.
#[test]
fn a_member_that_does_not_decode_says_where() {
    let body = json!({ "method": "password", "identifier": "ada", "password": 7 });
    let error = serde_json::from_value::<Credentials>(body).unwrap_err().to_string();
    assert!(error.starts_with("at `password`: invalid type: integer `7`, expected a string"), "{error}");
}
