//! The `cargo xtask` command line: argument parsing and dispatch to the other modules.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::pipeline::codegen;
use crate::root::workspace_root;
use crate::tools::diff::{self, Source, Version};
use crate::tools::{bench_build, contract, corpus, generate, import};

const USAGE: &str = "usage: cargo xtask <command>

  codegen                 merge specs/, generate the client and write it into generated-client/
                          (and the snapshot specs' clients into generator/tests/clients/)
  codegen --check         fail if the checked-in generated-client/ differs from what codegen writes
  import PAGE... --module NAME [--force]
                          write the OpenAPI blocks of documentation pages into
                          specs/NAME/<operationId>.json; --force overwrites hand edits
  diff [--rev REV] [--format text|markdown] [OLD [NEW]]
                          what changed in the client's API, in its own names, each change
                          marked breaking or compatible with its file and JSON pointer. OLD is
                          generated-client/openapi.json at REV (default HEAD) unless a document
                          file is given; NEW is what codegen would write from specs/ unless
                          given, and then the report suggests the next version of the client
                          crate. Breaking: a removed or renamed method, a new required argument,
                          a changed type, a field now optional or nullable, a removed enum
                          value, a call needing another credential; additions are compatible.
                          Exit status: 0 no change, 2 compatible changes only, 3 breaking
                          changes, 1 the command failed
  lint [--deny-warnings]  run every check codegen runs on specs/ and print the findings, writing
                          nothing; fails on errors (and on warnings with --deny-warnings)
  generate SPEC --out DIR [--runtime-path PATH | --runtime-git URL [--rev REV] | --vendor-runtime]
           [--no-groups]  write a complete client crate for one OpenAPI document (JSON or YAML).
                          Operations are grouped by tag (client.pets().list()); --no-groups
                          makes every operation a method of the client, named by operationId.
                          Inside this repository the crate finds runtime/ by a relative path;
                          elsewhere choose: a path to the runtime crate, a git repository
                          holding it, or a copy of it inside the crate
  corpus [--doc | --generate-only] [DIR]
                          generate and cargo-check a client for every document in DIR
                          (default ../shared/corpus), printing a table; --doc also runs
                          cargo doc and counts rustdoc warnings; --generate-only only runs the
                          generator (no crate written, nothing compiled), failing on a panic or
                          a rejected document
  contract DOC|DIR... [--calls N]
                          generate each document's client and a harness calling every
                          operation with example arguments, serve the document with Prism
                          (`mock -d`, made-up schema-valid responses) and make N calls per
                          operation (default 10); prints what decoded, decode errors and what
                          Prism rejected, and fails on any decode error
  bench-build [--progenitor] [--runs N] [SPEC...]
                          time `cargo check` of generated crates, clean and after a one-line
                          spec change (default: the seed and the largest corpus documents;
                          --progenitor: also cargo-progenitor's output, for every corpus document)";

/// Runs the command in the process arguments.
pub fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["diff", rest @ ..] => diff(rest),
        ["lint"] => lint(false),
        ["lint", "--deny-warnings"] => lint(true),
        ["generate", rest @ ..] => generate(rest),
        ["corpus", rest @ ..] => corpus(rest),
        ["contract", rest @ ..] => contract(rest),
        ["import", rest @ ..] => import(rest),
        ["bench-build", rest @ ..] => bench_build(rest),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("unknown arguments `{}`\n{USAGE}", args.join(" ")),
    }
}

fn codegen(check: bool) -> Result<ExitCode> {
    let root = workspace_root();
    let rendered = match codegen::render(&root)? {
        Ok(rendered) => rendered,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.iter().filter(|it| it.is_error()).count();
            eprintln!("codegen: failed with {errors} error(s); nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    codegen::report(&rendered);
    if check {
        let stale = codegen::stale_files(&root, &rendered)?;
        if !stale.is_empty() {
            for path in &stale {
                eprintln!("stale: {path}");
            }
            eprintln!("codegen: writing would change the API: {}", diff::codegen_summary(&root, &rendered));
            eprintln!("generated files are out of date; run `cargo xtask codegen` and commit the result");
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("codegen: generated-client/ is up to date");
    } else {
        // Compared before writing, while the earlier openapi.json is still there.
        let change = diff::codegen_summary(&root, &rendered);
        let written = codegen::write(&root, &rendered)?;
        eprintln!("codegen: {} file(s) updated", written.len());
        eprintln!("codegen: {change}");
    }
    Ok(ExitCode::SUCCESS)
}

fn diff(args: &[&str]) -> Result<ExitCode> {
    let (mut revision, mut markdown, mut paths) = (None, false, Vec::new());
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--rev" => {
                revision =
                    Some(args.next().copied().with_context(|| format!("--rev needs a revision\n{USAGE}"))?)
            }
            "--format" => {
                markdown = match args.next().copied() {
                    Some("text") => false,
                    Some("markdown") => true,
                    _ => bail!("--format takes `text` or `markdown`\n{USAGE}"),
                }
            }
            _ if arg.starts_with("--") => bail!("unknown argument `{arg}`\n{USAGE}"),
            _ => paths.push(Path::new(arg).to_owned()),
        }
    }
    let (old, new) = match (paths.as_slice(), revision) {
        ([], revision) => (Source::Revision(revision.unwrap_or("HEAD").to_owned()), Source::Specs),
        (_, Some(_)) => {
            bail!("--rev picks the revision of {}; it goes without OLD\n{USAGE}", codegen::OPENAPI_JSON)
        }
        ([old], None) => (Source::File(old.clone()), Source::Specs),
        ([old, new], None) => (Source::File(old.clone()), Source::File(new.clone())),
        _ => bail!("diff takes at most OLD and NEW\n{USAGE}"),
    };
    let root = workspace_root();
    let mut versions = Vec::new();
    for source in [&old, &new] {
        match Version::load(&root, source)? {
            Ok(version) => versions.push(version),
            Err(diagnostics) => {
                print_diagnostics(&diagnostics);
                eprintln!("diff: {source} does not generate; nothing was compared");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    let changes = diff::compare(&versions[0], &versions[1]);
    // The suggestion is about the checked-in client, so only when the new version is it.
    let bump = if new == Source::Specs { diff::bump(&root, &changes)? } else { None };
    let labels = diff::Labels { old: &versions[0].label, new: &versions[1].label };
    let report = if markdown {
        diff::markdown(&labels, &changes, bump.as_ref())
    } else {
        diff::text(&labels, &changes, bump.as_ref())
    };
    print!("{report}");
    Ok(ExitCode::from(diff::exit_status(&changes)))
}

fn import(args: &[&str]) -> Result<ExitCode> {
    let mut pages = Vec::new();
    let mut module = None;
    let mut force = false;
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--force" => force = true,
            "--module" => module = args.next().copied(),
            page => pages.push(page),
        }
    }
    let (Some(module), false) = (module, pages.is_empty()) else {
        bail!("import needs at least one PAGE and --module NAME\n{USAGE}");
    };
    let mut texts = Vec::new();
    for page in pages {
        let text = std::fs::read_to_string(page).with_context(|| format!("reading {page}"))?;
        texts.push((page.to_owned(), text));
    }
    let root = workspace_root();
    let planned = match import::plan(&root, &texts, module)? {
        Ok(planned) => planned,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!("import: the pages have errors; nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    let count = |status| planned.iter().filter(|it| it.status == status).count();
    for fragment in &planned {
        let label = match fragment.status {
            import::Status::New => "new",
            import::Status::Changed => "changed",
            import::Status::EditedByHand if force => "overwritten (edited by hand)",
            import::Status::EditedByHand => {
                "refused (edited by hand since the last import; --force overwrites)"
            }
            import::Status::Unchanged => continue,
        };
        eprintln!("{}: {label}", fragment.file);
    }
    let refused = count(import::Status::EditedByHand);
    if refused > 0 && !force {
        eprintln!("import: {refused} fragment(s) edited by hand; nothing was written");
        return Ok(ExitCode::FAILURE);
    }
    import::write(&root, module, &planned, force)?;
    eprintln!(
        "import: {} new, {} changed, {} unchanged",
        count(import::Status::New),
        count(import::Status::Changed) + refused,
        count(import::Status::Unchanged)
    );
    Ok(ExitCode::SUCCESS)
}

fn lint(deny_warnings: bool) -> Result<ExitCode> {
    let diagnostics = match codegen::render(&workspace_root())? {
        Ok(rendered) => rendered.warnings,
        Err(diagnostics) => diagnostics,
    };
    print_diagnostics(&diagnostics);
    let errors = diagnostics.iter().filter(|it| it.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!("lint: {errors} error(s), {warnings} warning(s)");
    let failed = errors > 0 || (deny_warnings && warnings > 0);
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn print_diagnostics(diagnostics: &[generator::diagnostic::Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
}

fn generate(args: &[&str]) -> Result<ExitCode> {
    let (mut spec, mut out, mut runtime_path, mut git, mut rev, mut vendor, mut grouped) =
        (None, None, None, None, None, false, true);
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        let mut value = || args.next().copied().with_context(|| format!("{arg} needs a value\n{USAGE}"));
        match arg {
            "--out" => out = Some(value()?),
            "--runtime-path" => runtime_path = Some(value()?),
            "--runtime-git" => git = Some(value()?),
            "--rev" => rev = Some(value()?),
            "--vendor-runtime" => vendor = true,
            "--no-groups" => grouped = false,
            _ if arg.starts_with("--") || spec.is_some() => bail!("unknown argument `{arg}`\n{USAGE}"),
            _ => spec = Some(arg),
        }
    }
    let (Some(spec), Some(out)) = (spec.map(Path::new), out.map(Path::new)) else {
        bail!("generate needs SPEC and --out DIR\n{USAGE}");
    };
    let runtime = match (runtime_path, git, vendor) {
        (Some(path), None, false) => generate::Runtime::Path(path.to_owned()),
        (None, Some(url), false) => {
            generate::Runtime::Git { url: url.to_owned(), rev: rev.map(str::to_owned) }
        }
        (None, None, true) => generate::Runtime::Vendored,
        (None, None, false) => match generate::Runtime::within_repository(out)? {
            Some(runtime) => runtime,
            None => bail!(
                "{} is outside this repository, so no path to its runtime/ would stay true; choose how the \
                 crate gets the runtime: --runtime-path PATH (relative to the crate), --runtime-git URL \
                 [--rev REV], or --vendor-runtime (a copy inside the crate)",
                out.display()
            ),
        },
        _ => bail!("choose one of --runtime-path, --runtime-git and --vendor-runtime\n{USAGE}"),
    };
    if rev.is_some() && !matches!(runtime, generate::Runtime::Git { .. }) {
        bail!("--rev goes with --runtime-git\n{USAGE}");
    }
    let name = generate::crate_name(spec);
    let options = generate::CrateOptions { standalone: true, runtime, group_by_tag: grouped };
    let client = match generate::render_crate(spec, &name, &options)? {
        Ok(client) => client,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!("generate: {} has errors; nothing was written", spec.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    print_diagnostics(&client.generated.warnings);
    generate::write_crate(out, &client)?;
    let api = &client.generated.output.api;
    eprintln!(
        "generate: crate `{name}` in {}: {} operations, {} types, {} warnings",
        out.display(),
        api.operations.len(),
        api.types.len(),
        client.generated.warnings.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn bench_build(args: &[&str]) -> Result<ExitCode> {
    let (mut specs, mut progenitor, mut runs) = (Vec::new(), false, 3);
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--progenitor" => progenitor = true,
            "--runs" => runs = args.next().and_then(|it| it.parse().ok()).context("--runs needs a number")?,
            spec => specs.push(std::path::PathBuf::from(spec)),
        }
    }
    bench_build::run(&specs, progenitor, runs.max(1))?;
    Ok(ExitCode::SUCCESS)
}

fn corpus(args: &[&str]) -> Result<ExitCode> {
    let (mut docs, mut generate_only, mut dir) = (false, false, None);
    for &arg in args {
        match arg {
            "--doc" => docs = true,
            "--generate-only" => generate_only = true,
            _ if arg.starts_with("--") || dir.is_some() => bail!("unknown argument `{arg}`\n{USAGE}"),
            _ => dir = Some(Path::new(arg).to_owned()),
        }
    }
    let dir = dir.unwrap_or_else(|| workspace_root().join("../shared/corpus"));
    let clean = match (generate_only, docs) {
        (true, true) => bail!("--generate-only compiles nothing, so it cannot run cargo doc\n{USAGE}"),
        (true, false) => corpus::generate_only(&dir)?,
        (false, _) => corpus::run(&dir, &workspace_root().join("target/corpus"), docs)?,
    };
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn contract(args: &[&str]) -> Result<ExitCode> {
    let (mut documents, mut calls) = (Vec::new(), 10);
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--calls" => {
                calls = args.next().and_then(|it| it.parse().ok()).context("--calls needs a number")?;
            }
            _ if arg.starts_with("--") => bail!("unknown argument `{arg}`\n{USAGE}"),
            _ if Path::new(arg).is_dir() => documents.extend(corpus::documents(Path::new(arg))?),
            _ => documents.push(Path::new(arg).to_owned()),
        }
    }
    if documents.is_empty() {
        bail!("contract needs at least one document or folder\n{USAGE}");
    }
    let clean = contract::run(&documents, calls)?;
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
