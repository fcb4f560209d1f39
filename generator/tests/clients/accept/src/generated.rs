//! The code `cargo xtask codegen` writes from `specs/`: never edited by hand.
//!
//! `#[rustfmt::skip]` keeps `cargo fmt` from reformatting the prettyplease output, which would
//! make the freshness check fail.

#[rustfmt::skip]
pub mod models;
#[rustfmt::skip]
pub mod operations;
