//! Typed async client for the Infraon Infinity API, generated from the per-endpoint OpenAPI
//! documents under `specs/` by `cargo xtask codegen`.
//!
//! Build a [`Client`] once with the tenant's base URL and the API key. Operations are grouped as
//! the API guide groups them: `client.user_profile()` returns the User Profile module's handle
//! ([`operations::user_profile::UserProfile`]), with one method per operation (`list`, `get`,
//! `create`, ...). Each method returns a [`Call`]: set optional parameters on it, then `.await`
//! it.
//!
//! ```no_run
//! use infraon_client::{Client, Nullable, models::UserListRequest};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder("https://tenant.infraon.app")
//!     .api_key_auth("Token 0123456789abcdef")
//!     .build()?;
//!
//! // Required parameters are arguments; optional ones are builder methods.
//! let page = client.user_profile().list(50, 1).sort("name").await?;
//! println!("{} keys on the first page", page.len());
//!
//! let user = client.user_profile().get("42").await?;
//! println!("{} <{}>", user.name, user.email.as_deref().unwrap_or("no email"));
//!
//! // Request bodies leave out read-only fields; `Nullable` tells "unchanged" from "clear".
//! let update = UserListRequest { email: Nullable::Null, ..UserListRequest::new(user.profile_id) };
//! client.user_profile().update("42", update).with_form_encoding().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Every call returns [`Error`] on failure, which tells apart a request that could not be
//! built, a transport failure, an error status (with status, headers and body kept) and a
//! response body that did not decode (with the body and the path of the failing field).

mod client;
mod generated;

// What every generated client shares, compiled once: requests, retries, errors, paging.
use openapi_client_runtime as runtime;

pub use client::{Call, Client, ClientBuilder};
#[cfg(feature = "cli")]
pub use generated::cli;
#[cfg(feature = "mock")]
pub use generated::mock;
pub use generated::{models, operations};
/// The stream traits and combinators paged listings are read with (`TryStreamExt::try_next`,
/// `StreamExt::next`), without a second, possibly mismatched version in the caller's tree.
pub use runtime::futures_util;
/// The HTTP library the client is built on, for `ClientBuilder::http_client` and the status and
/// header types in errors, without a second, possibly mismatched version in the caller's tree.
pub use runtime::reqwest;
#[doc(inline)]
pub use runtime::{
    ApiResponse, BodyEncoding, BuildError, DecodeError, Endpoint, Error, File, Form, ItemStream, Nullable,
    Page, PageStream, PagingError, PagingStop, RawResponse, RedirectPolicy, RequestHook, ResponseHook,
    RetryPolicy, StatusError, TooLargeError, TransportError,
};
