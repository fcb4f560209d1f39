//! `cargo xtask import PAGE... --module NAME`: copies the OpenAPI blocks of documentation pages
//! into `specs/NAME/<operationId>.json`, before anything else in the pipeline.
//!
//! A page is markdown holding ```json or ```yaml blocks, each a one-operation OpenAPI
//! document. Every block is written as pretty-printed JSON (two-space indent, key order kept,
//! final newline), so a fragment copied by hand the same way compares equal.
//!
//! Hand edits: `specs/NAME/.imported.json` records, per fragment, a hash of the text the last
//! import wrote (or found identical). A fragment whose text no longer has that hash, or that
//! has no record, was edited by hand (or never imported), and is only overwritten with
//! `--force`. A fragment whose text equals what the page gives is unchanged whatever the record
//! says. If any fragment is refused, nothing is written.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use generator::diagnostic::Diagnostic;
use serde_json::Value;

use crate::pipeline::fragment::{in_file, parse_fragment};
use crate::pipeline::merge::METHODS;

/// The record of the last import, inside the module folder (dot files are not fragments).
const MANIFEST: &str = ".imported.json";

/// What importing a block does to its fragment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Changed,
    Unchanged,
    /// Differs from the page and was edited since the last import; kept unless forced.
    EditedByHand,
}

/// One fragment the pages give, with what importing it would do.
#[derive(Debug)]
pub struct Planned {
    /// Path relative to the workspace root, `specs/NAME/<operationId>.json`.
    pub file: String,
    pub contents: String,
    pub status: Status,
}

/// Reads the blocks of every page and compares them with `specs/module/`. `Ok(Err(..))`: a
/// page has a block that cannot be imported (syntax, no single operation, a repeated id).
pub fn plan(
    root: &Path,
    pages: &[(String, String)],
    module: &str,
) -> Result<Result<Vec<Planned>, Vec<Diagnostic>>> {
    let dir = format!("specs/{module}");
    let manifest = read_manifest(&root.join(&dir))?;
    let mut planned: Vec<Planned> = Vec::new();
    let mut errors = Vec::new();
    for (page, text) in pages {
        for block in blocks(page, text) {
            let (id, document) = match block.and_then(|(line, document)| operation_id(page, line, document)) {
                Ok(found) => found,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let file = format!("{dir}/{id}.json");
            if planned.iter().any(|it| it.file == file) {
                errors.push(in_file(
                    page,
                    Diagnostic::error("", format!("operationId `{id}` appears in more than one block")),
                ));
                continue;
            }
            let mut contents =
                serde_json::to_string_pretty(&document).expect("a JSON value always serializes");
            contents.push('\n');
            let on_disk = fs::read_to_string(root.join(&file)).ok();
            let status = match on_disk {
                None => Status::New,
                Some(text) if text == contents => Status::Unchanged,
                Some(text) if manifest.get(&format!("{id}.json")) == Some(&hash(&text)) => Status::Changed,
                Some(_) => Status::EditedByHand,
            };
            planned.push(Planned { file, contents, status });
        }
    }
    Ok(if errors.is_empty() { Ok(planned) } else { Err(errors) })
}

/// Writes new and changed fragments (and hand-edited ones when `force`), then the manifest.
pub fn write(root: &Path, module: &str, planned: &[Planned], force: bool) -> Result<()> {
    let dir = root.join("specs").join(module);
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut manifest = read_manifest(&dir)?;
    for fragment in planned {
        let write = match fragment.status {
            Status::New | Status::Changed => true,
            Status::EditedByHand => force,
            Status::Unchanged => false,
        };
        if write {
            let path = root.join(&fragment.file);
            fs::write(&path, &fragment.contents).with_context(|| format!("writing {}", path.display()))?;
        }
        if write || fragment.status == Status::Unchanged {
            let name = fragment.file.rsplit('/').next().expect("a file name").to_owned();
            manifest.insert(name, hash(&fragment.contents));
        }
    }
    let mut text = serde_json::to_string_pretty(&manifest).expect("a map of strings serializes");
    text.push('\n');
    let path = dir.join(MANIFEST);
    if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn read_manifest(dir: &Path) -> Result<BTreeMap<String, String>> {
    let path = dir.join(MANIFEST);
    let Ok(text) = fs::read_to_string(&path) else { return Ok(BTreeMap::new()) };
    serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))
}

/// FNV-1a, 64 bits, as hex: enough to notice an edit, stable on every machine.
fn hash(text: &str) -> String {
    let hash = text
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |acc, byte| (acc ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// The ```json and ```yaml blocks of a page, each parsed, with the line its text starts on.
/// Syntax errors point at the page line and column.
fn blocks(page: &str, text: &str) -> Vec<Result<(usize, Value), Diagnostic>> {
    let mut found = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let extension = match line.trim() {
            "```json" => "json",
            "```yaml" | "```yml" => "yaml",
            _ => continue,
        };
        let body: Vec<&str> =
            lines.by_ref().map(|(_, line)| line).take_while(|line| line.trim() != "```").collect();
        let first_line = index + 2;
        let parsed = parse_fragment(&format!("block.{extension}"), &body.join("\n")).map_err(|mut error| {
            error.file = Some(page.to_owned());
            error.line = Some(error.line.map_or(first_line - 1, |line| first_line - 1 + line));
            error.column = error.column.or(Some(1));
            error
        });
        found.push(parsed.map(|document| (first_line, document)));
    }
    found
}

/// The one operationId of a block's document, checked to be a safe file name.
fn operation_id(page: &str, line: usize, document: Value) -> Result<(String, Value), Diagnostic> {
    let operations: Vec<&Value> = document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| {
            item.iter().filter(|(key, _)| METHODS.contains(&key.as_str())).map(|(_, operation)| operation)
        })
        .collect();
    let [operation] = operations.as_slice() else {
        let message = format!(
            "the block holds {} operations; import needs exactly one, with an operationId",
            operations.len()
        );
        return Err(at_line(page, line, message));
    };
    let id = operation.get("operationId").and_then(Value::as_str);
    let safe = |id: &str| {
        !id.is_empty()
            && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"_-.".contains(&byte))
            && !id.starts_with('.')
    };
    match id {
        Some(id) if safe(id) => Ok((id.to_owned(), document)),
        Some(id) => Err(at_line(
            page,
            line,
            format!("operationId `{id}` cannot be a file name; use letters, digits, `_`, `-` and `.`"),
        )),
        None => Err(at_line(
            page,
            line,
            "the operation has no operationId; import names the fragment after it".into(),
        )),
    }
}

fn at_line(page: &str, line: usize, message: String) -> Diagnostic {
    Diagnostic { line: Some(line), column: Some(1), ..in_file(page, Diagnostic::error("", message)) }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::root::workspace_root;

    /// An empty scratch workspace under the system temp folder, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let root = std::env::temp_dir().join(format!("xtask-import-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&root);
            fs::create_dir_all(root.join("specs/m")).unwrap();
            Scratch(root)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn page(blocks: &[&str]) -> (String, String) {
        let text: Vec<String> = blocks.iter().map(|block| format!("## An endpoint\n\n{block}\n")).collect();
        ("pages/m.md".to_owned(), text.join("\n"))
    }

    fn json_block(id: &str, summary: &str) -> String {
        format!(
            "```json\n{{\"openapi\":\"3.0.3\",\"paths\":{{\"/{id}\":{{\"get\":{{\"operationId\":\"{id}\",\"summary\":\"{summary}\"}}}}}}}}\n```"
        )
    }

    fn statuses(root: &Path, pages: &[(String, String)]) -> Vec<(String, Status)> {
        let planned = plan(root, pages, "m").unwrap().unwrap();
        planned.into_iter().map(|it| (it.file, it.status)).collect()
    }

    /// A documentation page as the API guide publishes it, made from the checked-in fragments
    /// of `module`: a title and a link line, then per operation a heading, a quoted summary, the
    /// fragment as one line of compact JSON, and a request example in a shell block that import
    /// must skip.
    fn page_from_fragments(root: &Path, module: &str) -> String {
        let dir = root.join("specs").join(module);
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|it| it.unwrap().path())
            // Fragments, not the record of the last import (a dot file).
            .filter(|it| it.extension().is_some_and(|extension| extension == "json"))
            .filter(|it| !it.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect();
        files.sort();
        let mut page = String::from(
            "> Markdown versions of documentation pages are available by appending `.md` to page URLs.\n\n# User Profile\n",
        );
        for file in files {
            let document: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
            let stem = file.file_stem().unwrap().to_string_lossy();
            page.push_str(&format!(
                "\n## {stem}&#x20;\n\n> What `{stem}` does.\n\n```json\n{}\n```\n\n```bash\ncurl -H 'Authorization: Token x' https://tenant.example.com/{stem}\n```\n",
                serde_json::to_string(&document).unwrap()
            ));
        }
        page
    }

    /// Importing the page the checked-in fragments were published on changes nothing: every
    /// fragment is unchanged and the record is what a write would produce. (`.ci/run` also
    /// imports the published page itself, which lives outside the repository.)
    #[test]
    fn a_page_of_the_checked_in_fragments_imports_unchanged() {
        let root = workspace_root();
        let pages = [("user-profile.md".to_owned(), page_from_fragments(&root, "user-profile"))];
        let planned = plan(&root, &pages, "user-profile").unwrap().unwrap();
        assert_eq!(planned.len(), 16);
        assert!(planned.iter().all(|it| it.status == Status::Unchanged), "{planned:#?}");
        let manifest = fs::read_to_string(root.join("specs/user-profile").join(MANIFEST)).unwrap();
        let expected: BTreeMap<_, _> = planned
            .iter()
            .map(|it| (it.file.rsplit('/').next().unwrap().to_owned(), hash(&it.contents)))
            .collect();
        assert_eq!(manifest, serde_json::to_string_pretty(&expected).unwrap() + "\n");
    }

    #[test]
    fn hand_edits_are_kept_unless_forced() {
        let scratch = Scratch::new("edits");
        let root = &scratch.0;
        let first = [page(&[
            &json_block("a", "one"),
            "```yaml\nopenapi: 3.0.3\npaths:\n  /b:\n    get:\n      operationId: b\n```",
        ])];
        assert_eq!(
            statuses(root, &first),
            [("specs/m/a.json".into(), Status::New), ("specs/m/b.json".into(), Status::New)]
        );
        write(root, "m", &plan(root, &first, "m").unwrap().unwrap(), false).unwrap();
        let b = fs::read_to_string(root.join("specs/m/b.json")).unwrap();
        assert_eq!(
            b,
            "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/b\": {\n      \"get\": {\n        \"operationId\": \"b\"\n      }\n    }\n  }\n}\n"
        );

        // The page changes `a`; `b` is edited by hand.
        fs::write(root.join("specs/m/b.json"), b.replace("\"b\"", "\"b\", \"x-note\": 1")).unwrap();
        let second = [page(&[&json_block("a", "two"), &json_block("b", "new")])];
        assert_eq!(
            statuses(root, &second),
            [("specs/m/a.json".into(), Status::Changed), ("specs/m/b.json".into(), Status::EditedByHand)]
        );
        write(root, "m", &plan(root, &second, "m").unwrap().unwrap(), false).unwrap();
        assert!(fs::read_to_string(root.join("specs/m/a.json")).unwrap().contains("two"));
        assert!(fs::read_to_string(root.join("specs/m/b.json")).unwrap().contains("x-note"));

        write(root, "m", &plan(root, &second, "m").unwrap().unwrap(), true).unwrap();
        assert_eq!(
            statuses(root, &second),
            [("specs/m/a.json".into(), Status::Unchanged), ("specs/m/b.json".into(), Status::Unchanged)]
        );

        // Equal to the page is unchanged even without a record.
        fs::remove_file(root.join("specs/m").join(MANIFEST)).unwrap();
        assert_eq!(statuses(root, &second)[0].1, Status::Unchanged);
    }

    #[test]
    fn blocks_that_cannot_be_imported_are_reported() {
        let scratch = Scratch::new("errors");
        let two = "```json\n{\"paths\":{\"/a\":{\"get\":{\"operationId\":\"a\"},\"put\":{\"operationId\":\"b\"}}}}\n```";
        let cases = [
            (
                "```json\n{\n  \"paths\": {\n}\n```",
                "pages/m.md:6:1: /: error: invalid JSON: EOF while parsing an object",
            ),
            (
                "```yaml\npaths: [\n```",
                "pages/m.md:5:1: /: error: invalid YAML: did not find expected node content, while parsing a flow node",
            ),
            (
                "```json\n{\"paths\":{\"/a\":{\"get\":{}}}}\n```",
                "pages/m.md:4:1: /: error: the operation has no operationId; import names the fragment after it",
            ),
            (
                two,
                "pages/m.md:4:1: /: error: the block holds 2 operations; import needs exactly one, with an operationId",
            ),
            (
                &json_block("../a", "x"),
                "pages/m.md:4:1: /: error: operationId `../a` cannot be a file name; use letters, digits, `_`, `-` and `.`",
            ),
        ];
        for (block, expected) in cases {
            let errors = plan(&scratch.0, &[page(&[block])], "m").unwrap().unwrap_err();
            assert_eq!(errors.iter().map(ToString::to_string).collect::<Vec<_>>(), [expected], "{block}");
        }
        let errors = plan(&scratch.0, &[page(&[&json_block("a", "1"), &json_block("a", "2")])], "m")
            .unwrap()
            .unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "pages/m.md: /: error: operationId `a` appears in more than one block"
        );
    }
}
