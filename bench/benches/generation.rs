//! Generation benchmarks: the whole pipeline, and reading, merging and writing, on the seed
//! (`specs/`), the largest corpus documents, and a corpus document split into one fragment per
//! operation. `cargo bench -p bench --bench generation` runs them all and ends with a table of
//! medians, MB/s and operations/s; `-- stripe` (any criterion filter) runs a subset.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bench::{LARGEST, SPLIT_SOURCE, corpus_dir, count_operations, read, scratch_dir, split, workspace_root};
use criterion::{BatchSize, BenchmarkGroup, Criterion, Throughput, measurement::WallTime};
use serde_json::Value;
use xtask::pipeline::codegen;
use xtask::pipeline::fragment::{read_fragments, read_overlays};
use xtask::pipeline::merge::merge;
use xtask::tools::generate::{CrateOptions, Runtime, crate_name, render_crate, write_crate};

/// One measured benchmark, for the closing table.
struct Row {
    group: String,
    name: &'static str,
    bytes: u64,
    operations: u64,
}

fn main() {
    let output = workspace_root().join("target/criterion");
    let mut criterion = Criterion::default().output_directory(&output).configure_from_args();
    let mut rows = Vec::new();
    seed(&mut criterion, &mut rows);
    for name in LARGEST {
        document(&mut criterion, &corpus_dir().join(name), &mut rows);
    }
    fragments(&mut criterion, &mut rows);
    criterion.final_summary();
    print_table(&output, &rows);
}

/// Settings for inputs whose iterations take a large part of a second.
fn large(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
}

/// The checked-in `specs/`: what `cargo xtask codegen` and `--check` do, stage by stage.
fn seed(criterion: &mut Criterion, rows: &mut Vec<Row>) {
    let root = workspace_root();
    let specs = root.join("specs");
    let bytes = folder_size(&specs);
    let fragments = read_fragments(&root, &specs).unwrap().unwrap();
    let document = merge(&fragments).unwrap().document;
    let operations = count_operations(&document) as u64;
    let rendered = codegen::render(&root).unwrap().unwrap();
    let out = scratch_dir("seed-write");

    let mut group = criterion.benchmark_group("seed");
    group.throughput(Throughput::Bytes(bytes));
    let mut bench = |name: &'static str| {
        rows.push(Row { group: "seed".to_owned(), name, bytes, operations });
        name
    };
    group.bench_function(bench("read_parse"), |b| {
        b.iter(|| (read_fragments(&root, &specs).unwrap(), read_overlays(&root, &specs).unwrap()))
    });
    group.bench_function(bench("merge"), |b| b.iter(|| merge(&fragments).unwrap()));
    group.bench_function(bench("write"), |b| {
        b.iter_batched(
            || remove(&out),
            |()| codegen::write(&out, &rendered).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.bench_function(bench("check"), |b| b.iter(|| codegen::stale_files(&root, &rendered).unwrap()));
    group.bench_function(bench("whole"), |b| b.iter(|| codegen::render(&root).unwrap().unwrap()));
    group.bench_function(bench("whole_check"), |b| {
        b.iter(|| {
            let rendered = codegen::render(&root).unwrap().unwrap();
            assert!(codegen::stale_files(&root, &rendered).unwrap().is_empty());
        })
    });
    group.finish();
}

/// One corpus document: what `cargo xtask generate SPEC --out DIR` does, whole, and its read and write.
fn document(criterion: &mut Criterion, path: &Path, rows: &mut Vec<Row>) {
    let label = path.file_stem().unwrap().to_string_lossy().into_owned();
    let bytes = fs::metadata(path).unwrap().len();
    let document = read(path).unwrap();
    let operations = count_operations(&document) as u64;
    let name = crate_name(path);
    let client = render_crate(path, &name, &options()).unwrap().unwrap_or_else(|it| panic!("{it:?}"));
    let out = scratch_dir(&format!("{label}-write"));

    let mut group = criterion.benchmark_group(&label);
    large(&mut group);
    group.throughput(Throughput::Bytes(bytes));
    let mut bench = |name: &'static str| {
        rows.push(Row { group: label.clone(), name, bytes, operations });
        name
    };
    group.bench_function(bench("read_parse"), |b| b.iter(|| read(path).unwrap()));
    group.bench_function(bench("write"), |b| {
        b.iter_batched(|| remove(&out), |()| write_crate(&out, &client).unwrap(), BatchSize::PerIteration)
    });
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function(bench("whole"), |b| {
        b.iter_batched(
            || remove(&out),
            |()| {
                let client =
                    render_crate(path, &name, &options()).unwrap().unwrap_or_else(|it| panic!("{it:?}"));
                write_crate(&out, &client).unwrap();
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// A corpus document split into one fragment per operation: reading and merging them, and the
/// whole `codegen` pipeline on them when the merged document passes the strict lint.
fn fragments(criterion: &mut Criterion, rows: &mut Vec<Row>) {
    let root = scratch_dir("split");
    let source = read(&corpus_dir().join(SPLIT_SOURCE)).unwrap();
    let count = split(&source, &root).unwrap() as u64;
    let specs = root.join("specs");
    let bytes = folder_size(&specs);
    let label = format!("{}-split", SPLIT_SOURCE.split('.').next().unwrap());
    eprintln!("{label}: {count} fragments, {:.1} MB, in {}", bytes as f64 / 1e6, specs.display());
    let fragments = read_fragments(&root, &specs).unwrap().unwrap_or_else(|it| panic!("{it:?}"));

    let mut group = criterion.benchmark_group(&label);
    large(&mut group);
    group.throughput(Throughput::Elements(count));
    let mut bench = |name: &'static str| {
        rows.push(Row { group: label.clone(), name, bytes, operations: count });
        name
    };
    group.bench_function(bench("read_parse"), |b| b.iter(|| read_fragments(&root, &specs).unwrap().unwrap()));
    group.bench_function(bench("merge"), |b| {
        b.iter(|| merge(&fragments).unwrap_or_else(|it| panic!("{it:?}")))
    });
    match codegen::render(&root).unwrap() {
        Ok(_) => {
            group.bench_function(bench("whole"), |b| b.iter(|| codegen::render(&root).unwrap().unwrap()));
        }
        Err(diagnostics) => eprintln!(
            "{label}: codegen rejects the merged document ({} diagnostics, first: {}); whole not measured",
            diagnostics.len(),
            diagnostics.first().map(ToString::to_string).unwrap_or_default()
        ),
    }
    group.finish();
}

/// A crate of its own under `target/bench/`, three folders below the workspace root.
fn options() -> CrateOptions {
    CrateOptions { standalone: true, ..CrateOptions::member(Runtime::Path("../../../runtime".into())) }
}

fn remove(dir: &Path) {
    let _ = fs::remove_dir_all(dir);
}

fn folder_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        total += if path.is_dir() { folder_size(&path) } else { fs::metadata(&path).unwrap().len() };
    }
    total
}

/// Medians from criterion's `estimates.json`, with MB/s of input and operations per second.
fn print_table(output: &Path, rows: &[Row]) {
    println!(
        "\n{:<18} {:<12} {:>11} {:>7} {:>9} {:>11}",
        "input", "stage", "median ms", "MAD %", "MB/s", "ops/s"
    );
    for row in rows {
        let estimates: PathBuf = output.join(&row.group).join(row.name).join("new/estimates.json");
        let Ok(text) = fs::read_to_string(&estimates) else { continue };
        let Ok(estimates) = serde_json::from_str::<Value>(&text) else { continue };
        let (Some(median), Some(mad)) = (
            estimates.pointer("/median/point_estimate").and_then(Value::as_f64),
            estimates.pointer("/median_abs_dev/point_estimate").and_then(Value::as_f64),
        ) else {
            continue;
        };
        let seconds = median / 1e9;
        println!(
            "{:<18} {:<12} {:>11.3} {:>7.1} {:>9.1} {:>11.0}",
            row.group,
            row.name,
            seconds * 1e3,
            100.0 * mad / median,
            row.bytes as f64 / 1e6 / seconds,
            row.operations as f64 / seconds
        );
    }
}
