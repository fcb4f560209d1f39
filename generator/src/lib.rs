//! Turns an OpenAPI 3.0 document into the Rust source of a typed async client.
//!
//! The pipeline is `lower` (document → [`model::Api`], where every decision is made), `emit`
//! (model → code, mechanical) and `format` (code → text). Emit and format work one part of a
//! file at a time (a type, a client method, a request builder), fused, on all threads; the
//! parts are then assembled in order. Only the caller touches files.
//!
//! Emission writes Rust through `syntax`, which opens the same boxes and breaks for each
//! construct as prettyplease's printer, and `layout` breaks the lines: the output is what
//! quote, syn and prettyplease made of the same code (xtask's tests check every generated file
//! of the corpus against prettyplease), without the cost of building token streams, parsing
//! them back with syn and printing the syntax trees (README, Performance).

pub mod diagnostic;
mod emit;
mod format;
mod layout;
mod lower;
pub mod model;
pub mod names;
pub mod parallel;
mod syntax;

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

/// Generates the models and operations of a client for `document`, which is dropped as soon
/// as it has been read into the model.
///
/// Errors are returned when the document cannot be generated faithfully; they are sorted by
/// pointer and include the warnings found along the way.
pub fn generate(document: openapiv3::OpenAPI) -> Result<Output, Vec<Diagnostic>> {
    lower(document).map(Lowered::render)
}

/// A document read into the model, before any code is written: the first half of
/// [`generate`], for callers that act between the two halves (xtask changes how its allocator
/// treats freed memory once the document is gone).
#[derive(Debug)]
pub struct Lowered {
    api: model::Api,
    warnings: Vec<Diagnostic>,
}

/// Reads `document` into the model, dropping it as it goes; errors as for [`generate`].
pub fn lower(document: openapiv3::OpenAPI) -> Result<Lowered, Vec<Diagnostic>> {
    let (api, warnings) = lower::lower(document)?;
    Ok(Lowered { api, warnings })
}

/// As [`lower`], with the path items of `document` given apart, in path order (any left in
/// `document` are not looked at): they are lowered last, so they can still be arriving (read
/// on another thread) while the rest is lowered.
pub fn lower_with_paths(
    document: openapiv3::OpenAPI,
    paths: impl IntoIterator<Item = (String, openapiv3::ReferenceOr<openapiv3::PathItem>)>,
) -> Result<Lowered, Vec<Diagnostic>> {
    let (api, warnings) = lower::lower_with_paths(document, paths)?;
    Ok(Lowered { api, warnings })
}

impl Lowered {
    /// Writes the code: the second half of [`generate`].
    pub fn render(self) -> Output {
        let files = render(&self.api);
        Output { files, api: self.api, warnings: self.warnings }
    }
}

/// Emits and formats every part of every file, spread over the machine's threads, then
/// assembles the files in order.
fn render(api: &model::Api) -> Vec<GeneratedFile> {
    let files = emit::files(api);
    let jobs: Vec<(&str, emit::Part)> =
        files.iter().flat_map(|(name, parts)| parts.iter().map(|part| (*name, *part))).collect();
    let texts = parallel::map(jobs, |(name, part)| format::format_part(name, emit::emit_part(api, part)));
    assemble(api, &files, texts)
}

/// The files from the texts of their parts, in order; each text is freed once it is copied.
fn assemble(api: &model::Api, files: &[(&str, Vec<emit::Part>)], texts: Vec<String>) -> Vec<GeneratedFile> {
    let mut texts = texts.into_iter();
    files
        .iter()
        .map(|(name, parts)| {
            let texts = texts.by_ref().take(parts.len()).collect();
            GeneratedFile {
                name: (*name).to_owned(),
                contents: format::assemble(&api.title, &api.version, texts),
            }
        })
        .collect()
}

/// The pipeline's stages one at a time, for benchmarks and profiling; [`generate`] runs them
/// (emit and format fused part by part, on several threads) and is what everything else should
/// call.
pub mod stages {
    use super::{Diagnostic, GeneratedFile, emit, format, model};

    /// Document → model, with the warnings found on the way; the document is dropped as it is
    /// lowered.
    pub fn lower(document: openapiv3::OpenAPI) -> Result<(model::Api, Vec<Diagnostic>), Vec<Diagnostic>> {
        super::lower::lower(document)
    }

    /// Model → files: emit and format fused part by part on the machine's threads, as in
    /// [`generate`](super::generate).
    pub fn render(api: &model::Api) -> Vec<GeneratedFile> {
        super::render(api)
    }

    /// The code of every part of every file, not yet laid out.
    #[derive(Clone)]
    pub struct Emitted<'a>(Vec<emit::Emitted<'a>>);

    /// Model → code, on this thread.
    pub fn emit(api: &model::Api) -> Emitted<'_> {
        let parts = emit::files(api).into_iter().flat_map(|(_, parts)| parts);
        Emitted(parts.map(|part| emit::emit_part(api, part)).collect())
    }

    /// Code → the files' text, on this thread.
    pub fn format(api: &model::Api, emitted: Emitted<'_>) -> Vec<GeneratedFile> {
        let files = emit::files(api);
        let names = files.iter().flat_map(|(name, parts)| parts.iter().map(move |_| *name));
        let texts: Vec<String> =
            names.zip(emitted.0).map(|(name, part)| format::format_part(name, part)).collect();
        super::assemble(api, &files, texts)
    }
}

#[cfg(test)]
mod tests {
    /// The stages run one by one give exactly what `generate` gives.
    #[test]
    fn stages_compose_to_generate() {
        let text = include_str!("../tests/specs/responses.yaml");
        let document: openapiv3::OpenAPI = serde_yaml::from_str(text).unwrap();
        let (api, _) = super::stages::lower(document.clone()).unwrap();
        let files = super::stages::format(&api, super::stages::emit(&api));
        let output = super::generate(document).unwrap();
        assert_eq!(files, output.files);
    }
}
