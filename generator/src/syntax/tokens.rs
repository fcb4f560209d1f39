//! Macro invocations: prettyplease cannot know the grammar of a macro's arguments, so it prints
//! them token by token, with a space wherever two tokens would otherwise run together.

use std::borrow::Cow;

use crate::layout::{INDENT, Layout};

/// A token of a macro's arguments: the generator passes names and literals, separated by
/// commas (`format!("/a/{}", r#type)`, `encoding_methods!(Create, Json, Multipart)`).
pub(crate) enum Tt<'a> {
    /// A name or a literal, as written.
    Word(Cow<'a, str>),
    Comma,
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

/// The arguments as prettyplease spaces tokens it does not know the grammar of: for names,
/// literals and commas, a breakable space before every token but the first and the commas.
fn tokens<'a>(layout: &mut Layout<'a>, tokens: Vec<Tt<'a>>) {
    for (index, token) in tokens.into_iter().enumerate() {
        match token {
            Tt::Comma => layout.word(","),
            Tt::Word(text) => {
                if index > 0 {
                    layout.space();
                }
                layout.word(text);
            }
        }
    }
}
