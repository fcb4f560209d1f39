//! The Rust the generator writes, printed as prettyplease prints it: items, attributes and
//! types here, expressions, statements and patterns in [`expr`], macro arguments in
//! [`tokens`].
//!
//! Each construct opens and closes the same boxes and breaks that prettyplease's printer does
//! for the syntax tree syn would parse from the code, so the laid-out text is the text that
//! `prettyplease::unparse` prints (xtask's `every_corpus_document_generates` and
//! `snapshot_specs_lay_out_as_prettyplease` check every generated file against it). Only the
//! constructs the emitters use are here, and only in the forms they use them: no `where`
//! clauses, no attributes inside expressions.
//!
//! Items are printed by pairs of calls (`struct_open` … `close`) around their contents;
//! expressions and types, whose layout depends on how they nest, are small trees ([`Expr`],
//! [`Type`]) printed whole.

pub(crate) mod expr;
pub(crate) mod tokens;

use std::borrow::Cow;

pub(crate) use expr::{Arm, Expr, Pat, Stmt};
pub(crate) use tokens::Tt;

use crate::layout::{INDENT, Layout};

/// The code of one part of a generated file, as a file of its own.
#[derive(Clone)]
pub(crate) struct Code<'a> {
    layout: Layout<'a>,
}

/// A type as written in the generated code.
pub(crate) enum Type<'a> {
    /// A path, written as `prefix` then `name`, with generic arguments.
    Path {
        prefix: &'static str,
        name: Cow<'a, str>,
        args: Vec<Type<'a>>,
    },
    /// A lifetime argument, with its `'`.
    Lifetime(&'static str),
    Ref {
        lifetime: Option<&'static str>,
        mutable: bool,
        elem: Box<Type<'a>>,
    },
    Slice(Box<Type<'a>>),
    Unit,
    /// `impl Bound`.
    ImplTrait(Box<Type<'a>>),
}

impl<'a> Type<'a> {
    /// A path without generic arguments.
    pub(crate) fn path(name: impl Into<Cow<'a, str>>) -> Self {
        Type::Path { prefix: "", name: name.into(), args: Vec::new() }
    }

    /// A path with generic arguments.
    pub(crate) fn generic(name: impl Into<Cow<'a, str>>, args: Vec<Type<'a>>) -> Self {
        Type::Path { prefix: "", name: name.into(), args }
    }

    pub(crate) fn reference(elem: Type<'a>) -> Self {
        Type::Ref { lifetime: None, mutable: false, elem: Box::new(elem) }
    }
}

/// One argument of a list attribute (`#[derive(..)]`, `#[serde(..)]`).
pub(crate) enum Meta<'a> {
    /// A name or path: `Clone`, `default`, `clippy::too_many_arguments`.
    Word(&'a str),
    /// `name = "value"`, the value a printed literal.
    NameValue(&'a str, Cow<'a, str>),
}

/// A function parameter.
pub(crate) enum Param<'a> {
    /// `self`, `mut self`, `&self`: the receiver as written.
    Receiver(&'static str),
    Typed(Cow<'a, str>, Type<'a>),
}

/// A generic parameter of an item.
pub(crate) enum Generic<'a> {
    Lifetime(&'static str),
    /// `name: bound`.
    Bounded(&'static str, Type<'a>),
}

/// Visibility of an item or field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vis {
    Pub,
    Private,
}

impl<'a> Code<'a> {
    /// Starts a file (the whole of a part).
    pub(crate) fn new() -> Self {
        let mut layout = Layout::new();
        layout.cbox(0);
        Code { layout }
    }

    /// The finished text.
    pub(crate) fn finish(mut self) -> String {
        self.layout.end();
        self.layout.finish()
    }

    fn word(&mut self, text: impl Into<Cow<'a, str>>) {
        self.layout.word(text);
    }

    /// Outer doc comment lines, each with its leading space (or empty).
    pub(crate) fn doc(&mut self, lines: impl IntoIterator<Item = impl Into<Cow<'a, str>>>) {
        for line in lines {
            self.doc_attr(false, line.into());
        }
    }

    /// Inner doc comment lines (`//!`).
    pub(crate) fn inner_doc(&mut self, lines: impl IntoIterator<Item = impl Into<Cow<'a, str>>>) {
        for line in lines {
            self.doc_attr(true, line.into());
        }
    }

    /// A `#[doc]` attribute as prettyplease prints it: a line comment when it is one line
    /// (trailing spaces trimmed), else a block comment when it can be one, else the attribute.
    fn doc_attr(&mut self, inner: bool, text: Cow<'a, str>) {
        if !text.contains('\n') && (inner || !text.starts_with('/')) {
            self.word(if inner { "//!" } else { "///" });
            self.word(match text {
                Cow::Borrowed(text) => Cow::Borrowed(text.trim_end_matches(' ')),
                Cow::Owned(mut text) => {
                    text.truncate(text.trim_end_matches(' ').len());
                    Cow::Owned(text)
                }
            });
            self.layout.hardbreak();
        } else if can_be_block_comment(&text) && (inner || !text.starts_with(['*', '/'])) {
            let lines: Vec<&str> = text.split('\n').collect();
            let last = lines.len() - 1;
            let trimmed: Vec<&str> = lines
                .iter()
                .enumerate()
                .map(|(index, it)| if index < last { it.trim_end_matches(' ') } else { it })
                .collect();
            self.word(if inner { "/*!" } else { "/**" });
            self.word(trimmed.join("\n"));
            self.word("*/");
            self.layout.hardbreak();
        } else {
            self.word(if inner { "#![doc = " } else { "#[doc = " });
            self.word(string_literal(&text));
            self.word("]");
            self.layout.space();
        }
    }

    /// `#[name]`.
    pub(crate) fn attr_word(&mut self, name: &'a str) {
        self.word("#[");
        self.word(name);
        self.word("]");
        self.layout.space();
    }

    /// `#[name(arguments)]`.
    pub(crate) fn attr_list(&mut self, name: &'a str, arguments: impl IntoIterator<Item = Meta<'a>>) {
        self.word("#[");
        self.meta_list(name, arguments);
        self.word("]");
        self.layout.space();
    }

    /// `#![name(arguments)]`.
    pub(crate) fn inner_attr_list(&mut self, name: &'a str, arguments: impl IntoIterator<Item = Meta<'a>>) {
        self.word("#![");
        self.meta_list(name, arguments);
        self.word("]");
        self.layout.space();
    }

    fn meta_list(&mut self, name: &'a str, arguments: impl IntoIterator<Item = Meta<'a>>) {
        self.word(name);
        self.word("(");
        self.layout.cbox(INDENT);
        self.layout.zerobreak();
        for (index, argument) in arguments.into_iter().enumerate() {
            if index > 0 {
                self.word(",");
                self.layout.space();
            }
            match argument {
                Meta::Word(word) => self.word(word),
                Meta::NameValue(name, value) => {
                    self.word(name);
                    self.word(" = ");
                    self.word(value);
                }
            }
        }
        self.layout.zerobreak();
        self.layout.offset(-INDENT);
        self.layout.end();
        self.word(")");
    }

    /// `use path;`, the path written out (`crate::client::{Client, ClientBuilder}` included:
    /// a group that fits, which every import of ours does).
    pub(crate) fn use_item(&mut self, path: &'a str, group: &[&'a str]) {
        self.word("use ");
        self.word(path);
        if let [only] = group {
            self.word(*only);
        } else if !group.is_empty() {
            self.layout.cbox(INDENT);
            self.word("{");
            self.layout.zerobreak();
            self.layout.ibox(0);
            for (index, name) in group.iter().enumerate() {
                if index > 0 {
                    self.word(",");
                    self.layout.space();
                }
                self.word(*name);
            }
            self.layout.end();
            self.layout.trailing_comma(true);
            self.layout.offset(-INDENT);
            self.word("}");
            self.layout.end();
        }
        self.word(";");
        self.layout.hardbreak();
    }

    fn vis(&mut self, vis: Vis) {
        if vis == Vis::Pub {
            self.word("pub ");
        }
    }

    /// `struct name<generics> {`; fields follow, then [`close`](Self::close).
    pub(crate) fn struct_open(&mut self, vis: Vis, name: &'a str, generics: Vec<Generic<'a>>) {
        self.braced_item_open(vis, "struct ", name, generics);
    }

    fn braced_item_open(
        &mut self,
        vis: Vis,
        keyword: &'static str,
        name: &'a str,
        generics: Vec<Generic<'a>>,
    ) {
        self.layout.cbox(INDENT);
        self.vis(vis);
        self.word(keyword);
        self.word(name);
        self.generics(generics);
        self.layout.nbsp();
        self.word("{");
        self.layout.hardbreak_if_nonempty();
    }

    /// `struct name;`.
    pub(crate) fn unit_struct(&mut self, vis: Vis, name: &'a str) {
        self.layout.cbox(INDENT);
        self.vis(vis);
        self.word("struct ");
        self.word(name);
        self.word(";");
        self.layout.end();
        self.layout.hardbreak();
    }

    /// A named field, after its docs and attributes.
    pub(crate) fn field(&mut self, vis: Vis, name: &'a str, ty: Type<'a>) {
        self.vis(vis);
        self.word(name);
        self.word(": ");
        self.ty(ty);
        self.word(",");
        self.layout.hardbreak();
    }

    /// `enum name {`; variants follow, then [`close`](Self::close).
    pub(crate) fn enum_open(&mut self, vis: Vis, name: &'a str) {
        self.braced_item_open(vis, "enum ", name, Vec::new());
    }

    /// A variant, after its docs and attributes: `Name,` or `Name(field),`.
    pub(crate) fn variant(&mut self, name: &'a str, field: Option<Type<'a>>) {
        self.word(name);
        if let Some(field) = field {
            self.layout.cbox(INDENT);
            self.word("(");
            self.layout.zerobreak();
            self.ty(field);
            self.layout.trailing_comma(true);
            self.layout.offset(-INDENT);
            self.word(")");
            self.layout.end();
        }
        self.word(",");
        self.layout.hardbreak();
    }

    /// `impl<generics> trait for self_ty {` (or an inherent impl without `trait_`); items
    /// follow, then [`close`](Self::close).
    pub(crate) fn impl_open(
        &mut self,
        generics: Vec<Generic<'a>>,
        trait_: Option<Type<'a>>,
        self_ty: Type<'a>,
    ) {
        self.layout.cbox(INDENT);
        self.layout.ibox(-INDENT);
        self.layout.cbox(INDENT);
        self.word("impl");
        self.generics(generics);
        self.layout.end();
        self.layout.nbsp();
        if let Some(trait_) = trait_ {
            self.ty(trait_);
            self.layout.space();
            self.word("for ");
        }
        self.ty(self_ty);
        self.layout.end();
        self.layout.nbsp();
        self.word("{");
        self.layout.hardbreak_if_nonempty();
    }

    /// `fn name<generics>(params) -> ret {`, after its docs and attributes; statements follow,
    /// then [`close`](Self::close).
    pub(crate) fn fn_open(
        &mut self,
        vis: Vis,
        name: &'a str,
        generics: Vec<Generic<'a>>,
        params: Vec<Param<'a>>,
        ret: Option<Type<'a>>,
    ) {
        self.layout.cbox(INDENT);
        self.vis(vis);
        self.word("fn ");
        self.word(name);
        self.generics(generics);
        self.word("(");
        self.layout.neverbreak();
        list(&mut self.layout, 0, params, |layout, param| match param {
            Param::Receiver(receiver) => layout.word(receiver),
            Param::Typed(name, ty) => {
                layout.word(name);
                layout.word(": ");
                print_type(layout, ty);
            }
        });
        self.word(")");
        self.layout.cbox(-INDENT);
        if let Some(ret) = ret {
            self.word(" -> ");
            self.ty(ret);
        }
        self.layout.end();
        self.layout.nbsp();
        self.word("{");
        self.layout.hardbreak_if_nonempty();
    }

    /// The statements of a function body, the last one its value.
    pub(crate) fn stmts(&mut self, stmts: Vec<Stmt<'a>>) {
        for stmt in stmts {
            expr::stmt(&mut self.layout, stmt);
        }
    }

    /// `type name = ty;` in an impl.
    pub(crate) fn assoc_type(&mut self, name: &'a str, ty: Type<'a>) {
        self.layout.cbox(INDENT);
        self.word("type ");
        self.word(name);
        self.word(" = ");
        self.layout.neverbreak();
        self.layout.ibox(-INDENT);
        self.ty(ty);
        self.layout.end();
        self.word(";");
        self.layout.end();
        self.layout.hardbreak();
    }

    /// `const name: ty = value;`.
    pub(crate) fn const_item(&mut self, name: &'a str, ty: Type<'a>, value: Expr<'a>) {
        self.layout.cbox(0);
        self.word("const ");
        self.word(name);
        self.word(": ");
        self.ty(ty);
        self.word(" = ");
        self.layout.neverbreak();
        expr::expr(&mut self.layout, value);
        self.word(";");
        self.layout.end();
        self.layout.hardbreak();
    }

    /// `path!(arguments);` as an item.
    pub(crate) fn macro_item(&mut self, path: &'a str, arguments: Vec<Tt<'a>>) {
        tokens::mac(&mut self.layout, path, arguments);
        self.word(";");
        self.layout.hardbreak();
    }

    /// Closes the `{ … }` body of the innermost `struct_open`, `enum_open`, `impl_open` or
    /// `fn_open`.
    pub(crate) fn close(&mut self) {
        self.layout.offset(-INDENT);
        self.layout.end();
        self.word("}");
        self.layout.hardbreak();
    }

    fn generics(&mut self, generics: Vec<Generic<'a>>) {
        if generics.is_empty() {
            return;
        }
        self.word("<");
        list(&mut self.layout, 0, generics, |layout, generic| match generic {
            Generic::Lifetime(lifetime) => layout.word(lifetime),
            Generic::Bounded(name, bound) => {
                layout.word(name);
                layout.ibox(INDENT);
                layout.word(": ");
                print_type(layout, bound);
                layout.end();
            }
        });
        self.word(">");
    }

    pub(crate) fn ty(&mut self, ty: Type<'a>) {
        print_type(&mut self.layout, ty);
    }
}

/// The elements of a comma-separated list (call or generic arguments, parameters, array
/// elements) in a box that breaks one element per line, with a trailing comma, when the list
/// does not fit; the delimiters are the caller's.
pub(crate) fn list<'a, T>(
    layout: &mut Layout<'a>,
    offset: isize,
    items: Vec<T>,
    mut print: impl FnMut(&mut Layout<'a>, T),
) {
    layout.cbox(offset);
    layout.zerobreak();
    let count = items.len();
    for (index, item) in items.into_iter().enumerate() {
        print(layout, item);
        layout.trailing_comma(index + 1 == count);
    }
    layout.offset(-INDENT);
    layout.end();
}

/// Prints a type: a path's generic arguments are a list that breaks one per line.
pub(crate) fn print_type<'a>(layout: &mut Layout<'a>, ty: Type<'a>) {
    match ty {
        Type::Path { prefix, name, args } => {
            if !prefix.is_empty() {
                layout.word(prefix);
            }
            layout.word(name);
            if args.is_empty() {
                return;
            }
            layout.word("<");
            list(layout, INDENT, args, print_type);
            layout.word(">");
        }
        Type::Lifetime(lifetime) => layout.word(lifetime),
        Type::Ref { lifetime, mutable, elem } => {
            layout.word("&");
            if let Some(lifetime) = lifetime {
                layout.word(lifetime);
                layout.nbsp();
            }
            if mutable {
                layout.word("mut ");
            }
            print_type(layout, *elem);
        }
        Type::Slice(elem) => {
            layout.word("[");
            print_type(layout, *elem);
            layout.word("]");
        }
        Type::Unit => layout.word("()"),
        Type::ImplTrait(bound) => {
            layout.word("impl ");
            print_type(layout, *bound);
        }
    }
}

/// Whether `/*` and `*/` pair up in `text`, so that it can sit inside a block comment.
fn can_be_block_comment(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut index = 0;
    while index + 1 < bytes.len() {
        match (bytes[index], bytes[index + 1]) {
            (b'/', b'*') => {
                depth += 1;
                index += 2;
            }
            (b'*', b'/') => {
                let Some(outer) = depth.checked_sub(1) else { return false };
                depth = outer;
                index += 2;
            }
            _ => index += 1,
        }
    }
    depth == 0 && !text.ends_with('/')
}

/// A string literal as proc-macro2 prints it (and so as prettyplease writes it).
pub(crate) fn string_literal(value: &str) -> String {
    let plain = value.bytes().all(|it| (b' '..=b'~').contains(&it) && it != b'"' && it != b'\\');
    if plain {
        let mut literal = String::with_capacity(value.len() + 2);
        literal.push('"');
        literal.push_str(value);
        literal.push('"');
        literal
    } else {
        proc_macro2::Literal::string(value).to_string()
    }
}
