//! `cargo xtask diff`: what changed in the API between two versions of the client, in the
//! client's own names, each change marked breaking or compatible and traced to the fragment
//! file and JSON pointer it comes from.
//!
//! Each version is a merged document: the checked-in `generated-client/openapi.json` at a git
//! revision, what `cargo xtask codegen` would write from `specs/` now, or any document file.
//! Both are lowered into the generator's model and the two models compared, since the model
//! holds every name a caller writes: `operations` compares the client's methods, `types`
//! its models and credentials, `locate` finds each part in its document, and `report`
//! prints the result.

mod change;
mod locate;
mod operations;
mod report;
#[cfg(test)]
mod tests;
mod types;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use generator::diagnostic::Diagnostic;
use generator::model::Api;
use serde_json::Value;

pub use change::{Change, Class};
pub use report::{Bump, Labels, markdown, summary, text};

use crate::pipeline::codegen::{OPENAPI_JSON, Rendered, render};
use crate::pipeline::fragment::in_file;
use crate::pipeline::merge::{SourceMap, parse_fragment};
use crate::pipeline::{Strictness, lower_document};

/// Exit status when the two versions have the same API.
pub const NO_CHANGE: u8 = 0;
/// Exit status when every change is compatible. 1 stays "the command failed", as for every
/// other command, so CI can tell a failure from a finding.
pub const COMPATIBLE: u8 = 2;
/// Exit status when at least one change is breaking.
pub const BREAKING: u8 = 3;

/// The manifest of the generated client, whose version a report suggests a bump of.
const CLIENT_MANIFEST: &str = "generated-client/Cargo.toml";

/// Where one version of the API comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `generated-client/openapi.json` as committed at a git revision.
    Revision(String),
    /// A document file, JSON or YAML.
    File(PathBuf),
    /// What `cargo xtask codegen` would write from `specs/` now.
    Specs,
}

impl std::fmt::Display for Source {
    /// The label of the version: `HEAD:generated-client/openapi.json` (git's name for a file at
    /// a revision), the path, or `specs/`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Revision(revision) => write!(f, "{revision}:{OPENAPI_JSON}"),
            Source::File(path) => write!(f, "{}", path.display()),
            Source::Specs => f.write_str("specs/"),
        }
    }
}

/// One version of the API, lowered.
pub struct Version {
    /// What the version is, for headings and as the file of its pointers when there is no
    /// source map: `HEAD:generated-client/openapi.json`, a path, `specs/`.
    pub label: String,
    document: Value,
    api: Api,
    /// Which fragment wrote each part, for a version merged from `specs/`.
    source_map: Option<SourceMap>,
}

impl Version {
    /// Reads and lowers the version `source` names. `Ok(Err(..))` carries the diagnostics of a
    /// document that does not generate.
    pub fn load(root: &Path, source: &Source) -> Result<Result<Version, Vec<Diagnostic>>> {
        match source {
            Source::Revision(revision) => {
                Ok(Version::from_text(&source.to_string(), &git_show(root, revision)?))
            }
            Source::File(path) => {
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                Ok(Version::from_text(&source.to_string(), &text))
            }
            Source::Specs => Ok(render(root)?.map(|rendered| Version::from_rendered(&rendered))),
        }
    }

    /// A document's text (JSON, or YAML unless the label ends in `.json`), linted leniently as
    /// `cargo xtask generate` does, since it may be anyone's document.
    pub fn from_text(label: &str, text: &str) -> Result<Version, Vec<Diagnostic>> {
        let document = parse_fragment(label, text).map_err(|it| vec![it])?;
        Version::from_document(label, document)
    }

    pub fn from_document(label: &str, document: Value) -> Result<Version, Vec<Diagnostic>> {
        let lowered = lower_document(document, Strictness::Lenient, &generator::Options::default()).map_err(
            |diagnostics| diagnostics.into_iter().map(|it| in_file(label, it)).collect::<Vec<_>>(),
        )?;
        Ok(Version {
            label: label.to_owned(),
            document: lowered.document,
            api: lowered.api,
            source_map: None,
        })
    }

    /// What `cargo xtask codegen` rendered from `specs/`.
    pub fn from_rendered(rendered: &Rendered) -> Version {
        let document = serde_json::from_str(rendered.openapi_json()).expect("render writes valid JSON");
        Version {
            label: Source::Specs.to_string(),
            document,
            api: rendered.api.clone(),
            source_map: Some(rendered.source_map.clone()),
        }
    }

    /// The file holding `pointer`: its fragment when the source map knows it, else the label.
    fn file_for(&self, pointer: &str) -> String {
        let file = self.source_map.as_ref().and_then(|it| it.file_for(pointer));
        file.map_or_else(|| self.label.clone(), str::to_owned)
    }
}

/// Every change from `old` to `new`, breaking ones first, each with its file and a pointer the
/// document holds.
pub fn compare(old: &Version, new: &Version) -> Vec<Change> {
    let old_side = change::Side { api: &old.api, document: &old.document };
    let new_side = change::Side { api: &new.api, document: &new.document };
    let mut changes = Vec::new();
    operations::compare(old_side, new_side, &mut changes);
    types::compare(old_side, new_side, &mut changes);
    for change in &mut changes {
        let version = match change.at.which {
            change::Which::Old => old,
            change::Which::New => new,
        };
        change.at.pointer = locate::settle(&version.document, &change.at.pointer);
        change.file = Some(version.file_for(&change.at.pointer));
    }
    // Stable, so each class keeps the order of the client: operations, then types.
    changes.sort_by_key(|it| std::cmp::Reverse(it.class));
    changes
}

/// The exit status for these changes: [`NO_CHANGE`], [`COMPATIBLE`] or [`BREAKING`].
pub fn exit_status(changes: &[Change]) -> u8 {
    match report::class(changes) {
        None => NO_CHANGE,
        Some(Class::Compatible) => COMPATIBLE,
        Some(Class::Breaking) => BREAKING,
    }
}

/// The version the generated client crate should move to after `changes`, from its manifest.
pub fn bump(root: &Path, changes: &[Change]) -> Result<Option<Bump>> {
    let path = root.join(CLIENT_MANIFEST);
    let manifest = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let Some((package, from)) = package_version(&manifest) else {
        bail!("{CLIENT_MANIFEST}: no `name` and `version` under [package]");
    };
    Ok(report::next_version(&from, report::class(changes)).map(|(to, reason)| Bump {
        package,
        from,
        to,
        reason,
    }))
}

/// The one line `cargo xtask codegen` ends with: what writing `rendered` changes in the API
/// against the `generated-client/openapi.json` it replaces.
pub fn codegen_summary(root: &Path, rendered: &Rendered) -> String {
    let Ok(text) = std::fs::read_to_string(root.join(OPENAPI_JSON)) else {
        return format!("no earlier {OPENAPI_JSON} to compare the API with");
    };
    match Version::from_text(OPENAPI_JSON, &text) {
        Ok(old) => summary(&compare(&old, &Version::from_rendered(rendered))),
        Err(diagnostics) => {
            let errors = diagnostics.iter().filter(|it| it.is_error()).count();
            format!(
                "the earlier {OPENAPI_JSON} does not generate ({errors} errors), so the API change is unknown"
            )
        }
    }
}

/// `generated-client/openapi.json` as committed at `revision`.
fn git_show(root: &Path, revision: &str) -> Result<String> {
    let object = format!("{revision}:{OPENAPI_JSON}");
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &object])
        .output()
        .with_context(|| format!("running git show {object}"))?;
    if !output.status.success() {
        bail!("git show {object} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    String::from_utf8(output.stdout).with_context(|| format!("{object} is not UTF-8"))
}

/// The `name` and `version` of a manifest's `[package]` table, read line by line: the client's
/// manifest writes both as plain strings.
fn package_version(manifest: &str) -> Option<(String, String)> {
    let mut in_package = false;
    let (mut name, mut version) = (None, None);
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        let Some((key, value)) = line.split_once('=').filter(|_| in_package) else { continue };
        let value = value.trim().strip_prefix('"').and_then(|it| it.strip_suffix('"'));
        match key.trim() {
            "name" => name = value.map(str::to_owned),
            "version" => version = value.map(str::to_owned),
            _ => {}
        }
    }
    name.zip(version)
}
