//! The commands built on the pipeline: `import` (documentation pages → fragments), `generate`
//! (a crate for any one document), `diff` (what changed in the API between two versions),
//! `corpus` (generate and compile a folder of documents), `contract` (call every operation of a
//! client against Prism) and `bench-build` (what the generated code costs to compile).

pub mod bench_build;
pub mod contract;
pub mod corpus;
pub mod diff;
pub mod generate;
pub mod import;
#[cfg(test)]
mod robustness;
pub mod scratch;
#[cfg(test)]
mod spec_clients;
