//! `cargo xtask corpus [DIR]`: generates a client crate for every OpenAPI document in a folder,
//! `cargo check`s them all in one scratch workspace sharing one target directory, and prints a
//! table of what each produced and whether it compiles without warnings.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use generator::diagnostic::Diagnostic;

use crate::pipeline::fragment::locate_errors;
use crate::pipeline::merge::parse_fragment;
use crate::pipeline::{Generated, Strictness, generate_document};
use crate::tools::generate::{CrateOptions, Runtime, crate_name, in_document, render_crate, write_crate};
use crate::tools::scratch;

/// One document's row of the table.
struct Row {
    document: String,
    crate_name: String,
    /// `Err` holds the first diagnostic when the generator rejected the document.
    outcome: std::result::Result<Summary, String>,
    compile: Option<Compile>,
    /// rustdoc's findings, when asked for.
    docs: Option<Compile>,
}

struct Summary {
    operations: usize,
    types: usize,
    warnings: usize,
    lines: usize,
    millis: f64,
}

#[derive(Default)]
struct Compile {
    errors: usize,
    warnings: usize,
    /// The first few rendered messages, for the report.
    samples: Vec<String>,
}

/// The documents of `dir`: every `.json`, `.yaml` and `.yml` file, sorted. A folder that does
/// not exist or holds no document is an error, so that a mistyped or missing corpus can never
/// pass as a clean run.
pub fn documents(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        bail!(
            "the corpus folder {} does not exist; give a folder of OpenAPI documents: cargo xtask corpus DIR",
            dir.display()
        );
    }
    let mut documents = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let extension = path.extension().map(|it| it.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_file() && ["json", "yaml", "yml"].contains(&extension.as_str()) {
            documents.push(path);
        }
    }
    if documents.is_empty() {
        bail!("{} holds no OpenAPI document (.json, .yaml or .yml)", dir.display());
    }
    documents.sort();
    Ok(documents)
}

/// Runs only the generator on every document of `dir`, without writing or compiling anything:
/// the quick check that no document makes it panic. Prints one line per document that did not
/// generate and a summary; returns whether all of them generated.
pub fn generate_only(dir: &Path) -> Result<bool> {
    let documents = documents(dir)?;
    let mut failures = 0;
    for document in &documents {
        let started = Instant::now();
        // A panic is a bug in the generator; it is reported with the document and the run
        // goes on, so one bug does not hide the others.
        let outcome = std::panic::catch_unwind(|| generate_document_file(document));
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let problem = match outcome {
            Ok(Ok(Ok(_))) => None,
            Ok(Ok(Err(diagnostics))) => {
                let errors: Vec<String> =
                    diagnostics.iter().filter(|it| it.is_error()).map(ToString::to_string).collect();
                Some(format!("rejected:\n    {}", errors.join("\n    ")))
            }
            Ok(Err(error)) => Some(format!("{error:#}")),
            Err(_) => Some("the generator panicked (its message is above)".to_owned()),
        };
        match problem {
            None => println!("{:<40} generated in {millis:>8.1} ms", file_name(document)),
            Some(problem) => {
                failures += 1;
                println!("{:<40} {problem}", file_name(document));
            }
        }
    }
    println!("corpus: {}/{} generate", documents.len() - failures, documents.len());
    Ok(failures == 0)
}

/// Reads `path` and runs the pipeline on it as `cargo xtask generate` would, writing nothing.
fn generate_document_file(path: &Path) -> Result<Result<Generated, Vec<Diagnostic>>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let file = path.display().to_string();
    let generated = parse_fragment(&file, &text).map_err(|it| vec![it]).and_then(|document| {
        generate_document(document, Strictness::Lenient, &generator::Options::default())
    });
    Ok(generated.map_err(|mut diagnostics| {
        in_document(&file, &mut diagnostics);
        locate_errors(&mut diagnostics, |_| Some(text.clone()));
        diagnostics
    }))
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap_or_default().to_string_lossy().into_owned()
}

/// Runs the whole corpus; `docs` adds a `cargo doc` of every crate and counts rustdoc
/// warnings. Returns whether every document compiled (and documented) without warnings.
pub fn run(dir: &Path, scratch: &Path, docs: bool) -> Result<bool> {
    fs::create_dir_all(scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let mut rows = Vec::new();
    for document in documents(dir)? {
        let name = crate_name(&document);
        let started = Instant::now();
        let crate_dir = scratch.join(&name);
        let runtime = Runtime::within_repository(&crate_dir)?
            .with_context(|| format!("{} is outside the repository", crate_dir.display()))?;
        let rendered = render_crate(&document, &name, &CrateOptions::member(runtime))?;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let outcome = match rendered {
            Ok(client) => {
                let lines = client.generated_lines();
                let api = &client.generated.output.api;
                let generated = Summary {
                    operations: api.operations.len(),
                    types: api.types.len(),
                    warnings: client.generated.warnings.len(),
                    lines,
                    millis,
                };
                write_crate(&crate_dir, &client)?;
                Ok(generated)
            }
            Err(diagnostics) => {
                let first = diagnostics.iter().find(|it| it.is_error()).or(diagnostics.first());
                Err(first.map(ToString::to_string).unwrap_or_else(|| "rejected".to_owned()))
            }
        };
        let document = file_name(&document);
        rows.push(Row { document, crate_name: name, outcome, compile: None, docs: None });
    }

    let members: Vec<&str> =
        rows.iter().filter(|it| it.outcome.is_ok()).map(|it| it.crate_name.as_str()).collect();
    scratch::write_workspace(scratch, "corpus", &members)?;
    let mut compiles = cargo_messages(scratch, "check")?;
    let mut documented = if docs { Some(cargo_messages(scratch, "doc")?) } else { None };
    for row in &mut rows {
        if row.outcome.is_ok() {
            row.compile = Some(compiles.remove(&row.crate_name).unwrap_or_default());
            row.docs = documented.as_mut().map(|it| it.remove(&row.crate_name).unwrap_or_default());
        }
    }
    print_table(&rows);
    let clean = |it: &Compile| it.errors == 0 && it.warnings == 0;
    Ok(rows.iter().all(|row| row.compile.as_ref().is_some_and(clean) && row.docs.as_ref().is_none_or(clean)))
}

/// `cargo check` or `cargo doc` of the scratch workspace, counting errors and warnings per crate.
fn cargo_messages(scratch: &Path, command: &str) -> Result<BTreeMap<String, Compile>> {
    eprintln!("corpus: cargo {command} of {} (this takes a while the first time)", scratch.display());
    // Every feature, so the mocks (`mock`) and the tracing span (`tracing`) are checked too.
    let mut args =
        vec![command, "--workspace", "--all-features", "--keep-going", "--message-format=json", "--quiet"];
    if command == "doc" {
        args.push("--no-deps");
    }
    let output =
        scratch::cargo(scratch).args(&args).output().with_context(|| format!("running cargo {command}"))?;
    let mut compiles: BTreeMap<String, Compile> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let Some(manifest) = message["manifest_path"].as_str() else { continue };
        let Some(name) = Path::new(manifest).parent().and_then(Path::file_name) else { continue };
        let entry = compiles.entry(name.to_string_lossy().into_owned()).or_default();
        match message["message"]["level"].as_str() {
            Some("error") => entry.errors += 1,
            Some("warning") => entry.warnings += 1,
            _ => continue,
        }
        if entry.samples.len() < 3 {
            let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
            entry.samples.push(rendered.lines().take(6).collect::<Vec<_>>().join("\n"));
        }
    }
    Ok(compiles)
}

fn print_table(rows: &[Row]) {
    let docs = rows.iter().any(|it| it.docs.is_some());
    println!(
        "{:<32} {:>6} {:>6} {:>8} {:>8} {:>9} {:>8} {:>14}{}",
        "document",
        "ops",
        "types",
        "warnings",
        "lines",
        "gen ms",
        "compiles",
        "rustc warnings",
        if docs { "   doc warnings" } else { "" }
    );
    let mut compiling = 0;
    for row in rows {
        let Some((generated, compile)) = row.outcome.as_ref().ok().zip(row.compile.as_ref()) else {
            println!(
                "{:<32} {:>6} {:>6} {:>8} {:>8} {:>9} {:>8} {:>14}",
                row.document, "-", "-", "-", "-", "-", "no", "-"
            );
            if let Err(reason) = &row.outcome {
                println!("    rejected: {reason}");
            }
            continue;
        };
        let compiles = compile.errors == 0;
        compiling += usize::from(compiles);
        let doc_warnings = row.docs.as_ref().map(|it| format!(" {:>14}", it.warnings)).unwrap_or_default();
        println!(
            "{:<32} {:>6} {:>6} {:>8} {:>8} {:>9.1} {:>8} {:>14}{doc_warnings}",
            row.document,
            generated.operations,
            generated.types,
            generated.warnings,
            generated.lines,
            generated.millis,
            if compiles { "yes" } else { "no" },
            compile.warnings
        );
    }
    for row in rows {
        for (what, found) in [("cargo check", &row.compile), ("cargo doc", &row.docs)] {
            if let Some(found) = found.as_ref().filter(|it| it.errors + it.warnings > 0) {
                println!(
                    "\n{} ({what}): {} error(s), {} warning(s)",
                    row.document, found.errors, found.warnings
                );
                for sample in &found.samples {
                    println!("{sample}");
                }
            }
        }
    }
    println!("corpus: {compiling}/{} compile", rows.len());
}
