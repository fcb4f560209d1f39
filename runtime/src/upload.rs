//! `Form` and `File`: multipart/form-data bodies with file parts, for operations whose body
//! carries files. The parts are turned into a reqwest form anew for every attempt, so a body
//! of bytes or of a file on disk can be sent again when a call is retried.

use std::fmt;
use std::path::PathBuf;

use reqwest::multipart;

use crate::error::BuildError;

/// A multipart/form-data body: text fields and files, sent in the order they were added.
///
/// ```
/// use openapi_client_runtime::{File, Form};
///
/// let form = Form::new()
///     .text("mode", "append")
///     .file("file", File::from_bytes("name,email\nAda,ada@example.com\n").file_name("users.csv").content_type("text/csv"));
/// # let _ = form;
/// ```
#[derive(Debug, Default)]
pub struct Form {
    parts: Vec<(String, Part)>,
}

#[derive(Debug)]
enum Part {
    Text(String),
    File(File),
}

impl Form {
    pub fn new() -> Form {
        Form::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Form {
        self.parts.push((name.into(), Part::Text(value.into())));
        self
    }

    /// Adds a file.
    pub fn file(mut self, name: impl Into<String>, file: File) -> Form {
        self.parts.push((name.into(), Part::File(file)));
        self
    }

    /// The reqwest form for the next attempt, or `None` when a streamed file was already sent
    /// and cannot be read again.
    pub(crate) async fn next_form(&mut self) -> Result<Option<multipart::Form>, BuildError> {
        let mut form = multipart::Form::new();
        for (name, part) in &mut self.parts {
            let part = match part {
                Part::Text(text) => multipart::Part::text(text.clone()),
                Part::File(file) => match file.next_part().await? {
                    Some(part) => part,
                    None => return Ok(None),
                },
            };
            form = form.part(name.clone(), part);
        }
        Ok(Some(form))
    }
}

/// A file to upload: its content from bytes, a path or a stream, with an optional file name and
/// content type. A file from a path is opened and streamed when the request is sent, so large
/// files are never held in memory; a path's file name is used unless another is given.
pub struct File {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

enum Source {
    Bytes(bytes::Bytes),
    Path(PathBuf),
    /// Taken by the first attempt: a stream can be read only once.
    Stream(Option<reqwest::Body>),
}

impl File {
    pub fn from_bytes(bytes: impl Into<bytes::Bytes>) -> File {
        File::new(Source::Bytes(bytes.into()))
    }

    pub fn from_path(path: impl Into<PathBuf>) -> File {
        let path = path.into();
        let file_name = path.file_name().map(|it| it.to_string_lossy().into_owned());
        File { file_name, ..File::new(Source::Path(path)) }
    }

    /// A file read from `stream` as it is sent, such as a `tokio_util::io::ReaderStream`. It
    /// can be sent only once, so a call carrying it is never retried.
    pub fn from_stream<S>(stream: S) -> File
    where
        S: futures_util::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        bytes::Bytes: From<S::Ok>,
    {
        File::new(Source::Stream(Some(reqwest::Body::wrap_stream(stream))))
    }

    fn new(source: Source) -> File {
        File { source, file_name: None, content_type: None }
    }

    /// The file name sent with the part, such as `users.csv`.
    pub fn file_name(mut self, name: impl Into<String>) -> File {
        self.file_name = Some(name.into());
        self
    }

    /// The content type of the part, such as `text/csv`; without it the part is sent as
    /// `application/octet-stream`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> File {
        self.content_type = Some(content_type.into());
        self
    }

    async fn next_part(&mut self) -> Result<Option<multipart::Part>, BuildError> {
        let part = match &mut self.source {
            Source::Bytes(bytes) => multipart::Part::stream_with_length(bytes.clone(), bytes.len() as u64),
            Source::Path(path) => {
                let opened = async {
                    let file = tokio::fs::File::open(&*path).await?;
                    let length = file.metadata().await?.len();
                    Ok::<_, std::io::Error>((file, length))
                };
                let (file, length) = opened.await.map_err(|error| {
                    BuildError::new(format!("could not read the file `{}`: {error}", path.display()))
                })?;
                let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file));
                multipart::Part::stream_with_length(body, length)
            }
            Source::Stream(body) => match body.take() {
                Some(body) => multipart::Part::stream(body),
                None => return Ok(None),
            },
        };
        let part = match &self.file_name {
            Some(name) => part.file_name(name.clone()),
            None => part,
        };
        let content_type = self.content_type.as_deref().unwrap_or("application/octet-stream");
        let part = part
            .mime_str(content_type)
            .map_err(|_| BuildError::new(format!("`{content_type}` is not a valid content type")))?;
        Ok(Some(part))
    }

    /// Whether the content can be sent again.
    pub(crate) fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Stream(_))
    }
}

impl Form {
    pub(crate) fn is_replayable(&self) -> bool {
        self.parts.iter().all(|(_, part)| match part {
            Part::Text(_) => true,
            Part::File(file) => file.is_replayable(),
        })
    }
}

impl fmt::Debug for File {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::Path(path) => format!("{}", path.display()),
            Source::Stream(_) => "a stream".to_owned(),
        };
        formatter
            .debug_struct("File")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}
