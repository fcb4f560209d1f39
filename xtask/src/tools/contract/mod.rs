//! `cargo xtask contract DOC... [--calls N]`: does the client of a document decode what a server
//! following the document sends?
//!
//! For each document: generate its client into `target/contract/<name>-client`, write a
//! harness crate beside it that calls every operation with example arguments made up from the
//! schemas (`harness.rs`, `values.rs`), and build all harnesses in one `cargo build` of the
//! scratch workspace. Then, one document at a time, start the pinned Prism with `mock -d` on a
//! free loopback port (`prism.rs`), serving the document as the client was generated from it
//! (after lint and the 3.1 conversion; without examples, which Prism ignores in this mode), so
//! every response is a made-up, schema-valid body; run the harness N rounds; stop Prism; and
//! print per operation what became of the calls (`report.rs`): decoded, a decode error (the
//! serde path and a body snippet), a body that did not decode but that Prism itself reports as
//! breaking the document (its generator's slips on recursive and combined schemas: counted
//! apart, not as decode errors), a status other than success (Prism's reasons for rejecting
//! the request), or another failure.

mod harness;
mod prism;
mod report;
mod values;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::root::workspace_root;
use crate::tools::generate::{CrateOptions, Runtime, crate_name, render_crate, write_crate};
use crate::tools::scratch;
use prism::{Prism, StartError};
use report::Tally;

/// The document Prism serves, in the harness's folder (see [`prism::served_document`]).
const SERVED: &str = "prism.json";

/// How a document fared, for the summary.
enum Verdict {
    Tallied(Tally),
    NotGenerated,
    NotBuilt,
    PrismCannotLoad,
    HarnessFailed,
}

/// A document whose client and harness were written.
struct Prepared {
    document: PathBuf,
    client_crate: String,
    harness_crate: String,
    /// Each operation's id and `METHOD /path`, in the harness's order.
    operations: Vec<(String, String)>,
}

/// Runs the contract check of every document with `rounds` calls per operation. Returns
/// whether every document Prism could load was checked and no response failed to decode.
pub fn run(documents: &[PathBuf], rounds: usize) -> Result<bool> {
    let started = Instant::now();
    let scratch = workspace_root().join("target/contract");
    fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let prism_bin = prism::install()?;

    let mut verdicts: Vec<(String, Verdict)> = Vec::new();
    let mut prepared = Vec::new();
    for document in documents {
        match prepare(&scratch, document)? {
            Some(it) => prepared.push(it),
            None => verdicts.push((file_name(document), Verdict::NotGenerated)),
        }
    }
    build(&scratch, &prepared)?;
    eprintln!("contract: generated and built in {:.0} s", started.elapsed().as_secs_f64());

    for it in &prepared {
        let verdict = check(&scratch, &prism_bin, it, rounds)?;
        verdicts.push((file_name(&it.document), verdict));
    }
    if verdicts.len() > 1 {
        print_summary(&verdicts);
    }
    let mut total = Tally::default();
    for (_, verdict) in &verdicts {
        if let Verdict::Tallied(tally) = verdict {
            total.sum(*tally);
        }
    }
    eprintln!("contract: {:.0} s in all", started.elapsed().as_secs_f64());
    println!("contract: {} decode errors in {} calls", total.decode, total.calls);
    // A document Prism cannot load is the document's problem (or Prism's), not the client's:
    // it is reported and does not fail the run. Anything that kept a client from being
    // checked otherwise is ours, and does.
    let checked = verdicts.iter().all(|(_, it)| matches!(it, Verdict::Tallied(_) | Verdict::PrismCannotLoad));
    Ok(total.decode == 0 && checked)
}

/// Generates the client of `document` and writes its harness; `None` when the generator
/// rejects the document (its diagnostics are printed).
fn prepare(scratch: &Path, document: &Path) -> Result<Option<Prepared>> {
    let client_crate = crate_name(document);
    let harness_crate = format!("{}-contract", client_crate.trim_end_matches("-client"));
    let client_dir = scratch.join(&client_crate);
    let runtime = Runtime::within_repository(&client_dir)?
        .with_context(|| format!("{} is outside the repository", client_dir.display()))?;
    let client = match render_crate(document, &client_crate, &CrateOptions::member(runtime))? {
        Ok(client) => client,
        Err(diagnostics) => {
            for diagnostic in diagnostics.iter().filter(|it| it.is_error()) {
                eprintln!("{diagnostic}");
            }
            eprintln!("contract: {} does not generate", document.display());
            return Ok(None);
        }
    };
    write_crate(&client_dir, &client)?;
    let text =
        fs::read_to_string(client_dir.join("openapi.json")).context("reading the generated openapi.json")?;
    let json: serde_json::Value =
        serde_json::from_str(&text).context("reading the generated openapi.json")?;
    let api = &client.generated.output.api;
    let mut files = harness::files(&harness_crate, &client_crate, api, &json)?;
    let served =
        serde_json::to_string_pretty(&prism::served_document(&json)).expect("JSON always serializes");
    files.push((SERVED.to_owned(), served));
    let harness_dir = scratch.join(&harness_crate);
    for (path, contents) in files {
        let target = harness_dir.join(path);
        fs::create_dir_all(target.parent().expect("harness files live in folders"))?;
        fs::write(&target, contents).with_context(|| format!("writing {}", target.display()))?;
    }
    let operations =
        api.operations.iter().map(|it| (it.id.clone(), format!("{} {}", it.http_method, it.path))).collect();
    Ok(Some(Prepared { document: document.to_owned(), client_crate, harness_crate, operations }))
}

/// Builds every harness in one `cargo build` of the scratch workspace. A harness that does not
/// build leaves no binary, which `check` reports.
fn build(scratch: &Path, prepared: &[Prepared]) -> Result<()> {
    let mut members = Vec::new();
    for it in prepared {
        members.extend([it.client_crate.as_str(), it.harness_crate.as_str()]);
        let _ = fs::remove_file(binary(it));
    }
    scratch::write_workspace(scratch, "contract", &members)?;
    if prepared.is_empty() {
        return Ok(());
    }
    let mut command = scratch::cargo(scratch);
    command.args(["build", "--quiet", "--keep-going"]);
    for it in prepared {
        command.args(["--package", &it.harness_crate]);
    }
    eprintln!("contract: cargo build of {} harness(es) in {}", prepared.len(), scratch.display());
    let status = command.status().context("running cargo build")?;
    if !status.success() {
        eprintln!(
            "contract: cargo build failed ({status}); the documents without a harness are reported below"
        );
    }
    Ok(())
}

fn binary(prepared: &Prepared) -> PathBuf {
    scratch::target_dir().join("debug").join(&prepared.harness_crate)
}

/// Serves one document with Prism and runs its harness against it.
fn check(scratch: &Path, prism_bin: &Path, prepared: &Prepared, rounds: usize) -> Result<Verdict> {
    let name = file_name(&prepared.document);
    let binary = binary(prepared);
    if !binary.exists() {
        println!("\ncontract: {name}: the harness did not build (see cargo's errors above)");
        return Ok(Verdict::NotBuilt);
    }
    let started = Instant::now();
    let served = scratch.join(&prepared.harness_crate).join(SERVED);
    let log = scratch.join(&prepared.harness_crate).join("prism.log");
    let mut prism = match Prism::start(prism_bin, &served, &log) {
        Ok(prism) => prism,
        Err(StartError::CannotLoad(reason)) => {
            println!("\ncontract: {name}: Prism cannot load the document: {reason}");
            return Ok(Verdict::PrismCannotLoad);
        }
        Err(StartError::Other(error)) => return Err(error),
    };
    println!(
        "\ncontract: {name}: {} operations, {rounds} calls each, against Prism {} at {} (started in {:.0} s)",
        prepared.operations.len(),
        prism::PRISM_VERSION,
        prism.base_url(),
        started.elapsed().as_secs_f64()
    );
    let output = Command::new(&binary)
        .args([prism.base_url(), rounds.to_string()])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    let records = report::parse(&String::from_utf8_lossy(&output.stdout));
    if !output.status.success() || records.is_err() {
        println!(
            "contract: {name}: the harness failed ({}); Prism's log ends:\n{}",
            output.status,
            prism.log_tail()
        );
        return Ok(Verdict::HarnessFailed);
    }
    let stopped = prism.stopped();
    drop(prism);
    let records = records?;
    let errors_file = scratch.join(&prepared.harness_crate).join("decode-errors.jsonl");
    fs::write(&errors_file, report::decode_errors(&records))
        .with_context(|| format!("writing {}", errors_file.display()))?;
    let total = report::print(&prepared.operations, &records);
    if total.decode + total.invalid > 0 {
        println!("contract: {name}: the whole bodies are in {}", errors_file.display());
    }
    if let Some(reason) = stopped {
        println!("contract: {name}: the calls after this failed: {reason}");
    }
    println!(
        "contract: {name}: {} decode errors in {} calls ({} ok, {} invalid responses, {} rejected, {} failed), {:.0} s",
        total.decode,
        total.calls,
        total.ok,
        total.invalid,
        total.rejected,
        total.failed,
        started.elapsed().as_secs_f64()
    );
    Ok(Verdict::Tallied(total))
}

fn print_summary(verdicts: &[(String, Verdict)]) {
    println!(
        "\n{:<34} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7}",
        "document", "calls", "ok", "decode", "invalid", "rejected", "failed"
    );
    for (document, verdict) in verdicts {
        let note = match verdict {
            Verdict::Tallied(tally) => {
                println!(
                    "{document:<34} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7}",
                    tally.calls, tally.ok, tally.decode, tally.invalid, tally.rejected, tally.failed
                );
                continue;
            }
            Verdict::NotGenerated => "the generator rejects it",
            Verdict::NotBuilt => "the harness does not build",
            Verdict::PrismCannotLoad => "Prism cannot load it",
            Verdict::HarnessFailed => "the harness failed",
        };
        println!("{document:<34} {note}");
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap_or_default().to_string_lossy().into_owned()
}
