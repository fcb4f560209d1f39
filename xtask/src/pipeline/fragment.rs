//! Fragment reading (xtask, before merge): finds the files under `specs/`, parses JSON or YAML
//! into JSON values, and reports syntax errors with their line and column.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use generator::diagnostic::Diagnostic;
use serde_json::{Map, Value};

/// One parsed file under `specs/`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fragment {
    /// Path relative to the workspace root with `/` separators, as shown in diagnostics.
    pub file: String,
    pub document: Value,
}

/// Reads every `*.json`, `*.yaml` and `*.yml` under `specs_dir`, sorted by path, skipping folders
/// named `overlays` and dot files (they are not fragments). I/O failures are errors; files that do not parse
/// are diagnostics, all of them collected.
pub fn read_fragments(
    root: &Path,
    specs_dir: &Path,
) -> anyhow::Result<Result<Vec<Fragment>, Vec<Diagnostic>>> {
    let mut paths = Vec::new();
    collect_files(specs_dir, &mut paths)?;
    read_documents(root, paths)
}

/// Reads the overlay documents in `specs_dir/overlays/`, sorted by path; none if it is missing.
pub fn read_overlays(
    root: &Path,
    specs_dir: &Path,
) -> anyhow::Result<Result<Vec<Fragment>, Vec<Diagnostic>>> {
    let dir = specs_dir.join("overlays");
    let mut paths = Vec::new();
    if dir.is_dir() {
        collect_files(&dir, &mut paths)?;
    }
    read_documents(root, paths)
}

/// Parses each file, in sorted path order, collecting every syntax error.
fn read_documents(
    root: &Path,
    mut paths: Vec<PathBuf>,
) -> anyhow::Result<Result<Vec<Fragment>, Vec<Diagnostic>>> {
    paths.sort();
    let mut fragments = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let file = relative_name(root, &path);
        match parse_fragment(&file, &text) {
            Ok(document) => fragments.push(Fragment { file, document }),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    Ok(if diagnostics.is_empty() { Ok(fragments) } else { Err(diagnostics) })
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let context = || format!("reading directory {}", dir.display());
    for entry in fs::read_dir(dir).with_context(context)? {
        let path = entry.with_context(context)?.path();
        // Dot files are tool state (such as import's `.imported.json`), never fragments.
        if path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            if path.file_name() != Some("overlays".as_ref()) {
                collect_files(&path, files)?;
            }
        } else if path
            .extension()
            .is_some_and(|extension| ["json", "yaml", "yml"].contains(&&*extension.to_string_lossy()))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// Names a file the same way on every machine: relative to `root`, joined with `/`.
fn relative_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let tokens: Vec<_> =
        relative.components().map(|component| component.as_os_str().to_string_lossy()).collect();
    tokens.join("/")
}

/// Sets the file a diagnostic is about.
pub(crate) fn in_file(file: &str, diagnostic: Diagnostic) -> Diagnostic {
    Diagnostic { file: Some(file.to_owned()), ..diagnostic }
}

/// Parses JSON when `file` ends in `.json`, YAML otherwise. YAML keys that are numbers or
/// booleans (`200:` under `responses`) become strings, as they would be in JSON.
pub fn parse_fragment(file: &str, text: &str) -> Result<Value, Diagnostic> {
    let located = |pointer: String, message: String| in_file(file, Diagnostic::error(pointer, message));
    if file.ends_with(".json") {
        return serde_json::from_str(text).map_err(|error| {
            let message = format!("invalid JSON: {error}");
            syntax_error(file, message, Some((error.line(), error.column())))
        });
    }
    let mut yaml: serde_yaml::Value = parse_yaml(text).map_err(|error| {
        let position = error.location().map(|location| (location.line(), location.column()));
        syntax_error(file, format!("invalid YAML: {error}"), position)
    })?;
    yaml.apply_merge().map_err(|error| located(String::new(), format!("invalid YAML merge key: {error}")))?;
    yaml_to_json(yaml).map_err(|(pointer, message)| located(pointer, message))
}

/// Parses YAML, reading integers beyond 64 bits as the nearest float, as JSON parsers do
/// (OpenAI's spec has `minimum: -9223372036854776000`, which serde_yaml cannot hold as is).
fn parse_yaml(text: &str) -> Result<serde_yaml::Value, serde_yaml::Error> {
    let mut text = std::borrow::Cow::Borrowed(text);
    // Each round rewrites one literal; the bound only guards against a parser that keeps
    // pointing at the same place.
    for _ in 0..1000 {
        let error = match serde_yaml::from_str(&text) {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let wide = error.to_string().contains("as i128") || error.to_string().contains("as u128");
        let Some(start) = error.location().map(|it| it.index()).filter(|_| wide) else { return Err(error) };
        let rest = &text[start..];
        let length =
            rest.find(|it: char| !(it.is_ascii_digit() || it == '-' || it == '+')).unwrap_or(rest.len());
        if length == 0 || !rest[..length].trim_start_matches(['-', '+']).bytes().all(|it| it.is_ascii_digit())
        {
            return Err(error);
        }
        let mut rewritten = text.into_owned();
        rewritten.insert_str(start + length, ".0");
        text = std::borrow::Cow::Owned(rewritten);
    }
    serde_yaml::from_str(&text)
}

/// A syntax error at a line and column of `file`. The parsers' messages repeat the position as
/// " at line L column C"; that first mention is dropped because the diagnostic carries it.
fn syntax_error(file: &str, message: String, position: Option<(usize, usize)>) -> Diagnostic {
    let mut diagnostic = in_file(file, Diagnostic::error("", message));
    if let Some((line, column)) = position {
        let mention = format!(" at line {line} column {column}");
        diagnostic.message = diagnostic.message.replacen(&mention, "", 1);
        diagnostic.line = Some(line);
        diagnostic.column = Some(column);
    }
    diagnostic
}

/// Converts YAML to JSON, failing with a pointer and message on what JSON cannot hold.
fn yaml_to_json(yaml: serde_yaml::Value) -> Result<Value, (String, String)> {
    let mut path = Vec::new();
    convert(yaml, &mut path).map_err(|message| (generator::diagnostic::pointer(&path), message))
}

/// Converts one node; on failure `path` is left at the node that failed, so the pointer is
/// built once, for the error, rather than for every node.
fn convert(yaml: serde_yaml::Value, path: &mut Vec<String>) -> Result<Value, String> {
    use serde_yaml::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(boolean) => Value::Bool(boolean),
        Yaml::Number(number) => json_number(&number)
            .ok_or_else(|| format!("`{number}` cannot be represented in JSON; use a finite number"))?,
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => {
            let mut array = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                path.push(index.to_string());
                array.push(convert(item, path)?);
                path.pop();
            }
            Value::Array(array)
        }
        Yaml::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, item) in mapping {
                let key = match key {
                    Yaml::String(text) => text,
                    Yaml::Number(number) => number.to_string(),
                    Yaml::Bool(boolean) => boolean.to_string(),
                    _ => return Err("mapping keys must be strings, numbers or booleans".into()),
                };
                path.push(key);
                let item = convert(item, path)?;
                let key = path.pop().expect("pushed above");
                match object.entry(key) {
                    serde_json::map::Entry::Vacant(entry) => {
                        entry.insert(item);
                    }
                    serde_json::map::Entry::Occupied(entry) => {
                        let message = format!("key `{}` appears twice; keep one", entry.key());
                        path.push(entry.key().clone());
                        return Err(message);
                    }
                }
            }
            Value::Object(object)
        }
        // JSON has no tags and OpenAPI gives them no meaning, so only the value is kept.
        Yaml::Tagged(tagged) => convert(tagged.value, path)?,
    })
}

fn json_number(number: &serde_yaml::Number) -> Option<Value> {
    if let Some(integer) = number.as_i64() {
        Some(integer.into())
    } else if let Some(integer) = number.as_u64() {
        Some(integer.into())
    } else {
        serde_json::Number::from_f64(number.as_f64()?).map(Value::Number)
    }
}

/// Fills in the line and column of every error that names a file and a pointer, from the
/// file's own text as `read` gives it: findings made on the document after it was read (such
/// as a value openapiv3 cannot read) then point into the file the user edits.
pub fn locate_errors(diagnostics: &mut [Diagnostic], read: impl Fn(&str) -> Option<String>) {
    for diagnostic in diagnostics.iter_mut().filter(|it| it.is_error() && it.line.is_none()) {
        let Some(file) = diagnostic.file.clone() else { continue };
        let Some(text) = read(&file) else { continue };
        if let Some((line, column)) = position_of(&file, &text, &diagnostic.pointer) {
            diagnostic.line = Some(line);
            diagnostic.column = Some(column);
        }
    }
}

/// The line and column where the value at `pointer` is in the JSON or YAML `text` (where its
/// key is, for a member of a mapping); `None` when there is no such value.
///
/// The parsers report positions only with errors, so the text is read with a seed that walks
/// down the pointer and fails on purpose on arriving: the error carries the position.
pub fn position_of(file: &str, text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens: Vec<String> =
        pointer.split('/').skip(1).map(|it| generator::diagnostic::unescape_token(it).into_owned()).collect();
    let seek = Seek { tokens: &tokens };
    if file.ends_with(".json") {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let error = serde::de::DeserializeSeed::deserialize(seek, &mut deserializer).err()?;
        (error.to_string().starts_with(ARRIVED)).then(|| (error.line(), error.column()))
    } else {
        let deserializer = serde_yaml::Deserializer::from_str(text);
        let error = serde::de::DeserializeSeed::deserialize(seek, deserializer).err()?;
        // serde_yaml puts the path before the message and the position after it.
        let location = error.location().filter(|_| error.to_string().contains(ARRIVED))?;
        Some((location.line(), location.column()))
    }
}

/// The message of the error [`Seek`] fails with on arriving.
const ARRIVED: &str = "arrived at the pointer";

/// Walks down the remaining `tokens`, skipping every other value, and fails on arriving.
struct Seek<'t> {
    tokens: &'t [String],
}

impl<'de> serde::de::DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.tokens.is_empty() {
            return Err(serde::de::Error::custom(ARRIVED));
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("any value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            if key == self.tokens[0] {
                map.next_value_seed(Seek { tokens: &self.tokens[1..] })?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let wanted: Option<usize> = self.tokens[0].parse().ok();
        let mut index = 0;
        loop {
            let found = if Some(index) == wanted {
                seq.next_element_seed(Seek { tokens: &self.tokens[1..] })?
            } else {
                seq.next_element::<serde::de::IgnoredAny>()?.map(|_| ())
            };
            if found.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    // Scalars have nothing inside them to walk into.
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A mapping key as JSON would spell it: YAML keys may be numbers or booleans (`200:`).
struct Key(String);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a mapping key")
            }
            fn visit_str<E>(self, value: &str) -> Result<Key, E> {
                Ok(Key(value.to_owned()))
            }
            fn visit_bool<E>(self, value: bool) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::merge::merge;
    use serde_json::json;

    fn keys(value: &Value) -> Vec<&str> {
        value.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn parse_fragment_reads_json_and_yaml() {
        let cases = [
            ("a.json", r#"{"b": 1, "a": [true, null]}"#, json!({ "b": 1, "a": [true, null] })),
            (
                "a.yaml",
                "responses:\n  200:\n    description: ok\n  default: {}\n",
                json!({ "responses": { "200": { "description": "ok" }, "default": {} } }),
            ),
            (
                "a.yml",
                "true: yes\n1.5: -2\nbig: 18446744073709551615\n",
                json!({ "true": "yes", "1.5": -2, "big": u64::MAX }),
            ),
            (
                "a.yaml",
                "base: &base\n  a: 1\nderived:\n  <<: *base\n  b: !tagged 2\n",
                json!({ "base": { "a": 1 }, "derived": { "a": 1, "b": 2 } }),
            ),
            ("a.yaml", "", Value::Null),
        ];
        for (file, text, expected) in cases {
            assert_eq!(parse_fragment(file, text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn pointers_find_their_line_in_the_file() {
        let yaml = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let json =
            "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": { \"tags\": [\"x\", \"y\"] }\n    }\n  }\n}\n";
        let cases = [
            ("a.yaml", yaml, "/paths/~1a/get/responses/200", Some(6)),
            ("a.yaml", yaml, "/paths/~1a/get", Some(4)),
            ("a.yaml", yaml, "/paths/~1b", None),
            ("a.json", json, "/paths/~1a/get/tags/1", Some(4)),
            ("a.json", json, "/paths/~1a/get/tags/2", None),
        ];
        for (file, text, pointer, line) in cases {
            let found = position_of(file, text, pointer).map(|(line, _)| line);
            assert_eq!(found, line, "{file}: {pointer}");
        }
    }

    #[test]
    fn parse_fragment_keeps_key_order() {
        let document = parse_fragment("a.yaml", "z: 1\na: 2\nm: 3\n").unwrap();
        assert_eq!(keys(&document), ["z", "a", "m"]);
    }

    #[test]
    fn parse_fragment_reads_integers_wider_than_64_bits_as_floats() {
        let value =
            parse_fragment("wide.yaml", "minimum: -9223372036854776000\nmaximum: 18446744073709551616\n")
                .unwrap();
        assert_eq!(value, json!({"minimum": -9223372036854776000.0, "maximum": 18446744073709551616.0}));
    }

    #[test]
    fn parse_fragment_reports_syntax_errors() {
        let cases = [
            ("specs/a.json", "{\n  \"a\": 1,\n}", "specs/a.json:3:1: /: error: invalid JSON: trailing comma"),
            (
                "specs/a.yaml",
                "a: 1\nb: [1, 2\nc: 3\n",
                "specs/a.yaml:3:2: /: error: invalid YAML: did not find expected ',' or ']', while parsing a flow sequence at line 2 column 4",
            ),
            (
                "specs/a.yaml",
                "a:\n  b: .nan\n",
                "specs/a.yaml: /a/b: error: `.nan` cannot be represented in JSON; use a finite number",
            ),
            (
                "specs/a.yaml",
                "200: a\n'200': b\n",
                "specs/a.yaml: /200: error: key `200` appears twice; keep one",
            ),
            (
                "specs/a.yaml",
                "a:\n  [1, 2]: b\n",
                "specs/a.yaml: /a: error: mapping keys must be strings, numbers or booleans",
            ),
        ];
        for (file, text, expected) in cases {
            assert_eq!(parse_fragment(file, text).unwrap_err().to_string(), expected, "{text}");
        }
    }

    #[test]
    fn read_fragments_sorts_and_skips_overlays() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/read");
        let fragments = read_fragments(&root, &root.join("specs")).unwrap().unwrap();
        let files: Vec<_> = fragments.iter().map(|fragment| fragment.file.as_str()).collect();
        assert_eq!(files, ["specs/base.yaml", "specs/pets/create_pet.json", "specs/pets/list_pets.yaml"]);
        let merged = merge(&fragments).unwrap();
        assert_eq!(keys(&merged.document["paths"]["/pets"]), ["get", "post"]);
        assert_eq!(
            merged.source_map.file_for("/paths/~1pets/get/responses/200"),
            Some("specs/pets/list_pets.yaml")
        );
    }

    #[test]
    fn read_fragments_collects_every_syntax_error() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
        let diagnostics = read_fragments(&root, &root.join("specs")).unwrap().unwrap_err();
        let found: Vec<_> =
            diagnostics.iter().map(|it| (it.file.as_deref().unwrap(), it.message.as_str())).collect();
        assert_eq!(
            found,
            [
                ("specs/bad.json", "invalid JSON: trailing comma"),
                (
                    "specs/bad.yaml",
                    "invalid YAML: did not find expected ',' or ']', while parsing a flow sequence at line 3 column 10",
                ),
            ]
        );
        assert!(read_fragments(&root, &root.join("missing")).is_err());
    }
}
