//! The `openapi.json` text: kept compact while the document is read and generated from, and
//! indented only at the end.
//!
//! Pretty-printed, a large document's text is two and a half times its compact size (10.6 MB
//! against 4.4 MB for cloudflare.json), and it is alive beside the typed document and the
//! model, at the peak of the run. Re-indenting the compact text afterwards gives exactly what
//! `serde_json::to_string_pretty` prints, without reading the JSON again.

/// The compact JSON text `serde_json::to_string` printed, indented as `to_string_pretty`
/// indents it: two spaces a level, one member or element a line, `": "` after keys, and empty
/// objects and arrays as `{}` and `[]`.
pub fn pretty(compact: &str) -> String {
    let bytes = compact.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(compact.len() * 5 / 2);
    let mut depth = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        index += 1;
        match byte {
            b'"' => {
                // A string, escapes and all: up to the first quote not escaped.
                let start = index - 1;
                while let Some(&inner) = bytes.get(index) {
                    index += if inner == b'\\' { 2 } else { 1 };
                    if inner == b'"' {
                        break;
                    }
                }
                out.extend_from_slice(&bytes[start..index]);
            }
            b'{' | b'[' => {
                let close = if byte == b'{' { b'}' } else { b']' };
                out.push(byte);
                if bytes.get(index) == Some(&close) {
                    out.push(close);
                    index += 1;
                } else {
                    depth += 1;
                    new_line(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth -= 1;
                new_line(&mut out, depth);
                out.push(byte);
            }
            b',' => {
                out.push(b',');
                new_line(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(byte),
        }
    }
    String::from_utf8(out).expect("only ASCII was added between whole UTF-8 strings")
}

fn new_line(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    out.resize(out.len() + 2 * depth, b' ');
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn assert_same(value: &Value) {
        let compact = serde_json::to_string(value).unwrap();
        assert_eq!(pretty(&compact), serde_json::to_string_pretty(value).unwrap(), "{compact}");
    }

    #[test]
    fn indents_as_serde_json_does() {
        assert_same(&json!({
            "empty": {}, "none": [], "nested": { "a": [1, -2.5, 3e40, { "b": [] }], "c": { "d": {} } },
            "strings": ["quote \" inside", "back\\slash", "a \\\" b", "{[,:]}", "ünïcødé ✓", "\u{1}\n\t"],
            "scalars": [true, false, null, 0, 18446744073709551615u64],
            "": "empty key", "key: with, punctuation": "value"
        }));
        for scalar in [json!(1), json!("text"), json!(null), json!([]), json!({})] {
            assert_same(&scalar);
        }
    }

    #[test]
    fn the_checked_in_document_comes_out_as_it_is() {
        let path = crate::codegen::workspace_root().join("generated-client/openapi.json");
        let text = std::fs::read_to_string(path).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(pretty(&serde_json::to_string(&value).unwrap()) + "\n", text);
    }
}
