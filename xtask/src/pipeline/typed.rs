//! The linted JSON value read as `openapiv3::OpenAPI`, the step between lint and the generator.

use generator::diagnostic::Diagnostic;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use crate::pipeline::walk::{subschemas, top_schemas};

/// Reads `document` as OpenAPI 3.0. `text` is the same document as JSON text: read again, with
/// the path tracked, only when the document does not fit, to point at the value that does not.
pub fn read(document: Value, text: &str) -> Result<OpenAPI, Vec<Diagnostic>> {
    serde_json::from_value(document).map_err(|_| vec![locate(text)])
}

/// Reads `text` again with the path tracked, and points at the first value that does not fit:
/// the innermost schema that does not read, when the value is inside one. The tracked path
/// alone stops early, at the first `untagged` enum of openapiv3 (`/paths`, say), since serde
/// tries such an enum's variants on a copy of the value.
fn locate(text: &str) -> Diagnostic {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let error = match serde_path_to_error::deserialize::<_, OpenAPI>(&mut deserializer) {
        Ok(_) => return Diagnostic::error("", "not a valid OpenAPI 3.0 document"),
        Err(error) => error,
    };
    let tokens = error.path().iter().filter_map(|segment| match segment {
        serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
        serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
        serde_path_to_error::Segment::Unknown => None,
    });
    let pointer = generator::diagnostic::pointer(tokens);
    let mut document: Value = serde_json::from_str(text).unwrap_or_default();
    match failing_schema(&mut document, &pointer) {
        Some((at, message)) => Diagnostic::error(at, format!("not a valid OpenAPI 3.0 schema: {message}")),
        None => Diagnostic::error(pointer, format!("not a valid OpenAPI 3.0 document: {}", error.inner())),
    }
}

/// The pointer of the innermost schema within `within` that does not read as an openapiv3
/// schema, with what is wrong with it.
fn failing_schema(document: &mut Value, within: &str) -> Option<(String, String)> {
    let mut found = None;
    top_schemas(document, &mut |schema, at| {
        let inside = at.strip_prefix(within).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if found.is_none() && inside {
            found = innermost_failure(schema, at);
        }
    });
    found
}

/// `schema` or the innermost of its subschemas that does not read, when one does not.
fn innermost_failure(schema: &mut Value, at: &str) -> Option<(String, String)> {
    // `additionalProperties: true` and the like are not schema objects; their parent says
    // whether they fit.
    if !schema.is_object() {
        return None;
    }
    let error = serde_json::from_value::<ReferenceOr<Schema>>(schema.clone()).err()?;
    let mut deeper = None;
    subschemas(schema, at, &mut |child, child_at| {
        if deeper.is_none() {
            deeper = innermost_failure(child, child_at);
        }
    });
    deeper.or_else(|| Some((at.to_owned(), describe(schema, &error))))
}

/// What is wrong with a schema: the keyword without which it would read, and serde's words.
fn describe(schema: &Value, error: &serde_json::Error) -> String {
    let object = schema.as_object().expect("only objects are described");
    let culprit = object.iter().find(|(key, _)| {
        let mut without = object.clone();
        without.remove(*key);
        serde_json::from_value::<ReferenceOr<Schema>>(Value::Object(without)).is_ok()
    });
    match culprit {
        Some((key, value)) => {
            let mut shown = value.to_string();
            if shown.len() > 60 {
                shown = format!("{}…", shown.chars().take(60).collect::<String>());
            }
            format!("`{key}` is `{shown}` ({error})")
        }
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn documents_read_as_openapi() {
        let document = json!({ "openapi": "3.0.3", "info": { "title": "t", "version": "1" }, "paths": {} });
        let read = read(document.clone(), &document.to_string()).unwrap();
        assert!(read.paths.paths.is_empty() && read.components.is_none());
    }

    #[test]
    fn documents_that_do_not_fit_openapi_point_at_the_value() {
        let document = json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": {},
            "tags": [{ "name": "a" }, { "name": 5 }],
        });
        let errors = read(document.clone(), &serde_json::to_string_pretty(&document).unwrap())
            .expect_err("a tag name must be a string");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/tags/1/name");
        assert!(errors[0].message.starts_with("not a valid OpenAPI 3.0 document: "), "{}", errors[0].message);
    }

    #[test]
    fn schemas_that_do_not_fit_openapi_are_named_with_their_keyword() {
        let property = json!({ "type": "string", "required": true });
        let document = json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": { "/a": { "get": { "responses": { "200": { "description": "", "content": {
                "application/json": { "schema": { "type": "object", "properties": { "name": property } } },
            } } } } } },
        });
        let errors = read(document.clone(), &serde_json::to_string_pretty(&document).unwrap())
            .expect_err("`required` must be a list");
        let at = "/paths/~1a/get/responses/200/content/application~1json/schema/properties/name";
        assert_eq!(errors[0].pointer, at);
        assert_eq!(
            errors[0].message,
            "not a valid OpenAPI 3.0 schema: `required` is `true` (invalid type: boolean `true`, expected a sequence)"
        );
    }
}
