//! Operation checks: keys outside the Path Item and Operation Object vocabularies, and
//! operationIds used more than once.

use std::collections::BTreeMap;

use generator::diagnostic::Diagnostic;
use serde_json::{Map, Value};

use crate::pipeline::merge::METHODS;
use crate::pipeline::walk::child;

/// The fixed fields of an OpenAPI 3.0 Path Item Object besides the methods.
const PATH_ITEM_KEYS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];

/// The fixed fields of an OpenAPI 3.0 Operation Object.
const OPERATION_KEYS: [&str; 12] = [
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
];

/// Checks every path item and operation under `/paths`.
pub(super) fn check_operations(paths: &Value, diagnostics: &mut Vec<Diagnostic>) {
    // operationId → the first operation using it, as `METHOD path`.
    let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in paths.as_object().into_iter().flatten() {
        let Some(item) = item.as_object() else { continue };
        let at = child("/paths", path);
        let allowed = |key: &str| PATH_ITEM_KEYS.contains(&key) || METHODS.contains(&key);
        check_keys(item, &at, "path item", allowed, diagnostics);
        for (method, operation) in item.iter().filter(|(key, _)| METHODS.contains(&key.as_str())) {
            let Some(operation) = operation.as_object() else { continue };
            let at = child(&at, method);
            check_keys(operation, &at, "operation", |key| OPERATION_KEYS.contains(&key), diagnostics);
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            let here = format!("{} {path}", method.to_uppercase());
            match operation_ids.get(id) {
                None => {
                    operation_ids.insert(id, here);
                }
                Some(first) => {
                    let message =
                        format!("operationId `{id}` is also used by `{first}`; give each operation its own");
                    diagnostics.push(Diagnostic::error(child(&at, "operationId"), message));
                }
            }
        }
    }
}

/// Warns about keys that are neither `x-` extensions nor allowed by `allowed`; openapiv3 drops
/// them, so what they say never reaches the client.
fn check_keys(
    object: &Map<String, Value>,
    at: &str,
    what: &str,
    allowed: impl Fn(&str) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for key in object.keys().filter(|key| !key.starts_with("x-") && !allowed(key)) {
        let message = format!("unknown {what} key `{key}` ignored; use an `x-` prefix for extensions");
        diagnostics.push(Diagnostic::warning(child(at, key), message));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn unknown_keys_and_duplicate_ids_are_reported() {
        let paths = json!({
            "/a": {
                "summary": "", "x-owner": "me", "parameter": [],
                "get": { "operationId": "a", "x-ok": 1, "response": {} },
                "post": { "operationId": "b" },
            },
            "/b": { "get": { "operationId": "a" }, "put": "not an operation" },
        });
        let mut diagnostics = Vec::new();
        check_operations(&paths, &mut diagnostics);
        let found: Vec<_> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "/paths/~1a/parameter: warning: unknown path item key `parameter` ignored; use an `x-` prefix for extensions",
                "/paths/~1a/get/response: warning: unknown operation key `response` ignored; use an `x-` prefix for extensions",
                "/paths/~1b/get/operationId: error: operationId `a` is also used by `GET /a`; give each operation its own",
            ]
        );
    }
}
