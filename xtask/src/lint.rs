//! Lint stage (xtask): checks every schema of the merged document before it is parsed, and
//! repairs the mistakes that have one sensible reading so generation can go on with a warning.

use generator::diagnostic::{Diagnostic, escape_token};
use serde_json::{Map, Value, json};

use crate::merge::METHODS;

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

/// Checks the merged document and repairs what has one sensible reading, returning warnings in
/// document order (pointer set, file left for the source map to fill).
#[cfg_attr(not(test), allow(dead_code))]
pub fn lint(document: &mut Value) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let Some(root) = document.as_object_mut() else { return diagnostics };
    for (key, value) in root {
        match key.as_str() {
            "paths" => for_each_entry(value, "/paths", &mut diagnostics, lint_path_item),
            "components" => lint_components(value, &mut diagnostics),
            _ => {}
        }
    }
    diagnostics
}

/// Joins one unescaped reference token onto a pointer.
fn child(at: &str, token: &str) -> String {
    format!("{at}/{}", escape_token(token))
}

/// Calls `lint_entry` on every member of an object, with the member's pointer.
fn for_each_entry(value: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>, lint_entry: Linter) {
    for (key, entry) in value.as_object_mut().into_iter().flatten() {
        lint_entry(entry, &child(at, key), diagnostics);
    }
}

/// Calls `lint_entry` on every element of an array, with the element's pointer.
fn for_each_element(value: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>, lint_entry: Linter) {
    for (index, element) in value.as_array_mut().into_iter().flatten().enumerate() {
        lint_entry(element, &child(at, &index.to_string()), diagnostics);
    }
}

type Linter = fn(&mut Value, &str, &mut Vec<Diagnostic>);

fn lint_components(components: &mut Value, diagnostics: &mut Vec<Diagnostic>) {
    for (section, definitions) in components.as_object_mut().into_iter().flatten() {
        let lint_definition: Linter = match section.as_str() {
            "schemas" => lint_schema,
            "parameters" | "headers" => lint_parameter,
            "requestBodies" | "responses" => lint_body,
            _ => continue,
        };
        for_each_entry(definitions, &child("/components", section), diagnostics, lint_definition);
    }
}

fn lint_path_item(item: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    for (key, value) in item.as_object_mut().into_iter().flatten() {
        if key == "parameters" {
            for_each_element(value, &child(at, key), diagnostics, lint_parameter);
        } else if METHODS.contains(&key.as_str()) {
            lint_operation(value, &child(at, key), diagnostics);
        }
    }
}

fn lint_operation(operation: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    for (key, value) in operation.as_object_mut().into_iter().flatten() {
        match key.as_str() {
            "parameters" => for_each_element(value, &child(at, key), diagnostics, lint_parameter),
            "requestBody" => lint_body(value, &child(at, key), diagnostics),
            "responses" => for_each_entry(value, &child(at, key), diagnostics, lint_body),
            _ => {}
        }
    }
}

/// Parameters and headers carry a schema either directly or per media type.
fn lint_parameter(parameter: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    for (key, value) in parameter.as_object_mut().into_iter().flatten() {
        match key.as_str() {
            "schema" => lint_schema(value, &child(at, key), diagnostics),
            "content" => for_each_entry(value, &child(at, key), diagnostics, lint_media_type),
            _ => {}
        }
    }
}

/// Request bodies and responses carry schemas per media type; responses also in headers.
fn lint_body(body: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    for (key, value) in body.as_object_mut().into_iter().flatten() {
        match key.as_str() {
            "content" => for_each_entry(value, &child(at, key), diagnostics, lint_media_type),
            "headers" => for_each_entry(value, &child(at, key), diagnostics, lint_parameter),
            _ => {}
        }
    }
}

fn lint_media_type(media_type: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(schema) = media_type.get_mut("schema") {
        lint_schema(schema, &child(at, "schema"), diagnostics);
    }
}

fn lint_schema(schema: &mut Value, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(object) = schema.as_object_mut() else { return };
    // OpenAPI 3.0 ignores the siblings of `$ref`, so there is nothing here to check.
    if object.contains_key("$ref") {
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
    for (key, value) in object.iter_mut() {
        match key.as_str() {
            "properties" => for_each_entry(value, &child(at, key), diagnostics, lint_schema),
            "allOf" | "oneOf" | "anyOf" => for_each_element(value, &child(at, key), diagnostics, lint_schema),
            // `additionalProperties` may also be a boolean, which `lint_schema` passes over.
            "items" | "additionalProperties" | "not" => lint_schema(value, &child(at, key), diagnostics),
            _ => {}
        }
    }
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

/// Infers a schema from an example that was written where the schema belongs, keeping the
/// example itself next to it.
fn schema_with_example(example: Value) -> Value {
    let mut schema = infer_schema(&example);
    if let Some(object) = schema.as_object_mut() {
        object.insert("example".into(), example);
    }
    schema
}

/// Describes the shape of one example. Objects get no `required`: one example cannot tell
/// which fields are always present.
fn infer_schema(example: &Value) -> Value {
    match example {
        Value::Null => json!({ "nullable": true }),
        Value::Bool(_) => json!({ "type": "boolean" }),
        Value::Number(number) if number.is_i64() || number.is_u64() => json!({ "type": "integer" }),
        Value::Number(_) => json!({ "type": "number" }),
        Value::String(text) => match string_format(text) {
            Some(format) => json!({ "type": "string", "format": format }),
            None => json!({ "type": "string" }),
        },
        Value::Array(items) => {
            json!({ "type": "array", "items": items.first().map_or_else(|| json!({}), infer_schema) })
        }
        // An empty example says nothing about the fields, so the object stays free-form.
        Value::Object(fields) if fields.is_empty() => json!({ "type": "object" }),
        Value::Object(fields) => {
            let properties: Map<String, Value> =
                fields.iter().map(|(name, value)| (name.clone(), infer_schema(value))).collect();
            json!({ "type": "object", "properties": properties })
        }
    }
}

/// The OpenAPI string format an example string has, if it is an RFC 3339 date or date-time.
fn string_format(text: &str) -> Option<&'static str> {
    if is_date(text) {
        Some("date")
    } else if text.get(10..11).is_some_and(|separator| separator.eq_ignore_ascii_case("t"))
        && is_date(&text[..10])
        && is_time(&text[11..])
    {
        Some("date-time")
    } else {
        None
    }
}

/// Reads two ASCII digits starting at byte `start`.
fn two_digits(text: &str, start: usize) -> Option<u32> {
    text.get(start..start + 2).filter(|digits| digits.bytes().all(|byte| byte.is_ascii_digit()))?.parse().ok()
}

/// `YYYY-MM-DD` with a day that exists in that month.
fn is_date(text: &str) -> bool {
    let year = text.get(..4).filter(|digits| digits.bytes().all(|byte| byte.is_ascii_digit()));
    let Some(year) = year.and_then(|digits| digits.parse::<u32>().ok()) else { return false };
    let (Some(month), Some(day)) = (two_digits(text, 5), two_digits(text, 8)) else { return false };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    text.len() == 10
        && &text[4..5] == "-"
        && &text[7..8] == "-"
        && (1..=12).contains(&month)
        && (1..=days).contains(&day)
}

/// `HH:MM:SS`, optional fraction, then `Z` or `±HH:MM`; second 60 allows a leap second.
fn is_time(text: &str) -> bool {
    let (Some(hour), Some(minute), Some(second)) =
        (two_digits(text, 0), two_digits(text, 3), two_digits(text, 6))
    else {
        return false;
    };
    if &text[2..3] != ":" || &text[5..6] != ":" || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut offset = &text[8..];
    if let Some(fraction) = offset.strip_prefix('.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return false;
        }
        offset = &fraction[length..];
    }
    if offset.eq_ignore_ascii_case("z") {
        return true;
    }
    let (Some(hour), Some(minute)) = (two_digits(offset, 1), two_digits(offset, 4)) else { return false };
    offset.len() == 6 && matches!(&offset[..1], "+" | "-") && &offset[3..4] == ":" && hour < 24 && minute < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lints one schema placed at `/components/schemas/S`, returning it and the warnings as
    /// `(pointer, message)`.
    fn lint_one(schema: Value) -> (Value, Vec<(String, String)>) {
        let mut document = json!({ "components": { "schemas": { "S": schema } } });
        let warnings = lint(&mut document).into_iter().map(|it| (it.pointer, it.message)).collect();
        (document["components"]["schemas"]["S"].take(), warnings)
    }

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
    fn examples_give_inferred_schemas() {
        let cases = [
            (json!(null), json!({ "nullable": true })),
            (json!(false), json!({ "type": "boolean" })),
            (json!(-3), json!({ "type": "integer" })),
            (json!(u64::MAX), json!({ "type": "integer" })),
            (json!(1.5), json!({ "type": "number" })),
            (json!("text"), json!({ "type": "string" })),
            (json!("2024-02-29"), json!({ "type": "string", "format": "date" })),
            (json!("2023-02-29"), json!({ "type": "string" })),
            (json!("2024-01-31T23:59:60.123Z"), json!({ "type": "string", "format": "date-time" })),
            (json!("2024-01-31t08:00:00+05:30"), json!({ "type": "string", "format": "date-time" })),
            (json!("2024-01-31 08:00:00Z"), json!({ "type": "string" })),
            (json!("2024-01-31T08:00:00"), json!({ "type": "string" })),
            (json!("2024-01-31T24:00:00Z"), json!({ "type": "string" })),
            (json!("2024-01-31T08:00:00.Z"), json!({ "type": "string" })),
            (json!("2024-01-31T08:00:00+0530"), json!({ "type": "string" })),
            (json!("2024-01-31T08:00:00é"), json!({ "type": "string" })),
            (json!("2024-1-31"), json!({ "type": "string" })),
            (json!([]), json!({ "type": "array", "items": {} })),
            (json!([1, "a"]), json!({ "type": "array", "items": { "type": "integer" } })),
            (json!({}), json!({ "type": "object" })),
            (
                json!({ "user": { "id": 1, "tags": ["a"] } }),
                json!({ "type": "object", "properties": { "user": { "type": "object", "properties": {
                    "id": { "type": "integer" },
                    "tags": { "type": "array", "items": { "type": "string" } },
                } } } }),
            ),
        ];
        for (example, expected) in cases {
            assert_eq!(infer_schema(&example), expected, "{example}");
        }
    }

    #[test]
    fn schemas_are_checked_and_repaired() {
        let at = "/components/schemas/S";
        let cases = [
            (json!({}), json!({}), vec![]),
            (json!({ "x-rust-type": "u8", "type": "integer" }), json!({ "x-rust-type": "u8", "type": "integer" }), vec![]),
            (json!({ "$ref": "#/components/schemas/T", "id": 1 }), json!({ "$ref": "#/components/schemas/T", "id": 1 }), vec![]),
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

    #[test]
    fn nested_schemas_are_walked_in_document_order() {
        let odd = json!({ "type": "string", "odd": true });
        let schema = json!({
            "type": "object",
            "properties": { "list": { "type": "array", "items": odd }, "ref": { "$ref": "#/x", "odd": 1 } },
            "additionalProperties": odd,
            "allOf": [{}, odd],
            "oneOf": [odd],
            "anyOf": [odd],
            "not": odd,
        });
        let (_, warnings) = lint_one(schema);
        let pointers: Vec<_> = warnings.iter().map(|(pointer, _)| pointer.as_str()).collect();
        let expected =
            ["/properties/list/items", "/additionalProperties", "/allOf/1", "/oneOf/0", "/anyOf/0", "/not"]
                .map(|suffix| format!("/components/schemas/S{suffix}"));
        assert_eq!(pointers, expected);
    }

    #[test]
    fn every_schema_position_is_walked() {
        let odd = json!({ "type": "string", "odd": true });
        let content = json!({ "application/json": { "schema": odd }, "text/plain": {} });
        let mut document = json!({
            "paths": { "/a": {
                "parameters": [{ "name": "p", "in": "query", "schema": odd }, { "$ref": "#/components/parameters/q" }],
                "summary": "",
                "get": {
                    "parameters": [{ "name": "q", "in": "query", "content": content }],
                    "requestBody": { "content": content },
                    "responses": { "200": { "headers": { "h": { "schema": odd } }, "content": content } },
                },
                "x-other": { "schema": odd },
            } },
            "components": {
                "schemas": { "s": odd },
                "parameters": { "p": { "schema": odd } },
                "headers": { "h": { "schema": odd } },
                "requestBodies": { "b": { "content": content } },
                "responses": { "r": { "content": content } },
                "examples": { "e": { "value": odd } },
            },
        });
        let pointers: Vec<_> = lint(&mut document).into_iter().map(|it| it.pointer).collect();
        let expected = [
            "/paths/~1a/parameters/0/schema",
            "/paths/~1a/get/parameters/0/content/application~1json/schema",
            "/paths/~1a/get/requestBody/content/application~1json/schema",
            "/paths/~1a/get/responses/200/headers/h/schema",
            "/paths/~1a/get/responses/200/content/application~1json/schema",
            "/components/schemas/s",
            "/components/parameters/p/schema",
            "/components/headers/h/schema",
            "/components/requestBodies/b/content/application~1json/schema",
            "/components/responses/r/content/application~1json/schema",
        ];
        assert_eq!(pointers, expected);
    }
}
