//! Turns an OpenAPI 3.0 document into the Rust source of a typed async client.

pub mod diagnostic;
