//! OpenAPI 3.1 input (xtask, before merge): rewrites a document declaring 3.1.x into its 3.0
//! form, because openapiv3 reads only 3.0. Runs on each fragment before the merge, and on a
//! single document in `generate`; a 3.0 document is left alone.
//!
//! Converted: type arrays with `"null"` (→ `nullable`), `const` (→ one-value `enum`), `examples`
//! arrays (→ `example`), numeric `exclusiveMinimum`/`exclusiveMaximum` (→ `minimum`/`maximum`
//! with a boolean), `$ref` with siblings (→ `allOf` wrapper). What has no 3.0 form is dropped
//! with a warning.

use generator::diagnostic::Diagnostic;
use serde_json::{Map, Value, json};

use crate::pipeline::walk::{child, subschemas, top_schemas};

/// The version a converted document declares.
const TARGET_VERSION: &str = "3.0.3";

/// JSON Schema keywords 3.1 allows in schemas that OpenAPI 3.0 has no form for.
const DROPPED_KEYWORDS: [&str; 20] = [
    "$schema",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$defs",
    "$comment",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
];

/// Root-level (and `info`/`components`) members that are new in 3.1.
const DROPPED_MEMBERS: [&str; 5] =
    ["/webhooks", "/jsonSchemaDialect", "/info/summary", "/info/license/identifier", "/components/pathItems"];

/// Converts `document` in place when it declares 3.1.x, returning a warning for everything lost.
pub fn downgrade(document: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let is_3_1 = document.get("openapi").and_then(Value::as_str).is_some_and(|it| it.starts_with("3.1."));
    if !is_3_1 {
        return warnings;
    }
    document["openapi"] = TARGET_VERSION.into();
    for at in DROPPED_MEMBERS {
        let (parent, name) = at.rsplit_once('/').expect("pointers start with /");
        let removed =
            document.pointer_mut(parent).and_then(Value::as_object_mut).and_then(|it| it.remove(name));
        if removed.is_some() {
            warnings.push(Diagnostic::warning(at, format!("`{name}` has no OpenAPI 3.0 form; dropped")));
        }
    }
    top_schemas(document, &mut |schema, at| downgrade_schema(schema, at, &mut warnings));
    warnings
}

fn downgrade_schema(schema: &mut Value, at: &str, warnings: &mut Vec<Diagnostic>) {
    let Some(object) = schema.as_object_mut() else { return };
    if object.contains_key("$ref") && object.len() > 1 {
        // 3.1 lets a `$ref` have siblings; 3.0 ignores them unless the reference is wrapped.
        let reference = object.remove("$ref").expect("checked above");
        object.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
    convert_type(object, at, warnings);
    if let Some(value) = object.remove("const") {
        if object.contains_key("enum") {
            warnings.push(lost(at, "const", "the schema also has `enum`; kept `enum`"));
        } else {
            object.insert("enum".into(), json!([value]));
        }
    }
    if let Some(examples) = object.remove("examples") {
        match examples {
            Value::Array(mut examples) if !examples.is_empty() => {
                if examples.len() > 1 {
                    let message = format!("kept the first of {} examples", examples.len());
                    warnings.push(Diagnostic::warning(child(at, "examples"), message));
                }
                object.entry("example").or_insert_with(|| examples.swap_remove(0));
            }
            Value::Array(_) => {}
            _ => warnings.push(lost(at, "examples", "it is not a list")),
        }
    }
    convert_exclusive_bound(object, "exclusiveMinimum", "minimum", at, warnings);
    convert_exclusive_bound(object, "exclusiveMaximum", "maximum", at, warnings);
    for keyword in DROPPED_KEYWORDS {
        if object.remove(keyword).is_some() {
            warnings.push(lost(at, keyword, "OpenAPI 3.0 has no such keyword"));
        }
    }
    subschemas(schema, at, &mut |it, at| downgrade_schema(it, at, warnings));
}

/// `type: [T, "null"]` → `type: T, nullable: true`; several types become an `anyOf`.
fn convert_type(object: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Diagnostic>) {
    let Some(Value::Array(types)) = object.get("type") else { return };
    let null = Value::from("null");
    let nullable = types.contains(&null);
    let mut types: Vec<Value> = types.iter().filter(|it| **it != null).cloned().collect();
    object.remove("type");
    match types.len() {
        0 => warnings.push(lost(
            at,
            "type",
            "a schema that is only `null` cannot be said in 3.0; any value is accepted",
        )),
        1 => {
            object.insert("type".into(), types.remove(0));
        }
        _ => {
            let alternatives = types.into_iter().map(|it| json!({ "type": it })).collect();
            object.insert("anyOf".into(), Value::Array(alternatives));
        }
    }
    if nullable {
        object.insert("nullable".into(), true.into());
    }
}

/// `exclusiveMinimum: 5` → `minimum: 5, exclusiveMinimum: true` (and the same for maximum).
fn convert_exclusive_bound(
    object: &mut Map<String, Value>,
    exclusive: &str,
    bound: &str,
    at: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(Value::Number(limit)) = object.get(exclusive).cloned() else { return };
    if object.contains_key(bound) {
        // Both bounds in one schema: 3.0 can state only one of them per side.
        object.remove(exclusive);
        warnings.push(lost(at, exclusive, &format!("the schema also has `{bound}`; kept `{bound}`")));
        return;
    }
    object.insert(bound.into(), Value::Number(limit));
    object.insert(exclusive.into(), true.into());
}

fn lost(at: &str, keyword: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(
        child(at, keyword),
        format!("`{keyword}` dropped in the conversion to OpenAPI 3.0: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Converts one schema at `/components/schemas/S` of a 3.1 document, returning the schema
    /// as text (to see key order) and the warnings rendered.
    fn convert(schema: Value) -> (String, Vec<String>) {
        let mut document = json!({ "openapi": "3.1.0", "components": { "schemas": { "S": schema } } });
        let warnings = downgrade(&mut document).iter().map(ToString::to_string).collect();
        assert_eq!(document["openapi"], TARGET_VERSION);
        (document["components"]["schemas"]["S"].to_string(), warnings)
    }

    #[test]
    fn schemas_take_their_3_0_forms() {
        let cases = [
            (json!({ "type": ["string", "null"] }), r#"{"type":"string","nullable":true}"#),
            (json!({ "type": ["integer"] }), r#"{"type":"integer"}"#),
            (
                json!({ "type": ["string", "integer", "null"] }),
                r#"{"anyOf":[{"type":"string"},{"type":"integer"}],"nullable":true}"#,
            ),
            (json!({ "const": "on" }), r#"{"enum":["on"]}"#),
            (json!({ "examples": [3] }), r#"{"example":3}"#),
            (json!({ "exclusiveMinimum": 0 }), r#"{"exclusiveMinimum":true,"minimum":0}"#),
            (json!({ "exclusiveMaximum": 1.5 }), r#"{"exclusiveMaximum":true,"maximum":1.5}"#),
            (
                json!({ "$ref": "#/components/schemas/T", "description": "d" }),
                r##"{"description":"d","allOf":[{"$ref":"#/components/schemas/T"}]}"##,
            ),
            (json!({ "$ref": "#/components/schemas/T" }), r##"{"$ref":"#/components/schemas/T"}"##),
            (
                json!({ "properties": { "a": { "type": ["null", "boolean"] } }, "items": { "const": 1 } }),
                r#"{"properties":{"a":{"type":"boolean","nullable":true}},"items":{"enum":[1]}}"#,
            ),
        ];
        for (schema, expected) in cases {
            assert_eq!(convert(schema.clone()), (expected.to_owned(), vec![]), "{schema}");
        }
    }

    #[test]
    fn what_is_lost_is_reported() {
        let at = "/components/schemas/S";
        let cases = [
            (
                json!({ "examples": [1, 2] }),
                r#"{"example":1}"#,
                format!("{at}/examples: warning: kept the first of 2 examples"),
            ),
            (
                json!({ "type": "integer", "minimum": 1, "exclusiveMinimum": 0 }),
                r#"{"type":"integer","minimum":1}"#,
                format!(
                    "{at}/exclusiveMinimum: warning: `exclusiveMinimum` dropped in the conversion to OpenAPI 3.0: the schema also has `minimum`; kept `minimum`"
                ),
            ),
            (
                json!({ "enum": [1], "const": 2 }),
                r#"{"enum":[1]}"#,
                format!(
                    "{at}/const: warning: `const` dropped in the conversion to OpenAPI 3.0: the schema also has `enum`; kept `enum`"
                ),
            ),
            (json!({ "type": "null" }), r#"{"type":"null"}"#, String::new()),
            (
                json!({ "type": ["null"] }),
                r#"{"nullable":true}"#,
                format!(
                    "{at}/type: warning: `type` dropped in the conversion to OpenAPI 3.0: a schema that is only `null` cannot be said in 3.0; any value is accepted"
                ),
            ),
            (
                json!({ "type": "object", "patternProperties": { "^x": {} } }),
                r#"{"type":"object"}"#,
                format!(
                    "{at}/patternProperties: warning: `patternProperties` dropped in the conversion to OpenAPI 3.0: OpenAPI 3.0 has no such keyword"
                ),
            ),
        ];
        for (schema, expected, warning) in cases {
            let warnings: Vec<String> = [warning].into_iter().filter(|it| !it.is_empty()).collect();
            assert_eq!(convert(schema.clone()), (expected.to_owned(), warnings), "{schema}");
        }
    }

    #[test]
    fn only_3_1_documents_change() {
        let mut document = json!({
            "openapi": "3.1.1",
            "info": { "title": "t", "summary": "s", "version": "1" },
            "webhooks": {},
            "paths": { "/a": { "get": { "parameters": [{ "name": "q", "in": "query", "schema": { "const": 1 } }] } } },
        });
        let warnings: Vec<_> = downgrade(&mut document).iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "/webhooks: warning: `webhooks` has no OpenAPI 3.0 form; dropped",
                "/info/summary: warning: `summary` has no OpenAPI 3.0 form; dropped"
            ]
        );
        assert_eq!(document["paths"]["/a"]["get"]["parameters"][0]["schema"], json!({ "enum": [1] }));

        let original = json!({ "openapi": "3.0.3", "components": { "schemas": { "S": { "const": 1 } } } });
        let mut document = original.clone();
        assert!(downgrade(&mut document).is_empty());
        assert_eq!(document, original);
    }
}
