//! The codegen pipeline end to end: fragments → merged document → generated files, then either
//! written into `generated-client/` (atomically) or compared with what is checked in.
//!
//! One function, [`render`], produces every output file in memory; writing and checking both
//! start from it, so `cargo xtask codegen --check` and the freshness test see exactly what
//! `cargo xtask codegen` would write.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use generator::diagnostic::Diagnostic;

use crate::pipeline::downgrade::downgrade;
use crate::pipeline::fragment::{in_file, locate_errors, read_fragments, read_overlays};
use crate::pipeline::merge::{Merged, SourceMap, is_base, merge};
use crate::pipeline::overlay::apply_overlays;
use crate::pipeline::{Generated, Strictness, generate_document};

/// The merged document the client is generated from, checked in beside it.
pub const OPENAPI_JSON: &str = "generated-client/openapi.json";
/// The client's command-line tool: its binary (`src/bin/infraon.rs`) and environment prefix.
const CLI_NAME: &str = "infraon";
/// The folder of generated Rust files inside the client crate; every `.rs` file in it is ours.
const GENERATED_DIR: &str = "generated-client/src/generated";

/// Every output file, rendered in memory, plus what to tell the user about the run.
#[derive(Debug)]
pub struct Rendered {
    /// Paths relative to the workspace root, with their full contents.
    pub files: Vec<(String, String)>,
    /// Operation fragments read (the base document not counted).
    pub fragments: usize,
    /// The client's model, for comparing it with an earlier one (`cargo xtask diff`).
    pub api: generator::model::Api,
    /// Which fragment or overlay wrote each part of the merged document.
    pub source_map: SourceMap,
    /// Sorted by file and pointer, files filled in from the source map.
    pub warnings: Vec<Diagnostic>,
}

/// Runs the 3.1 conversion, merge, overlays, lint and the generator on `specs/`. `Ok(Err(..))`
/// carries diagnostics about the input (with their files), `Err` an I/O failure.
pub fn render(root: &Path) -> Result<Result<Rendered, Vec<Diagnostic>>> {
    let mut fragments = match read_fragments(root, &root.join("specs"))? {
        Ok(fragments) => fragments,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    // 3.1 fragments become 3.0 before the merge, which accepts only 3.0.
    let mut diagnostics = Vec::new();
    for fragment in &mut fragments {
        let warnings = downgrade(&mut fragment.document);
        diagnostics.extend(warnings.into_iter().map(|it| in_file(&fragment.file, it)));
    }
    let overlays = match read_overlays(root, &root.join("specs"))? {
        Ok(overlays) => overlays,
        Err(errors) => return Ok(Err(errors)),
    };
    let Merged { mut document, mut source_map, warnings: merge_warnings } = match merge(&fragments) {
        Ok(merged) => merged,
        Err(mut errors) => {
            errors.append(&mut diagnostics);
            return Ok(Err(attributed(root, errors, &SourceMap::default())));
        }
    };
    diagnostics.extend(merge_warnings);
    let errors = apply_overlays(&mut document, &overlays, &mut source_map);
    if !errors.is_empty() {
        diagnostics.extend(errors);
        return Ok(Err(attributed(root, diagnostics, &source_map)));
    }
    let options = generator::Options { cli_name: CLI_NAME.to_owned(), ..Default::default() };
    let generated = generate_document(document, Strictness::Strict, &options);
    let Generated { openapi_json, output, warnings } = match generated {
        Ok(generated) => generated,
        Err(errors) => {
            diagnostics.extend(errors);
            return Ok(Err(attributed(root, diagnostics, &source_map)));
        }
    };
    diagnostics.extend(warnings);
    let diagnostics = attributed(root, diagnostics, &source_map);

    let mut files = vec![(OPENAPI_JSON.to_owned(), openapi_json)];
    files.extend(
        output.files.into_iter().map(|file| (format!("{GENERATED_DIR}/{}", file.name), file.contents)),
    );
    Ok(Ok(Rendered {
        files,
        fragments: fragments.iter().filter(|it| !is_base(&it.file)).count(),
        api: output.api,
        source_map,
        warnings: diagnostics,
    }))
}

impl Rendered {
    /// The text of the merged document, as it is written to [`OPENAPI_JSON`].
    pub fn openapi_json(&self) -> &str {
        let (_, text) = self.files.iter().find(|(path, _)| path == OPENAPI_JSON).expect("render writes it");
        text
    }
}

/// Files filled in from the source map (and the lines of errors from the files), sorted and
/// deduplicated.
fn attributed(root: &Path, mut diagnostics: Vec<Diagnostic>, source_map: &SourceMap) -> Vec<Diagnostic> {
    source_map.attribute(&mut diagnostics);
    locate_errors(&mut diagnostics, |file| fs::read_to_string(root.join(file)).ok());
    diagnostics.sort();
    diagnostics.dedup();
    diagnostics
}

/// Generated `.rs` files on disk (in the generated folder and its subfolders, such as
/// `operations/`) that the rendering no longer produces.
fn orphans(root: &Path, rendered: &Rendered) -> Result<Vec<String>> {
    let mut orphans = Vec::new();
    let mut pending = vec![GENERATED_DIR.to_owned()];
    while let Some(relative) = pending.pop() {
        let dir = root.join(&relative);
        if !dir.exists() {
            continue;
        }
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let path = format!("{relative}/{}", entry.file_name().to_string_lossy());
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if path.ends_with(".rs") && !rendered.files.iter().any(|(file, _)| *file == path) {
                orphans.push(path);
            }
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
        plural(rendered.api.operations.len(), "operation"),
        plural(rendered.api.types.len(), "type"),
        plural(rendered.warnings.len(), "warning"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::root::workspace_root;
    use crate::test_support::Scratch;

    /// Where the generated client lives, relative to the workspace root.
    const CLIENT_DIR: &str = "generated-client";

    fn render_ok(root: &Path) -> Rendered {
        render(root).unwrap().unwrap_or_else(|diagnostics| panic!("{diagnostics:?}"))
    }

    #[test]
    fn check_finds_hand_edits_and_leftover_files() {
        let scratch = Scratch::new("check");
        let rendered = render_ok(&scratch.0);
        assert_eq!(write(&scratch.0, &rendered).unwrap().len(), rendered.files.len(), "first run writes all");
        assert!(stale_files(&scratch.0, &rendered).unwrap().is_empty());

        let models = scratch.0.join(GENERATED_DIR).join("models.rs");
        let edited =
            fs::read_to_string(&models).unwrap().replace("pub struct UserList {", "pub struct UserList {\n");
        fs::write(&models, edited).unwrap();
        fs::write(scratch.0.join(GENERATED_DIR).join("old.rs"), "// removed since\n").unwrap();
        fs::write(scratch.0.join(GENERATED_DIR).join("operations/gone.rs"), "// a group since removed\n")
            .unwrap();
        let stale = stale_files(&scratch.0, &rendered).unwrap();
        assert_eq!(
            stale,
            [
                format!("{GENERATED_DIR}/models.rs"),
                format!("{GENERATED_DIR}/old.rs"),
                format!("{GENERATED_DIR}/operations/gone.rs")
            ]
        );

        // Writing again repairs exactly those.
        write(&scratch.0, &rendered).unwrap();
        assert!(stale_files(&scratch.0, &rendered).unwrap().is_empty());
    }

    #[test]
    fn failed_runs_leave_the_client_untouched() {
        let scratch = Scratch::new("failed");
        write(&scratch.0, &render_ok(&scratch.0)).unwrap();
        let before = scratch.files_under(CLIENT_DIR);

        let broken: [(&str, &str); 5] = [
            // A syntax error.
            ("specs/user-profile/zz_broken.json", "{\"openapi\": \"3.0.3\",\n  \"paths\": {"),
            // The same path and method as an existing fragment.
            (
                "specs/user-profile/zz_duplicate.json",
                r#"{"openapi":"3.0.3","info":{"title":"","version":"0"},"paths":{"/ux/common/user/profile/{id}/":{"delete":{"responses":{"204":{"description":""}}}}}}"#,
            ),
            // A lint error: a reference to nothing.
            (
                "specs/user-profile/zz_dangling.json",
                r##"{"openapi":"3.0.3","info":{"title":"","version":"0"},"paths":{"/zz":{"get":{"responses":{"200":{"description":"","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}}"##,
            ),
            // An overlay whose target matches nothing, and one that is not YAML.
            (
                "specs/overlays/zz_rename.yaml",
                "overlay: 1.0.0\nactions:\n  - target: $.paths['/nope']\n    remove: true\n",
            ),
            ("specs/overlays/zz_broken.yaml", "overlay: [1.0.0\n"),
        ];
        fs::create_dir_all(scratch.0.join("specs/overlays")).unwrap();
        for (file, text) in broken {
            fs::write(scratch.0.join(file), text).unwrap();
            let diagnostics = render(&scratch.0).unwrap().expect_err("the broken fragment must fail the run");
            assert!(
                diagnostics.iter().any(|it| it.is_error() && it.file.as_deref() == Some(file)),
                "{file}: {diagnostics:?}"
            );
            assert_eq!(scratch.files_under(CLIENT_DIR), before, "{file} changed generated-client/");
            fs::remove_file(scratch.0.join(file)).unwrap();
        }
    }

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
