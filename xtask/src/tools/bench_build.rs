//! `cargo xtask bench-build`: what the generated code costs its users to compile. For each
//! document it writes the client crate into a scratch workspace (`target/bench-build/`, one
//! target folder shared by all, so dependencies are built once) and times `cargo check` of that
//! crate alone: clean (after `cargo clean -p` of just that crate) and incremental (after a
//! one-line change to the document: the first operation's summary, alternately edited and
//! restored). With `--progenitor`, the same is done for `cargo progenitor` output, taking turns
//! with ours run by run, and documents it refuses are listed with its reason.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::pipeline::merge::parse_fragment;
use crate::root::workspace_root;
use crate::tools::generate::{CrateOptions, Runtime, crate_name, render_crate, write_crate};

/// The documents measured by default: the seed client's merged document and the largest corpus
/// documents.
const DEFAULT_SPECS: [&str; 4] = [
    "generated-client/openapi.json",
    "../shared/corpus/stripe.yaml",
    "../shared/corpus/github-api.json",
    "../shared/corpus/cloudflare.json",
];

/// Which generator wrote a crate.
#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Ours,
    Progenitor,
}

/// One generated crate being measured.
struct Subject {
    document: String,
    tool: Tool,
    name: String,
    dir: PathBuf,
    /// The document as JSON, and the same with the one-line change.
    variants: [Value; 2],
    lines: usize,
}

/// Runs the measurement; `specs` empty means the defaults (or, with `progenitor`, every corpus
/// document, so its refusals are listed).
pub fn run(specs: &[PathBuf], progenitor: bool, runs: usize) -> Result<()> {
    let root = workspace_root();
    let scratch = root.join("target/bench-build");
    let specs: Vec<PathBuf> = match (specs.is_empty(), progenitor) {
        (false, _) => specs.to_vec(),
        (true, false) => DEFAULT_SPECS.iter().map(|it| root.join(it)).collect(),
        (true, true) => crate::tools::corpus::documents(&root.join("../shared/corpus"))?,
    };
    fs::create_dir_all(scratch.join("specs"))?;
    let mut subjects = Vec::new();
    let mut refused = Vec::new();
    for spec in &specs {
        let text = fs::read_to_string(spec).with_context(|| format!("reading {}", spec.display()))?;
        let document = match parse_fragment(&spec.display().to_string(), &text) {
            Ok(document) => document,
            Err(error) => bail!("{error}"),
        };
        let stem = crate_name(spec).trim_end_matches("-client").to_owned();
        let label = if spec.ends_with("generated-client/openapi.json") { "seed".to_owned() } else { stem };
        let variants = [document.clone(), edited(document)];
        let mut pair = vec![Tool::Ours];
        if progenitor {
            pair.push(Tool::Progenitor);
        }
        for tool in pair {
            let name = match tool {
                Tool::Ours => format!("{label}-ours"),
                Tool::Progenitor => format!("{label}-progenitor"),
            };
            let subject = Subject {
                document: label.clone(),
                tool,
                dir: scratch.join(&name),
                name,
                variants: variants.clone(),
                lines: 0,
            };
            match generate(&scratch, &subject, 0) {
                Ok(lines) => subjects.push(Subject { lines, ..subject }),
                Err(reason) if tool == Tool::Progenitor => refused.push((label.clone(), reason)),
                Err(reason) => bail!("{label}: {reason}"),
            }
        }
        if progenitor && !subjects.iter().any(|it| it.document == label && it.tool == Tool::Progenitor) {
            subjects.retain(|it| it.document != label);
        }
    }
    write_workspace(&scratch, &subjects)?;
    if !subjects.is_empty() {
        eprintln!("bench-build: building dependencies in {}", scratch.display());
        cargo_check(&scratch, None)?;
    }

    println!("{:<28} {:>8} {:>6} {:>12} {:>12}", "crate", "lines", "runs", "clean ms", "one-line ms");
    // The crates of one document (ours and progenitor's) take turns run by run, so that the
    // machine's drift over minutes does not favour whichever was measured first.
    for group in subjects.chunk_by(|a, b| a.document == b.document) {
        let mut clean = vec![Vec::new(); group.len()];
        let mut incremental = vec![Vec::new(); group.len()];
        for run in 0..runs {
            for (index, subject) in group.iter().enumerate() {
                clean_crate(&scratch, &subject.name)?;
                clean[index].push(cargo_check(&scratch, Some(&subject.name))?);
                // Edit on even runs, restore on odd ones; each check follows one change.
                generate(&scratch, subject, 1 - run % 2).map_err(anyhow::Error::msg)?;
                incremental[index].push(cargo_check(&scratch, Some(&subject.name))?);
            }
        }
        for (index, subject) in group.iter().enumerate() {
            generate(&scratch, subject, 0).map_err(anyhow::Error::msg)?;
            println!(
                "{:<28} {:>8} {:>6} {:>12.0} {:>12.0}",
                subject.name,
                subject.lines,
                runs,
                median_millis(&mut clean[index]),
                median_millis(&mut incremental[index])
            );
        }
    }
    for (document, reason) in &refused {
        println!("progenitor refuses {document}: {reason}");
    }
    Ok(())
}

/// The document with its first operation's summary changed: one line of the spec.
fn edited(mut document: Value) -> Value {
    let operation = document.get_mut("paths").and_then(Value::as_object_mut).and_then(|paths| {
        paths.values_mut().find_map(|item| item.as_object_mut()?.values_mut().find(|it| it.is_object()))
    });
    if let Some(Value::Object(operation)) = operation {
        let summary = operation.get("summary").and_then(Value::as_str).unwrap_or("").to_owned();
        operation.insert("summary".to_owned(), Value::String(format!("{summary} (edited)")));
    }
    document
}

/// Writes variant `which` of the subject's crate; returns its generated Rust lines, or why the
/// tool refused the document.
fn generate(scratch: &Path, subject: &Subject, which: usize) -> Result<usize, String> {
    let spec = scratch.join("specs").join(format!("{}-{which}.json", subject.name));
    let text =
        serde_json::to_string_pretty(&subject.variants[which]).expect("a JSON value always serializes");
    fs::write(&spec, text).map_err(|it| it.to_string())?;
    match subject.tool {
        Tool::Ours => {
            let runtime = match Runtime::within_repository(&subject.dir) {
                Ok(Some(runtime)) => runtime,
                Ok(None) => return Err(format!("{} is outside the repository", subject.dir.display())),
                Err(error) => return Err(format!("{error:#}")),
            };
            let rendered = render_crate(&spec, &subject.name, &CrateOptions::member(runtime));
            let client = match rendered.map_err(|it| format!("{it:#}"))? {
                Ok(client) => client,
                Err(diagnostics) => return Err(format!("{:?}", diagnostics.first())),
            };
            write_crate(&subject.dir, &client).map_err(|it| format!("{it:#}"))?;
            Ok(client.generated_lines())
        }
        Tool::Progenitor => {
            let output = Command::new("cargo-progenitor")
                .arg("progenitor")
                .arg("-i")
                .arg(&spec)
                .arg("-o")
                .arg(&subject.dir)
                .args(["-n", &subject.name, "-v", "0.1.0"])
                .output()
                .map_err(|it| format!("running cargo-progenitor (cargo install cargo-progenitor --version 0.15.1 --locked): {it}"))?;
            if !output.status.success() {
                // Its reasons go to stdout (`gen fail: ...`) and stderr (panics, `Error: ...`).
                let stderr =
                    String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
                let reason = stderr
                    .lines()
                    .find(|line| {
                        line.contains("panicked") || line.starts_with("Error") || line.starts_with("gen fail")
                    })
                    .map(|line| {
                        // A panic names its location; the message is on the next line.
                        let next = stderr.lines().skip_while(|it| *it != line).nth(1).unwrap_or("");
                        if line.contains("panicked") { next.to_owned() } else { line.to_owned() }
                    })
                    .unwrap_or_else(|| "failed".to_owned());
                return Err(reason.chars().take(120).collect());
            }
            let lib = fs::read_to_string(subject.dir.join("src/lib.rs")).map_err(|it| it.to_string())?;
            Ok(lib.lines().count())
        }
    }
}

/// The scratch workspace, with this workspace's lock file so our crates build against the same
/// dependency versions (progenitor's extra dependencies are resolved on the first run).
fn write_workspace(scratch: &Path, subjects: &[Subject]) -> Result<()> {
    let members: Vec<String> = subjects.iter().map(|it| format!("    \"{}\",\n", it.name)).collect();
    let manifest = format!(
        "# @generated by cargo xtask bench-build.\n[workspace]\nresolver = \"3\"\nmembers = [\n{}]\n",
        members.concat()
    );
    fs::write(scratch.join("Cargo.toml"), manifest)?;
    let lock = workspace_root().join("Cargo.lock");
    if !scratch.join("Cargo.lock").exists() {
        fs::copy(&lock, scratch.join("Cargo.lock")).context("copying Cargo.lock")?;
    }
    Ok(())
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.env_remove("RUSTFLAGS");
    command
}

/// `cargo check` of one member (or all of them), timed; fails when the check fails.
fn cargo_check(scratch: &Path, package: Option<&str>) -> Result<Duration> {
    let mut command = cargo();
    command.args(["check", "--quiet"]).current_dir(scratch).env("CARGO_TARGET_DIR", scratch.join("target"));
    match package {
        Some(name) => command.args(["-p", name]),
        None => command.arg("--workspace"),
    };
    let started = Instant::now();
    let status = command.status().context("running cargo check")?;
    let elapsed = started.elapsed();
    if !status.success() {
        bail!("cargo check {} failed", package.unwrap_or("--workspace"));
    }
    Ok(elapsed)
}

/// Removes one member's build artifacts and its incremental state, nothing else.
fn clean_crate(scratch: &Path, name: &str) -> Result<()> {
    let incremental = scratch.join("target/debug/incremental");
    let prefix = format!("{}-", name.replace('-', "_"));
    for entry in fs::read_dir(&incremental).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            fs::remove_dir_all(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    let status = cargo()
        .args(["clean", "--quiet", "-p", name])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .status()
        .context("running cargo clean")?;
    if !status.success() {
        bail!("cargo clean -p {name} failed");
    }
    Ok(())
}

fn median_millis(samples: &mut [Duration]) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}
