//! `cargo xtask`: the project's own commands, in `xtask::cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    xtask::cli::main()
}
