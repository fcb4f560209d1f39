//! Merge stage (xtask): reads the one-operation fragments under `specs/` and combines them into one
//! OpenAPI 3.0 document, plus a [`SourceMap`] from JSON pointers back to the fragment files.

use std::collections::BTreeMap;

use generator::diagnostic::{Diagnostic, escape_token, pointer};
use indexmap::IndexMap;
use serde_json::{Map, Value};

// `generate` reads its one document with `parse_fragment` through this path.
pub use crate::pipeline::fragment::parse_fragment;
use crate::pipeline::fragment::{Fragment, in_file};

/// HTTP methods in the order operations appear within a merged path item.
pub(crate) const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Component sections in the order the OpenAPI 3.0 specification lists them.
const SECTIONS: [&str; 9] = [
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Root keys with their own merge rule; every other root key is united as a whole value.
const ROOT_KEYS: [&str; 7] = ["openapi", "info", "servers", "security", "tags", "paths", "components"];

/// File names of the optional base document at the root of `specs/`.
const BASE_NAMES: [&str; 3] = ["base.yaml", "base.yml", "base.json"];

/// The version written when there is no base document to take it from.
const DEFAULT_VERSION: &str = "3.0.3";

/// The merged document and what is needed to report on it.
#[derive(Debug)]
#[cfg_attr(not(test), allow(dead_code))]
pub struct Merged {
    pub document: Value,
    pub source_map: SourceMap,
    /// Findings that did not stop the merge, sorted.
    pub warnings: Vec<Diagnostic>,
}

/// Maps JSON pointers into the merged document to the fragment file that produced them.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<String, String>,
}

#[cfg_attr(not(test), allow(dead_code))]
impl SourceMap {
    /// Finds the file of the longest recorded prefix of `pointer`, cutting only between reference
    /// tokens, so `/paths/~1a` never claims `/paths/~1ab`.
    pub fn file_for(&self, pointer: &str) -> Option<&str> {
        let mut prefix = pointer;
        loop {
            if let Some(file) = self.files.get(prefix) {
                return Some(file);
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }

    /// Fills in `file` for every diagnostic that does not name one yet.
    pub fn attribute(&self, diagnostics: &mut [Diagnostic]) {
        for diagnostic in diagnostics.iter_mut().filter(|diagnostic| diagnostic.file.is_none()) {
            diagnostic.file = self.file_for(&diagnostic.pointer).map(str::to_owned);
        }
    }

    /// Records `file` for `pointer`, replacing what was there (overlays rewrite parts).
    pub fn set(&mut self, pointer: String, file: &str) {
        self.files.insert(pointer, file.to_owned());
    }

    /// Keeps the first file recorded for a pointer: later fragments only repeat identical copies.
    fn record(&mut self, pointer: String, file: &str) {
        self.files.entry(pointer).or_insert_with(|| file.to_owned());
    }
}
/// A value together with the fragment that defined it first.
struct Sourced<'a> {
    value: Value,
    file: &'a str,
}

/// A fragment whose root is an object, ready to merge.
struct Root<'a> {
    file: &'a str,
    map: &'a Map<String, Value>,
}

/// What has been merged so far; each `add_*` method takes one part of one fragment.
#[derive(Default)]
struct Merger<'a> {
    diagnostics: Vec<Diagnostic>,
    source_map: SourceMap,
    paths: BTreeMap<String, IndexMap<String, Sourced<'a>>>,
    components: IndexMap<String, BTreeMap<String, Sourced<'a>>>,
    tags: IndexMap<String, Sourced<'a>>,
    others: IndexMap<String, Sourced<'a>>,
}

/// Merges fragments into one document. A fragment named `base.yaml` (or `.yml`, `.json`) is the
/// base: its `openapi`, `info`, `servers` and `security` win. All diagnostics are collected and
/// sorted; any error means `Err` with every diagnostic, warnings included.
#[cfg_attr(not(test), allow(dead_code))]
pub fn merge(fragments: &[Fragment]) -> Result<Merged, Vec<Diagnostic>> {
    let mut merger = Merger::default();
    let (bases, operations): (Vec<&Fragment>, Vec<&Fragment>) =
        fragments.iter().partition(|fragment| is_base(&fragment.file));
    for extra in bases.iter().skip(1) {
        let message = format!("more than one base document ({} and {}); keep one", bases[0].file, extra.file);
        merger.diagnostics.push(in_file(&extra.file, Diagnostic::error(String::new(), message)));
    }
    let mut roots = Vec::new();
    for fragment in bases.iter().chain(&operations) {
        match fragment.document.as_object() {
            Some(map) => roots.push(Root { file: &fragment.file, map }),
            None => merger.diagnostics.push(in_file(
                &fragment.file,
                Diagnostic::error("", "a fragment must be an object with `openapi`, `info` and `paths`"),
            )),
        }
    }
    let base = roots.first().filter(|root| is_base(root.file));
    let first_operation = roots.iter().find(|root| !is_base(root.file));

    let security = base
        .and_then(|root| pick(root, "security"))
        .or_else(|| first_operation.and_then(|root| pick(root, "security")));
    for root in &roots {
        merger.check_version(root);
        // A fragment whose root security differs from the merged one keeps its meaning by
        // moving its own security (or none, `[]`) onto each operation that does not set one.
        let own = root.map.get("security");
        let pushed = (own != security.map(|(value, _)| value))
            .then(|| own.cloned().unwrap_or(Value::Array(Vec::new())));
        merger.add_paths(root, pushed.as_ref());
        merger.add_components(root);
        merger.add_tags(root);
        merger.add_others(root);
    }

    let openapi = base.and_then(|root| pick(root, "openapi"));
    let info =
        base.and_then(|root| pick(root, "info")).or_else(|| roots.iter().find_map(|root| pick(root, "info")));
    let servers = base
        .and_then(|root| pick(root, "servers"))
        .or_else(|| roots.iter().find_map(|root| pick(root, "servers")));
    if info.is_none() {
        merger
            .diagnostics
            .push(Diagnostic::error("/info", "no fragment declares `info`; add it to specs/base.yaml"));
    }
    merger.finish(openapi, info, servers, security)
}

/// Returns a root value together with the file it comes from.
fn pick<'a>(root: &Root<'a>, key: &str) -> Option<(&'a Value, &'a str)> {
    root.map.get(key).map(|value| (value, root.file))
}

/// Whether `file` is the base document (`specs/base.yaml` and friends) rather than a fragment.
pub fn is_base(file: &str) -> bool {
    file.rsplit('/').next().is_some_and(|name| BASE_NAMES.contains(&name))
}

/// Returns the value as an object, or records an error saying what was expected.
fn expect_object<'v>(
    value: &'v Value,
    file: &str,
    at: String,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'v Map<String, Value>> {
    let object = value.as_object();
    if object.is_none() {
        diagnostics.push(in_file(file, Diagnostic::error(at, format!("{what} must be an object"))));
    }
    object
}

fn differently_defined(name: &str, first: &str, second: &str) -> String {
    format!(
        "`{name}` is defined differently in {first} and {second}; make the definitions identical or rename one"
    )
}

impl<'a> Merger<'a> {
    fn check_version(&mut self, root: &Root<'a>) {
        let message = match root.map.get("openapi") {
            Some(Value::String(version)) if is_version_3_0(version) => return,
            Some(Value::String(version)) => {
                format!(
                    "`openapi` is `{version}`, but only 3.0.x is supported; declare `openapi: {DEFAULT_VERSION}`"
                )
            }
            Some(other) => {
                format!("`openapi` is `{other}`; write the version as a string such as `{DEFAULT_VERSION}`")
            }
            None => format!("missing `openapi` version; declare `openapi: {DEFAULT_VERSION}`"),
        };
        self.diagnostics.push(in_file(root.file, Diagnostic::error("/openapi", message)));
    }

    fn add_paths(&mut self, root: &Root<'a>, pushed_security: Option<&Value>) {
        let Some(paths) = root.map.get("paths") else { return };
        let Some(paths) = expect_object(paths, root.file, "/paths".into(), "`paths`", &mut self.diagnostics)
        else {
            return;
        };
        for (path, item) in paths {
            let item_pointer = pointer(["paths", path]);
            let what = format!("path item `{path}`");
            let Some(item) =
                expect_object(item, root.file, item_pointer.clone(), &what, &mut self.diagnostics)
            else {
                continue;
            };
            self.source_map.record(item_pointer.clone(), root.file);
            let merged_item = self.paths.entry(path.clone()).or_default();
            for (key, value) in item {
                let is_method = METHODS.contains(&key.as_str());
                let mut value = value.clone();
                if let (true, Some(security), Some(operation)) =
                    (is_method, pushed_security, value.as_object_mut())
                {
                    operation.entry("security").or_insert_with(|| security.clone());
                }
                let key_pointer = format!("{item_pointer}/{}", escape_token(key));
                let message = match merged_item.get(key) {
                    None => {
                        self.source_map.record(key_pointer, root.file);
                        merged_item.insert(key.clone(), Sourced { value, file: root.file });
                        continue;
                    }
                    Some(existing) if is_method => format!(
                        "`{} {path}` is defined in both {} and {}; keep it in one fragment",
                        key.to_uppercase(),
                        existing.file,
                        root.file
                    ),
                    Some(existing) if existing.value == value => continue,
                    Some(existing) => format!(
                        "`{key}` of path `{path}` differs between {} and {}; make the two identical",
                        existing.file, root.file
                    ),
                };
                self.diagnostics.push(in_file(root.file, Diagnostic::error(key_pointer, message)));
            }
        }
    }

    fn add_components(&mut self, root: &Root<'a>) {
        let Some(components) = root.map.get("components") else { return };
        let diagnostics = &mut self.diagnostics;
        let Some(components) =
            expect_object(components, root.file, "/components".into(), "`components`", diagnostics)
        else {
            return;
        };
        for (section, definitions) in components {
            let what = format!("`components/{section}`");
            let at = pointer(["components", section]);
            let Some(definitions) = expect_object(definitions, root.file, at, &what, &mut self.diagnostics)
            else {
                continue;
            };
            let merged_section = self.components.entry(section.clone()).or_default();
            for (name, definition) in definitions {
                let at = pointer(["components", section, name]);
                match merged_section.get(name) {
                    None => {
                        self.source_map.record(at, root.file);
                        merged_section
                            .insert(name.clone(), Sourced { value: definition.clone(), file: root.file });
                    }
                    Some(existing) if existing.value == *definition => {}
                    Some(existing) => {
                        let message = differently_defined(name, existing.file, root.file);
                        self.diagnostics.push(in_file(root.file, Diagnostic::error(at, message)));
                    }
                }
            }
        }
    }

    fn add_tags(&mut self, root: &Root<'a>) {
        let Some(tags) = root.map.get("tags") else { return };
        let Some(tags) = tags.as_array() else {
            self.diagnostics.push(in_file(root.file, Diagnostic::error("/tags", "`tags` must be a list")));
            return;
        };
        for (index, tag) in tags.iter().enumerate() {
            let Some(name) = tag.get("name").and_then(Value::as_str) else {
                let at = pointer(["tags", &index.to_string()]);
                self.diagnostics.push(in_file(root.file, Diagnostic::error(at, "a tag needs a `name`")));
                continue;
            };
            match self.tags.get(name) {
                None => {
                    self.tags.insert(name.to_owned(), Sourced { value: tag.clone(), file: root.file });
                }
                Some(existing) if existing.value == *tag => {}
                Some(existing) => {
                    let message = format!(
                        "tag `{name}` is described differently in {} and {}; keeping the first",
                        existing.file, root.file
                    );
                    let at = pointer(["tags", &index.to_string()]);
                    self.diagnostics.push(in_file(root.file, Diagnostic::warning(at, message)));
                }
            }
        }
    }

    /// Unites root keys without a rule of their own (`x-` extensions, `externalDocs`).
    fn add_others(&mut self, root: &Root<'a>) {
        for (key, value) in root.map.iter().filter(|(key, _)| !ROOT_KEYS.contains(&key.as_str())) {
            match self.others.get(key) {
                None => {
                    self.source_map.record(pointer([key]), root.file);
                    self.others.insert(key.clone(), Sourced { value: value.clone(), file: root.file });
                }
                Some(existing) if existing.value == *value => {}
                Some(existing) => {
                    let message = differently_defined(key, existing.file, root.file);
                    self.diagnostics.push(in_file(root.file, Diagnostic::error(pointer([key]), message)));
                }
            }
        }
    }

    /// Assembles the document with root keys, methods and component sections in standard order.
    fn finish(
        mut self,
        openapi: Option<(&Value, &'a str)>,
        info: Option<(&Value, &'a str)>,
        servers: Option<(&Value, &'a str)>,
        security: Option<(&Value, &'a str)>,
    ) -> Result<Merged, Vec<Diagnostic>> {
        let mut diagnostics = std::mem::take(&mut self.diagnostics);
        diagnostics.sort();
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(diagnostics);
        }
        let mut document = Map::new();
        let mut source_map = self.source_map;
        document.insert("openapi".into(), DEFAULT_VERSION.into());
        for (key, picked) in
            [("openapi", openapi), ("info", info), ("servers", servers), ("security", security)]
        {
            if let Some((value, file)) = picked {
                document.insert(key.into(), value.clone());
                source_map.record(pointer([key]), file);
            }
        }
        if !self.tags.is_empty() {
            let mut tags = Vec::new();
            for (index, tag) in self.tags.into_values().enumerate() {
                source_map.record(pointer(["tags", &index.to_string()]), tag.file);
                tags.push(tag.value);
            }
            document.insert("tags".into(), Value::Array(tags));
        }
        let mut paths = Map::new();
        for (path, mut item) in self.paths {
            let mut object = Map::new();
            for method in METHODS {
                if let Some(operation) = item.shift_remove(method) {
                    object.insert(method.into(), operation.value);
                }
            }
            object.extend(item.into_iter().map(|(key, sourced)| (key, sourced.value)));
            paths.insert(path, Value::Object(object));
        }
        document.insert("paths".into(), Value::Object(paths));
        let mut sections: Vec<_> =
            SECTIONS.iter().filter_map(|section| self.components.shift_remove_entry(*section)).collect();
        sections.extend(self.components);
        if !sections.is_empty() {
            let components = sections.into_iter().map(|(section, definitions)| {
                let definitions =
                    definitions.into_iter().map(|(name, sourced)| (name, sourced.value)).collect();
                (section, Value::Object(definitions))
            });
            document.insert("components".into(), Value::Object(components.collect()));
        }
        document.extend(self.others.into_iter().map(|(key, sourced)| (key, sourced.value)));
        Ok(Merged { document: Value::Object(document), source_map, warnings: diagnostics })
    }
}

fn is_version_3_0(version: &str) -> bool {
    version
        .strip_prefix("3.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|byte| byte.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::pipeline::fragment::read_fragments;
    use serde_json::json;

    fn fragment(file: &str, document: Value) -> Fragment {
        Fragment { file: file.into(), document }
    }

    /// A minimal valid fragment with the given extra root keys.
    fn with(file: &str, extra: Value) -> Fragment {
        let mut document = json!({ "openapi": "3.0.3", "info": { "title": file, "version": "1" } });
        document.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        fragment(file, document)
    }

    fn operation(file: &str, path: &str, method: &str) -> Fragment {
        with(
            file,
            json!({ "paths": { path: { method: { "responses": { "200": { "description": file } } } } } }),
        )
    }

    /// Diagnostics as `(file, pointer, message)`, warnings included, whether the merge failed or not.
    fn findings(fragments: &[Fragment]) -> Vec<(String, String, String)> {
        let diagnostics = match merge(fragments) {
            Ok(merged) => merged.warnings,
            Err(diagnostics) => diagnostics,
        };
        diagnostics.into_iter().map(|it| (it.file.unwrap_or_default(), it.pointer, it.message)).collect()
    }

    fn keys(value: &Value) -> Vec<&str> {
        value.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn merge_unites_methods_of_one_path() {
        let fragments =
            [operation("specs/b.json", "/pets", "post"), operation("specs/a.json", "/pets", "get")];
        let merged = merge(&fragments).unwrap();
        assert_eq!(keys(&merged.document["paths"]["/pets"]), ["get", "post"]);
        let cases = [
            ("/paths/~1pets/get/responses", Some("specs/a.json")),
            ("/paths/~1pets/post", Some("specs/b.json")),
            ("/paths/~1pets", Some("specs/b.json")),
            ("/info/title", Some("specs/b.json")),
        ];
        for (pointer, file) in cases {
            assert_eq!(merged.source_map.file_for(pointer), file, "{pointer}");
        }
        assert!(merged.warnings.is_empty());
    }

    #[test]
    fn merge_keeps_identical_components_once() {
        let components = json!({ "components": { "schemas": { "Pet": { "type": "object" } } } });
        let fragments = [with("specs/a.json", components.clone()), with("specs/b.json", components)];
        let merged = merge(&fragments).unwrap();
        assert_eq!(merged.document["components"], json!({ "schemas": { "Pet": { "type": "object" } } }));
        assert_eq!(merged.source_map.file_for("/components/schemas/Pet/type"), Some("specs/a.json"));
    }

    #[test]
    fn merge_reports_conflicts_naming_both_files() {
        let pet = |kind: &str| json!({ "components": { "schemas": { "UserList": { "type": kind } } } });
        let parameters =
            |name: &str| json!({ "paths": { "/pets": { "parameters": [{ "name": name, "in": "query" }] } } });
        let tag = |description: &str| json!({ "tags": [{ "name": "pets", "description": description }] });
        let cases = [
            (
                vec![with("specs/a.json", pet("object")), with("specs/b.json", pet("string"))],
                vec![(
                    "specs/b.json",
                    "/components/schemas/UserList",
                    "`UserList` is defined differently in specs/a.json and specs/b.json; make the definitions identical or rename one",
                )],
            ),
            (
                vec![
                    operation("specs/a.json", "/ux/{id}", "get"),
                    operation("specs/b.json", "/ux/{id}", "get"),
                ],
                vec![(
                    "specs/b.json",
                    "/paths/~1ux~1{id}/get",
                    "`GET /ux/{id}` is defined in both specs/a.json and specs/b.json; keep it in one fragment",
                )],
            ),
            (
                vec![with("specs/a.json", parameters("a")), with("specs/b.json", parameters("b"))],
                vec![(
                    "specs/b.json",
                    "/paths/~1pets/parameters",
                    "`parameters` of path `/pets` differs between specs/a.json and specs/b.json; make the two identical",
                )],
            ),
            (
                vec![
                    with("specs/a.json", json!({ "x-team": "a" })),
                    with("specs/b.json", json!({ "x-team": "b" })),
                ],
                vec![(
                    "specs/b.json",
                    "/x-team",
                    "`x-team` is defined differently in specs/a.json and specs/b.json; make the definitions identical or rename one",
                )],
            ),
            (
                vec![with("specs/a.json", tag("a")), with("specs/b.json", tag("b"))],
                vec![(
                    "specs/b.json",
                    "/tags/0",
                    "tag `pets` is described differently in specs/a.json and specs/b.json; keeping the first",
                )],
            ),
            (
                vec![
                    with("specs/a.json", json!({ "openapi": "3.1.0" })),
                    fragment("specs/b.json", json!({ "info": { "title": "b", "version": "1" } })),
                    fragment("specs/c.json", json!([])),
                ],
                vec![
                    (
                        "specs/a.json",
                        "/openapi",
                        "`openapi` is `3.1.0`, but only 3.0.x is supported; declare `openapi: 3.0.3`",
                    ),
                    ("specs/b.json", "/openapi", "missing `openapi` version; declare `openapi: 3.0.3`"),
                    ("specs/c.json", "", "a fragment must be an object with `openapi`, `info` and `paths`"),
                ],
            ),
            (
                vec![with("specs/base.yaml", json!({})), with("specs/more/base.json", json!({}))],
                vec![(
                    "specs/more/base.json",
                    "",
                    "more than one base document (specs/base.yaml and specs/more/base.json); keep one",
                )],
            ),
        ];
        for (fragments, expected) in cases {
            let expected: Vec<_> =
                expected.into_iter().map(|(f, p, m)| (f.into(), p.into(), m.into())).collect();
            assert_eq!(findings(&fragments), expected);
        }
    }

    #[test]
    fn merge_reports_every_conflict_and_fails_on_errors() {
        let fragments = [
            operation("specs/a.json", "/a", "get"),
            operation("specs/b.json", "/a", "get"),
            operation("specs/c.json", "/a", "get"),
        ];
        let diagnostics = merge(&fragments).unwrap_err();
        let files: Vec<_> = diagnostics.iter().map(|it| it.file.as_deref().unwrap()).collect();
        assert_eq!(files, ["specs/b.json", "specs/c.json"]);
    }

    #[test]
    fn merge_pushes_differing_root_security_down() {
        let a = json!([{ "A": [] }]);
        let b = json!([{ "B": [] }]);
        let own = json!([{ "Own": [] }]);
        // (base security, [(fragment root security, operation's own security)], merged root security,
        // resulting security of each operation)
        let cases = [
            (None, vec![(Some(&a), None), (Some(&a), None)], Some(&a), vec![None, None]),
            (None, vec![(Some(&a), None), (None, None)], Some(&a), vec![None, Some(json!([]))]),
            (None, vec![(None, None), (Some(&b), None)], None, vec![None, Some(b.clone())]),
            (
                Some(&a),
                vec![(Some(&b), None), (Some(&b), Some(&own))],
                Some(&a),
                vec![Some(b.clone()), Some(own.clone())],
            ),
            (Some(&a), vec![(None, None), (Some(&a), None)], Some(&a), vec![Some(json!([])), None]),
        ];
        for (base, operations, root, expected) in cases {
            let mut fragments: Vec<_> = base
                .map(|security| with("specs/base.yaml", json!({ "security": security })))
                .into_iter()
                .collect();
            for (index, (security, own)) in operations.iter().enumerate() {
                let mut fragment = operation(&format!("specs/{index}.json"), &format!("/{index}"), "get");
                let document = fragment.document.as_object_mut().unwrap();
                if let Some(security) = security {
                    document.insert("security".into(), (*security).clone());
                }
                if let Some(own) = own {
                    document["paths"][format!("/{index}")]["get"]["security"] = (*own).clone();
                }
                fragments.push(fragment);
            }
            let document = merge(&fragments).unwrap().document;
            assert_eq!(document.get("security"), root, "{operations:?}");
            let found: Vec<_> = (0..operations.len())
                .map(|index| document["paths"][format!("/{index}")]["get"].get("security").cloned())
                .collect();
            assert_eq!(found, expected, "{operations:?}");
        }
    }

    #[test]
    fn merge_writes_keys_in_standard_order() {
        let base = with(
            "specs/base.yaml",
            json!({
                "x-logo": "logo.png",
                "components": { "securitySchemes": { "Key": { "type": "apiKey", "in": "header", "name": "k" } } },
                "tags": [{ "name": "pets" }],
                "security": [{ "Key": [] }],
                "servers": [{ "url": "https://example.com" }],
            }),
        );
        let first = with(
            "specs/pets/a.yaml",
            json!({
                "components": { "x-internal": { "b": 1 }, "schemas": { "Zebra": {}, "Ant": {} } },
                "paths": { "/z": { "patch": {}, "parameters": [], "get": {}, "x-owner": "a" }, "/a": { "trace": {} } },
                "servers": [{ "url": "https://ignored.example.com" }],
            }),
        );
        let second = with(
            "specs/pets/b.yaml",
            json!({ "paths": { "/z": { "delete": {} } }, "components": { "responses": { "Gone": { "description": "" } } } }),
        );
        let document = merge(&[first, second, base]).unwrap().document;
        assert_eq!(
            keys(&document),
            ["openapi", "info", "servers", "security", "tags", "paths", "components", "x-logo"]
        );
        assert_eq!(document["info"]["title"], "specs/base.yaml");
        assert_eq!(document["servers"][0]["url"], "https://example.com");
        assert_eq!(keys(&document["paths"]), ["/a", "/z"]);
        assert_eq!(keys(&document["paths"]["/z"]), ["get", "delete", "patch", "parameters", "x-owner"]);
        assert_eq!(keys(&document["components"]), ["schemas", "responses", "securitySchemes", "x-internal"]);
        assert_eq!(keys(&document["components"]["schemas"]), ["Ant", "Zebra"]);
    }

    #[test]
    fn source_map_matches_whole_tokens() {
        let mut source_map = SourceMap::default();
        source_map.record("/paths/~1a".into(), "specs/a.json");
        source_map.record("/paths/~1a/get".into(), "specs/a_get.json");
        source_map.record("/paths/~1a/get".into(), "specs/later.json");
        source_map.record("/components/schemas/Pet".into(), "specs/pet.json");
        let cases = [
            ("/paths/~1a", Some("specs/a.json")),
            ("/paths/~1a/post/responses", Some("specs/a.json")),
            ("/paths/~1a/get", Some("specs/a_get.json")),
            ("/paths/~1a/get/responses/200", Some("specs/a_get.json")),
            ("/paths/~1ab", None),
            ("/paths/~1ab/get", None),
            ("/paths", None),
            ("", None),
            ("/components/schemas/Pet/properties/id", Some("specs/pet.json")),
            ("/components/schemas/Pets", None),
        ];
        for (pointer, file) in cases {
            assert_eq!(source_map.file_for(pointer), file, "{pointer}");
        }
        let mut diagnostics = [
            Diagnostic::warning("/paths/~1a/get/x", "found"),
            Diagnostic { file: Some("specs/kept.json".into()), ..Diagnostic::warning("/paths/~1a", "kept") },
            Diagnostic::warning("/info", "unknown"),
        ];
        source_map.attribute(&mut diagnostics);
        let files: Vec<_> = diagnostics.iter().map(|it| it.file.as_deref()).collect();
        assert_eq!(files, [Some("specs/a_get.json"), Some("specs/kept.json"), None]);
    }

    #[test]
    fn seed_fragments_merge_and_lint_cleanly() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let fragments = read_fragments(&root, &root.join("specs/user-profile")).unwrap().unwrap();
        assert_eq!(fragments.len(), 16);
        let mut merged = merge(&fragments).unwrap();
        assert!(merged.warnings.is_empty(), "{:?}", merged.warnings);
        let paths = merged.document["paths"].as_object().unwrap();
        assert_eq!(paths.len(), 13);
        let operations: usize = paths.values().map(|item| item.as_object().unwrap().len()).sum();
        assert_eq!(operations, 16);
        assert_eq!(keys(&merged.document["components"]["schemas"]), ["UserList"]);
        assert_eq!(keys(&merged.document["components"]["securitySchemes"]), ["ApiKeyAuth"]);
        assert_eq!(merged.document["security"], json!([{ "ApiKeyAuth": [] }]));
        assert!(
            paths
                .values()
                .flat_map(|item| item.as_object().unwrap().values())
                .all(|it| it.get("security").is_none())
        );

        let create =
            "/paths/~1ux~1common~1user~1profile~1/post/responses/201/content/application~1json/schema";
        let mut warnings = crate::pipeline::lint::lint(&mut merged.document);
        merged.source_map.attribute(&mut warnings);
        let found: Vec<_> = warnings.iter().map(|it| (it.file.as_deref(), it.pointer.as_str())).collect();
        assert_eq!(found, [(Some("specs/user-profile/ux_common_user_profile_create.json"), create)]);
    }
}
