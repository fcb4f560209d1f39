//! Diagnostics: what is wrong with the input, and where (RFC 6901 JSON pointers).
//!
//! The generator only sees the merged document, so it fills `pointer` and leaves `file` empty;
//! xtask fills `file` from its source map before printing.

use std::borrow::Cow;
use std::fmt;

/// How bad a finding is: errors stop generation, warnings are printed and generation goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about the input document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// The fragment file the finding is in, when known (filled in by the caller of the generator).
    pub file: Option<String>,
    /// RFC 6901 pointer into the merged document.
    pub pointer: String,
    pub severity: Severity,
    pub message: String,
    /// 1-based line and column in `file`, for findings tied to the text (syntax errors).
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: None,
            pointer: pointer.into(),
            severity: Severity::Error,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: None,
            pointer: pointer.into(),
            severity: Severity::Warning,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders as `file:line:column: pointer: severity: message`, leaving out what is unknown.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let (Some(line), Some(column)) = (self.line, self.column) {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, ": ")?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{pointer}: {severity}: {}", self.message)
    }
}

/// Escapes one reference token of a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Undoes [`escape_token`].
pub fn unescape_token(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Builds a pointer from unescaped reference tokens.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    tokens.into_iter().fold(String::new(), |mut acc, token| {
        acc.push('/');
        acc.push_str(&escape_token(token.as_ref()));
        acc
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_escape_and_unescape() {
        let cases = [("plain", "plain"), ("/pets/{id}", "~1pets~1{id}"), ("a~b", "a~0b"), ("~1", "~01")];
        for (token, escaped) in cases {
            assert_eq!(escape_token(token), escaped);
            assert_eq!(unescape_token(escaped), token);
        }
    }

    #[test]
    fn pointer_joins_escaped_tokens() {
        assert_eq!(pointer(["paths", "/pets/{id}", "get"]), "/paths/~1pets~1{id}/get");
        assert_eq!(pointer(Vec::<String>::new()), "");
    }

    #[test]
    fn display_names_file_and_pointer() {
        let mut diagnostic =
            Diagnostic::error("/paths/~1pets/get", "unknown schema '#/components/schemas/Pett'");
        assert_eq!(
            diagnostic.to_string(),
            "/paths/~1pets/get: error: unknown schema '#/components/schemas/Pett'"
        );
        diagnostic.file = Some("specs/pets/get_pet.yaml".into());
        assert_eq!(
            diagnostic.to_string(),
            "specs/pets/get_pet.yaml: /paths/~1pets/get: error: unknown schema '#/components/schemas/Pett'"
        );
        diagnostic.line = Some(3);
        diagnostic.column = Some(14);
        assert_eq!(
            diagnostic.to_string(),
            "specs/pets/get_pet.yaml:3:14: /paths/~1pets/get: error: unknown schema '#/components/schemas/Pett'"
        );
    }
}
