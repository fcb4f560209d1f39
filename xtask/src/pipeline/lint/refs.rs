//! Reference checks: every local `$ref` must point at something in the document.

use std::collections::HashSet;

use generator::diagnostic::Diagnostic;
use serde_json::Value;

/// Reports each `$ref` of the form `#/...` whose target does not exist. Examples and `x-`
/// extensions are free-form, so a `$ref` inside them is not a reference and is skipped.
/// References to other files are left to the generator.
pub(super) fn check_refs(document: &Value, diagnostics: &mut Vec<Diagnostic>) {
    let mut walk = Walk { document, resolved: HashSet::new(), path: Vec::new(), diagnostics };
    walk.visit(document);
}

/// The walk keeps the path to the current value as borrowed segments and builds a pointer only
/// for a finding: a large document has millions of values and a handful of findings.
struct Walk<'a, 'd> {
    document: &'a Value,
    /// Targets known to exist; a few hundred components are referred to thousands of times.
    resolved: HashSet<&'a str>,
    path: Vec<Segment<'a>>,
    diagnostics: &'d mut Vec<Diagnostic>,
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> Walk<'a, '_> {
    fn visit(&mut self, value: &'a Value) {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref")
                    && let Some(target) = reference.strip_prefix('#')
                    && !self.resolves(target)
                {
                    let message =
                        format!("`$ref` `{reference}` points at nothing; define it or correct the reference");
                    let tokens = self.path.iter().map(|segment| match segment {
                        Segment::Key(key) => (*key).to_owned(),
                        Segment::Index(index) => index.to_string(),
                    });
                    let pointer = generator::diagnostic::pointer(tokens.chain(["$ref".to_owned()]));
                    self.diagnostics.push(Diagnostic::error(pointer, message));
                }
                for (key, value) in object {
                    if key != "example" && !key.starts_with("x-") {
                        self.path.push(Segment::Key(key));
                        self.visit(value);
                        self.path.pop();
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.path.push(Segment::Index(index));
                    self.visit(item);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    fn resolves(&mut self, target: &'a str) -> bool {
        if self.resolved.contains(target) {
            return true;
        }
        let exists = self.document.pointer(target).is_some();
        if exists {
            self.resolved.insert(target);
        }
        exists
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_dangling_local_refs_are_reported() {
        let document = json!({
            "components": { "schemas": {
                "Pet": { "properties": { "owner": { "$ref": "#/components/schemas/Owner" } } },
                "Owner": { "$ref": "#/components/schemas/Pet" },
                "Remote": { "$ref": "other.yaml#/Pet" },
                "Shown": { "example": { "$ref": "#/nowhere" }, "x-note": { "$ref": "#/nowhere" } },
                "Missing": { "items": { "$ref": "#/components/schemas/Pett" } },
                "Property": { "properties": { "$ref": { "type": "string" } } },
            } },
        });
        let mut diagnostics = Vec::new();
        check_refs(&document, &mut diagnostics);
        let found: Vec<_> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "/components/schemas/Missing/items/$ref: error: `$ref` `#/components/schemas/Pett` points at nothing; define it or correct the reference"
            ]
        );
    }
}
