//! Lists every user of a tenant, a page at a time, with a progress line per page on stderr.
//!
//! ```sh
//! INFRAON_BASE_URL=https://tenant.infraon.app INFRAON_API_KEY="Token 0123…" \
//!     cargo run -p infraon-client --example list_users
//! ```
//!
//! Where the user list keeps its users is our assumption (see
//! `specs/overlays/user_list_paging.yaml`); if it is wrong, the first page fails with a decode
//! error that quotes the body.

use std::error::Error;
use std::io::Write;

use infraon_client::Client;
use infraon_client::futures_util::TryStreamExt;
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let client = client_from_env()?;
    let users = list_users(&client, 100, &mut std::io::stderr()).await?;
    for user in &users {
        println!("{}", describe(user));
    }
    Ok(())
}

/// Every user, fetching `page_size` per request and writing a progress line per page.
pub async fn list_users(
    client: &Client,
    page_size: i64,
    progress: &mut impl Write,
) -> Result<Vec<Value>, Box<dyn Error>> {
    let mut pages = client.user_profile().list(page_size, 1).pages();
    let mut users = Vec::new();
    while let Some(page) = pages.try_next().await? {
        users.extend(page.items);
        match page.total {
            Some(total) => writeln!(progress, "fetched {} of {total} users", users.len())?,
            None => writeln!(progress, "fetched {} users", users.len())?,
        }
    }
    Ok(users)
}

/// `name <email>` of a user as the list returns it.
pub fn describe(user: &Value) -> String {
    let text = |key: &str| user.get(key).and_then(Value::as_str).unwrap_or("?").to_owned();
    format!("{} <{}>", text("name"), text("email"))
}

// Shared by every example: reads the tenant and the API key from the environment.
include!("common/client_from_env.rs");
