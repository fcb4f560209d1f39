// Included by each example (and so by tests/examples.rs): one place that reads the tenant's URL
// and API key from the environment. Not an example of its own: cargo only looks for examples
// at the top of this folder.

/// A client for the tenant at `INFRAON_BASE_URL` with the API key in `INFRAON_API_KEY`.
fn client_from_env() -> Result<Client, Box<dyn Error>> {
    let base_url =
        std::env::var("INFRAON_BASE_URL").map_err(|_| "set INFRAON_BASE_URL to the tenant's URL")?;
    let api_key = std::env::var("INFRAON_API_KEY").map_err(|_| "set INFRAON_API_KEY to an API key")?;
    Ok(Client::builder(base_url).api_key_auth(api_key).build()?)
}
