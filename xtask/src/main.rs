//! `cargo xtask`: the project's own commands. Argument parsing and dispatch only.

mod codegen;
mod lint;
mod merge;

use std::process::ExitCode;

use anyhow::{Result, bail};

const USAGE: &str = "usage: cargo xtask codegen [--check]

  codegen          merge specs/, generate the client and write it into generated-client/
  codegen --check  fail if the checked-in generated-client/ differs from what codegen writes";

fn main() -> ExitCode {
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
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("unknown arguments `{}`\n{USAGE}", args.join(" ")),
    }
}

fn codegen(check: bool) -> Result<ExitCode> {
    let root = codegen::workspace_root();
    let rendered = match codegen::render(&root)? {
        Ok(rendered) => rendered,
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                eprintln!("{diagnostic}");
            }
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
            eprintln!("generated files are out of date; run `cargo xtask codegen` and commit the result");
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("codegen: generated-client/ is up to date");
    } else {
        let written = codegen::write(&root, &rendered)?;
        eprintln!("codegen: {} file(s) updated", written.len());
    }
    Ok(ExitCode::SUCCESS)
}
