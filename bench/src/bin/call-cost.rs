//! `call-cost generated|direct N`: makes N calls (after 100 to warm up) through the generated
//! client or directly with reqwest + serde_json against a local server, and nothing else, so
//! that an instruction counter sees the cost of a call and not the machine's load:
//!
//! ```sh
//! cargo build --release -p bench --bin call-cost
//! for side in generated direct; do for n in 1000 2000; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/call-cost $side $n 2>&1 | grep refs
//! done; done
//! ```
//!
//! Instructions per call are the difference between the two counts of a side, over 1000; both
//! sides include the server's work, which is the same for each call.

use anyhow::{Context, Result, bail};
use bench::calls::{API_KEY, direct_call, generated_call, serve, user_json};
use infraon_client::Client;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [side, count] = args.as_slice() else { bail!("usage: call-cost generated|direct N") };
    let count: usize = count.parse().context("N must be a number")?;
    let base = serve(serde_json::to_vec(&user_json(42))?);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let http = reqwest::Client::new();
    let client = Client::builder(&base).api_key_auth(API_KEY).http_client(http.clone()).build()?;
    runtime.block_on(async {
        for _ in 0..100 + count {
            match side.as_str() {
                "generated" => drop(std::hint::black_box(generated_call(&client).await)),
                "direct" => drop(std::hint::black_box(direct_call(&http, &base).await)),
                _ => bail!("unknown side {side}"),
            }
        }
        Ok(())
    })
}
