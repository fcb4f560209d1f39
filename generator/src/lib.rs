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
    let files = vec![
        GeneratedFile {
            name: "models.rs".to_owned(),
            contents: format::format_file(
                "models.rs",
                &api.title,
                &api.version,
                emit::models::emit_models(&api),
            ),
        },
        GeneratedFile {
            name: "operations.rs".to_owned(),
            contents: format::format_file(
                "operations.rs",
                &api.title,
                &api.version,
                emit::operations::emit_operations(&api),
            ),
        },
    ];
    Ok(Output { files, api, warnings })
}
