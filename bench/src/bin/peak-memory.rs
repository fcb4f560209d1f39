//! `cargo run --release -p bench --bin peak-memory [SPEC...]`: runs the whole `generate`
//! pipeline (read, lint, lower, emit, format, write a crate into `target/bench/peak/`) once per
//! document, each in a fresh child process, and prints its wall time and peak resident memory
//! (`VmHWM`) against the input size. Without arguments: the largest corpus documents, then the
//! merge of the split fragment set (`target/bench/split`, made by the generation benchmark).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use bench::{LARGEST, corpus_dir, peak_memory, scratch_dir};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, target] = args.as_slice()
        && flag.starts_with("--")
    {
        return match flag.as_str() {
            "--one" => one(Path::new(target)),
            "--merge" => merge(Path::new(target)),
            _ => bail!("unknown flag {flag}"),
        };
    }
    let mut runs: Vec<(&str, PathBuf)> = if args.is_empty() {
        LARGEST.iter().map(|it| ("--one", corpus_dir().join(it))).collect()
    } else {
        args.iter().map(|it| ("--one", PathBuf::from(it))).collect()
    };
    if args.is_empty() && scratch_dir("split").join("specs").is_dir() {
        runs.push(("--merge", scratch_dir("split")));
    }
    println!("{:<28} {:>9} {:>9} {:>10} {:>8}", "input", "input MB", "wall ms", "peak MB", "peak/in");
    for (flag, target) in runs {
        let status = Command::new(std::env::current_exe()?).arg(flag).arg(&target).status()?;
        if !status.success() {
            bail!("{} failed", target.display());
        }
    }
    Ok(())
}

fn one(spec: &Path) -> Result<()> {
    let input = std::fs::metadata(spec).with_context(|| format!("reading {}", spec.display()))?.len();
    let name = xtask::tools::generate::crate_name(spec);
    let started = Instant::now();
    let client = match xtask::tools::generate::render_crate(spec, &name, &options())? {
        Ok(client) => client,
        Err(diagnostics) => bail!("{} does not generate: {:?}", spec.display(), diagnostics.first()),
    };
    xtask::tools::generate::write_crate(&scratch_dir("peak").join(&name), &client)?;
    report(&spec.file_name().unwrap().to_string_lossy(), input, started);
    Ok(())
}

fn merge(root: &Path) -> Result<()> {
    let specs = root.join("specs");
    let input = folder_size(&specs);
    let started = Instant::now();
    let Ok(fragments) = xtask::pipeline::fragment::read_fragments(root, &specs)? else {
        bail!("fragments do not parse")
    };
    let Ok(merged) = xtask::pipeline::merge::merge(&fragments) else { bail!("fragments do not merge") };
    std::hint::black_box(merged);
    report(&format!("{} fragments: read+merge", fragments.len()), input, started);
    Ok(())
}

/// A crate of its own under `target/bench/peak/`, four folders below the workspace root.
fn options() -> xtask::tools::generate::CrateOptions {
    use xtask::tools::generate::{CrateOptions, Runtime};
    CrateOptions { standalone: true, ..CrateOptions::member(Runtime::Path("../../../../runtime".into())) }
}

fn report(label: &str, input: u64, started: Instant) {
    let millis = started.elapsed().as_secs_f64() * 1e3;
    let peak = peak_memory().unwrap_or(0);
    println!(
        "{label:<28} {:>9.1} {millis:>9.0} {:>10.1} {:>7.1}x",
        input as f64 / 1e6,
        peak as f64 / 1e6,
        peak as f64 / input as f64
    );
}

fn folder_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        total += if path.is_dir() { folder_size(&path) } else { entry.metadata().map_or(0, |it| it.len()) };
    }
    total
}
