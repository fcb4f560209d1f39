//! What every generated command-line tool shares (cargo feature `cli`): reading arguments and
//! bodies, printing results, paging with a progress bar, and exit codes that tell failures
//! apart. A generated client's `cli` module declares one subcommand per group and operation and
//! calls these.
//!
//! Exit codes: 0 success; 1 any other failure (a body that did not decode, a file that could
//! not be written); 2 a usage error (clap's own, or an argument or body that cannot be used);
//! 3 the server answered with an error status; 4 no answer (connection, timeout, TLS).

use std::future::Future;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use futures_util::{Stream, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{BuildError, Error};
use crate::response::RawResponse;
use crate::upload::{File, Form};

/// The work of one subcommand, boxed so that a tool's dispatch stays small whatever the number
/// of operations.
pub type Run<'a> = std::pin::Pin<Box<dyn Future<Output = Result<(), Failure>> + 'a>>;

/// Exit code of a usage error (clap uses it too).
pub const USAGE: u8 = 2;
/// Exit code of an error status from the server.
pub const STATUS: u8 = 3;
/// Exit code of a failure to get any answer.
pub const TRANSPORT: u8 = 4;

/// Why a command failed, and the exit code that says so.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { code: USAGE, message: message.into() }
    }
}

impl<E> From<Error<E>> for Failure {
    fn from(error: Error<E>) -> Failure {
        let code = match &error {
            Error::Build(_) => USAGE,
            Error::Status(_) => STATUS,
            Error::Transport(_) => TRANSPORT,
            Error::Decode(_) | Error::TooLarge(_) | Error::Paging(_) => 1,
        };
        let mut message = error.to_string();
        if let Error::Status(status) = &error {
            let body = String::from_utf8_lossy(&status.body);
            if !body.trim().is_empty() {
                message.push_str(&format!("\n{}", body.trim_end()));
            }
        }
        Failure { code, message }
    }
}

impl From<BuildError> for Failure {
    fn from(error: BuildError) -> Failure {
        Failure::usage(error.to_string())
    }
}

/// Runs a command's future to its end on a runtime of its own, printing a failure to stderr
/// and turning it into the exit code.
pub fn block_on(command: impl Future<Output = Result<(), Failure>>) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(command),
        Err(error) => Err(Failure { code: 1, message: format!("cannot start the async runtime: {error}") }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Parses an argument into any type the API uses: as a string first (text, enums, dates,
/// numbers given as text), then as JSON (numbers, arrays, objects). For clap's `value_parser`.
pub fn parse_value<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    if let Ok(value) = serde_json::from_value(Value::String(text.to_owned())) {
        return Ok(value);
    }
    serde_json::from_str(text).map_err(|error| format!("`{text}` is not a valid value here: {error}"))
}

/// The bytes of a body: from `path`, or standard input when it is `-` or not given.
pub fn read_bytes(path: Option<&PathBuf>) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    match path.filter(|it| it.as_os_str() != "-") {
        Some(path) => {
            bytes = std::fs::read(path).map_err(|error| {
                Failure::usage(format!("cannot read the body from {}: {error}", path.display()))
            })?;
        }
        None => {
            std::io::stdin().read_to_end(&mut bytes).map_err(|error| {
                Failure::usage(format!("cannot read the body from standard input: {error}"))
            })?;
        }
    }
    Ok(bytes)
}

/// A JSON body of type `T`, read as [`read_bytes`] reads it.
pub fn read_json<T: DeserializeOwned>(path: Option<&PathBuf>) -> Result<T, Failure> {
    let bytes = read_bytes(path)?;
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let at = error.path().to_string();
        Failure::usage(format!("the body is not what the operation takes (at `{at}`): {}", error.inner()))
    })
}

/// A text body, read as [`read_bytes`] reads it.
pub fn read_text(path: Option<&PathBuf>) -> Result<String, Failure> {
    String::from_utf8(read_bytes(path)?).map_err(|_| Failure::usage("the body is not UTF-8 text"))
}

/// A multipart form from `--field NAME=VALUE` and `--file NAME=PATH` arguments.
pub fn form(fields: &[String], files: &[String]) -> Result<Form, Failure> {
    let mut form = Form::new();
    for field in fields {
        let (name, value) = name_value(field)?;
        form = form.text(name.to_owned(), value.to_owned());
    }
    for file in files {
        let (name, path) = name_value(file)?;
        form = form.file(name.to_owned(), File::from_path(path));
    }
    Ok(form)
}

fn name_value(text: &str) -> Result<(&str, &str), Failure> {
    text.split_once('=').ok_or_else(|| Failure::usage(format!("`{text}` is not NAME=VALUE")))
}

/// How a body the operation offers in several encodings is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Indented JSON.
    #[default]
    Pretty,
    /// One JSON value per line: one line per item with `--all`.
    JsonLines,
}

/// The output options every operation's subcommand has.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Output {
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Pretty)]
    pub format: Format,
    /// Print the response body as the server sent it, without decoding (for bodies the API
    /// document describes wrongly, such as a CSV export).
    #[arg(long)]
    pub raw: bool,
    /// Write the result to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl Output {
    /// Prints a decoded result.
    pub fn value<T: Serialize>(&self, value: &T) -> Result<(), Failure> {
        let value =
            serde_json::to_value(value).map_err(|error| Failure { code: 1, message: error.to_string() })?;
        if value.is_null() {
            return Ok(());
        }
        let mut text = match self.format {
            Format::Pretty => serde_json::to_string_pretty(&value),
            Format::JsonLines => serde_json::to_string(&value),
        }
        .expect("a JSON value always serializes");
        text.push('\n');
        self.write(text.as_bytes())
    }

    /// Writes a raw response's body as it is, streamed to the file or standard output.
    pub async fn raw(&self, response: RawResponse) -> Result<(), Failure> {
        if let Some(path) = &self.output {
            response.save_to(path).await.map_err(|error| io_failure(path, error))?;
            return Ok(());
        }
        let mut stdout = std::io::stdout().lock();
        let mut chunks = std::pin::pin!(response.bytes_stream());
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            stdout.write_all(&chunk).map_err(|error| Failure { code: 1, message: error.to_string() })?;
        }
        Ok(())
    }

    /// Prints every item of a paged listing as it arrives, with a count on standard error when
    /// it is a terminal.
    pub async fn items<T: Serialize, E>(
        &self,
        items: impl Stream<Item = Result<T, Error<E>>>,
    ) -> Result<(), Failure> {
        let progress = if std::io::stderr().is_terminal() {
            indicatif::ProgressBar::new_spinner()
        } else {
            indicatif::ProgressBar::hidden()
        };
        progress.set_message("items");
        let mut items = std::pin::pin!(items);
        let mut all = Vec::new();
        while let Some(item) = items.next().await {
            let item = serde_json::to_value(item?).expect("an item always serializes");
            progress.inc(1);
            match self.format {
                Format::JsonLines => self.write_line(&item)?,
                Format::Pretty => all.push(item),
            }
        }
        progress.finish_and_clear();
        if self.format == Format::Pretty {
            self.value(&all)?;
        }
        Ok(())
    }

    fn write_line(&self, item: &Value) -> Result<(), Failure> {
        let mut text = serde_json::to_string(item).expect("a JSON value always serializes");
        text.push('\n');
        self.write(text.as_bytes())
    }

    fn write(&self, bytes: &[u8]) -> Result<(), Failure> {
        match &self.output {
            Some(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut file| file.write_all(bytes))
                .map_err(|error| io_failure(path, error)),
            None => std::io::stdout()
                .lock()
                .write_all(bytes)
                .map_err(|error| Failure { code: 1, message: error.to_string() }),
        }
    }
}

fn io_failure(path: &std::path::Path, error: std::io::Error) -> Failure {
    Failure { code: 1, message: format!("cannot write {}: {error}", path.display()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_as_text_then_json() {
        assert_eq!(parse_value::<String>("42"), Ok("42".to_owned()));
        assert_eq!(parse_value::<i64>("42"), Ok(42));
        assert_eq!(parse_value::<Vec<i64>>("[1, 2]"), Ok(vec![1, 2]));
        assert_eq!(parse_value::<bool>("true"), Ok(true));
        assert!(parse_value::<i64>("many").unwrap_err().contains("`many` is not a valid value"));
    }

    #[test]
    fn exit_codes_tell_failures_apart() {
        let status: Error = Error::from(BuildError::new("bad"));
        assert_eq!(Failure::from(status).code, USAGE);
    }
}
