//! Creates a user, then deletes it again.
//!
//! ```sh
//! INFRAON_BASE_URL=https://tenant.infraon.app INFRAON_API_KEY="Token 0123…" \
//!     cargo run -p infraon-client --example create_delete_user -- "Ada Lovelace" ada@example.com
//! ```

use std::error::Error;
use std::io::Write;

use infraon_client::Client;
use serde_json::{Map, Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(name), Some(email)) = (args.next(), args.next()) else {
        return Err("usage: create_delete_user NAME EMAIL".into());
    };
    let client = client_from_env()?;
    create_then_delete(&client, &name, &email, &mut std::io::stdout()).await
}

/// Creates a user named `name` with `email`, reports its id, and deletes it.
pub async fn create_then_delete(
    client: &Client,
    name: &str,
    email: &str,
    out: &mut impl Write,
) -> Result<(), Box<dyn Error>> {
    let user: Map<String, Value> =
        json!({"name": name, "email": email}).as_object().cloned().unwrap_or_default();
    let created = client.user_profile().create().body(user).await?;
    let id = created.user_id.ok_or("the server did not say which id the new user got")?;
    writeln!(out, "created user {id}: {}", created.message.as_deref().unwrap_or("(no message)"))?;
    client.user_profile().delete(id.to_string()).await?;
    writeln!(out, "deleted user {id}")?;
    Ok(())
}

// Shared by every example: reads the tenant and the API key from the environment.
include!("common/client_from_env.rs");
