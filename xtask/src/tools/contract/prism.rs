//! The pinned Prism (`tools/prism/`) as a child process of `cargo xtask contract`: installed
//! with `npm ci` when missing, started on a free port of 127.0.0.1, and killed when the guard
//! is dropped, so that no exit path (an error, a failed build, a panic) leaves it running.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::root::workspace_root;

/// The version pinned in `tools/prism/package.json` and `package-lock.json`.
pub const PRISM_VERSION: &str = "5.16.0";

/// How long Prism may take to read a document and start listening; documents of several
/// megabytes take Prism tens of seconds on a small machine.
const START_TIMEOUT: Duration = Duration::from_secs(600);

/// The Prism executable, after `npm ci` in `tools/prism/` when it is missing or another version.
pub fn install() -> Result<PathBuf> {
    let dir = workspace_root().join("tools/prism");
    let bin = dir.join("node_modules/.bin/prism");
    if installed_version(&bin).as_deref() == Some(PRISM_VERSION) {
        return Ok(bin);
    }
    eprintln!("contract: installing Prism {PRISM_VERSION} with `npm ci` in tools/prism");
    // Scripts are skipped: Prism needs none, and the only one in its tree is an analytics ping.
    let status = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .status()
        .context("running `npm ci` in tools/prism (Prism needs Node.js and npm)")?;
    if !status.success() {
        bail!(
            "`npm ci` in tools/prism failed ({status}); it downloads @stoplight/prism-cli from the npm registry"
        );
    }
    match installed_version(&bin) {
        Some(version) if version == PRISM_VERSION => Ok(bin),
        found => bail!("`npm ci` left Prism at {found:?} instead of {PRISM_VERSION}"),
    }
}

fn installed_version(bin: &Path) -> Option<String> {
    let output = Command::new(bin).arg("--version").stdin(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A running `prism mock -d`. Prism runs as one `node` process (`--multiprocess` is off), so
/// killing it leaves nothing behind.
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

/// Why Prism did not start.
pub enum StartError {
    /// Prism ran but would not serve the document: its exit status and the end of its log.
    CannotLoad(String),
    Other(anyhow::Error),
}

impl Prism {
    /// Starts Prism serving `document` with dynamic responses, logging to `log`, and waits
    /// until it accepts connections.
    pub fn start(bin: &Path, document: &Path, log: &Path) -> std::result::Result<Prism, StartError> {
        let other = |error: anyhow::Error| StartError::Other(error);
        let port = free_port().map_err(other)?;
        let out = File::create(log).with_context(|| format!("creating {}", log.display())).map_err(other)?;
        let err = out.try_clone().context("duplicating the log file").map_err(other)?;
        let child = Command::new(bin)
            .arg("mock")
            .arg(document)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-d"])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))
            .map_err(other)?;
        // From here on the guard exists, so a failed start still kills the process.
        let mut prism = Prism { child, port, log: log.to_owned() };
        prism.wait_until_listening()?;
        Ok(prism)
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_until_listening(&mut self) -> std::result::Result<(), StartError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    return Err(StartError::CannotLoad(format!(
                        "Prism exited ({status}):\n{}",
                        self.log_tail()
                    )));
                }
                Ok(None) => {}
                Err(error) => return Err(StartError::Other(error.into())),
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(StartError::CannotLoad(format!(
                    "Prism did not listen within {START_TIMEOUT:?}:\n{}",
                    self.log_tail()
                )));
            }
            thread::sleep(Duration::from_millis(200));
        }
    }

    /// Why Prism stopped, when it did (it runs out of memory making up some large bodies).
    pub fn stopped(&mut self) -> Option<String> {
        let status = self.child.try_wait().ok()??;
        Some(format!("Prism stopped ({status}); its log ends:\n{}", self.log_tail()))
    }

    /// The last lines of Prism's log.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The document as Prism serves it: as the client was generated from it, without its examples.
/// In dynamic mode Prism makes every body up from the schemas and never reads an example, yet
/// its loader follows `$ref`s inside examples and gives up on one it cannot download (GitHub's
/// SCIM examples hold `$ref` URLs of api.github.com).
pub fn served_document(document: &Value) -> Value {
    without_examples(document, false)
}

/// Objects whose keys are names, among them possibly `example`: properties, components,
/// media types and the like.
const NAME_MAPS: &[&str] = &[
    "callbacks",
    "content",
    "encoding",
    "headers",
    "links",
    "mapping",
    "parameters",
    "paths",
    "properties",
    "requestBodies",
    "responses",
    "schemas",
    "securitySchemes",
    "variables",
];

fn without_examples(value: &Value, keys_are_names: bool) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(key, _)| keys_are_names || !matches!(key.as_str(), "example" | "examples"))
                .map(|(key, value)| {
                    let names = !keys_are_names && NAME_MAPS.contains(&key.as_str());
                    (key.clone(), without_examples(value, names))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|it| without_examples(it, false)).collect()),
        other => other.clone(),
    }
}

fn free_port() -> Result<u16> {
    // The port is free once the listener is dropped; another process taking it in between
    // makes Prism exit with EADDRINUSE, which the start reports.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn served_documents_leave_examples_out_but_keep_what_is_named_so() {
        let document = json!({
            "paths": { "/a": { "get": { "responses": { "200": { "content": { "application/json": {
                "schema": { "type": "object", "example": { "$ref": "https://example.com/x" },
                    "properties": { "example": { "type": "string", "example": "x" } } },
                "examples": { "one": { "$ref": "#/components/examples/one" } },
            } } } } } } },
            "components": { "examples": { "one": { "value": 1 } }, "schemas": { "example": { "type": "integer" } } },
        });
        let expected = json!({
            "paths": { "/a": { "get": { "responses": { "200": { "content": { "application/json": {
                "schema": { "type": "object", "properties": { "example": { "type": "string" } } },
            } } } } } } },
            "components": { "schemas": { "example": { "type": "integer" } } },
        });
        assert_eq!(served_document(&document), expected);
    }
}
