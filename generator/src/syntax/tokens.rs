//! Macro invocations: prettyplease cannot know the grammar of a macro's arguments, so it prints
//! them token by token, with a space wherever two tokens would otherwise run together (which
//! is why a type in a macro call reads `Option < models::Pet >`).

use std::borrow::Cow;

use super::Type;
use crate::layout::{INDENT, Layout};

/// A token of a macro's arguments.
pub(crate) enum Tt<'a> {
    Ident(Cow<'a, str>),
    /// A punctuation character, `joint` when the next one belongs to it (the first `:` of `::`).
    Punct(char, bool),
    Lit(Cow<'a, str>),
    /// `( … )`.
    Parens(Vec<Tt<'a>>),
}

/// `path!(arguments)`.
pub(crate) fn mac<'a>(layout: &mut Layout<'a>, path: &'a str, arguments: Vec<Tt<'a>>) {
    layout.word(path);
    layout.word("!(");
    if !arguments.is_empty() {
        layout.cbox(INDENT);
        layout.zerobreak();
        layout.ibox(0);
        tokens(layout, arguments);
        layout.end();
        layout.zerobreak();
        layout.offset(-INDENT);
        layout.end();
    }
    layout.word(")");
}

/// What the last token printed was, as far as spacing goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Ident,
    /// After `(`…`)` directly following a name.
    Delim,
    Colon,
    Colon2,
    Other,
}

fn tokens<'a>(layout: &mut Layout<'a>, tokens: Vec<Tt<'a>>) {
    let mut state = State::Start;
    let mut previous_is_joint = true;
    for token in tokens {
        let (needs_space, next) = match (&token, state) {
            (Tt::Parens(_), State::Ident) => (false, State::Delim),
            (Tt::Punct(':', _), State::Colon) => (false, State::Colon2),
            (Tt::Parens(_), _) => (true, State::Delim),
            (Tt::Ident(name), _) if is_keyword(name) => (true, State::Other),
            (Tt::Ident(_), _) => (state != State::Colon2, State::Ident),
            (Tt::Lit(_), _) => (true, State::Ident),
            (Tt::Punct(',' | ';', _), _) => (false, State::Other),
            (Tt::Punct(':', true), _) => (state != State::Ident, State::Colon),
            (Tt::Punct(..), _) => (true, State::Other),
        };
        if !previous_is_joint && needs_space {
            layout.space();
        }
        previous_is_joint = matches!(token, Tt::Punct(_, true));
        match token {
            Tt::Ident(text) | Tt::Lit(text) => layout.word(text),
            Tt::Punct(ch, _) => layout.word(punct(ch)),
            Tt::Parens(inner) => {
                layout.word("(");
                self::tokens(layout, inner);
                layout.word(")");
            }
        }
        state = next;
    }
}

fn punct(ch: char) -> &'static str {
    match ch {
        ',' => ",",
        ';' => ";",
        ':' => ":",
        '<' => "<",
        '>' => ">",
        _ => unreachable!("no other punctuation in macro arguments: {ch:?}"),
    }
}

/// The keywords that prettyplease spaces like punctuation.
fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "async"
            | "await"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
    )
}

/// The tokens of a type, to pass it to a macro.
pub(crate) fn type_tokens<'a>(ty: Type<'a>, out: &mut Vec<Tt<'a>>) {
    match ty {
        Type::Path { prefix, name, args } => {
            let mut segments = Vec::new();
            segments.extend(prefix.split("::").filter(|it| !it.is_empty()).map(Cow::Borrowed));
            match name {
                Cow::Borrowed(name) => segments.extend(name.split("::").map(Cow::Borrowed)),
                Cow::Owned(name) => segments.extend(name.split("::").map(|it| Cow::Owned(it.to_owned()))),
            }
            for (index, segment) in segments.into_iter().enumerate() {
                if index > 0 {
                    out.push(Tt::Punct(':', true));
                    out.push(Tt::Punct(':', false));
                }
                out.push(Tt::Ident(segment));
            }
            if args.is_empty() {
                return;
            }
            out.push(Tt::Punct('<', false));
            for (index, arg) in args.into_iter().enumerate() {
                if index > 0 {
                    out.push(Tt::Punct(',', false));
                }
                type_tokens(arg, out);
            }
            out.push(Tt::Punct('>', false));
        }
        Type::Unit => out.push(Tt::Parens(Vec::new())),
        Type::Lifetime(_) | Type::Ref { .. } | Type::Slice(_) | Type::ImplTrait(_) => {
            unreachable!("generator bug: only paths and `()` are passed to macros")
        }
    }
}
