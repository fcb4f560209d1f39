//! `cargo xtask`: the project's own commands, in `xtask::cli`. This file is also the binary of
//! `xtask/runner`, the small workspace `cargo xtask` builds it in (see its manifest).

use std::process::ExitCode;

// See `xtask::allocator` for why, and for the settings `cli::main` applies.
#[global_allocator]
static ALLOCATOR: xtask::allocator::MiMalloc = xtask::allocator::MiMalloc;

fn main() -> ExitCode {
    xtask::cli::main()
}
