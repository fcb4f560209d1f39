//! Macro invocations: prettyplease cannot know the grammar of a macro's arguments, so it prints
//! them token by token, with a space wherever two tokens would otherwise run together.

use std::borrow::Cow;

use crate::layout::{INDENT, Layout};

/// A token of a macro's arguments.
pub(crate) enum Tt<'a> {
    Ident(Cow<'a, str>),
    /// A punctuation character, `joint` when the next one belongs to it (the first `:` of `::`).
    Punct(char, bool),
    Lit(Cow<'a, str>),
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
    Colon,
    Colon2,
    Other,
}

fn tokens<'a>(layout: &mut Layout<'a>, tokens: Vec<Tt<'a>>) {
    let mut state = State::Start;
    let mut previous_is_joint = true;
    for token in tokens {
        let (needs_space, next) = match (&token, state) {
            (Tt::Punct(':', _), State::Colon) => (false, State::Colon2),
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
