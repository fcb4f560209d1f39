//! `cargo xtask generate SPEC --out DIR`: a complete client crate for any one OpenAPI document,
//! so specs outside `specs/` can be generated, checked and benchmarked.
//!
//! The crate is the generated models and operations, the same hand-written wrappers the
//! checked-in client has (`Client`, `ClientBuilder` and `Call`, copied from
//! `generated-client/src/` with the crate name in their doc examples changed) and a dependency on the runtime crate, with the other dependency
//! versions taken from this workspace so both build against the same crates.
//!
//! Where the runtime comes from is the caller's [`Runtime`]: a path (relative when the crate is
//! written inside this repository, so the checkout can move), a git repository, or a copy
//! vendored into the crate so that it depends on nothing of ours.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use generator::diagnostic::Diagnostic;

use crate::pipeline::fragment::locate_errors;
use crate::pipeline::merge::parse_fragment;
use crate::pipeline::{Generated, Strictness, generate_document};
use crate::root::workspace_root;

/// The hand-written modules every generated client has, as in `generated-client/src/`.
const HAND_WRITTEN: [(&str, &str); 2] = [
    ("client.rs", include_str!("../../../generated-client/src/client.rs")),
    ("generated.rs", include_str!("../../../generated-client/src/generated.rs")),
];

const CLIENT_LIB: &str = include_str!("../../../generated-client/src/lib.rs");
const WORKSPACE_MANIFEST: &str = include_str!("../../../Cargo.toml");
const CLIENT_MANIFEST: &str = include_str!("../../../generated-client/Cargo.toml");
const RUNTIME_MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// The runtime crate's package name.
const RUNTIME_PACKAGE: &str = "openapi-client-runtime";

/// Where a vendored runtime goes inside a generated crate.
const VENDORED_RUNTIME: &str = "vendor/openapi-client-runtime";

/// How a generated crate depends on the runtime crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// A path dependency, written into the manifest as given: relative to the crate's folder,
    /// or absolute.
    Path(String),
    /// A git dependency on a repository holding the runtime crate, at `rev` when given.
    Git { url: String, rev: Option<String> },
    /// A copy of this checkout's runtime inside the crate, at `vendor/openapi-client-runtime`.
    Vendored,
}

impl Runtime {
    /// This checkout's `runtime/`, by a path relative to `out` when `out` is inside this
    /// repository (so the repository can be moved or cloned elsewhere); `None` when `out` is
    /// outside it, where no path to this checkout would stay true.
    pub fn within_repository(out: &Path) -> Result<Option<Runtime>> {
        let root = fs::canonicalize(workspace_root()).context("finding the workspace root")?;
        let out = absolute(out)?;
        let Ok(inside) = out.strip_prefix(&root) else { return Ok(None) };
        let mut path = String::new();
        for _ in inside.components() {
            path.push_str("../");
        }
        path.push_str("runtime");
        Ok(Some(Runtime::Path(path)))
    }

    /// The dependency line of the client's manifest.
    fn dependency(&self) -> String {
        let spec = match self {
            Runtime::Path(path) => format!("path = {}", toml_string(path)),
            Runtime::Git { url, rev: None } => format!("git = {}", toml_string(url)),
            Runtime::Git { url, rev: Some(rev) } => {
                format!("git = {}, rev = {}", toml_string(url), toml_string(rev))
            }
            Runtime::Vendored => format!("path = {}", toml_string(VENDORED_RUNTIME)),
        };
        format!("{RUNTIME_PACKAGE} = {{ {spec} }}")
    }
}

/// `path` made absolute without requiring it to exist: `.` and `..` are taken away, then its
/// longest existing ancestor is resolved (symbolic links and all) and the rest appended.
fn absolute(path: &Path) -> Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().context("reading the current folder")?.join(path)
    };
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else { break };
        rest.push(name);
        existing = parent;
    }
    let mut resolved =
        fs::canonicalize(existing).with_context(|| format!("resolving {}", existing.display()))?;
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// A generated crate in memory: paths relative to the crate folder, with contents.
pub struct ClientCrate {
    pub files: Vec<(String, String)>,
    /// The model and the warnings; the texts have moved into `files`.
    pub generated: Generated,
}

/// How a crate is made.
#[derive(Clone, Debug)]
pub struct CrateOptions {
    /// A workspace of its own, instead of a member of the caller's.
    pub standalone: bool,
    pub runtime: Runtime,
    /// Operations grouped by tag (see `generator::Options`).
    pub group_by_tag: bool,
}

impl CrateOptions {
    /// A member of the caller's workspace with this repository's runtime at `runtime`, laid out
    /// by default.
    pub fn member(runtime: Runtime) -> CrateOptions {
        CrateOptions { standalone: false, runtime, group_by_tag: true }
    }
}

/// Reads and generates `spec`. `Ok(Err(..))`: the document has errors (warnings included).
pub fn render_crate(
    spec: &Path,
    name: &str,
    options: &CrateOptions,
) -> Result<Result<ClientCrate, Vec<Diagnostic>>> {
    let CrateOptions { standalone, runtime, group_by_tag } = options;
    let layout = generator::Options { group_by_tag: *group_by_tag, cli_name: bin_name(name) };
    let text = fs::read_to_string(spec).with_context(|| format!("reading {}", spec.display()))?;
    let file = spec.display().to_string();
    let document = match parse_fragment(&file, &text) {
        Ok(document) => document,
        Err(diagnostic) => return Ok(Err(vec![diagnostic])),
    };
    drop(text);
    let mut generated = match generate_document(document, Strictness::Lenient, &layout) {
        Ok(generated) => generated,
        Err(mut diagnostics) => {
            in_document(&file, &mut diagnostics);
            locate_errors(&mut diagnostics, |_| fs::read_to_string(spec).ok());
            return Ok(Err(diagnostics));
        }
    };
    in_document(&file, &mut generated.warnings);
    // The texts move into `files`, leaving `generated` with the model and the warnings.
    let api = &generated.output.api;
    let mut files = vec![
        ("Cargo.toml".to_owned(), manifest(name, &api.title, *standalone, runtime)?),
        ("openapi.json".to_owned(), std::mem::take(&mut generated.openapi_json)),
        ("src/lib.rs".to_owned(), lib_rs(&api.title, &api.version, api.description.as_deref())),
        (format!("src/bin/{}.rs", bin_name(name)), bin_rs(name)),
    ];
    // The doc examples name the checked-in client's crate; they run as doctests of this one.
    let crate_path = format!("{}::", name.replace('-', "_"));
    files.extend(
        HAND_WRITTEN.iter().map(|(file, contents)| {
            (format!("src/{file}"), contents.replace("infraon_client::", &crate_path))
        }),
    );
    files.extend(
        generated
            .output
            .files
            .iter_mut()
            .map(|it| (format!("{GENERATED}{}", it.name), std::mem::take(&mut it.contents))),
    );
    if *runtime == Runtime::Vendored {
        files.extend(vendored_runtime()?);
    }
    Ok(Ok(ClientCrate { files, generated }))
}

/// Names `file` in every diagnostic that names no file: the whole document came from it.
pub fn in_document(file: &str, diagnostics: &mut [Diagnostic]) {
    for diagnostic in diagnostics.iter_mut().filter(|it| it.file.is_none()) {
        diagnostic.file = Some(file.to_owned());
    }
}

/// Where the generated files are in a client crate.
const GENERATED: &str = "src/generated/";

impl ClientCrate {
    /// Lines of generated code (the models and operations, not the runtime).
    pub fn generated_lines(&self) -> usize {
        let generated = self.files.iter().filter(|(path, _)| path.starts_with(GENERATED));
        generated.map(|(_, contents)| contents.lines().count()).sum()
    }
}

/// Writes the crate under `out`, replacing generated files and leaving anything else alone.
pub fn write_crate(out: &Path, client: &ClientCrate) -> Result<()> {
    for (path, contents) in &client.files {
        let target = out.join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        if fs::read_to_string(&target).ok().as_deref() != Some(contents.as_str()) {
            fs::write(&target, contents).with_context(|| format!("writing {}", target.display()))?;
        }
    }
    Ok(())
}

/// The client crate's manifest: its dependencies at the versions this workspace pins, the
/// runtime from `runtime`. `standalone` adds an empty `[workspace]` so the crate builds
/// wherever it is written.
fn manifest(name: &str, title: &str, standalone: bool, runtime: &Runtime) -> Result<String> {
    let mut out = format!(
        "# @generated by cargo xtask generate.\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         description = {}\npublish = false\n\n[dependencies]\n",
        toml_string(&format!(
            "Typed async client for {}",
            if title.trim().is_empty() { "an API" } else { title.trim() }
        )),
    );
    out.push_str(&dependencies(CLIENT_MANIFEST, "[dependencies]", runtime)?);
    out.push_str(&features(CLIENT_MANIFEST));
    // The command-line tool, built only with its feature.
    out.push_str(&format!("\n[[bin]]\nname = \"{}\"\nrequired-features = [\"cli\"]\n", bin_name(name)));
    if standalone {
        out.push_str("\n[workspace]\n");
    }
    Ok(out)
}

/// The manifest of the runtime copy inside a crate made with [`Runtime::Vendored`]: the
/// runtime's own manifest with this workspace's settings and versions written out.
fn vendored_runtime_manifest() -> Result<String> {
    let field = |name: &str| {
        section(RUNTIME_MANIFEST, "[package]")
            .find_map(|line| line.strip_prefix(name)?.trim_start().strip_prefix('=').map(str::trim))
            .with_context(|| format!("runtime/Cargo.toml has no `{name}`"))
    };
    let license = section(WORKSPACE_MANIFEST, "[workspace.package]")
        .find_map(|line| line.strip_prefix("license = "))
        .context("the workspace manifest has no license")?;
    let mut out = format!(
        "# Vendored by cargo xtask generate --vendor-runtime: a copy of the runtime crate.\n\
         [package]\nname = \"{RUNTIME_PACKAGE}\"\nversion = {}\nedition = \"2024\"\ndescription = {}\n\
         license = {license}\npublish = false\n\n[dependencies]\n",
        field("version")?,
        field("description")?,
    );
    // The runtime names no path dependency, so the one to resolve never comes up.
    out.push_str(&dependencies(RUNTIME_MANIFEST, "[dependencies]", &Runtime::Vendored)?);
    out.push_str(&features(RUNTIME_MANIFEST));
    // Its unit tests come along in its sources, so `cargo test --workspace` of the crate works.
    out.push_str("\n[dev-dependencies]\n");
    out.push_str(&dependencies(RUNTIME_MANIFEST, "[dev-dependencies]", &Runtime::Vendored)?);
    Ok(out)
}

/// The files of the vendored runtime, relative to the generated crate: its manifest and every
/// file of this checkout's `runtime/src/`.
fn vendored_runtime() -> Result<Vec<(String, String)>> {
    let mut files = vec![(format!("{VENDORED_RUNTIME}/Cargo.toml"), vendored_runtime_manifest()?)];
    let source = workspace_root().join("runtime/src");
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let dir = source.join(&relative);
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let relative = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(relative);
                continue;
            }
            let path = source.join(&relative);
            let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let name = relative.to_string_lossy().replace('\\', "/");
            files.push((format!("{VENDORED_RUNTIME}/src/{name}"), text));
        }
    }
    files.sort();
    Ok(files)
}

/// The `section` of `manifest` (workspace dependencies all) with each dependency's
/// specification taken from this workspace's `[workspace.dependencies]`, the runtime's from
/// `runtime`, one line each.
fn dependencies(manifest: &str, header: &str, runtime: &Runtime) -> Result<String> {
    let mut out = String::new();
    for dependency in section(manifest, header) {
        // `name.workspace = true`, or `name = { workspace = true, optional = true }`.
        let (dependency, optional) = match dependency.strip_suffix(".workspace = true") {
            Some(name) => (name, false),
            None => match dependency.strip_suffix(" = { workspace = true, optional = true }") {
                Some(name) => (name, true),
                None => bail!("dependency `{dependency}` is not a workspace dependency"),
            },
        };
        let line = if dependency == RUNTIME_PACKAGE {
            runtime.dependency()
        } else {
            let found = section(WORKSPACE_MANIFEST, "[workspace.dependencies]")
                .find(|line| line.split('=').next().map(str::trim) == Some(dependency));
            let Some(line) = found else {
                bail!("dependency `{dependency}` is missing from [workspace.dependencies]");
            };
            line.to_owned()
        };
        out.push_str(&optional_dependency(&line, optional));
        out.push('\n');
    }
    Ok(out)
}

/// The line of `[workspace.dependencies]` for `name` (`tokio = { version = "1", ... }`), for
/// crates written beside a generated one that use the same versions.
pub fn workspace_dependency(name: &str) -> Result<String> {
    section(WORKSPACE_MANIFEST, "[workspace.dependencies]")
        .find(|line| line.split('=').next().map(str::trim) == Some(name))
        .map(str::to_owned)
        .with_context(|| format!("dependency `{name}` is missing from [workspace.dependencies]"))
}

/// The `[features]` section of `manifest` as it is, or nothing when it has none.
fn features(manifest: &str) -> String {
    let features: Vec<&str> = section(manifest, "[features]").collect();
    if features.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n[features]\n");
    for feature in features {
        out.push_str(feature);
        out.push('\n');
    }
    out
}

/// A workspace dependency line, marked optional when the client has it as optional:
/// `tracing = "0.1"` becomes `tracing = { version = "0.1", optional = true }`.
fn optional_dependency(line: &str, optional: bool) -> String {
    if !optional {
        return line.to_owned();
    }
    let (name, spec) = line.split_once('=').expect("a dependency line has `=`");
    let spec = spec.trim();
    match spec.strip_prefix('{').and_then(|it| it.strip_suffix('}')) {
        Some(fields) => format!("{} = {{ {}, optional = true }}", name.trim(), fields.trim()),
        None => format!("{} = {{ version = {spec}, optional = true }}", name.trim()),
    }
}

/// The non-empty, non-comment lines of one section of a manifest.
fn section<'a>(manifest: &'a str, header: &'a str) -> impl Iterator<Item = &'a str> {
    manifest
        .lines()
        .skip_while(move |line| line.trim() != header)
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

/// The crate root: docs from the spec's `info`, then the hand-written
/// `generated-client/src/lib.rs` without its API-specific crate docs.
fn lib_rs(title: &str, version: &str, description: Option<&str>) -> String {
    let title = if title.trim().is_empty() { "the API" } else { title.trim() };
    let mut docs = generator::doc_lines(&format!("Typed async client for {title} {version}."));
    if let Some(description) = description {
        docs.push(String::new());
        docs.extend(generator::doc_lines(description));
    }
    let mut out = String::from("// @generated by cargo xtask generate. Do not edit.\n\n");
    for line in docs {
        out.push_str(&format!("//!{line}\n"));
    }
    // Everything after the checked-in client's own crate docs: its modules and re-exports.
    let body: Vec<&str> = CLIENT_LIB.lines().skip_while(|line| line.starts_with("//!")).collect();
    out.push_str(&body.join("\n"));
    out.push('\n');
    out
}

/// The command-line tool of a client crate: `github-api` for `github-api-client`.
pub fn bin_name(crate_name: &str) -> String {
    crate_name.strip_suffix("-client").unwrap_or(crate_name).to_owned()
}

/// The tool's `main`, which the crate's `cli` module holds.
fn bin_rs(crate_name: &str) -> String {
    format!(
        "// @generated by cargo xtask generate. Do not edit.\n\n//! The command-line tool of the API (cargo feature `cli`).\n\n\
         fn main() -> std::process::ExitCode {{\n    {}::cli::main()\n}}\n",
        crate_name.replace('-', "_")
    )
}

/// A crate name from a file name: `github-api.json` → `github-api-client`.
pub fn crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().map(|it| it.to_string_lossy().into_owned()).unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|it| if it.is_ascii_alphanumeric() { it.to_ascii_lowercase() } else { '-' })
        .collect();
    let trimmed = cleaned.trim_matches('-');
    let base = if trimmed.is_empty() || trimmed.starts_with(|it: char| it.is_ascii_digit()) {
        format!("api-{trimmed}")
    } else {
        trimmed.to_owned()
    };
    format!("{base}-client")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names() {
        let cases = [
            ("specs/github-api.json", "github-api-client"),
            ("oai_petstore.yaml", "oai-petstore-client"),
            ("1password.yaml", "api-1password-client"),
            ("Ünïcode Spec.yml", "n-code-spec-client"),
        ];
        for (path, expected) in cases {
            assert_eq!(crate_name(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn every_runtime_module_is_copied() {
        let modules: Vec<&str> = CLIENT_LIB
            .lines()
            .filter_map(|line| line.strip_prefix("mod ").and_then(|it| it.strip_suffix(';')))
            .collect();
        assert_eq!(modules, ["client", "generated"]);
        for module in modules {
            let file = format!("{module}.rs");
            assert!(HAND_WRITTEN.iter().any(|(name, _)| *name == file), "`mod {module};` has no copy");
        }
    }

    #[test]
    fn lib_rs_has_the_api_docs_and_the_runtime_import() {
        let text = lib_rs("Pets", "2.0", Some("All about [pets]."));
        assert!(text.starts_with("// @generated by cargo xtask generate. Do not edit.\n\n//! Typed async client for Pets 2.0.\n//!\n//! All about \\[pets\\].\n"), "{text}");
        assert!(!text.contains("Infraon"), "{text}");
        assert!(text.contains("pub use client::{Call, Client, ClientBuilder};"), "{text}");
        assert!(text.contains("\nuse openapi_client_runtime as runtime;\n"), "{text}");
    }

    #[test]
    fn manifest_pins_the_workspace_versions() {
        let text = manifest("pets-client", "Pets", true, &Runtime::Path("../runtime".into())).unwrap();
        assert!(text.contains("name = \"pets-client\""), "{text}");
        assert!(text.contains("description = \"Typed async client for Pets\""), "{text}");
        for dependency in ["chrono", "serde", "serde_json", "uuid"] {
            let line = section(WORKSPACE_MANIFEST, "[workspace.dependencies]")
                .find(|line| line.starts_with(&format!("{dependency} ")))
                .unwrap();
            assert!(text.contains(line), "{dependency} missing from\n{text}");
        }
        assert!(text.contains("\nopenapi-client-runtime = { path = \"../runtime\" }\n"), "{text}");
        assert!(text.contains("\ntracing = [\"openapi-client-runtime/tracing\"]\n"), "{text}");
        assert!(text.ends_with("\n[workspace]\n"));
        let member = manifest("pets-client", "Pets", false, &Runtime::Vendored).unwrap();
        assert!(!member.contains("[workspace]"), "{member}");
    }

    #[test]
    fn runtime_dependencies() {
        let cases = [
            (Runtime::Path("../../runtime".into()), r#"openapi-client-runtime = { path = "../../runtime" }"#),
            (
                Runtime::Git { url: "https://example.com/a.git".into(), rev: None },
                r#"openapi-client-runtime = { git = "https://example.com/a.git" }"#,
            ),
            (
                Runtime::Git { url: "https://example.com/a.git".into(), rev: Some("v1".into()) },
                r#"openapi-client-runtime = { git = "https://example.com/a.git", rev = "v1" }"#,
            ),
            (Runtime::Vendored, r#"openapi-client-runtime = { path = "vendor/openapi-client-runtime" }"#),
        ];
        for (runtime, expected) in cases {
            assert_eq!(runtime.dependency(), expected);
        }
    }

    #[test]
    fn crates_inside_the_repository_find_the_runtime_by_a_relative_path() {
        let root = workspace_root();
        let cases = [
            (root.join("target/corpus/pets-client"), Some("../../../runtime")),
            (root.join("clients/./pets/../pets-client"), Some("../../runtime")),
            (root.join("../outside-the-repository/pets-client"), None),
        ];
        for (out, expected) in cases {
            let found = Runtime::within_repository(&out).unwrap();
            assert_eq!(found, expected.map(|it| Runtime::Path(it.to_owned())), "{}", out.display());
        }
    }

    #[test]
    fn a_vendored_runtime_is_the_runtime_crate_with_versions_written_out() {
        let files = vendored_runtime().unwrap();
        let manifest = &files.iter().find(|(path, _)| path.ends_with("/Cargo.toml")).unwrap().1;
        assert!(manifest.contains("\nname = \"openapi-client-runtime\"\n"), "{manifest}");
        assert!(!manifest.contains("workspace"), "{manifest}");
        let reqwest = section(WORKSPACE_MANIFEST, "[workspace.dependencies]")
            .find(|line| line.starts_with("reqwest "))
            .unwrap();
        assert!(manifest.contains(reqwest), "{manifest}");
        assert!(manifest.contains("tracing = [\"dep:tracing\"]"), "{manifest}");
        let lib = workspace_root().join("runtime/src/lib.rs");
        let copied = files.iter().find(|(path, _)| path == "vendor/openapi-client-runtime/src/lib.rs");
        assert_eq!(copied.map(|it| it.1.as_str()), Some(fs::read_to_string(lib).unwrap().as_str()));
    }
}
