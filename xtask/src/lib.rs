//! The project's own commands (`cargo xtask`), as a library so benchmarks can run each stage of
//! the pipeline on its own; `cli` parses arguments and dispatches to the other modules.

pub mod bench_build;
pub mod cli;
pub mod codegen;
pub mod corpus;
pub mod downgrade;
pub mod fragment;
pub mod generate;
pub mod import;
pub mod lint;
pub mod merge;
pub mod overlay;
pub mod pipeline;
#[cfg(test)]
mod robustness;
pub mod typed;
pub mod walk;
