//! Tallies and prints what the harness reported, one JSON line per call: per operation, the
//! distinct problems with a sample body (whole bodies of decode errors go to a file beside the
//! harness), and the total line `contract: D decode errors in C calls`.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::Value;

/// One call, as the harness prints it (see `harness_support.rs`).
#[derive(Debug, Deserialize)]
pub struct Record {
    pub operation: String,
    /// `ok`, `decode`, `rejected` or `failed`.
    pub kind: String,
    pub status: Option<u16>,
    /// Where in the body decoding failed.
    pub path: String,
    pub detail: String,
    pub body: String,
    /// Prism's `sl-violations` header: what it found wrong with the request and its response.
    #[serde(default)]
    pub violations: String,
}

/// Counts of calls by what became of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub calls: usize,
    pub ok: usize,
    pub decode: usize,
    /// Bodies that did not decode, which Prism itself reported as breaking the document.
    pub invalid: usize,
    pub rejected: usize,
    pub failed: usize,
}

impl Tally {
    fn add(&mut self, kind: &str) {
        self.calls += 1;
        match kind {
            "ok" => self.ok += 1,
            "decode" => self.decode += 1,
            "invalid" => self.invalid += 1,
            "rejected" => self.rejected += 1,
            _ => self.failed += 1,
        }
    }

    pub fn sum(&mut self, other: Tally) {
        self.calls += other.calls;
        self.ok += other.ok;
        self.decode += other.decode;
        self.invalid += other.invalid;
        self.rejected += other.rejected;
        self.failed += other.failed;
    }
}

/// One distinct problem of an operation: how often it came up, and the first body with it.
struct Problem {
    count: usize,
    body: String,
}

/// Parses the harness's output lines and reads Prism's reasons out of them (see [`classify`]).
pub fn parse(output: &str) -> Result<Vec<Record>> {
    output
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let record =
                serde_json::from_str(line).with_context(|| format!("reading the harness's line {line:?}"))?;
            Ok(classify(record))
        })
        .collect()
}

/// Reads what Prism said about a call: a decode error where Prism reports its own response as
/// breaking the document becomes `invalid` (Prism's slip, not the client's), and a status gets
/// Prism's reasons as its detail.
fn classify(mut record: Record) -> Record {
    match record.kind.as_str() {
        "decode" => {
            record.detail = without_position(&record.detail);
            if let Some(broken) = response_violation(&record.violations, &record.path) {
                record.kind = "invalid".to_owned();
                record.detail =
                    format!("{}; Prism says its response breaks the document: {broken}", record.detail);
            } else if let Some(echo) = schema_echo(&record.body, &record.path) {
                record.kind = "invalid".to_owned();
                record.detail =
                    format!("{}; Prism sent a piece of the schema as the value: {echo}", record.detail);
            }
        }
        "rejected" => record.detail = prism_reasons(&record.body, &record.violations),
        _ => {}
    }
    record
}

/// Prism's reasons for a status: the validation messages of its problem body, or of its
/// `sl-violations` header when it answered with an error response the document defines, else
/// the problem's title and detail; nothing for another body.
fn prism_reasons(body: &str, violations: &str) -> String {
    let problem: Value = serde_json::from_str(body).unwrap_or_default();
    let messages = |items: &Value| -> Vec<String> {
        let items = items.as_array().into_iter().flatten();
        items
            .map(|item| format!("{}: {}", location(item), item["message"].as_str().unwrap_or_default()))
            .collect()
    };
    let mut found = messages(&problem["validation"]);
    if found.is_empty() {
        found = messages(&serde_json::from_str(violations).unwrap_or_default());
    }
    if !found.is_empty() {
        return found.join("; ");
    }
    match (problem["title"].as_str(), problem["detail"].as_str()) {
        (Some(title), Some(detail)) => format!("{title}: {detail}"),
        (Some(text), None) | (None, Some(text)) => text.to_owned(),
        (None, None) => String::new(),
    }
}

/// The dotted location of one of Prism's violations: `response.body.a.0.b`.
fn location(violation: &Value) -> String {
    let tokens: Vec<&str> =
        violation["location"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    tokens.join(".")
}

/// The error Prism reports of its own response (in `sl-violations`) where a body did not
/// decode: at the decode error's path, inside it, or around it.
fn response_violation(violations: &str, decode_path: &str) -> Option<String> {
    let violations: Value = serde_json::from_str(violations).ok()?;
    let decode_tokens = path_tokens(decode_path);
    violations.as_array()?.iter().find_map(|violation| {
        let location = location(violation);
        let inside =
            location.strip_prefix("response.body").filter(|rest| rest.is_empty() || rest.starts_with('.'))?;
        let tokens: Vec<&str> = inside.split('.').filter(|it| !it.is_empty()).collect();
        let shared =
            tokens.iter().zip(&decode_tokens).take_while(|(left, right)| **left == right.as_str()).count();
        (shared == tokens.len().min(decode_tokens.len()) && violation["severity"] == "Error")
            .then(|| format!("{location}: {}", violation["message"].as_str().unwrap_or_default()))
    })
}

/// Keys of a Schema Object that Prism's generator copies into a body in place of a value.
const SCHEMA_KEYS: &[&str] = &[
    "allOf",
    "anyOf",
    "description",
    "enum",
    "format",
    "items",
    "nullable",
    "oneOf",
    "properties",
    "required",
    "title",
    "type",
];

/// A value on the way to a decode error's path that is a piece of a schema rather than data,
/// marked by `nullable`, such as `{"nullable": true}` where a node belongs: Prism's generator (json-schema-faker)
/// sends these past its recursion limit, and for schemas without a type, where no server
/// would. Prism's own check reads the schemas cut the same way, so it does not report them.
///
/// Below the path, the whole value counts: an untagged union reports its failure at the union,
/// however deep inside a member the echo is.
fn schema_echo(body: &str, decode_path: &str) -> Option<String> {
    let body: Value = serde_json::from_str(body).ok()?;
    let mut value = &body;
    for token in path_tokens(decode_path) {
        if is_schema_echo(value) {
            return Some(value.to_string());
        }
        value = match value {
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            other => other.get(&token)?,
        };
    }
    echo_within(value).map(Value::to_string)
}

/// The first schema echo in `value` or anywhere inside it.
fn echo_within(value: &Value) -> Option<&Value> {
    if is_schema_echo(value) {
        return Some(value);
    }
    match value {
        Value::Array(items) => items.iter().find_map(echo_within),
        Value::Object(object) => object.values().find_map(echo_within),
        _ => None,
    }
}

/// `nullable` marks an echo: data objects with a `type` and a `description` are common.
fn is_schema_echo(value: &Value) -> bool {
    value.as_object().is_some_and(|object| {
        object.contains_key("nullable") && object.keys().all(|key| SCHEMA_KEYS.contains(&key.as_str()))
    })
}

/// `results[3].created_on` as `["results", "3", "created_on"]`; `.` (the root) as none.
fn path_tokens(path: &str) -> Vec<String> {
    path.replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|it| !it.is_empty())
        .map(str::to_owned)
        .collect()
}

/// serde_json's message without its ` at line 1 column 136`, so that one mistake in bodies of
/// different lengths is reported once.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
        _ => message.to_owned(),
    }
}

/// Prints the table of `operations` (operationId and `METHOD /path`, in the harness's order)
/// and every distinct problem, and returns the total.
pub fn print(operations: &[(String, String)], records: &[Record]) -> Tally {
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut problems: BTreeMap<(&str, &str, Option<u16>, &str, &str), Problem> = BTreeMap::new();
    for record in records {
        tallies.entry(&record.operation).or_default().add(&record.kind);
        if record.kind != "ok" {
            let key = (
                record.operation.as_str(),
                record.kind.as_str(),
                record.status,
                &*record.path,
                &*record.detail,
            );
            problems.entry(key).or_insert_with(|| Problem { count: 0, body: record.body.clone() }).count += 1;
        }
    }
    let width = operations.iter().map(|(id, _)| id.len()).max().unwrap_or(9).clamp(9, 60);
    println!(
        "{:<width$} {:>6} {:>6} {:>7} {:>7} {:>9} {:>7}  endpoint",
        "operation", "calls", "ok", "decode", "invalid", "rejected", "failed"
    );
    let mut total = Tally::default();
    for (id, endpoint) in operations {
        let tally = tallies.get(id.as_str()).copied().unwrap_or_default();
        total.sum(tally);
        println!(
            "{id:<width$} {:>6} {:>6} {:>7} {:>7} {:>9} {:>7}  {endpoint}",
            tally.calls, tally.ok, tally.decode, tally.invalid, tally.rejected, tally.failed
        );
    }
    for (kind, heading) in [
        ("decode", "decode errors (a response valid for the document that the client did not decode)"),
        ("invalid", "responses Prism made up that break the document, by its own check (not decode errors)"),
        ("rejected", "statuses other than success (Prism's reasons)"),
        ("failed", "calls that failed otherwise"),
    ] {
        let found: Vec<_> = problems.iter().filter(|((_, it, ..), _)| *it == kind).collect();
        if found.is_empty() {
            continue;
        }
        println!("\n{heading}:");
        for ((operation, _, status, path, detail), problem) in found {
            let endpoint =
                operations.iter().find(|(id, _)| id == operation).map_or("", |(_, it)| it.as_str());
            let status = status.map(|it| format!(" {it}")).unwrap_or_default();
            let at = if path.is_empty() { String::new() } else { format!(" at `{path}`") };
            // Prism's reasons can be whole stack traces; their first line says what happened.
            let detail = detail.lines().next().unwrap_or_default();
            println!("  {operation} ({endpoint}): {}×{status}{at}: {detail}", problem.count);
            if !problem.body.is_empty() {
                println!("    body: {}", snippet(&problem.body));
            }
        }
    }
    total
}

/// How much of a body the report shows.
const SNIPPET_CHARS: usize = 400;

fn snippet(text: &str) -> String {
    let mut cut: String = text.chars().take(SNIPPET_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// The decode errors as JSON lines with their whole bodies, for a look at what was sent.
pub fn decode_errors(records: &[Record]) -> String {
    let mut out = String::new();
    for record in records.iter().filter(|it| it.kind == "decode" || it.kind == "invalid") {
        let line = serde_json::json!({
            "operation": record.operation,
            "kind": record.kind,
            "status": record.status,
            "path": record.path,
            "detail": record.detail,
            "body": record.body,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_tallied_by_kind() {
        let output = [
            r#"{"operation":"a","kind":"ok","status":null,"path":"","detail":"","body":""}"#,
            r#"{"operation":"a","kind":"decode","status":200,"path":"tag","detail":"invalid type: null","body":"{}"}"#,
            r#"{"operation":"b","kind":"rejected","status":422,"path":"","detail":"query: x","body":""}"#,
            r#"{"operation":"b","kind":"failed","status":null,"path":"","detail":"timed out","body":""}"#,
            r#"{"operation":"b","kind":"invalid","status":200,"path":"a","detail":"missing field","body":"{}"}"#,
            "",
        ]
        .join("\n");
        let records = parse(&output).unwrap();
        let operations = [("a".to_owned(), "GET /a".to_owned()), ("b".to_owned(), "GET /b".to_owned())];
        let total = print(&operations, &records);
        assert_eq!(total, Tally { calls: 5, ok: 1, decode: 1, invalid: 1, rejected: 1, failed: 1 });
        assert!(parse("not json").is_err());
    }

    #[test]
    fn prism_says_which_decode_errors_are_its_own() {
        let violation = |at: &str| {
            let location = serde_json::to_string(&at.split('.').collect::<Vec<_>>()).unwrap();
            format!(
                r#"[{{"location":{location},"severity":"Error","message":"must have required property 'name'"}}]"#
            )
        };
        let cases = [
            (violation("response.body.0.parent.parent"), "[0].parent.parent.name", true),
            (violation("response.body.result"), "result", true),
            (violation("response.body"), "data[2]", true),
            (violation("response.body.data.1.kind"), "data[1]", true),
            (violation("response.body.other"), "result", false),
            (violation("request.body.name"), "name", false),
            (String::new(), "name", false),
        ];
        for (violations, path, expected) in cases {
            assert_eq!(response_violation(&violations, path).is_some(), expected, "{violations} at {path}");
        }
    }

    #[test]
    fn pieces_of_schemas_sent_as_values_are_prisms() {
        let cases = [
            (r#"[{"parent":{"parent":{"nullable":true}}}]"#, "[0].parent.parent.name", true),
            (r#"{"key":{"description":"A key","nullable":true}}"#, "key", true),
            (r#"{"key":{"type":"x","name":"n"}}"#, "key.id", false),
            (r#"{"key":{"type":"user","description":"d"}}"#, "key.id", false),
            (r#"{"key":{}}"#, "key.id", false),
            // An untagged union fails at itself, whatever member field held the echo.
            (r#"{"vectors":{"v":{"size":1,"hnsw":{"description":"d","nullable":true}}}}"#, "vectors", true),
            (r#"{"vectors":{"v":{"size":1,"hnsw":null}}}"#, "vectors", false),
            ("not json", "key", false),
        ];
        for (body, path, expected) in cases {
            assert_eq!(schema_echo(body, path).is_some(), expected, "{body} at {path}");
        }
    }

    #[test]
    fn prism_reasons_come_from_its_problem_or_its_header() {
        let problem = r#"{"title":"Invalid request","detail":"x","validation":[{"location":["query"],"message":"must have 'page'"}]}"#;
        let header =
            r#"[{"location":["request","path","id"],"severity":"Error","message":"must match pattern"}]"#;
        let cases = [
            (problem, "", "query: must have 'page'"),
            (r#"{"errors":[]}"#, header, "request.path.id: must match pattern"),
            (r#"{"title":"No response defined","detail":""}"#, "", "No response defined: "),
            ("not json", "", ""),
        ];
        for (body, violations, expected) in cases {
            assert_eq!(prism_reasons(body, violations), expected, "{body}");
        }
        assert_eq!(without_position("missing field `a` at line 1 column 42"), "missing field `a`");
    }
}
