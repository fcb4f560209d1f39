//! Where a body failed to decode. serde_path_to_error tracks the path of the failing field, but
//! not into the member of a tagged union, which generated code decodes from the value its tag was
//! read from: there [`union_member`] writes the path inside the member into the error's message,
//! and [`located`] joins it back onto the path outside.

use serde::de::{DeserializeOwned, Error as _};

/// How a path travels in a message: "at `raft_info.role`: invalid type: ...".
const AT: &str = "at `";

/// Decodes `value` as the member of a tagged union its tag chose (for generated code). A failure
/// inside the member names where: "at `raft_info.role`: invalid type: map, expected a string".
pub fn union_member<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." { inner.to_string() } else { format!("{AT}{path}`: {inner}") }
    })
}

/// The path where decoding failed, such as `results[3].created_on`, and why: `path` (from
/// serde_path_to_error) extended by the paths union members put in the message, and by the name
/// of a missing field.
pub(crate) fn located(path: &str, error: serde_json::Error) -> (String, serde_json::Error) {
    let mut path = path.to_owned();
    let mut error = error;
    loop {
        let message = error.to_string();
        let Some((inner, rest)) = message.strip_prefix(AT).and_then(|it| it.split_once("`: ")) else {
            break;
        };
        path = join(&path, inner);
        error = serde_json::Error::custom(rest);
    }
    let message = error.to_string();
    let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split_once('`'));
    if let Some((field, _)) = missing {
        path = join(&path, field);
    }
    (path, error)
}

/// `inner` below `path`, where `.` is the root and `[3]` an index.
fn join(path: &str, inner: &str) -> String {
    match (path, inner) {
        (".", inner) => inner.to_owned(),
        (path, ".") => path.to_owned(),
        (path, inner) if inner.starts_with('[') => format!("{path}{inner}"),
        (path, inner) => format!("{path}.{inner}"),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Raft {
        role: Option<String>,
        term: u64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Enabled {
        peer_id: u64,
        raft_info: Raft,
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    enum Status {
        Enabled(Enabled),
    }

    /// As generated code decodes a union whose members carry the tag.
    impl<'de> Deserialize<'de> for Status {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = serde_json::Value::deserialize(deserializer)?;
            union_member(value).map(Status::Enabled).map_err(D::Error::custom)
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Envelope {
        result: Vec<Status>,
    }

    fn failure(body: serde_json::Value) -> (String, String) {
        let text = body.to_string();
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        let error = serde_path_to_error::deserialize::<_, Envelope>(&mut deserializer).unwrap_err();
        let path = error.path().to_string();
        let (path, error) = located(&path, error.into_inner());
        (path, error.to_string())
    }

    #[test]
    fn a_failure_inside_a_union_member_is_located_in_it() {
        let body =
            json!({ "result": [{ "peer_id": 1, "raft_info": { "role": { "nullable": true }, "term": 2 } }] });
        let (path, message) = failure(body);
        assert_eq!(path, "result[0].raft_info.role");
        assert!(message.starts_with("invalid type: map, expected a string"), "{message}");
    }

    #[test]
    fn a_missing_field_inside_a_union_member_is_named() {
        let (path, message) = failure(json!({ "result": [{ "peer_id": 1, "raft_info": { "role": null } }] }));
        assert_eq!(path, "result[0].raft_info.term");
        assert!(message.starts_with("missing field `term`"), "{message}");
    }

    #[test]
    fn paths_join_at_the_root_and_at_indexes() {
        assert_eq!(join(".", "a.b"), "a.b");
        assert_eq!(join("a", "."), "a");
        assert_eq!(join("a", "[2].b"), "a[2].b");
        assert_eq!(join("a", "b"), "a.b");
    }
}
