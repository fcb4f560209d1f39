//! Expressions, statements and patterns, and how prettyplease prints each.
//!
//! prettyplease lays out a chain of calls differently at the start of a statement (where a
//! short receiver such as `self` or `f` keeps its first call on its line) than inside an
//! expression; `start` carries that, as `beginning_of_line` does there.

use std::borrow::Cow;

use super::{Tt, list};
use crate::layout::{INDENT, Layout};

pub(crate) enum Expr<'a> {
    /// A path or a single name: `self`, `None`, `Self::Active`, `crate::BodyEncoding::Json`.
    Path(Cow<'a, str>),
    /// A literal as printed: `"text"`, `200`.
    Lit(Cow<'a, str>),
    Call(Box<Expr<'a>>, Vec<Expr<'a>>),
    Method(Box<Expr<'a>>, &'a str, Vec<Expr<'a>>),
    Field(Box<Expr<'a>>, Cow<'a, str>),
    /// `Path { field: value, shorthand }`.
    Struct(Cow<'a, str>, Vec<FieldValue<'a>>),
    Ref(Box<Expr<'a>>),
    Try(Box<Expr<'a>>),
    Array(Vec<Expr<'a>>),
    Match(Box<Expr<'a>>, Vec<Arm<'a>>),
    Macro(&'a str, Vec<Tt<'a>>),
    Assign(Box<Expr<'a>>, Box<Expr<'a>>),
    /// `if let pat = value { body }`.
    IfLet(Pat<'a>, Box<Expr<'a>>, Vec<Stmt<'a>>),
}

/// A field of a struct expression; no value is the shorthand `name`.
pub(crate) struct FieldValue<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) value: Option<Expr<'a>>,
}

pub(crate) struct Arm<'a> {
    pub(crate) pat: Pat<'a>,
    pub(crate) body: Expr<'a>,
}

pub(crate) enum Pat<'a> {
    /// A binding, a constant or a unit variant.
    Path(Cow<'a, str>),
    /// `mut name`.
    Mut(Cow<'a, str>),
    Lit(Cow<'a, str>),
    TupleStruct(Cow<'a, str>, Vec<Pat<'a>>),
    Or(Vec<Pat<'a>>),
    /// `low..=high`.
    Range(Cow<'a, str>, Cow<'a, str>),
    Wild,
}

pub(crate) enum Stmt<'a> {
    Let(Pat<'a>, Expr<'a>),
    /// An expression statement with its `;`.
    Semi(Expr<'a>),
    /// An expression without `;`: the value of a block, or an `if`.
    Expr(Expr<'a>),
}

impl<'a> Expr<'a> {
    pub(crate) fn path(path: impl Into<Cow<'a, str>>) -> Self {
        Expr::Path(path.into())
    }

    pub(crate) fn lit(literal: impl Into<Cow<'a, str>>) -> Self {
        Expr::Lit(literal.into())
    }

    /// A string literal.
    pub(crate) fn str(value: &str) -> Self {
        Expr::Lit(Cow::Owned(super::string_literal(value)))
    }

    pub(crate) fn call(function: Expr<'a>, args: Vec<Expr<'a>>) -> Self {
        Expr::Call(Box::new(function), args)
    }

    pub(crate) fn method(self, name: &'a str, args: Vec<Expr<'a>>) -> Self {
        Expr::Method(Box::new(self), name, args)
    }

    pub(crate) fn field(self, name: impl Into<Cow<'a, str>>) -> Self {
        Expr::Field(Box::new(self), name.into())
    }

    pub(crate) fn reference(self) -> Self {
        Expr::Ref(Box::new(self))
    }

    pub(crate) fn try_(self) -> Self {
        Expr::Try(Box::new(self))
    }
}

pub(crate) fn expr<'a>(layout: &mut Layout<'a>, expr: Expr<'a>) {
    match expr {
        Expr::Path(path) => layout.word(path),
        Expr::Lit(literal) => layout.word(literal),
        Expr::Call(function, args) => {
            expr_at(layout, *function, false);
            call_args(layout, args);
        }
        Expr::Method(receiver, name, args) => method_call(layout, *receiver, name, args, false),
        Expr::Field(base, member) => field(layout, *base, member, false),
        Expr::Struct(path, fields) => struct_expr(layout, path, fields),
        Expr::Ref(inner) => {
            layout.word("&");
            self::expr(layout, *inner);
        }
        Expr::Try(inner) => {
            expr_at(layout, *inner, false);
            layout.word("?");
        }
        Expr::Array(elements) => {
            layout.word("[");
            list(layout, INDENT, elements, self::expr);
            layout.word("]");
        }
        Expr::Match(scrutinee, arms) => match_expr(layout, *scrutinee, arms),
        Expr::Macro(path, arguments) => super::tokens::mac(layout, path, arguments),
        Expr::Assign(left, right) => {
            layout.ibox(0);
            self::expr(layout, *left);
            layout.word(" = ");
            layout.neverbreak();
            self::expr(layout, *right);
            layout.end();
        }
        Expr::IfLet(pat, value, body) => if_let(layout, pat, *value, body),
    }
}

/// An expression where `start` says whether it begins a statement.
fn expr_at<'a>(layout: &mut Layout<'a>, expr: Expr<'a>, start: bool) {
    match expr {
        Expr::Method(receiver, name, args) => method_call(layout, *receiver, name, args, start),
        Expr::Field(base, member) => field(layout, *base, member, start),
        Expr::Try(inner) => {
            expr_at(layout, *inner, start);
            layout.word("?");
        }
        other => self::expr(layout, other),
    }
}

/// The receiver part of a chain of calls, fields and `?`.
fn prefix<'a>(layout: &mut Layout<'a>, expr: Expr<'a>, start: bool) {
    match expr {
        Expr::Call(function, args) => {
            prefix(layout, *function, false);
            call_args(layout, args);
        }
        Expr::Field(base, member) => prefix_field(layout, *base, member, start),
        Expr::Method(receiver, name, args) => prefix_method(layout, *receiver, name, args, start, false),
        Expr::Try(inner) => {
            prefix(layout, *inner, start);
            layout.word("?");
        }
        other => {
            layout.cbox(-INDENT);
            self::expr(layout, other);
            layout.end();
        }
    }
}

fn method_call<'a>(
    layout: &mut Layout<'a>,
    receiver: Expr<'a>,
    name: &'a str,
    args: Vec<Expr<'a>>,
    start: bool,
) {
    layout.cbox(INDENT);
    let unindent_args = start && is_short_name(&receiver);
    prefix_method(layout, receiver, name, args, start, unindent_args);
    layout.end();
}

fn prefix_method<'a>(
    layout: &mut Layout<'a>,
    receiver: Expr<'a>,
    name: &'a str,
    args: Vec<Expr<'a>>,
    start: bool,
    unindent_args: bool,
) {
    let short = is_short_name(&receiver);
    prefix(layout, receiver, start);
    if !(start && short) {
        layout.zerobreak();
    }
    layout.word(".");
    layout.word(name);
    layout.cbox(if unindent_args { -INDENT } else { 0 });
    call_args(layout, args);
    layout.end();
}

fn field<'a>(layout: &mut Layout<'a>, base: Expr<'a>, member: Cow<'a, str>, start: bool) {
    layout.cbox(INDENT);
    prefix_field(layout, base, member, start);
    layout.end();
}

fn prefix_field<'a>(layout: &mut Layout<'a>, base: Expr<'a>, member: Cow<'a, str>, start: bool) {
    let short = is_short_name(&base);
    prefix(layout, base, start);
    if !(start && short) {
        layout.zerobreak();
    }
    layout.word(".");
    layout.word(member);
}

/// `(args)`: one per line when they do not fit, except that a lone struct or array argument
/// keeps its own braces on the call's line.
fn call_args<'a>(layout: &mut Layout<'a>, args: Vec<Expr<'a>>) {
    layout.word("(");
    if let [Expr::Struct(..) | Expr::Array(..)] = args.as_slice() {
        let arg = args.into_iter().next().expect("one argument");
        expr(layout, arg);
    } else {
        list(layout, INDENT, args, expr);
    }
    layout.word(")");
}

/// A struct expression wider than this is broken over lines even when it fits.
const STRUCT_MAX_WIDTH: isize = 34;

fn struct_expr<'a>(layout: &mut Layout<'a>, path: Cow<'a, str>, fields: Vec<FieldValue<'a>>) {
    layout.cbox(INDENT);
    layout.ibox(-INDENT);
    layout.word(path);
    layout.end();
    layout.word(" {");
    layout.space_if_nonempty();
    let count = fields.len();
    for (index, field) in fields.into_iter().enumerate() {
        layout.word(field.name);
        if let Some(value) = field.value {
            layout.word(": ");
            layout.ibox(0);
            expr(layout, value);
            layout.end();
        }
        layout.trailing_comma_or_space(index + 1 == count);
    }
    layout.offset(-INDENT);
    layout.end_with_max_width(STRUCT_MAX_WIDTH);
    layout.word("}");
}

fn match_expr<'a>(layout: &mut Layout<'a>, scrutinee: Expr<'a>, arms: Vec<Arm<'a>>) {
    layout.ibox(0);
    layout.word("match ");
    condition(layout, needs_newline_if_wrapped(&scrutinee), |layout| self::expr(layout, scrutinee));
    layout.word("{");
    layout.neverbreak();
    layout.cbox(INDENT);
    layout.hardbreak_if_nonempty();
    for arm in arms {
        layout.ibox(0);
        pat(layout, arm.pat);
        layout.word(" => ");
        // A body that does not fit goes on lines of its own, in braces.
        layout.neverbreak();
        layout.cbox(INDENT);
        layout.conditional_break(0, Some('{'), "", None);
        let needs_comma = !matches!(arm.body, Expr::Match(..) | Expr::IfLet(..));
        let semi = matches!(arm.body, Expr::Assign(..));
        expr_at(layout, arm.body, true);
        layout.conditional_break(-INDENT, semi.then_some(';'), "}", needs_comma.then_some(','));
        layout.end();
        layout.end();
        layout.hardbreak();
    }
    layout.offset(-INDENT);
    layout.end();
    layout.word("}");
    layout.end();
}

/// The scrutinee of a `match` or the condition of an `if`, printed by `print`, and the space
/// before its `{`: a break where prettyplease would put the `{` on a line of its own if the
/// condition wrapped (after a call chain or a field).
fn condition<'a>(layout: &mut Layout<'a>, breaks_before_brace: bool, print: impl FnOnce(&mut Layout<'a>)) {
    layout.cbox(0);
    print(layout);
    if breaks_before_brace {
        layout.space();
    } else {
        layout.nbsp();
    }
    layout.end();
}

fn needs_newline_if_wrapped(expr: &Expr) -> bool {
    match expr {
        Expr::Assign(..) | Expr::Field(..) | Expr::Method(..) => true,
        Expr::Call(inner, _) | Expr::Ref(inner) | Expr::Try(inner) => needs_newline_if_wrapped(inner),
        Expr::IfLet(_, value, _) => needs_newline_if_wrapped(value),
        Expr::Path(_)
        | Expr::Lit(_)
        | Expr::Struct(..)
        | Expr::Array(_)
        | Expr::Match(..)
        | Expr::Macro(..) => false,
    }
}

fn if_let<'a>(layout: &mut Layout<'a>, binding: Pat<'a>, value: Expr<'a>, body: Vec<Stmt<'a>>) {
    layout.cbox(INDENT);
    layout.word("if ");
    layout.cbox(-INDENT);
    condition(layout, needs_newline_if_wrapped(&value), |layout| {
        layout.ibox(0);
        layout.word("let ");
        layout.ibox(0);
        pat(layout, binding);
        layout.end();
        layout.word(" = ");
        layout.neverbreak();
        layout.ibox(0);
        expr(layout, value);
        layout.end();
        layout.end();
    });
    layout.end();
    if body.is_empty() {
        layout.word("{}");
    } else {
        layout.word("{");
        layout.hardbreak();
        for statement in body {
            stmt(layout, statement);
        }
        layout.offset(-INDENT);
        layout.word("}");
    }
    layout.end();
}

/// `self`, `f`, `body`: a name short enough that a call on it stays on its line.
fn is_short_name(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(path) if path.len() <= INDENT as usize && !path.contains("::"))
}

pub(crate) fn stmt<'a>(layout: &mut Layout<'a>, stmt: Stmt<'a>) {
    match stmt {
        Stmt::Let(binding, value) => {
            layout.ibox(0);
            layout.word("let ");
            pat(layout, binding);
            layout.word(" = ");
            layout.neverbreak();
            expr(layout, value);
            layout.end();
            layout.word(";");
        }
        Stmt::Semi(value) => {
            layout.ibox(0);
            // An `if` without `else` takes no `;`.
            let semi = !matches!(value, Expr::IfLet(..));
            expr_at(layout, value, true);
            if semi {
                layout.word(";");
            }
            layout.end();
        }
        Stmt::Expr(value) => {
            layout.ibox(0);
            let semi = matches!(value, Expr::Assign(..));
            expr_at(layout, value, true);
            if semi {
                layout.word(";");
            }
            layout.end();
        }
    }
    layout.hardbreak();
}

pub(crate) fn pat<'a>(layout: &mut Layout<'a>, pat: Pat<'a>) {
    match pat {
        Pat::Path(path) | Pat::Lit(path) => layout.word(path),
        Pat::Mut(name) => {
            layout.word("mut ");
            layout.word(name);
        }
        Pat::TupleStruct(path, elements) => {
            layout.word(path);
            layout.word("(");
            list(layout, INDENT, elements, self::pat);
            layout.word(")");
        }
        Pat::Or(cases) => {
            // Alternatives of literals break where they must; others one per line.
            let consistent = cases.iter().any(|it| !matches!(it, Pat::Lit(_) | Pat::Wild));
            if consistent {
                layout.cbox(0);
            } else {
                layout.ibox(0);
            }
            for (index, case) in cases.into_iter().enumerate() {
                if index > 0 {
                    layout.space();
                    layout.word("| ");
                }
                self::pat(layout, case);
            }
            layout.end();
        }
        Pat::Range(low, high) => {
            layout.word(low);
            layout.word("..=");
            layout.word(high);
        }
        Pat::Wild => layout.word("_"),
    }
}
