//! Emission: a mechanical translation of [`crate::model`] into token streams, one item at a
//! time, written as `quote!` templates so that each emitter shows the Rust it writes.
//!
//! Nothing here can fail and nothing here decides: every choice was made by `lower`. Each file
//! is a list of [`Part`]s that are emitted and formatted one at a time, so a large API never
//! has all of its tokens or syntax trees in memory at once, and parts can be spread over
//! threads.

mod cli;
mod mock;
mod models;
mod operations;
mod responses;
mod security;

use std::borrow::Cow;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, Group, Operation, SecurityScheme, Setting, TypeDef, TypeRef};
use crate::names::unraw;

/// Every generated file's name (relative to `src/generated/`) and its parts in order: the
/// models, the operations module and a module of it per group, the command line (named
/// `cli_name`), then the mocks like the operations.
pub(crate) fn files<'a>(api: &'a Api, cli_name: &'a str) -> Vec<(String, Vec<Part<'a>>)> {
    let mut files = vec![
        ("models.rs".to_owned(), models::parts(api)),
        ("operations.rs".to_owned(), operations::parts(api)),
    ];
    for group in &api.groups {
        files.push((format!("operations/{}.rs", unraw(&group.name)), operations::group_parts(api, group)));
    }
    files.push(("cli.rs".to_owned(), vec![Part::Cli(cli_name)]));
    files.push(("mock.rs".to_owned(), mock::parts(api)));
    for group in &api.groups {
        files.push((format!("mock/{}.rs", unraw(&group.name)), mock::group_parts(api, group)));
    }
    files
}

/// One piece of a generated file that is emitted and formatted on its own.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Part<'a> {
    ModelsHeader,
    Type(&'a TypeDef),
    OperationsHeader,
    Scheme(&'a SecurityScheme),
    /// The client builder method of a path setting.
    Setting(&'a Setting),
    /// The method of `impl Client` that returns a group's handle.
    Accessor(&'a Group),
    /// A method of `impl Client` or of a group's handle; the impl's braces are parts of their
    /// own around the methods.
    Method(&'a Operation),
    /// The inner doc and imports of a group's module, and its handle type.
    GroupHeader(&'a Group),
    /// `impl<'a> Handle<'a> {`, before the group's methods.
    HandleOpen(&'a Group),
    Builder(&'a Operation),
    ResponseTypes(&'a Operation),
    ErrorBodies,
    /// The inner doc, imports and group modules of the mock module.
    MockHeader,
    /// The inner doc and imports of a group's mock module.
    MockGroupHeader(&'a Group),
    /// An operation's mock function and builder.
    Mock(&'a Operation),
    /// The whole command-line module, for a tool of this name.
    Cli(&'a str),
    /// Text written as it is.
    Text(&'static str),
}

/// What a part emits, ready to be formatted.
pub(crate) enum Code {
    /// Items (or a file header) that parse as a file.
    Items(TokenStream),
    /// One method, which parses inside the `impl` whose header (`impl Client`) comes first.
    ImplItem {
        header: TokenStream,
        item: TokenStream,
    },
    Text(String),
}

pub(crate) fn emit_part(api: &Api, part: Part<'_>) -> Code {
    match part {
        Part::ModelsHeader => Code::Items(models::emit_header(api)),
        Part::Type(def) => Code::Items(models::emit_type(def)),
        Part::OperationsHeader => Code::Items(operations::emit_header(api)),
        Part::Scheme(scheme) => Code::Items(security::emit_scheme(scheme)),
        Part::Setting(setting) => Code::Items(operations::emit_setting(setting)),
        Part::Accessor(group) => {
            Code::ImplItem { header: quote!(impl Client), item: operations::emit_accessor(group) }
        }
        Part::Method(operation) => Code::ImplItem {
            header: operations::impl_header(operation),
            item: operations::emit_method(operation),
        },
        Part::GroupHeader(group) => Code::Items(operations::emit_group_header(api, group)),
        Part::HandleOpen(group) => Code::Text(format!("impl<'a> {}<'a> {{\n", unraw(&group.type_name))),
        Part::Builder(operation) => Code::Items(operations::emit_builder(operation, &api.settings)),
        Part::ResponseTypes(operation) => Code::Items(responses::emit_response_types(operation)),
        Part::ErrorBodies => Code::Items(responses::emit_error_body_impls(api)),
        Part::MockHeader => Code::Items(mock::emit_header(api)),
        Part::MockGroupHeader(group) => Code::Items(mock::emit_group_header(api, group)),
        Part::Mock(operation) => Code::Items(mock::emit_mock(operation)),
        Part::Cli(name) => Code::Items(cli::emit_cli(api, name)),
        Part::Text(text) => Code::Text(text.to_owned()),
    }
}

/// An identifier from a name that `names` made valid (raw identifiers included).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a use site; named types are written `models::Name` outside the models
/// module (`in_models` false).
pub(crate) fn type_tokens(ty: &TypeRef, in_models: bool) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer => quote!(i64),
        TypeRef::UnsignedInteger => quote!(u64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Form => quote!(crate::Form),
        TypeRef::Vec(item) => {
            let item = type_tokens(item, in_models);
            quote!(Vec<#item>)
        }
        TypeRef::Option(value) => {
            let value = type_tokens(value, in_models);
            quote!(Option<#value>)
        }
        TypeRef::Map(value) if **value == TypeRef::Json => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Map(value) => {
            let value = type_tokens(value, in_models);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Named { name, boxed } => {
            let name = ident(name);
            let named = if in_models { quote!(#name) } else { quote!(models::#name) };
            if *boxed { quote!(Box<#named>) } else { named }
        }
    }
}

/// `#[doc]` attributes of lines that are already rustdoc-safe (each with a leading space, or
/// empty); prettyplease prints each as a `///` line.
pub(crate) fn doc_attrs<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> TokenStream {
    let lines = lines.into_iter().map(|line| line.as_ref().to_owned());
    quote!(#(#[doc = #lines])*)
}

/// `#![doc]` attributes (a module's own doc, `//!`) of rustdoc-safe lines.
pub(crate) fn inner_doc_attrs<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> TokenStream {
    let lines = lines.into_iter().map(|line| line.as_ref().to_owned());
    quote!(#(#![doc = #lines])*)
}

/// The doc comment of spec text, made safe for rustdoc: bare URLs are wrapped in `<…>`,
/// HTML-like tags and stray brackets are escaped, and code fences become `text` blocks so they
/// are never compiled as doctests.
pub(crate) fn spec_doc(text: &str) -> TokenStream {
    doc_attrs(doc_lines(text))
}

/// The doc comment of text the generator writes itself (intra-doc links and all).
pub(crate) fn own_doc(text: &str) -> TokenStream {
    doc_attrs(text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }))
}

pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            lines.push(if in_fence { " ```".to_owned() } else { " ```text".to_owned() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            lines.push(format!(" {line}"));
            continue;
        }
        // Indentation would make rustdoc read a code block (and a doctest); lists keep
        // working with the indentation of their markers removed.
        lines.push(doc_line(trimmed));
    }
    if in_fence {
        lines.push(" ```".to_owned());
    }
    lines
}

/// One line of spec text made rustdoc-safe, with the leading space (empty when blank).
pub(crate) fn doc_line(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    // Most lines have nothing to escape or link.
    let plain =
        !text.bytes().any(|it| matches!(it, b'<' | b'>' | b'&' | b'[' | b']')) && !text.contains("http");
    let safe =
        if plain { Cow::Borrowed(text) } else { Cow::Owned(wrap_urls(&escape_brackets(&escape_html(text)))) };
    if safe.is_empty() { String::new() } else { format!(" {safe}") }
}

/// Escapes HTML-like text (`<id>` would be read as a tag), keeping `<https://…>` autolinks.
fn escape_html(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut autolink_end = None;
    for (index, it) in line.char_indices() {
        match it {
            '<' if autolink_end.is_none() && is_autolink(&line[index..]) => {
                autolink_end = line[index..].find('>').map(|end| index + end);
                out.push('<');
            }
            '>' if autolink_end == Some(index) => {
                autolink_end = None;
                out.push('>');
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(it),
        }
    }
    out
}

/// `<http://…>` or `<https://…>` with no space before the closing `>`.
fn is_autolink(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('<') else { return false };
    (rest.starts_with("http://") || rest.starts_with("https://"))
        && rest.find('>').is_some_and(|end| !rest[..end].contains(char::is_whitespace))
}

/// Escapes `[` and `]` unless they form a Markdown link `[text](target)` whose target is a
/// URL, path or anchor on the same line; anything else in brackets would be read as an
/// intra-doc link to a Rust item that does not exist.
fn escape_brackets(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut keep = vec![false; chars.len()];
    for (open, it) in chars.iter().enumerate() {
        if *it != '[' {
            continue;
        }
        let Some(close) = chars[open..].iter().position(|c| *c == ']').map(|it| open + it) else { continue };
        if chars.get(close + 1) != Some(&'(') {
            continue;
        }
        let Some(end) = chars[close..].iter().position(|c| *c == ')').map(|it| close + it) else { continue };
        let target: String = chars[close + 2..end].iter().collect();
        // `[text](url)` or `[text](url "title")`.
        let (url, title) = target.split_once(' ').unwrap_or((&target, ""));
        let title = title.trim();
        let titled = title.is_empty() || (title.len() >= 2 && title.starts_with('"') && title.ends_with('"'));
        let link_like =
            ["http://", "https://", "mailto:", "/", "#", "./", "../"].iter().any(|it| url.starts_with(it));
        if link_like && titled {
            keep[open] = true;
            keep[close] = true;
        }
    }
    let mut out = String::with_capacity(line.len());
    for (index, it) in chars.iter().enumerate() {
        if (*it == '[' || *it == ']') && !keep[index] {
            out.push('\\');
        }
        out.push(*it);
    }
    out
}

/// Wraps bare `http(s)://` URLs in `<…>` so rustdoc links them instead of warning; URLs that
/// are already link targets or autolinks are left alone.
fn wrap_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = [rest.find("http://"), rest.find("https://")].into_iter().flatten().min() {
        let before = &rest[..start];
        // A link target (not of an escaped, broken link) or an autolink already links.
        let in_link = (before.ends_with("](") && !before.ends_with("\\](")) || before.ends_with('<');
        let length = rest[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '`' | '\\' | '<' | '>' | '&'))
            .unwrap_or(rest.len() - start);
        let mut url = &rest[start..start + length];
        // Sentence punctuation after a URL is not part of it.
        while url.ends_with(['.', ',', ';', ':', '!', '?']) {
            url = &url[..url.len() - 1];
        }
        out.push_str(before);
        if in_link {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &rest[start + url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_lines_are_rustdoc_safe() {
        let cases: [(&str, &[&str]); 13] = [
            ("Gets a list of user profiles", &[" Gets a list of user profiles"]),
            ("first\n\nsecond", &[" first", "", " second"]),
            ("See https://docs.example.com/x.", &[" See <https://docs.example.com/x>."]),
            ("[link](https://example.com) and [stray]", &[" [link](https://example.com) and \\[stray\\]"]),
            (
                "A [JSONata] (https://jsonata.org/) expression",
                &[" A \\[JSONata\\] (<https://jsonata.org/>) expression"],
            ),
            (
                "see <https://example.com/a> or (https://b.org)",
                &[" see <https://example.com/a> or (<https://b.org>)"],
            ),
            (
                "a [Disk](omicron_common::Disk) and [expand](em>#x)",
                &[" a \\[Disk\\](omicron_common::Disk) and \\[expand\\](em&gt;#x)"],
            ),
            ("[FinancialAccount](/docs/api/treasury", &[" \\[FinancialAccount\\](/docs/api/treasury"]),
            (
                "[BIND](https://w.org/Zone \"Zone file\") here",
                &[" [BIND](https://w.org/Zone \"Zone file\") here"],
            ),
            (
                "Asana\nlibrary](https://github.com/a) used",
                &[" Asana", " library\\](<https://github.com/a>) used"],
            ),
            ("use <id> & more", &[" use &lt;id&gt; &amp; more"]),
            ("    indented code", &[" indented code"]),
            ("```\nlet x = 1;\n```", &[" ```text", " let x = 1;", " ```"]),
        ];
        for (text, expected) in cases {
            assert_eq!(doc_lines(text), expected, "{text:?}");
        }
    }
}
