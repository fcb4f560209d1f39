//! Overlays (xtask, after merge): applies the OpenAPI Overlay 1.0 documents under
//! `specs/overlays/` to the merged document, in file order, so a team can correct what the
//! documentation publishes without editing the copied fragments.
//!
//! Each action's `target` is a JSONPath (RFC 9535, evaluated by `serde_json_path`). `remove:
//! true` deletes every match. Otherwise `update` is merged into every match: into an object
//! key by key, recursively (objects merge, anything else replaces); onto an array by appending
//! (each element of an array `update`, or the value itself). A target that matches nothing is
//! an error naming the overlay file and the action, because it almost always means the
//! document changed under the overlay.

use generator::diagnostic::{Diagnostic, pointer};
use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::pipeline::fragment::{Fragment, in_file};
use crate::pipeline::merge::SourceMap;
use crate::pipeline::walk::child;

/// Applies every overlay in order, recording in `source_map` which overlay wrote which member.
/// Returns errors, each with the overlay file and a pointer into the overlay (`/actions/2`).
pub fn apply_overlays(
    document: &mut Value,
    overlays: &[Fragment],
    source_map: &mut SourceMap,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for overlay in overlays {
        let errors = apply_overlay(document, &overlay.document, &overlay.file, source_map);
        diagnostics.extend(errors.into_iter().map(|it| in_file(&overlay.file, it)));
    }
    diagnostics
}

fn apply_overlay(
    document: &mut Value,
    overlay: &Value,
    file: &str,
    source_map: &mut SourceMap,
) -> Vec<Diagnostic> {
    let version = overlay.get("overlay").and_then(Value::as_str);
    if !version.is_some_and(|it| it.starts_with("1.0.")) {
        return vec![Diagnostic::error("/overlay", "not an Overlay 1.0 document; declare `overlay: 1.0.0`")];
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return vec![Diagnostic::error("/actions", "`actions` must be a list of actions")];
    };
    let mut errors = Vec::new();
    for (index, action) in actions.iter().enumerate() {
        let at = pointer(["actions", &index.to_string()]);
        if let Err(message) = apply_action(document, action, file, source_map) {
            errors.push(Diagnostic::error(at, message));
        }
    }
    errors
}

/// Applies one action; the error is a message for the action's pointer.
fn apply_action(
    document: &mut Value,
    action: &Value,
    file: &str,
    source_map: &mut SourceMap,
) -> Result<(), String> {
    let Some(target) = action.get("target").and_then(Value::as_str) else {
        return Err("an action needs a `target` JSONPath such as `$.paths['/pets'].get`".into());
    };
    let path = JsonPath::parse(target)
        .map_err(|error| format!("target `{target}` is not valid JSONPath: {error}"))?;
    // Locations as unescaped tokens, so they can be walked mutably.
    let mut matches: Vec<Vec<Token>> = path
        .query_located(document)
        .dedup()
        .locations()
        .map(|location| {
            location
                .iter()
                .map(|element| match element {
                    serde_json_path::PathElement::Name(name) => Token::Name((*name).to_owned()),
                    serde_json_path::PathElement::Index(index) => Token::Index(*index),
                })
                .collect()
        })
        .collect();
    if matches.is_empty() {
        return Err(format!("target `{target}` matches nothing; correct it or remove the action"));
    }
    if action.get("remove").and_then(Value::as_bool) == Some(true) {
        // Later array elements first, so earlier indexes stay valid.
        matches.sort();
        for location in matches.iter().rev() {
            let Some((last, parent)) = location.split_last() else {
                return Err("the whole document cannot be removed".into());
            };
            match (value_at(document, parent), last) {
                (Value::Object(object), Token::Name(name)) => {
                    object.shift_remove(name);
                }
                (Value::Array(items), Token::Index(index)) => {
                    items.remove(*index);
                }
                _ => unreachable!("a location's parent holds it"),
            }
        }
        return Ok(());
    }
    let Some(update) = action.get("update") else {
        return Err("an action needs `update` or `remove: true`".into());
    };
    for location in &matches {
        let at: String = location.iter().fold(String::new(), |acc, token| child(&acc, &token.to_string()));
        match value_at(document, location) {
            Value::Object(object) => {
                let Value::Object(update) = update else {
                    return Err(format!("`update` must be an object to update the object at `{at}`"));
                };
                for key in update.keys() {
                    source_map.set(child(&at, key), file);
                }
                merge_object(object, update);
            }
            Value::Array(items) => {
                let added: Vec<Value> = match update {
                    Value::Array(values) => values.clone(),
                    value => vec![value.clone()],
                };
                for index in items.len()..items.len() + added.len() {
                    source_map.set(child(&at, &index.to_string()), file);
                }
                items.extend(added);
            }
            _ => {
                return Err(format!(
                    "target `{target}` matches `{at}`, which is neither an object nor a list"
                ));
            }
        }
    }
    Ok(())
}

/// One step of a location: an object member or an array element.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Token {
    Index(usize),
    Name(String),
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Token::Index(index) => write!(f, "{index}"),
            Token::Name(name) => write!(f, "{name}"),
        }
    }
}

/// The value at a location the query just produced.
fn value_at<'v>(document: &'v mut Value, location: &[Token]) -> &'v mut Value {
    location.iter().fold(document, |value, token| match (value, token) {
        (Value::Object(object), Token::Name(name)) => object.get_mut(name).expect("the query found it"),
        (Value::Array(items), Token::Index(index)) => &mut items[*index],
        _ => unreachable!("the query found it"),
    })
}

/// Merges `update` into `object`: objects recursively, anything else replaced.
fn merge_object(object: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (object.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => merge_object(existing, value),
            _ => {
                object.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document() -> Value {
        json!({
            "paths": {
                "/users": { "get": { "operationId": "list", "tags": ["a"], "responses": {} } },
                "/users/export": { "get": { "operationId": "export", "tags": ["a", "b"] } },
            },
            "components": { "schemas": { "User": { "type": "object", "x-internal": true } } },
        })
    }

    /// Applies one overlay with the given actions; returns the document and rendered errors.
    fn apply(actions: Value) -> (Value, Vec<String>) {
        let mut document = document();
        let overlay =
            json!({ "overlay": "1.0.0", "info": { "title": "t", "version": "1" }, "actions": actions });
        let overlays = [Fragment { file: "specs/overlays/a.yaml".into(), document: overlay }];
        let errors = apply_overlays(&mut document, &overlays, &mut SourceMap::default());
        (document, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn updates_merge_and_removes_delete() {
        let cases = [
            (
                json!([{ "target": "$.paths['/users'].get", "update": { "operationId": "list_users", "responses": { "200": { "description": "" } } } }]),
                "/paths/~1users/get",
                json!({ "operationId": "list_users", "tags": ["a"], "responses": { "200": { "description": "" } } }),
            ),
            (
                json!([{ "target": "$.paths.*.get.tags", "update": "c" }]),
                "/paths/~1users~1export/get/tags",
                json!(["a", "b", "c"]),
            ),
            (
                json!([{ "target": "$..tags[?(@ == 'a')]", "remove": true }]),
                "/paths/~1users~1export/get/tags",
                json!(["b"]),
            ),
            (
                json!([{ "target": "$.paths[?(@.get.operationId == 'export')].get", "update": { "x-csv": true } }]),
                "/paths/~1users~1export/get/x-csv",
                json!(true),
            ),
            (
                json!([{ "target": "$.components.schemas.User['x-internal']", "remove": true }]),
                "/components/schemas/User",
                json!({ "type": "object" }),
            ),
            (
                json!([{ "target": "$..operationId", "remove": true }, { "target": "$.paths.*.get", "update": { "summary": "s" } }]),
                "/paths/~1users/get",
                json!({ "tags": ["a"], "responses": {}, "summary": "s" }),
            ),
        ];
        for (actions, at, expected) in cases {
            let (document, errors) = apply(actions.clone());
            assert_eq!(errors, Vec::<String>::new(), "{actions}");
            assert_eq!(document.pointer(at), Some(&expected), "{actions}");
        }
    }

    #[test]
    fn bad_actions_name_the_overlay_and_the_action() {
        let cases = [
            (
                json!([{ "target": "$.paths['/user']", "remove": true }]),
                "specs/overlays/a.yaml: /actions/0: error: target `$.paths['/user']` matches nothing; correct it or remove the action",
            ),
            (
                json!([{ "target": "$.paths", "update": {} }, { "update": {} }]),
                "specs/overlays/a.yaml: /actions/1: error: an action needs a `target` JSONPath such as `$.paths['/pets'].get`",
            ),
            (
                json!([{ "target": "$.paths" }]),
                "specs/overlays/a.yaml: /actions/0: error: an action needs `update` or `remove: true`",
            ),
            (
                json!([{ "target": "$", "remove": true }]),
                "specs/overlays/a.yaml: /actions/0: error: the whole document cannot be removed",
            ),
            (
                json!([{ "target": "$..operationId", "update": {} }]),
                "specs/overlays/a.yaml: /actions/0: error: target `$..operationId` matches `/paths/~1users/get/operationId`, which is neither an object nor a list",
            ),
            (
                json!([{ "target": "$.paths", "update": [] }]),
                "specs/overlays/a.yaml: /actions/0: error: `update` must be an object to update the object at `/paths`",
            ),
        ];
        for (actions, expected) in cases {
            assert_eq!(apply(actions.clone()).1, [expected], "{actions}");
        }
        let (_, errors) = apply(json!([{ "target": "paths", "remove": true }]));
        assert!(
            errors[0].starts_with(
                "specs/overlays/a.yaml: /actions/0: error: target `paths` is not valid JSONPath"
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn source_map_names_the_overlay_for_what_it_wrote() {
        let mut document = document();
        let mut source_map = SourceMap::default();
        source_map.set("/paths/~1users".into(), "specs/users.json");
        let overlay = json!({ "overlay": "1.0.0", "actions": [{ "target": "$.paths['/users'].get", "update": { "summary": "s" } }] });
        let overlays = [Fragment { file: "specs/overlays/a.yaml".into(), document: overlay }];
        assert!(apply_overlays(&mut document, &overlays, &mut source_map).is_empty());
        assert_eq!(source_map.file_for("/paths/~1users/get/summary"), Some("specs/overlays/a.yaml"));
        assert_eq!(source_map.file_for("/paths/~1users/get/tags"), Some("specs/users.json"));
    }
}
