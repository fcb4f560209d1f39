//! Where in a document each part of a client comes from, as JSON pointers: an operation, its
//! parameters, body and responses, a type's properties and enum values. The model keeps only a
//! type's pointer, so the rest is looked up in the document the model was lowered from.

use generator::diagnostic::pointer;
use generator::model::{Encoding, Operation, Param, ParamLocation, TypeDef};
use serde_json::Value;

use crate::pipeline::walk::child;

/// How deep a property is looked for through `$ref`s and compositions; real schemas nest a few
/// levels, and a bound keeps a reference cycle from looping.
const MAX_DEPTH: usize = 8;

/// The operation object: `/paths/~1pets~1{id}/get`.
pub fn operation(operation: &Operation) -> String {
    pointer(["paths", operation.path.as_str(), &operation.http_method.to_lowercase()])
}

/// Where an operation got its new name: the first key that names it (the extensions the
/// generator reads, the operationId, the tags) whose value differs between the two documents;
/// the operation itself when none does, as when another operation took the name it had.
pub fn renaming(old_document: &Value, before: &Operation, new_document: &Value, after: &Operation) -> String {
    const NAMING_KEYS: [&str; 6] = [
        "x-speakeasy-name-override",
        "x-fern-sdk-method-name",
        "x-speakeasy-group",
        "x-fern-sdk-group-name",
        "operationId",
        "tags",
    ];
    let (old_at, new_at) = (operation(before), operation(after));
    let changed = NAMING_KEYS
        .into_iter()
        .map(|key| (child(&old_at, key), child(&new_at, key)))
        .find(|(old_key, new_key)| old_document.pointer(old_key) != new_document.pointer(new_key));
    changed.map_or(new_at, |(_, new_key)| new_key)
}

/// The parameter's declaration: in the operation's own list, else in its path item's, and
/// behind a `$ref` the component it names, since that is where it is edited.
pub fn parameter(document: &Value, operation: &Operation, param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let at = self::operation(operation);
    let item = pointer(["paths", operation.path.as_str()]);
    for list in [child(&at, "parameters"), child(&item, "parameters")] {
        let Some(Value::Array(parameters)) = document.pointer(&list) else { continue };
        for index in 0..parameters.len() {
            let (found, resolved) = resolve(document, &child(&list, &index.to_string()));
            if resolved.is_some_and(|it| it["name"] == *param.wire_name && it["in"] == location) {
                return found;
            }
        }
    }
    at
}

/// The request body, or the component it refers to.
pub fn request_body(document: &Value, operation: &Operation) -> String {
    resolve(document, &child(&self::operation(operation), "requestBody")).0
}

/// One media type of the request body.
pub fn request_media_type(document: &Value, operation: &Operation, encoding: &Encoding) -> String {
    child(&child(&request_body(document, operation), "content"), &media_type(encoding))
}

/// One documented status of an operation's responses (`200`, `4XX`, `default`).
pub fn response(operation: &Operation, status: &str) -> String {
    child(&child(&self::operation(operation), "responses"), status)
}

/// The first documented success status (2xx) of an operation, or with `success` false the first
/// other one: where a single success or error type comes from.
pub fn first_response(document: &Value, operation: &Operation, success: bool) -> String {
    let at = child(&self::operation(operation), "responses");
    let responses = document.pointer(&at).and_then(Value::as_object);
    let status = responses.and_then(|it| it.keys().find(|key| key.starts_with('2') == success));
    match status {
        Some(status) => child(&at, status),
        None => at,
    }
}

/// The security an operation declares, else the document's, else the operation (which then
/// needs none).
pub fn security(document: &Value, operation: &Operation) -> String {
    let own = child(&self::operation(operation), "security");
    let candidates = [own, "/security".to_owned()];
    let declared = candidates.into_iter().find(|it| document.pointer(it).is_some());
    declared.unwrap_or_else(|| self::operation(operation))
}

/// A property of a type, found through `$ref`s and `allOf`/`oneOf`/`anyOf` members.
pub fn field(document: &Value, def: &TypeDef, wire_name: &str) -> String {
    find_property(document, &def.pointer, wire_name, 0).unwrap_or_else(|| def.pointer.clone())
}

/// One value of a string enum, found the same way.
pub fn enum_value(document: &Value, def: &TypeDef, value: &str) -> String {
    find_enum_value(document, &def.pointer, value, 0).unwrap_or_else(|| def.pointer.clone())
}

/// A security scheme.
pub fn scheme(name: &str) -> String {
    pointer(["components", "securitySchemes", name])
}

/// The longest prefix of `at` that the document holds, so every pointer shown names something
/// that is there even when a guess above went too deep.
pub fn settle(document: &Value, at: &str) -> String {
    let mut prefix = at;
    while !prefix.is_empty() && document.pointer(prefix).is_none() {
        prefix = &prefix[..prefix.rfind('/').unwrap_or(0)];
    }
    prefix.to_owned()
}

/// The media type a body encoding is sent as.
pub fn media_type(encoding: &Encoding) -> String {
    match encoding {
        Encoding::Json => "application/json".into(),
        Encoding::FormUrlEncoded => "application/x-www-form-urlencoded".into(),
        Encoding::Multipart => "multipart/form-data".into(),
        Encoding::Raw(content_type) => content_type.clone(),
    }
}

/// Follows one local `$ref` at `at`: the pointer of what it names, and the value there.
fn resolve<'v>(document: &'v Value, at: &str) -> (String, Option<&'v Value>) {
    let value = document.pointer(at);
    match value.and_then(|it| it.get("$ref")).and_then(Value::as_str) {
        Some(reference) if reference.starts_with("#/") => {
            let target = reference[1..].to_owned();
            let value = document.pointer(&target);
            (target, value)
        }
        _ => (at.to_owned(), value),
    }
}

fn find_property(document: &Value, at: &str, wire_name: &str, depth: usize) -> Option<String> {
    let (at, schema) = resolve(document, at);
    let schema = schema?;
    if schema.get("properties").and_then(|it| it.get(wire_name)).is_some() {
        return Some(child(&child(&at, "properties"), wire_name));
    }
    members(schema, &at, depth).find_map(|member| find_property(document, &member, wire_name, depth + 1))
}

fn find_enum_value(document: &Value, at: &str, value: &str, depth: usize) -> Option<String> {
    let (at, schema) = resolve(document, at);
    let schema = schema?;
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let index = values.iter().position(|it| it.as_str() == Some(value))?;
        return Some(child(&child(&at, "enum"), &index.to_string()));
    }
    members(schema, &at, depth).find_map(|member| find_enum_value(document, &member, value, depth + 1))
}

/// Pointers of the members of a composition, none past the depth bound.
fn members<'s>(schema: &'s Value, at: &'s str, depth: usize) -> impl Iterator<Item = String> + 's {
    ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter(move |_| depth < MAX_DEPTH)
        .filter_map(move |keyword| Some((keyword, schema.get(keyword)?.as_array()?.len())))
        .flat_map(move |(keyword, count)| (0..count).map(move |index| pointer_to(at, keyword, index)))
}

fn pointer_to(at: &str, keyword: &str, index: usize) -> String {
    child(&child(at, keyword), &index.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pointers_settle_on_what_the_document_holds() {
        let document = json!({ "paths": { "/a/{id}": { "get": { "parameters": [] } } } });
        let cases = [
            ("/paths/~1a~1{id}/get/parameters/0", "/paths/~1a~1{id}/get/parameters"),
            ("/paths/~1a~1{id}/get/requestBody/content", "/paths/~1a~1{id}/get"),
            ("/paths/~1b", "/paths"),
            ("/nothing/here", ""),
        ];
        for (at, expected) in cases {
            assert_eq!(settle(&document, at), expected, "{at}");
        }
    }

    #[test]
    fn properties_are_found_through_references_and_compositions() {
        let document = json!({ "components": { "schemas": {
            "Base": { "properties": { "id": {} } },
            "Pet": { "allOf": [ { "$ref": "#/components/schemas/Base" }, { "properties": { "name": {} } } ] },
            "Loop": { "allOf": [ { "$ref": "#/components/schemas/Loop" } ] },
        } } });
        let cases = [
            ("/components/schemas/Pet", "name", Some("/components/schemas/Pet/allOf/1/properties/name")),
            ("/components/schemas/Pet", "id", Some("/components/schemas/Base/properties/id")),
            ("/components/schemas/Pet", "age", None),
            ("/components/schemas/Loop", "id", None),
        ];
        for (at, wire_name, expected) in cases {
            assert_eq!(find_property(&document, at, wire_name, 0).as_deref(), expected, "{at} {wire_name}");
        }
    }
}
