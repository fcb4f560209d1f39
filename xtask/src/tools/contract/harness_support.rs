//! Written by `cargo xtask contract` into every harness crate as `src/support.rs` (it is not a
//! module of xtask): runs the calls that the harness's generated `main.rs` lists against Prism,
//! and prints one JSON line per call with what happened, which xtask sorts and tallies.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::api;

/// One call of an operation, not yet sent; `Err` when its arguments could not be made.
pub type Pending<'a> = Pin<Box<dyn Future<Output = Result<Outcome, String>> + Send + 'a>>;

/// The function making one call of an operation.
pub type CallFn = for<'a> fn(&'a api::Client) -> Pending<'a>;

/// How long one call may take; Prism answers in milliseconds, so this only ends a hang.
const CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// How much of a response body a report shows.
const SNIPPET_CHARS: usize = 400;

/// What became of one call, as xtask reads it.
pub struct Outcome {
    kind: &'static str,
    status: Option<u16>,
    path: String,
    detail: String,
    body: String,
    /// Prism's `sl-violations` header of the response: what it found wrong with the request
    /// and with its own response.
    violations: String,
}

/// Decodes an example value (JSON text made up from the schema) into the type the client
/// method takes.
#[allow(dead_code)] // only harnesses of operations with arguments call it
pub fn arg<T: serde::de::DeserializeOwned>(name: &str, json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|error| {
        format!(
            "the example `{name}` does not decode into its Rust type: {error}; example: {}",
            snippet(json)
        )
    })
}

/// A multipart form from an example object: `files` are sent as file parts, everything else
/// as text (strings as they are, other values as JSON).
#[allow(dead_code)] // only harnesses of operations with multipart bodies call it
pub fn form(json: &str, files: &[&str]) -> Result<api::Form, String> {
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(json) else {
        return Err(format!("the multipart example is not an object: {}", snippet(json)));
    };
    let mut form = api::Form::new();
    for (name, value) in fields {
        if files.contains(&name.as_str()) {
            let file =
                api::File::from_bytes("contract\n").file_name("contract.txt").content_type("text/plain");
            form = form.file(name, file);
        } else {
            let text = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            form = form.text(name, text);
        }
    }
    Ok(form)
}

/// Sorts a call's result into ok, a decode error, a status other than success, or another
/// failure, keeping the raw facts (whole bodies); xtask reads Prism's reasons out of them.
pub fn outcome<T, E>(result: Result<T, api::Error<E>>) -> Outcome {
    let mut outcome = Outcome {
        kind: "ok",
        status: None,
        path: String::new(),
        detail: String::new(),
        body: String::new(),
        violations: String::new(),
    };
    match result {
        Ok(_) => {}
        Err(api::Error::Decode(error)) => {
            outcome.kind = "decode";
            outcome.status = Some(error.status.as_u16());
            outcome.path = error.path.clone();
            outcome.detail = error.source.to_string();
            outcome.body = error.body.clone();
        }
        Err(api::Error::Status(error)) => {
            outcome.kind = "rejected";
            outcome.status = Some(error.status.as_u16());
            outcome.body = error.body_text().into_owned();
        }
        Err(error) => {
            outcome.kind = "failed";
            outcome.status = error.status().map(|it| it.as_u16());
            outcome.detail = error.to_string();
        }
    }
    outcome
}

fn snippet(text: &str) -> String {
    let mut cut: String = text.chars().take(SNIPPET_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// Reads `BASE_URL ROUNDS` from the command line, makes every call `ROUNDS` times against the
/// server at `BASE_URL`, and prints one JSON line per call.
pub fn run(credentials: fn(api::ClientBuilder) -> api::ClientBuilder, calls: &[(&str, CallFn)]) {
    let mut args = std::env::args().skip(1);
    let (Some(base_url), Some(rounds)) = (args.next(), args.next().and_then(|it| it.parse::<usize>().ok()))
    else {
        eprintln!("usage: harness BASE_URL ROUNDS");
        std::process::exit(2);
    };
    // Prism runs on the loopback interface, so a proxy from the environment must not be used.
    let http =
        api::reqwest::Client::builder().no_proxy().timeout(CALL_TIMEOUT).build().expect("an HTTP client");
    // Prism checks its own made-up responses too, and names what breaks the document in the
    // `sl-violations` header; the calls are made one at a time, so one slot holds the last.
    let violations = Arc::new(Mutex::new(String::new()));
    let seen = Arc::clone(&violations);
    let builder = api::Client::builder(base_url)
        .http_client(http)
        .retry(api::RetryPolicy::never())
        .on_response(move |response| {
            let header = response.headers().get("sl-violations").and_then(|it| it.to_str().ok());
            *seen.lock().expect("not poisoned") = header.unwrap_or_default().to_owned();
        });
    let client = credentials(builder).build().expect("the harness client builds");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        for _ in 0..rounds {
            for (operation, call) in calls {
                violations.lock().expect("not poisoned").clear();
                let mut outcome = match call(&client).await {
                    Ok(outcome) => outcome,
                    Err(detail) => Outcome {
                        kind: "failed",
                        status: None,
                        path: String::new(),
                        detail,
                        body: String::new(),
                        violations: String::new(),
                    },
                };
                outcome.violations = violations.lock().expect("not poisoned").clone();
                let line = json!({
                    "operation": operation,
                    "kind": outcome.kind,
                    "status": outcome.status,
                    "path": outcome.path,
                    "detail": outcome.detail,
                    "body": outcome.body,
                    "violations": outcome.violations,
                });
                println!("{line}");
            }
        }
    });
}
