//! Reference checks: every local `$ref` must point at something in the document.

use generator::diagnostic::Diagnostic;
use serde_json::Value;

use crate::walk::child;

/// Reports each `$ref` of the form `#/...` whose target does not exist. Examples and `x-`
/// extensions are free-form, so a `$ref` inside them is not a reference and is skipped.
/// References to other files are left to the generator.
pub(super) fn check_refs(document: &Value, diagnostics: &mut Vec<Diagnostic>) {
    let mut pending = vec![(String::new(), document)];
    while let Some((at, value)) = pending.pop() {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref")
                    && let Some(target) = reference.strip_prefix('#')
                    && document.pointer(target).is_none()
                {
                    let message =
                        format!("`$ref` `{reference}` points at nothing; define it or correct the reference");
                    diagnostics.push(Diagnostic::error(child(&at, "$ref"), message));
                }
                let nested = object.iter().filter(|(key, _)| *key != "example" && !key.starts_with("x-"));
                pending.extend(nested.map(|(key, value)| (child(&at, key), value)));
            }
            Value::Array(items) => pending
                .extend(items.iter().enumerate().map(|(index, it)| (child(&at, &index.to_string()), it))),
            _ => {}
        }
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
