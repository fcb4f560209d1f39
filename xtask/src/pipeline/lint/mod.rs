//! Lint stage (xtask): checks the merged document before it is parsed, and repairs the
//! mistakes that have one sensible reading so generation can go on with a warning.
//!
//! Schemas are found by `crate::pipeline::walk`; each check family lives in its own module: `schema`
//! (keywords, `required`, an example in place of a schema), `operations` (operation keys and
//! operationIds) and `refs` (unresolved `$ref`s). Path parameters are checked by the generator.

mod example;
mod operations;
mod refs;
#[cfg(test)]
mod rendered;
mod schema;

use generator::diagnostic::Diagnostic;
use serde_json::Value;

use crate::pipeline::walk::top_schemas;
use schema::lint_schema;

/// Checks the merged document and repairs what has one sensible reading, returning findings
/// (pointer set, file left for the source map to fill). Errors mean the document cannot be
/// generated faithfully; warnings say what was repaired or ignored.
pub fn lint(document: &mut Value) -> Vec<Diagnostic> {
    let mut diagnostics = repair(document);
    diagnostics.extend(check(document));
    diagnostics
}

/// The checks that repair: schemas (an example in place of a schema is replaced).
pub fn repair(document: &mut Value) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    top_schemas(document, &mut |schema, at| lint_schema(schema, at, &mut diagnostics));
    diagnostics
}

/// The checks that only read, to run on the repaired document (and beside other readers).
pub fn check(document: &Value) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if let Some(paths) = document.get("paths") {
        operations::check_operations(paths, &mut diagnostics);
    }
    refs::check_refs(document, &mut diagnostics);
    diagnostics
}

#[cfg(test)]
pub(super) mod tests {
    use serde_json::json;

    use super::*;

    /// Lints one schema placed at `/components/schemas/S`, returning it and the warnings as
    /// `(pointer, message)`.
    pub(in crate::pipeline::lint) fn lint_one(schema: Value) -> (Value, Vec<(String, String)>) {
        let mut document = json!({ "components": { "schemas": { "S": schema } } });
        // The refs these tests hold point nowhere on purpose; refs.rs has its own tests.
        let warnings = lint(&mut document).into_iter().filter(|it| !it.is_error());
        let warnings = warnings.map(|it| (it.pointer, it.message)).collect();
        (document["components"]["schemas"]["S"].take(), warnings)
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
        let warnings = lint(&mut document).into_iter().filter(|it| !it.is_error());
        let pointers: Vec<_> = warnings.map(|it| it.pointer).collect();
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
