//! One snapshot per kind of finding, rendered as `cargo xtask lint` prints it: each case is a
//! tiny `specs/` folder run through the whole pipeline (read, merge, lint, generate).

use std::fs;
use std::path::PathBuf;

use crate::pipeline::codegen::render;

/// A fragment with one operation, `extra` spliced into the operation object.
fn operation(path: &str, extra: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
"paths": {{"{path}": {{"get": {{{extra}"responses": {{"200": {{"description": ""}}}}}}}}}}}}"#
    )
}

/// A fragment declaring one schema, and a GET `/s` answering with it.
fn schema(schema: &str) -> String {
    let response = r##""responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}}"##;
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
"paths": {{"/s": {{"get": {{"operationId": "get_s", {response}}}}}}},
"components": {{"schemas": {{"S": {schema}}}}}}}"#
    )
}

/// `(kind, files)`: the files of `specs/` that produce that kind of finding.
fn cases() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        (
            "json_syntax",
            vec![("specs/a/broken.json", "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n}".into())],
        ),
        ("yaml_syntax", vec![("specs/a/broken.yaml", "openapi: 3.0.3\npaths:\n  /a: [get\n".into())]),
        ("unknown_schema_keyword", vec![("specs/a/s.json", schema(r#"{"type": "string", "maxlength": 3}"#))]),
        ("example_in_place_of_schema", vec![("specs/a/s.json", schema(r#"{"status": "ok", "count": 2}"#))]),
        (
            "unknown_operation_key",
            vec![("specs/a/get_a.json", operation("/a", r#""operationId": "get_a", "summery": "typo", "#))],
        ),
        (
            "unresolved_ref",
            vec![(
                "specs/a/s.json",
                schema(r##"{"type": "array", "items": {"$ref": "#/components/schemas/Pett"}}"##),
            )],
        ),
        (
            "ref_beside_nullable",
            vec![(
                "specs/a/s.json",
                schema(
                    r##"{"type": "object", "properties": {"parent": {"$ref": "#/components/schemas/S", "nullable": true}}}"##,
                ),
            )],
        ),
        (
            "required_not_in_properties",
            vec![(
                "specs/a/s.json",
                schema(r#"{"type": "object", "properties": {"id": {"type": "string"}}, "required": ["ID"]}"#),
            )],
        ),
        (
            "undeclared_path_parameter",
            vec![("specs/a/get_a.json", operation("/a/{id}", r#""operationId": "get_a", "#))],
        ),
        (
            "path_parameter_not_in_template",
            vec![(
                "specs/a/get_a.json",
                operation(
                    "/a",
                    r#""operationId": "get_a", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "#,
                ),
            )],
        ),
        (
            "duplicate_operation_id",
            vec![
                ("specs/a/get_a.json", operation("/a", r#""operationId": "get", "#)),
                ("specs/b/get_b.json", operation("/b", r#""operationId": "get", "#)),
            ],
        ),
        (
            "conflicting_component",
            vec![
                ("specs/a/s.json", schema(r#"{"type": "string"}"#)),
                (
                    "specs/b/s.json",
                    schema(r#"{"type": "integer"}"#).replace("/s", "/t").replace("get_s", "get_t"),
                ),
            ],
        ),
        (
            "openapi_3_1_conversion",
            vec![(
                "specs/a/s.json",
                schema(r#"{"type": ["string", "null"], "examples": ["a", "b"], "if": {"minLength": 1}}"#)
                    .replace("3.0.3", "3.1.0"),
            )],
        ),
        (
            "overlay_target_matches_nothing",
            vec![
                ("specs/a/get_a.json", operation("/a", r#""operationId": "get_a", "#)),
                (
                    "specs/overlays/rename.yaml",
                    "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/b'].get\n    update: {operationId: get_b}\n".into(),
                ),
            ],
        ),
        (
            "schema_openapiv3_cannot_read",
            vec![(
                "specs/a/s.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S:\n      \
                 type: object\n      properties:\n        name:\n          type: string\n          required: true\n"
                    .into(),
            )],
        ),
        (
            "unsupported_version",
            vec![(
                "specs/a/get_a.json",
                operation("/a", r#""operationId": "get_a", "#).replace("3.0.3", "2.0"),
            )],
        ),
    ]
}

#[test]
fn every_kind_of_finding_renders() {
    for (kind, files) in cases() {
        let root: PathBuf = std::env::temp_dir().join(format!("xtask-lint-{kind}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (file, text) in &files {
            let path = root.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let diagnostics = match render(&root).unwrap() {
            Ok(rendered) => rendered.warnings,
            Err(diagnostics) => diagnostics,
        };
        fs::remove_dir_all(&root).unwrap();
        assert!(!diagnostics.is_empty(), "{kind}: no finding");
        let rendered: Vec<_> = diagnostics.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(kind, rendered.join("\n"));
    }
}
