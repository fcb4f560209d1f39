//! Checks a CSV file of users with `validate_csv`, then imports it with `upload_csv`. The file
//! is streamed from disk, not read into memory.
//!
//! ```sh
//! INFRAON_BASE_URL=https://tenant.infraon.app INFRAON_API_KEY="Token 0123…" \
//!     cargo run -p infraon-client --example upload_csv -- users.csv
//! ```
//!
//! The guide does not document what these operations answer, so the answers are printed as the
//! server sends them (`send_raw`) rather than decoded.

use std::error::Error;
use std::io::Write;
use std::path::Path;

use infraon_client::{Client, File, Form};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).ok_or("usage: upload_csv FILE.csv")?;
    let client = client_from_env()?;
    validate_then_upload(&client, Path::new(&path), &mut std::io::stdout()).await
}

/// Sends the CSV at `path` to be validated, then to be imported, writing both answers.
pub async fn validate_then_upload(
    client: &Client,
    path: &Path,
    out: &mut impl Write,
) -> Result<(), Box<dyn Error>> {
    let form = || Form::new().file("file", File::from_path(path).content_type("text/csv"));
    let validated = client.user_profile().validate_csv(form()).send_raw().await?;
    writeln!(out, "validate_csv: {}: {}", validated.status(), validated.text().await?)?;
    let uploaded = client.user_profile().upload_csv(form()).send_raw().await?;
    writeln!(out, "upload_csv: {}: {}", uploaded.status(), uploaded.text().await?)?;
    Ok(())
}

// Shared by every example: reads the tenant and the API key from the environment.
include!("common/client_from_env.rs");
