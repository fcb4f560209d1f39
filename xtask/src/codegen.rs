//! The codegen pipeline end to end: fragments → merged document → generated files, then either
//! written into `generated-client/` (atomically) or compared with what is checked in.
//!
//! One function, [`render`], produces every output file in memory; writing and checking both
//! start from it, so `cargo xtask codegen --check` and the freshness test see exactly what
//! `cargo xtask codegen` would write.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use generator::diagnostic::{Diagnostic, escape_token};

use crate::lint::lint;
use crate::merge::{Merged, merge, read_fragments};

/// Where the generated client lives, relative to the workspace root.
const CLIENT_DIR: &str = "generated-client";
/// The folder of generated Rust files inside the client crate; every `.rs` file in it is ours.
const GENERATED_DIR: &str = "generated-client/src/generated";

/// Every output file, rendered in memory, plus what to tell the user about the run.
#[derive(Debug)]
pub struct Rendered {
    /// Paths relative to the workspace root, with their full contents.
    pub files: Vec<(String, String)>,
    pub fragments: usize,
    pub operations: usize,
    pub types: usize,
    /// Sorted by file and pointer, files filled in from the source map.
    pub warnings: Vec<Diagnostic>,
}

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_owned()
}

/// Runs merge, lint and the generator on `specs/`. `Ok(Err(..))` carries diagnostics about
/// the input (with their files), `Err` an I/O failure.
pub fn render(root: &Path) -> Result<Result<Rendered, Vec<Diagnostic>>> {
    let fragments = match read_fragments(root, &root.join("specs"))? {
        Ok(fragments) => fragments,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    let Merged { mut document, source_map, warnings: merge_warnings } = match merge(&fragments) {
        Ok(merged) => merged,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    let mut diagnostics = merge_warnings;
    diagnostics.extend(lint(&mut document));

    let mut openapi_json =
        serde_json::to_string_pretty(&document).context("serializing the merged document")?;
    openapi_json.push('\n');
    let result = parse_document(&document).and_then(|openapi| generator::generate(&openapi));
    let output = match result {
        Ok(output) => output,
        Err(errors) => {
            diagnostics.extend(errors);
            source_map.attribute(&mut diagnostics);
            diagnostics.sort();
            diagnostics.dedup();
            return Ok(Err(diagnostics));
        }
    };
    diagnostics.extend(output.warnings);
    source_map.attribute(&mut diagnostics);
    diagnostics.sort();
    diagnostics.dedup();

    let mut files = vec![(format!("{CLIENT_DIR}/openapi.json"), openapi_json)];
    files.extend(
        output.files.into_iter().map(|file| (format!("{GENERATED_DIR}/{}", file.name), file.contents)),
    );
    Ok(Ok(Rendered {
        files,
        fragments: fragments.len(),
        operations: output.api.operations.len(),
        types: output.api.types.len(),
        warnings: diagnostics,
    }))
}

/// Reads the merged JSON as an OpenAPI document, pointing at the first value that does not fit.
fn parse_document(document: &serde_json::Value) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
    serde_path_to_error::deserialize(document).map_err(|error| {
        let pointer = error.path().iter().fold(String::new(), |mut acc, segment| {
            let token = match segment {
                serde_path_to_error::Segment::Seq { index } => index.to_string(),
                serde_path_to_error::Segment::Map { key } => key.clone(),
                serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                serde_path_to_error::Segment::Unknown => return acc,
            };
            acc.push('/');
            acc.push_str(&escape_token(&token));
            acc
        });
        vec![Diagnostic::error(pointer, format!("not a valid OpenAPI 3.0 document: {}", error.inner()))]
    })
}

/// Generated `.rs` files on disk that the rendering no longer produces.
fn orphans(root: &Path, rendered: &Rendered) -> Result<Vec<String>> {
    let dir = root.join(GENERATED_DIR);
    let mut orphans = Vec::new();
    if !dir.exists() {
        return Ok(orphans);
    }
    for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let relative = format!("{GENERATED_DIR}/{name}");
        if name.ends_with(".rs") && !rendered.files.iter().any(|(path, _)| *path == relative) {
            orphans.push(relative);
        }
    }
    orphans.sort();
    Ok(orphans)
}

/// The files whose checked-in contents differ from the rendering (missing ones included), and
/// generated files that should no longer exist.
pub fn stale_files(root: &Path, rendered: &Rendered) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    for (path, contents) in &rendered.files {
        let on_disk = fs::read_to_string(root.join(path)).ok();
        if on_disk.as_deref() != Some(contents.as_str()) {
            stale.push(path.clone());
        }
    }
    stale.extend(orphans(root, rendered)?);
    Ok(stale)
}

/// Writes every changed file, all or nothing: each goes to a temporary file beside its target
/// first, and only when all are written are they renamed into place.
pub fn write(root: &Path, rendered: &Rendered) -> Result<Vec<String>> {
    let stale = stale_files(root, rendered)?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| -> Result<()> {
        for (path, contents) in rendered.files.iter().filter(|(path, _)| stale.contains(path)) {
            let target = root.join(path);
            let dir = target.parent().expect("output files live in folders");
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let temporary = dir.join(format!(".{}.tmp", target.file_name().unwrap().to_string_lossy()));
            fs::write(&temporary, contents).with_context(|| format!("writing {}", temporary.display()))?;
            staged.push((temporary, target));
        }
        Ok(())
    })();
    if let Err(error) = result {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(error);
    }
    for (temporary, target) in &staged {
        fs::rename(temporary, target).with_context(|| format!("replacing {}", target.display()))?;
    }
    for orphan in orphans(root, rendered)? {
        fs::remove_file(root.join(&orphan)).with_context(|| format!("removing {orphan}"))?;
    }
    Ok(stale)
}

/// Prints the one-line summary and every warning.
pub fn report(rendered: &Rendered) {
    for warning in &rendered.warnings {
        eprintln!("{warning}");
    }
    let plural = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    eprintln!(
        "codegen: {}, {}, {}, {}",
        plural(rendered.fragments, "fragment"),
        plural(rendered.operations, "operation"),
        plural(rendered.types, "type"),
        plural(rendered.warnings.len(), "warning"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when the checked-in client is not what `cargo xtask codegen` writes.
    #[test]
    fn generated_client_is_fresh() {
        let root = workspace_root();
        let rendered = match render(&root).expect("reading specs") {
            Ok(rendered) => rendered,
            Err(diagnostics) => {
                let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                panic!("specs/ do not generate:\n{}", rendered.join("\n"));
            }
        };
        let stale = stale_files(&root, &rendered).expect("reading generated files");
        assert!(
            stale.is_empty(),
            "generated files are out of date: {}\nrun `cargo xtask codegen` and commit the result",
            stale.join(", ")
        );
    }
}
