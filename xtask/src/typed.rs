//! The linted JSON value read as `openapiv3::OpenAPI`, the step between lint and the generator.
//!
//! The schemas and the rest of the document are read first, in chunks on the machine's
//! threads. The path items, most of a large document, are then read on a thread of their own,
//! in path order, and handed over one chunk at a time to the caller, which lowers the rest of
//! the document meanwhile and each path item as it arrives. Each chunk consumes its part of
//! the value, so the value's memory is freed (and reused by the typed document) as the reading
//! goes, instead of both trees being whole at once.

use std::sync::mpsc;

use generator::diagnostic::Diagnostic;
use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::{Map, Value};

/// About this many chunks per thread, so that a thread that drew small chunks takes more.
const CHUNKS_PER_THREAD: usize = 8;

/// Path items per batch handed to the caller: few enough that lowering never waits long.
const PATHS_PER_CHUNK: usize = 16;

/// A path item as the generator lowers it.
pub type PathEntry = (String, ReferenceOr<PathItem>);

/// Reads `document` as OpenAPI 3.0 and gives it to `consume` without its path items, which
/// follow through the iterator `consume` gets, in path order, read on another thread while
/// `consume` works. `text` is the same document as JSON text: read again, with the path
/// tracked, only when the document does not fit, to point at the value that does not (what
/// `consume` made of a document that turned out not to fit is dropped).
pub fn read<R>(
    mut document: Value,
    text: &str,
    consume: impl FnOnce(OpenAPI, &mut dyn Iterator<Item = PathEntry>) -> R,
) -> Result<R, Vec<Diagnostic>> {
    // openapiv3 reads only the keys of `paths` that start with `/` as paths (`x-` ones are
    // extensions, others are dropped), and every key of `schemas` as a schema.
    let mut paths = take_entries(&mut document, &["paths"], |key| key.starts_with('/'));
    let schemas = take_entries(&mut document, &["components", "schemas"], |_| true);
    let threads = generator::parallel::threads();
    let size = schemas.len().div_ceil(threads * CHUNKS_PER_THREAD).max(16);
    let mut parts = vec![Part::Rest(document)];
    parts.extend(chunks(schemas, size).map(Part::Schemas));
    let openapi = assemble(generator::parallel::map(parts, Part::read)).ok_or_else(|| vec![locate(text)])?;

    paths.sort_by(|left, right| left.0.cmp(&right.0));
    let (consumed, paths_read) = std::thread::scope(|scope| {
        // Two chunks in flight: the reader stays ahead without holding much.
        let (sender, receiver) = mpsc::sync_channel::<Vec<PathEntry>>(2);
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(PATHS_PER_CHUNK);
            for (path, value) in paths {
                let Ok(item) = ReferenceOr::<PathItem>::deserialize(&value) else { return false };
                drop(value);
                batch.push((path, item));
                // An error to send means the caller stopped early.
                if batch.len() == PATHS_PER_CHUNK && sender.send(std::mem::take(&mut batch)).is_err() {
                    return true;
                }
            }
            // The caller may have stopped early here too.
            let _ = sender.send(batch);
            true
        });
        let consumed = consume(openapi, &mut receiver.into_iter().flatten());
        (consumed, reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    if paths_read { Ok(consumed) } else { Err(vec![locate(text)]) }
}

/// The typed parts put together in order; `None` when any part did not read.
fn assemble(parts: Vec<Result<Typed, ()>>) -> Option<OpenAPI> {
    let mut parts = parts.into_iter();
    let Some(Ok(Typed::Rest(mut openapi))) = parts.next() else { return None };
    for part in parts {
        let Typed::Schemas(schemas) = part.ok()? else {
            unreachable!("the rest of the document is the first part")
        };
        openapi.components.get_or_insert_with(Default::default).schemas.extend(schemas);
    }
    Some(*openapi)
}

/// A piece of the document to read.
enum Part {
    /// The document without the entries taken out.
    Rest(Value),
    Schemas(Map<String, Value>),
}

enum Typed {
    Rest(Box<OpenAPI>),
    Schemas(IndexMap<String, ReferenceOr<Schema>>),
}

impl Part {
    /// Reads the part from a borrowed value (so that its strings are borrowed too while serde
    /// buffers `ReferenceOr`'s untagged variants, instead of copied at every level), then
    /// drops the value.
    fn read(self) -> Result<Typed, ()> {
        let typed = match self {
            Part::Rest(value) => OpenAPI::deserialize(&value).map(|it| Typed::Rest(Box::new(it))),
            Part::Schemas(map) => IndexMap::deserialize(&Value::Object(map)).map(Typed::Schemas),
        };
        typed.map_err(drop)
    }
}

/// Moves the entries of the object at `path` whose keys pass `take` out of `document`, leaving
/// the others in place for the rest of the document to read as it would. Nothing is taken from
/// a value that is not an object: reading the rest then fails at it.
fn take_entries(document: &mut Value, path: &[&str], take: fn(&str) -> bool) -> Vec<(String, Value)> {
    let mut value = Some(document);
    for key in path {
        value = value.and_then(|it| it.get_mut(key));
    }
    let Some(Value::Object(map)) = value else { return Vec::new() };
    let mut entries = Vec::with_capacity(map.len());
    for (key, value) in std::mem::take(map) {
        if take(&key) {
            entries.push((key, value));
        } else {
            map.insert(key, value);
        }
    }
    entries
}

fn chunks(entries: Vec<(String, Value)>, size: usize) -> impl Iterator<Item = Map<String, Value>> {
    let mut entries = entries.into_iter().peekable();
    std::iter::from_fn(move || {
        entries.peek()?;
        Some(entries.by_ref().take(size).collect())
    })
}

/// Reads `text` again with the path tracked, and points at the first value that does not fit.
fn locate(text: &str) -> Diagnostic {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let error = match serde_path_to_error::deserialize::<_, OpenAPI>(&mut deserializer) {
        Ok(_) => return Diagnostic::error("", "not a valid OpenAPI 3.0 document"),
        Err(error) => error,
    };
    let tokens = error.path().iter().filter_map(|segment| match segment {
        serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
        serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
        serde_path_to_error::Segment::Unknown => None,
    });
    let pointer = generator::diagnostic::pointer(tokens);
    Diagnostic::error(pointer, format!("not a valid OpenAPI 3.0 document: {}", error.inner()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn text(document: &Value) -> String {
        serde_json::to_string_pretty(document).unwrap()
    }

    /// The document read with its path items put back, in the order they came.
    fn read_whole(document: Value, text: &str) -> Result<OpenAPI, Vec<Diagnostic>> {
        read(document, text, |mut openapi, paths| {
            assert!(openapi.paths.paths.is_empty(), "path items come apart from the document");
            openapi.paths.paths.extend(paths);
            openapi
        })
    }

    /// Enough paths and schemas for several chunks, with extensions beside them.
    fn large_document() -> Value {
        let mut paths = Map::new();
        let mut schemas = Map::new();
        paths.insert("x-paths-note".to_owned(), json!("kept"));
        // Not a path: openapiv3 drops it, and so must the chunked read.
        paths.insert("p-without-slash".to_owned(), json!({ "get": 1 }));
        for index in 0..100 {
            let ok = json!({ "description": "", "content": { "application/json": { "schema": {
                "$ref": format!("#/components/schemas/S{index}") } } } });
            paths.insert(
                format!("/p{index}"),
                json!({ "get": { "operationId": format!("get_{index}"), "responses": { "200": ok } } }),
            );
            schemas.insert(
                format!("S{index}"),
                json!({ "type": "object", "properties": { "n": { "type": "integer" } } }),
            );
            if index == 49 {
                // A schema whose name looks like an extension is still a schema, in its place.
                schemas.insert("x-middle".to_owned(), json!({ "type": "string" }));
            }
        }
        json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": paths,
            "components": { "schemas": schemas, "parameters": { "P": { "name": "p", "in": "query", "schema": { "type": "string" } } } },
            "x-top": 1,
        })
    }

    #[test]
    fn reading_in_chunks_gives_the_document_read_whole() {
        let document = large_document();
        let whole = OpenAPI::deserialize(&document).unwrap();
        let read = read_whole(document.clone(), &text(&document)).unwrap_or_else(|it| panic!("{it:?}"));
        // Equal as maps; the path items come in path order.
        assert_eq!(read, whole);
        let mut sorted: Vec<&String> = whole.paths.paths.keys().collect();
        sorted.sort();
        assert_eq!(read.paths.paths.keys().collect::<Vec<_>>(), sorted);
        assert_eq!(read.paths.extensions["x-paths-note"], json!("kept"));
        let schemas = &read.components.as_ref().unwrap().schemas;
        assert_eq!(schemas.keys().nth(50).map(String::as_str), Some("x-middle"));
    }

    #[test]
    fn documents_without_paths_or_components_read() {
        let document = json!({ "openapi": "3.0.3", "info": { "title": "t", "version": "1" }, "paths": {} });
        let read = read_whole(document.clone(), &text(&document)).unwrap();
        assert!(read.paths.paths.is_empty() && read.components.is_none());
    }

    #[test]
    fn documents_that_do_not_fit_openapi_point_at_the_value() {
        let mut document = large_document();
        document["tags"] = json!([{ "name": "a" }, { "name": 5 }]);
        let text = text(&document);
        let errors = read_whole(document, &text).expect_err("a tag name must be a string");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/tags/1/name");
        assert!(errors[0].message.starts_with("not a valid OpenAPI 3.0 document: "), "{}", errors[0].message);
    }

    #[test]
    fn a_misfit_in_one_chunk_fails_the_whole_read() {
        let mut document = large_document();
        document["paths"]["/p57"]["get"]["parameters"] = json!([{ "name": "q", "in": "nowhere" }]);
        let text = text(&document);
        let errors = read_whole(document, &text).expect_err("`nowhere` is not a parameter location");
        assert_eq!(errors.len(), 1);
        // openapiv3 buffers path items (flattened extensions), so serde's path ends there.
        assert!(errors[0].pointer.starts_with("/paths"), "{}", errors[0].pointer);
    }

    /// A caller that does not take every path item gets its result (the reader stops at the
    /// closed channel instead of blocking on it).
    #[test]
    fn a_caller_may_stop_early() {
        let document = large_document();
        let text = text(&document);
        let first = read(document, &text, |_, paths| paths.next().map(|(path, _)| path)).unwrap();
        assert_eq!(first.as_deref(), Some("/p0"));
    }
}
