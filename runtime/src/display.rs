//! How errors and clients show text they do not control: response bodies and messages cut to a
//! bounded length with control characters escaped, and URLs without their userinfo. Every
//! `Display` and `Debug` of the runtime goes through here, so none can grow with a response.

use std::borrow::Cow;
use std::fmt::Write;

/// How many characters of a response body an error message quotes before cutting it off.
pub(crate) const BODY_SNIPPET_CHARS: usize = 200;

/// How many characters of any other text from outside (a decoder's message, which can quote a
/// whole string from the body; the causes of a transport error) a message quotes.
pub(crate) const TEXT_CHARS: usize = 300;

/// The start of a body for an error message: at most [`BODY_SNIPPET_CHARS`] characters, with
/// its length in bytes when it was cut.
pub(crate) fn body_snippet(body: &[u8]) -> String {
    if body.trim_ascii().is_empty() {
        return "(empty body)".to_owned();
    }
    // A character takes at most four bytes, so this prefix holds every character shown; only it
    // is decoded, however large the body.
    let shown = &body[..body.len().min(BODY_SNIPPET_CHARS * 4)];
    let (mut snippet, whole) = escaped_prefix(&String::from_utf8_lossy(shown), BODY_SNIPPET_CHARS);
    if !whole || shown.len() < body.len() {
        write!(snippet, "… ({} bytes)", body.len()).expect("writing to a String cannot fail");
    }
    snippet
}

/// `text` with control characters escaped (so a server cannot rewrite a terminal or split a log
/// line), cut after `max` characters and marked with `…` when it was.
pub(crate) fn cut(text: &str, max: usize) -> String {
    let (mut shown, whole) = escaped_prefix(text, max);
    if !whole {
        shown.push('…');
    }
    shown
}

/// The first `max` characters of `text`, control characters escaped, and whether that was all.
fn escaped_prefix(text: &str, max: usize) -> (String, bool) {
    let mut shown = String::with_capacity(text.len().min(max));
    for (index, character) in text.chars().enumerate() {
        if index == max {
            return (shown, false);
        }
        if character.is_control() {
            shown.extend(character.escape_default());
        } else {
            shown.push(character);
        }
    }
    (shown, true)
}

/// A URL as text with its userinfo (`user:password@`) replaced by `***`, for messages and
/// `Debug`. It works on text, since an invalid URL is shown too; without a parse to go by,
/// everything from the scheme to the last `@` before the query may be userinfo, so a path
/// holding an `@` loses more than the userinfo, never less.
pub(crate) fn redact_userinfo(url: &str) -> Cow<'_, str> {
    // Without `://` the text may be `user:password@host` with the scheme forgotten.
    let authority = url.find("://").map_or(0, |scheme_end| scheme_end + 3);
    let rest = &url[authority..];
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}***@{}", &url[..authority], &rest[at + 1..])),
        None => Cow::Borrowed(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets() {
        let cases = [
            ("", "(empty body)".to_owned()),
            ("  \n", "(empty body)".to_owned()),
            (r#"{"detail":"boom"}"#, r#"{"detail":"boom"}"#.to_owned()),
            ("line\nbreak\u{1b}[2J", r"line\nbreak\u{1b}[2J".to_owned()),
            (&"x".repeat(200), "x".repeat(200)),
            (&"x".repeat(201), format!("{}… (201 bytes)", "x".repeat(200))),
            (&"é".repeat(300), format!("{}… (600 bytes)", "é".repeat(200))),
            (&"x".repeat(5_000_000), format!("{}… (5000000 bytes)", "x".repeat(200))),
        ];
        for (body, expected) in cases {
            assert_eq!(body_snippet(body.as_bytes()), expected, "{}", body.len());
        }
        assert_eq!(body_snippet(b"oops \xff\xfe"), "oops \u{fffd}\u{fffd}");
    }

    #[test]
    fn cuts() {
        let cases = [
            ("short", 10, "short"),
            ("exactly10!", 10, "exactly10!"),
            ("eleven char", 10, "eleven cha…"),
            ("tab\there", 10, r"tab\there"),
            ("nul\0", 10, r"nul\u{0}"),
        ];
        for (text, max, expected) in cases {
            assert_eq!(cut(text, max), expected, "{text}");
        }
    }

    #[test]
    fn userinfo_is_redacted() {
        let cases = [
            ("https://tenant.example.com/api", "https://tenant.example.com/api"),
            ("https://user:password@tenant.example.com/api", "https://***@tenant.example.com/api"),
            ("https://user@tenant.example.com", "https://***@tenant.example.com"),
            ("https://user:pa/ss@host:99999", "https://***@host:99999"),
            ("https://us@er:p@ss@host/?to=a@b#c@d", "https://***@host/?to=a@b#c@d"),
            ("https://host/?to=a@b", "https://host/?to=a@b"),
            ("https://host/a@b", "https://***@b"),
            ("user:password@host", "***@host"),
            ("tenant.example.com", "tenant.example.com"),
        ];
        for (url, expected) in cases {
            assert_eq!(redact_userinfo(url), expected, "{url}");
        }
    }
}
