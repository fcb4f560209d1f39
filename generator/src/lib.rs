//! Turns an OpenAPI 3.0 document into the Rust source of a typed async client.
//!
//! The pipeline is `lower` (document → [`model::Api`], where every decision is made), `emit`
//! (model → `quote!` token streams, mechanical) and `format` (tokens → text: syn parses each
//! part and prettyplease prints it). Emit and format work one part of a file at a time (a type,
//! a client method, a request builder), on all threads; the parts are then assembled in order.
//! Only the caller touches files.

pub mod diagnostic;
mod emit;
mod format;
mod lower;
pub mod model;
pub mod names;
mod parallel;

use diagnostic::Diagnostic;

/// Spec text as rustdoc-safe Markdown lines (each with a leading space, or empty), for callers
/// writing their own doc comments around generated code.
pub fn doc_lines(text: &str) -> Vec<String> {
    emit::doc_lines(text)
}

/// One generated source file, named relative to the client crate's `src/generated/` folder
/// (`models.rs`, `operations.rs`, `operations/user_profile.rs`).
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

/// How the client is laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Group operations by tag into namespaces reached from the client
    /// (`client.user_profile().get(..)`), with method names short within their group; without
    /// it every operation is a method of the client named after its whole operationId.
    pub group_by_tag: bool,
    /// The name of the command-line tool (`infraon`): its usage line, and the prefix of the
    /// environment variables it reads (`INFRAON_BASE_URL`).
    pub cli_name: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { group_by_tag: true, cli_name: "api".to_owned() }
    }
}

/// Generates the models and operations of a client for `document`, which is dropped as soon
/// as it has been read into the model.
///
/// Errors are returned when the document cannot be generated faithfully; they are sorted by
/// pointer and include the warnings found along the way.
pub fn generate(document: openapiv3::OpenAPI, options: &Options) -> Result<Output, Vec<Diagnostic>> {
    let (api, warnings) = lower::lower(document, options.group_by_tag)?;
    let files = render(&api, &options.cli_name);
    Ok(Output { files, api, warnings })
}

/// Lowers `document` into the model only, emitting nothing: for tools that inspect or compare
/// clients (`cargo xtask diff`) without paying for the source text. Errors and warnings are as
/// [`generate`] returns them.
pub fn lower(
    document: openapiv3::OpenAPI,
    options: &Options,
) -> Result<(model::Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    lower::lower(document, options.group_by_tag)
}

/// Emits and formats every part of every file, spread over the machine's threads, then
/// assembles the files in order.
fn render(api: &model::Api, cli_name: &str) -> Vec<GeneratedFile> {
    let files = emit::files(api, cli_name);
    let jobs: Vec<(&str, emit::Part)> =
        files.iter().flat_map(|(name, parts)| parts.iter().map(|part| (name.as_str(), *part))).collect();
    let texts = parallel::map(jobs, |(name, part)| format::format_part(name, emit::emit_part(api, part)));
    assemble(api, &files, texts)
}

/// The files from the texts of their parts, in order; each text is freed once it is copied.
fn assemble(api: &model::Api, files: &[(String, Vec<emit::Part>)], texts: Vec<String>) -> Vec<GeneratedFile> {
    let mut texts = texts.into_iter();
    files
        .iter()
        .map(|(name, parts)| {
            let texts = texts.by_ref().take(parts.len()).collect();
            GeneratedFile { name: name.clone(), contents: format::assemble(&api.title, &api.version, texts) }
        })
        .collect()
}
