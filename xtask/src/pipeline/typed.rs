//! The linted JSON value read as `openapiv3::OpenAPI`, the step between lint and the generator.

use generator::diagnostic::Diagnostic;
use openapiv3::OpenAPI;
use serde_json::Value;

/// Reads `document` as OpenAPI 3.0. `text` is the same document as JSON text: read again, with
/// the path tracked, only when the document does not fit, to point at the value that does not.
pub fn read(document: Value, text: &str) -> Result<OpenAPI, Vec<Diagnostic>> {
    serde_json::from_value(document).map_err(|_| vec![locate(text)])
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

    #[test]
    fn documents_read_as_openapi() {
        let document = json!({ "openapi": "3.0.3", "info": { "title": "t", "version": "1" }, "paths": {} });
        let read = read(document.clone(), &document.to_string()).unwrap();
        assert!(read.paths.paths.is_empty() && read.components.is_none());
    }

    #[test]
    fn documents_that_do_not_fit_openapi_point_at_the_value() {
        let document = json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": {},
            "tags": [{ "name": "a" }, { "name": 5 }],
        });
        let errors = read(document.clone(), &serde_json::to_string_pretty(&document).unwrap())
            .expect_err("a tag name must be a string");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/tags/1/name");
        assert!(errors[0].message.starts_with("not a valid OpenAPI 3.0 document: "), "{}", errors[0].message);
    }
}
