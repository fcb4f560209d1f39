//! Schema checks: keys outside the Schema Object vocabulary, `required` names that are not
//! properties, and an example written where the schema belongs (repaired by inference).

use generator::diagnostic::Diagnostic;
use serde_json::{Map, Value};

use super::example::schema_with_example;
use crate::pipeline::walk::subschemas;

/// The keys an OpenAPI 3.0 Schema Object may have, besides `x-` extensions.
const SCHEMA_KEYWORDS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
];

pub(super) fn lint_schema(schema: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(object) = schema.as_object_mut() else { return };
    if object.contains_key("$ref") {
        if object.get("nullable") == Some(&Value::Bool(true)) {
            diagnostics.push(Diagnostic::warning(
                at,
                "`nullable` beside `$ref` is ignored by OpenAPI 3.0; reading it as `allOf: [$ref]` with \
                 `nullable: true`, as servers send `null` here",
            ));
            *schema = nullable_reference(std::mem::take(object));
        }
        // OpenAPI 3.0 ignores the other siblings of `$ref`, so there is nothing else to check.
        return;
    }
    let unknown: Vec<String> = object.keys().filter(|key| !is_schema_keyword(key)).cloned().collect();
    if !unknown.is_empty() && unknown.len() == object.len() {
        let keys = match unknown.as_slice() {
            [key] => format!("key `{key}` is not a Schema Object keyword"),
            _ => format!("keys {} are not Schema Object keywords", quoted_list(&unknown)),
        };
        let message =
            format!("schema holds an example instead of a schema ({keys}); using a schema inferred from it");
        diagnostics.push(Diagnostic::warning(at, message));
        *schema = schema_with_example(schema.take());
        return;
    }
    match unknown.as_slice() {
        [] => {}
        [key] => diagnostics.push(Diagnostic::warning(at, format!("unknown schema keyword `{key}` ignored"))),
        _ => {
            let message = format!("unknown schema keywords {} ignored", quoted_list(&unknown));
            diagnostics.push(Diagnostic::warning(at, message));
        }
    }
    check_required(object, at, diagnostics);
    subschemas(schema, at, &mut |it, at| lint_schema(it, at, diagnostics));
}

/// `{ $ref, nullable: true, ... }` as `{ allOf: [{ $ref }], nullable: true, ... }`, the form
/// OpenAPI 3.0 gives the same meaning; the other siblings (a description, `readOnly`) go along.
fn nullable_reference(mut object: Map<String, Value>) -> Value {
    let reference = object.remove("$ref").expect("the caller found `$ref`");
    let mut wrapper = Map::new();
    wrapper.insert("allOf".to_owned(), Value::Array(vec![serde_json::json!({ "$ref": reference })]));
    wrapper.extend(object);
    Value::Object(wrapper)
}

fn is_schema_keyword(key: &str) -> bool {
    key.starts_with("x-") || SCHEMA_KEYWORDS.contains(&key)
}

fn quoted_list(keys: &[String]) -> String {
    keys.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", ")
}

/// Warns about `required` names missing from `properties`. With `allOf` or
/// `additionalProperties` the name may legitimately be defined elsewhere, so those are skipped.
fn check_required(schema: &Map<String, Value>, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else { return };
    if schema.contains_key("allOf") || schema.contains_key("additionalProperties") {
        return;
    }
    let required = schema.get("required").and_then(Value::as_array).into_iter().flatten();
    for name in required.filter_map(Value::as_str).filter(|name| !properties.contains_key(*name)) {
        let message = format!(
            "required property `{name}` is not in `properties`; add it there or drop it from `required`"
        );
        diagnostics.push(Diagnostic::warning(at, message));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::pipeline::lint::lint;
    use crate::pipeline::lint::tests::lint_one;

    #[test]
    fn example_in_place_of_a_schema_is_replaced() {
        let example = json!({ "status": "success", "user_id": 20, "message": "user created" });
        let mut document = json!({ "paths": { "/ux/common/user/profile/": { "post": { "responses": {
            "201": { "content": { "application/json": { "schema": example } }, "description": "" }
        } } } } });
        let warnings = lint(&mut document);
        let at = "/paths/~1ux~1common~1user~1profile~1/post/responses/201/content/application~1json/schema";
        let expected = Diagnostic::warning(
            at,
            "schema holds an example instead of a schema (keys `status`, `user_id`, `message` are not Schema \
             Object keywords); using a schema inferred from it",
        );
        assert_eq!(warnings, [expected]);
        let schema = document.pointer(at).unwrap();
        // Compared as text, because `Value` equality ignores key order.
        let expected = r#"{"type":"object","properties":{"status":{"type":"string"},"user_id":{"type":"integer"},"message":{"type":"string"}},"example":{"status":"success","user_id":20,"message":"user created"}}"#;
        assert_eq!(schema.to_string(), expected);
    }

    #[test]
    fn schemas_are_checked_and_repaired() {
        let at = "/components/schemas/S";
        let cases = [
            (json!({}), json!({}), vec![]),
            (json!({ "x-rust-type": "u8", "type": "integer" }), json!({ "x-rust-type": "u8", "type": "integer" }), vec![]),
            (json!({ "$ref": "#/components/schemas/T", "id": 1 }), json!({ "$ref": "#/components/schemas/T", "id": 1 }), vec![]),
            (
                json!({ "$ref": "#/components/schemas/T", "nullable": true, "readOnly": true }),
                json!({ "allOf": [{ "$ref": "#/components/schemas/T" }], "nullable": true, "readOnly": true }),
                vec![(
                    at.to_owned(),
                    "`nullable` beside `$ref` is ignored by OpenAPI 3.0; reading it as `allOf: [$ref]` with \
                     `nullable: true`, as servers send `null` here"
                        .to_owned(),
                )],
            ),
            (json!({ "$ref": "#/components/schemas/T", "nullable": false }), json!(null), vec![]),
            (
                json!({ "type": "string", "foo": 1 }),
                json!({ "type": "string", "foo": 1 }),
                vec![(at.to_owned(), "unknown schema keyword `foo` ignored".to_owned())],
            ),
            (
                json!({ "bar": 1, "type": "string", "foo": 1 }),
                json!({ "bar": 1, "type": "string", "foo": 1 }),
                vec![(at.to_owned(), "unknown schema keywords `bar`, `foo` ignored".to_owned())],
            ),
            (
                json!({ "id": 7 }),
                json!({ "type": "object", "properties": { "id": { "type": "integer" } }, "example": { "id": 7 } }),
                vec![(
                    at.to_owned(),
                    "schema holds an example instead of a schema (key `id` is not a Schema Object keyword); using a \
                     schema inferred from it"
                        .to_owned(),
                )],
            ),
            (
                json!({ "properties": { "a": {} }, "required": ["a", "b"] }),
                json!({ "properties": { "a": {} }, "required": ["a", "b"] }),
                vec![(
                    at.to_owned(),
                    "required property `b` is not in `properties`; add it there or drop it from `required`".to_owned(),
                )],
            ),
            (json!({ "properties": { "a": {} }, "required": ["b"], "additionalProperties": true }), json!(null), vec![]),
            (json!({ "properties": { "a": {} }, "required": ["b"], "allOf": [] }), json!(null), vec![]),
        ];
        for (schema, expected, warnings) in cases {
            let expected = if expected.is_null() { schema.clone() } else { expected };
            assert_eq!(lint_one(schema.clone()), (expected, warnings), "{schema}");
        }
    }
}
