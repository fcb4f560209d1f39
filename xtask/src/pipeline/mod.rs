//! The pipeline, from fragments to generated files: read ([`fragment`]), convert 3.1
//! ([`mod@downgrade`]), [`mod@merge`], apply [`overlay`]s, [`lint`] and repair, read as OpenAPI 3.0
//! ([`typed`]), run the generator, and write or check the output ([`codegen`]).
//! [`generate_document`], from one document to generated files, is shared by `codegen` and
//! `tools::generate`; [`lower_document`] stops at the model, for `tools::diff`.

pub mod codegen;
pub mod downgrade;
pub mod fragment;
pub mod lint;
pub mod merge;
pub mod overlay;
pub mod typed;
pub mod walk;

use generator::diagnostic::Diagnostic;
use serde_json::Value;

use downgrade::downgrade;

/// A document that generated, with the text of the document as linted and repaired.
pub struct Generated {
    /// The document the client is built from, pretty-printed with a final newline.
    pub openapi_json: String,
    pub output: generator::Output,
    /// Lint and generator warnings, without files.
    pub warnings: Vec<Diagnostic>,
}

/// How lint findings weigh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// Our own specs: a lint error (dangling `$ref`, duplicate operationId) stops the run, so
    /// it is fixed where it was made.
    Strict,
    /// Someone else's document: the generator has a sensible reading for what lint calls an
    /// error (a dangling `$ref` becomes `serde_json::Value`, a duplicate name is numbered), and
    /// a client for most of an API beats none, so lint errors are reported as warnings.
    Lenient,
}

/// A document that lowered into the model, for tools that compare clients rather than write one.
pub struct Lowered {
    /// The document as linted and repaired, for pointing at its parts.
    pub document: Value,
    pub api: generator::model::Api,
    /// Lint and generator warnings, without files.
    pub warnings: Vec<Diagnostic>,
}

/// Converts `document` from 3.1 if it needs it, lints it, then generates from it unless lint
/// found errors. Errors come with every warning found before them.
pub fn generate_document(
    document: Value,
    strictness: Strictness,
    options: &generator::Options,
) -> Result<Generated, Vec<Diagnostic>> {
    let (document, openapi_json, mut warnings) = prepare(document, strictness)?;
    let result =
        crate::pipeline::typed::read(document, &openapi_json).and_then(|it| generator::generate(it, options));
    match result {
        Ok(mut output) => {
            warnings.append(&mut output.warnings);
            Ok(Generated { openapi_json, output, warnings })
        }
        Err(errors) => {
            warnings.extend(errors);
            Err(warnings)
        }
    }
}

/// What [`generate_document`] does, up to the model: the same conversion, lint and lowering,
/// without emitting any source text.
pub fn lower_document(
    document: Value,
    strictness: Strictness,
    options: &generator::Options,
) -> Result<Lowered, Vec<Diagnostic>> {
    let (document, openapi_json, mut warnings) = prepare(document, strictness)?;
    let result = crate::pipeline::typed::read(document.clone(), &openapi_json)
        .and_then(|it| generator::lower(it, options));
    match result {
        Ok((api, mut lowered)) => {
            warnings.append(&mut lowered);
            Ok(Lowered { document, api, warnings })
        }
        Err(errors) => {
            warnings.extend(errors);
            Err(warnings)
        }
    }
}

/// Converts from 3.1, repairs and lints: the document with its pretty-printed text (final
/// newline included) and the warnings, or every finding when one is an error.
fn prepare(
    mut document: Value,
    strictness: Strictness,
) -> Result<(Value, String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut warnings = downgrade(&mut document);
    let mut findings = lint::repair(&mut document);
    findings.extend(lint::check(&document));
    if strictness == Strictness::Lenient {
        for finding in &mut findings {
            finding.severity = generator::diagnostic::Severity::Warning;
        }
    }
    warnings.extend(findings);
    if warnings.iter().any(Diagnostic::is_error) {
        return Err(warnings);
    }
    let mut openapi_json = serde_json::to_string_pretty(&document).expect("a JSON value always serializes");
    openapi_json.push('\n');
    Ok((document, openapi_json, warnings))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lint_errors_stop_strict_runs_and_warn_in_lenient_ones() {
        let document = json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": { "/a": { "get": { "operationId": "get_a", "responses": { "200": {
                "description": "", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Gone" } } } } } } } },
        });
        let errors = generate_document(document.clone(), Strictness::Strict, &Default::default())
            .err()
            .expect("strict runs stop");
        assert!(
            errors.iter().any(|it| it.is_error() && it.message.contains("points at nothing")),
            "{errors:?}"
        );
        let generated = generate_document(document, Strictness::Lenient, &Default::default())
            .unwrap_or_else(|it| panic!("{it:?}"));
        assert!(generated.warnings.iter().all(|it| !it.is_error()));
        assert!(generated.warnings.iter().any(|it| it.message.contains("points at nothing")));
        assert!(generated.output.files[1].contents.contains("Result<serde_json::Value, Error>"));
    }

    #[test]
    fn openapi_3_1_documents_generate() {
        let schema = json!({ "type": ["string", "null"], "const": "on" });
        let document = json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1" },
            "paths": { "/a": { "get": { "operationId": "get_a", "responses": { "200": {
                "description": "", "content": { "application/json": { "schema": schema } } } } } } },
        });
        let generated = generate_document(document, Strictness::Lenient, &Default::default())
            .unwrap_or_else(|it| panic!("{it:?}"));
        let converted: Value = serde_json::from_str(&generated.openapi_json).unwrap();
        assert_eq!(converted["openapi"], "3.0.3");
        let at = "/paths/~1a/get/responses/200/content/application~1json/schema";
        assert_eq!(
            converted.pointer(at),
            Some(&json!({ "type": "string", "nullable": true, "enum": ["on"] }))
        );
    }
}
