//! The project's own commands (`cargo xtask`), as a library so the benchmarks can call them.
//!
//! A short stack: [`pipeline`] turns `specs/` (or any one document) into generated files and
//! writes or checks them; [`tools`] are the commands built on it (import, generate, corpus,
//! bench-build); [`cli`] parses arguments and dispatches; [`root`] finds the workspace.

pub mod cli;
pub mod pipeline;
pub mod root;
#[cfg(test)]
mod test_support;
pub mod tools;
