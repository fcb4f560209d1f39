//! Finding the schemas of a document (used by lint and by the 3.1 conversion): every place an
//! OpenAPI 3.0 document holds a Schema Object, with its JSON pointer.

use generator::diagnostic::escape_token;
use serde_json::Value;

use crate::pipeline::merge::METHODS;

/// What is done to each schema found; it gets the schema and its pointer.
pub type Visit<'a> = &'a mut dyn FnMut(&mut Value, &str);

/// Joins one unescaped reference token onto a pointer.
pub fn child(at: &str, token: &str) -> String {
    format!("{at}/{}", escape_token(token))
}

/// Visits every schema that is not inside another schema: component schemas and the schemas
/// of parameters, headers, request bodies and responses, in document order. Nested schemas
/// are the visitor's business (see [`subschemas`]), so a visitor may replace a whole schema.
pub fn top_schemas(document: &mut Value, visit: Visit) {
    for (key, value) in document.as_object_mut().into_iter().flatten() {
        match key.as_str() {
            "paths" => entries(value, "/paths", &mut |item, at| path_item(item, at, visit)),
            "components" => components(value, visit),
            _ => {}
        }
    }
}

/// Visits the schemas directly inside `schema`: properties, items, combinators and the like.
pub fn subschemas(schema: &mut Value, at: &str, visit: Visit) {
    for (key, value) in schema.as_object_mut().into_iter().flatten() {
        match key.as_str() {
            "properties" => entries(value, &child(at, key), visit),
            "allOf" | "oneOf" | "anyOf" => elements(value, &child(at, key), visit),
            // `additionalProperties` may also be a boolean; visitors pass over non-objects.
            "items" | "additionalProperties" | "not" => visit(value, &child(at, key)),
            _ => {}
        }
    }
}

/// Calls `visit` on every member of an object, with the member's pointer.
fn entries(value: &mut Value, at: &str, visit: Visit) {
    for (key, entry) in value.as_object_mut().into_iter().flatten() {
        visit(entry, &child(at, key));
    }
}

/// Calls `visit` on every element of an array, with the element's pointer.
fn elements(value: &mut Value, at: &str, visit: Visit) {
    for (index, element) in value.as_array_mut().into_iter().flatten().enumerate() {
        visit(element, &child(at, &index.to_string()));
    }
}

fn components(components: &mut Value, visit: Visit) {
    for (section, definitions) in components.as_object_mut().into_iter().flatten() {
        let at = child("/components", section);
        match section.as_str() {
            "schemas" => entries(definitions, &at, visit),
            "parameters" | "headers" => entries(definitions, &at, &mut |it, at| parameter(it, at, visit)),
            "requestBodies" | "responses" => entries(definitions, &at, &mut |it, at| body(it, at, visit)),
            _ => {}
        }
    }
}

fn path_item(item: &mut Value, at: &str, visit: Visit) {
    for (key, value) in item.as_object_mut().into_iter().flatten() {
        if key == "parameters" {
            elements(value, &child(at, key), &mut |it, at| parameter(it, at, visit));
        } else if METHODS.contains(&key.as_str()) {
            operation(value, &child(at, key), visit);
        }
    }
}

fn operation(operation: &mut Value, at: &str, visit: Visit) {
    for (key, value) in operation.as_object_mut().into_iter().flatten() {
        let at = child(at, key);
        match key.as_str() {
            "parameters" => elements(value, &at, &mut |it, at| parameter(it, at, visit)),
            "requestBody" => body(value, &at, visit),
            "responses" => entries(value, &at, &mut |it, at| body(it, at, visit)),
            _ => {}
        }
    }
}

/// Parameters and headers carry a schema either directly or per media type.
fn parameter(parameter: &mut Value, at: &str, visit: Visit) {
    for (key, value) in parameter.as_object_mut().into_iter().flatten() {
        match key.as_str() {
            "schema" => visit(value, &child(at, key)),
            "content" => entries(value, &child(at, key), &mut |it, at| media_type(it, at, visit)),
            _ => {}
        }
    }
}

/// Request bodies and responses carry schemas per media type; responses also in headers.
fn body(body: &mut Value, at: &str, visit: Visit) {
    for (key, value) in body.as_object_mut().into_iter().flatten() {
        let at = child(at, key);
        match key.as_str() {
            "content" => entries(value, &at, &mut |it, at| media_type(it, at, visit)),
            "headers" => entries(value, &at, &mut |it, at| parameter(it, at, visit)),
            _ => {}
        }
    }
}

fn media_type(media_type: &mut Value, at: &str, visit: Visit) {
    if let Some(schema) = media_type.get_mut("schema") {
        visit(schema, &child(at, "schema"));
    }
}
