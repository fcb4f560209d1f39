//! The code `cargo xtask codegen` writes from `specs/`: never edited by hand.
//!
//! `#[rustfmt::skip]` keeps `cargo fmt` from reformatting the prettyplease output, which would
//! make the freshness check fail.

#[rustfmt::skip]
pub mod models;
#[rustfmt::skip]
pub mod operations;
/// Typed mocks of every operation for tests of code that uses this client (cargo feature
/// `mock`).
#[cfg(feature = "mock")]
#[rustfmt::skip]
pub mod mock;
/// The command-line tool (cargo feature `cli`).
#[cfg(feature = "cli")]
#[rustfmt::skip]
pub mod cli;
