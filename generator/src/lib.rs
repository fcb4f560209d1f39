//! Turns an OpenAPI 3.0 document into the Rust source of a typed async client.
//!
//! The pipeline is `lower` (document → [`model::Api`], where every decision is made), `emit`
//! (model → tokens, mechanical) and `format` (tokens → text). Only the caller touches files.

pub mod diagnostic;
mod emit;
mod format;
mod lower;
pub mod model;
pub mod names;

use diagnostic::Diagnostic;

/// Spec text as rustdoc-safe Markdown lines (each with a leading space, or empty), for callers
/// writing their own doc comments around generated code.
pub fn doc_lines(text: &str) -> Vec<String> {
    emit::doc_lines(text)
}

/// One generated source file, named relative to the client crate's `src/generated/` folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub name: String,
    pub contents: String,
}

/// What a successful run produced.
#[derive(Clone, Debug)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    pub api: model::Api,
    /// Things taken on a sensible reading rather than faithfully, sorted by pointer.
    pub warnings: Vec<Diagnostic>,
}

/// Generates the models and operations of a client for `document`.
///
/// Errors are returned when the document cannot be generated faithfully; they are sorted by
/// pointer and include the warnings found along the way.
pub fn generate(document: &openapiv3::OpenAPI) -> Result<Output, Vec<Diagnostic>> {
    let (api, warnings) = lower::lower(document)?;
    // The two files are independent: emit and format them on two threads, since formatting is
    // most of the generator's time on large documents.
    let (models, operations) = std::thread::scope(|scope| {
        let models = scope.spawn(|| {
            let groups = emit::models::emit_model_groups(&api);
            format::format_groups("models.rs", &api.title, &api.version, groups)
        });
        let groups = emit::operations::emit_operation_groups(&api);
        let operations = format::format_groups("operations.rs", &api.title, &api.version, groups);
        (models.join().expect("formatting models panicked"), operations)
    });
    let files = vec![
        GeneratedFile { name: "models.rs".to_owned(), contents: models },
        GeneratedFile { name: "operations.rs".to_owned(), contents: operations },
    ];
    Ok(Output { files, api, warnings })
}

/// The pipeline's stages one at a time, for benchmarks and profiling; [`generate`] runs them in
/// this order and is what everything else should call.
pub mod stages {
    use super::{Diagnostic, emit, format, lower, model};

    /// Document → model, with the warnings found on the way.
    pub fn lower(document: &openapiv3::OpenAPI) -> Result<(model::Api, Vec<Diagnostic>), Vec<Diagnostic>> {
        lower::lower(document)
    }

    /// Model → tokens, one stream per output file, named as in [`super::GeneratedFile`].
    pub fn emit(api: &model::Api) -> Vec<(&'static str, proc_macro2::TokenStream)> {
        vec![
            ("models.rs", emit::models::emit_models(api)),
            ("operations.rs", emit::operations::emit_operations(api)),
        ]
    }

    /// Tokens → the text of one file, header included.
    pub fn format(file_name: &str, api: &model::Api, tokens: proc_macro2::TokenStream) -> String {
        format::format_file(file_name, &api.title, &api.version, tokens)
    }
}

#[cfg(test)]
mod tests {
    /// The stages run one by one give exactly what `generate` gives.
    #[test]
    fn stages_compose_to_generate() {
        let text = include_str!("../tests/specs/responses.yaml");
        let document: openapiv3::OpenAPI = serde_yaml::from_str(text).unwrap();
        let output = super::generate(&document).unwrap();
        let (api, _) = super::stages::lower(&document).unwrap();
        let files: Vec<(String, String)> = super::stages::emit(&api)
            .into_iter()
            .map(|(name, tokens)| (name.to_owned(), super::stages::format(name, &api, tokens)))
            .collect();
        let expected: Vec<(String, String)> =
            output.files.into_iter().map(|file| (file.name, file.contents)).collect();
        assert_eq!(files, expected);
    }
}
