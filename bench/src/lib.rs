//! Shared by the benchmarks in `benches/` and the `peak-memory` command: where the inputs live,
//! and a fragment set made by splitting a corpus document into one fragment per operation.
//! The benchmarks call the functions `cargo xtask codegen` and `cargo xtask generate` call;
//! nothing here reimplements any of them.

pub mod calls;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde_json::{Map, Value, json};
use xtask::pipeline::merge::parse_fragment;

/// The largest documents of the shared corpus, the ones the targets name.
pub const LARGEST: [&str; 3] = ["stripe.yaml", "github-api.json", "cloudflare.json"];

/// The document split into one fragment per operation for the merge benchmark.
pub const SPLIT_SOURCE: &str = "cloudflare.json";

/// HTTP methods that hold operations in a path item.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

pub fn workspace_root() -> PathBuf {
    xtask::root::workspace_root()
}

pub fn corpus_dir() -> PathBuf {
    workspace_root().join("../shared/corpus")
}

/// Scratch space for generated inputs and outputs, under the workspace's `target/`.
pub fn scratch_dir(name: &str) -> PathBuf {
    workspace_root().join("target/bench").join(name)
}

/// Read + parse: the file's text as a JSON value (JSON or YAML), as `generate` reads it.
pub fn read(path: &Path) -> Result<Value> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_fragment(&path.display().to_string(), &text).map_err(|it| anyhow!("{it}"))
}

/// The number of operations in a document (every method of every path item).
pub fn count_operations(document: &Value) -> usize {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else { return 0 };
    paths.values().map(|item| METHODS.iter().filter(|method| item.get(**method).is_some()).count()).sum()
}

/// Writes `document` as a `specs/` folder under `root`: `specs/base.json` with the document's
/// `openapi`, `info`, `servers` and `security`, and one fragment per operation in a folder named
/// after its first tag, carrying its path-level parameters and every component it uses,
/// transitively (so fragments repeat shared components, as hand-written fragments do). Replaces
/// what was there; returns the number of operation fragments.
pub fn split(document: &Value, root: &Path) -> Result<usize> {
    let specs = root.join("specs");
    if specs.exists() {
        fs::remove_dir_all(&specs).with_context(|| format!("removing {}", specs.display()))?;
    }
    fs::create_dir_all(&specs)?;
    let mut base = Map::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(value) = document.get(key) {
            base.insert(key.to_owned(), value.clone());
        }
    }
    base.insert("paths".to_owned(), json!({}));
    write_json(&specs.join("base.json"), &Value::Object(base))?;

    let empty = Map::new();
    let paths = document.get("paths").and_then(Value::as_object).unwrap_or(&empty);
    let mut count = 0;
    for (path, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let mut path_item = Map::new();
            if let Some(parameters) = item.get("parameters") {
                path_item.insert("parameters".to_owned(), parameters.clone());
            }
            path_item.insert(method.to_owned(), operation.clone());
            let path_item = Value::Object(path_item);
            let fragment = json!({
                "openapi": document["openapi"],
                "info": document["info"],
                "paths": { path: path_item },
                "components": used_components(document, &path_item, operation),
            });
            let tag = operation.pointer("/tags/0").and_then(Value::as_str).unwrap_or("untagged");
            let name = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{method}{path}"), str::to_owned);
            let file = specs.join(slug(tag)).join(format!("{count:04}-{}.json", slug(&name)));
            fs::create_dir_all(file.parent().unwrap())?;
            write_json(&file, &fragment)?;
            count += 1;
        }
    }
    Ok(count)
}

fn write_json(path: &Path, value: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(value).expect("a JSON value always serializes") + "\n";
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn slug(text: &str) -> String {
    let slug: String = text
        .chars()
        .map(|it| if it.is_ascii_alphanumeric() { it.to_ascii_lowercase() } else { '_' })
        .collect();
    slug.chars().take(80).collect()
}

/// The components `path_item` refers to, followed through other components, plus the security
/// schemes its operation (or the document) names.
fn used_components(document: &Value, path_item: &Value, operation: &Value) -> Value {
    let mut seen = BTreeSet::new();
    let mut pending = Vec::new();
    collect_refs(path_item, &mut pending);
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        if let Some(target) = document.pointer(&reference[1..]) {
            collect_refs(target, &mut pending);
        }
    }
    let mut components = Map::new();
    let mut add = |section: &str, name: &str| {
        if let Some(value) = document.pointer(&format!("/components/{section}/{name}")) {
            let section = components.entry(section).or_insert_with(|| json!({}));
            section[name.replace("~1", "/").replace("~0", "~")] = value.clone();
        }
    };
    for reference in &seen {
        let mut tokens = reference.trim_start_matches("#/components/").splitn(2, '/');
        if let (Some(section), Some(name)) = (tokens.next(), tokens.next()) {
            add(section, name);
        }
    }
    let security = operation.get("security").or_else(|| document.get("security"));
    for requirement in security.and_then(Value::as_array).into_iter().flatten() {
        for name in requirement.as_object().into_iter().flat_map(Map::keys) {
            add("securitySchemes", name);
        }
    }
    Value::Object(components)
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if reference.starts_with("#/components/") {
                    refs.push(reference.clone());
                }
            }
            map.values().for_each(|it| collect_refs(it, refs));
        }
        Value::Array(items) => items.iter().for_each(|it| collect_refs(it, refs)),
        _ => {}
    }
}

/// The process's peak resident set (`VmHWM`) in bytes, on Linux.
pub fn peak_memory() -> Option<u64> {
    memory_status("VmHWM:")
}

fn memory_status(field: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|it| it.starts_with(field))?;
    let kilobytes: u64 = line.trim_start_matches(field).trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kilobytes * 1024)
}
