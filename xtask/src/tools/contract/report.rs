//! Tallies and prints what the harness reported, one JSON line per call: per operation, the
//! distinct problems with a sample body (whole bodies of decode errors go to a file beside the
//! harness), and the total line `contract: D decode errors in C calls`.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Deserialize;

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
}

/// Counts of calls by what became of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub calls: usize,
    pub ok: usize,
    pub decode: usize,
    pub rejected: usize,
    pub failed: usize,
}

impl Tally {
    fn add(&mut self, kind: &str) {
        self.calls += 1;
        match kind {
            "ok" => self.ok += 1,
            "decode" => self.decode += 1,
            "rejected" => self.rejected += 1,
            _ => self.failed += 1,
        }
    }

    pub fn sum(&mut self, other: Tally) {
        self.calls += other.calls;
        self.ok += other.ok;
        self.decode += other.decode;
        self.rejected += other.rejected;
        self.failed += other.failed;
    }
}

/// One distinct problem of an operation: how often it came up, and the first body with it.
struct Problem {
    count: usize,
    body: String,
}

/// Parses the harness's output lines.
pub fn parse(output: &str) -> Result<Vec<Record>> {
    output
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            serde_json::from_str(line).with_context(|| format!("reading the harness's line {line:?}"))
        })
        .collect()
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
        "{:<width$} {:>6} {:>6} {:>7} {:>9} {:>7}  endpoint",
        "operation", "calls", "ok", "decode", "rejected", "failed"
    );
    let mut total = Tally::default();
    for (id, endpoint) in operations {
        let tally = tallies.get(id.as_str()).copied().unwrap_or_default();
        total.sum(tally);
        println!(
            "{id:<width$} {:>6} {:>6} {:>7} {:>9} {:>7}  {endpoint}",
            tally.calls, tally.ok, tally.decode, tally.rejected, tally.failed
        );
    }
    for (kind, heading) in [
        ("decode", "decode errors (a response valid for the document that the client did not decode)"),
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
    for record in records.iter().filter(|it| it.kind == "decode") {
        let line = serde_json::json!({
            "operation": record.operation,
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
            "",
        ]
        .join("\n");
        let records = parse(&output).unwrap();
        let operations = [("a".to_owned(), "GET /a".to_owned()), ("b".to_owned(), "GET /b".to_owned())];
        let total = print(&operations, &records);
        assert_eq!(total, Tally { calls: 4, ok: 1, decode: 1, rejected: 1, failed: 1 });
        assert!(parse("not json").is_err());
    }
}
