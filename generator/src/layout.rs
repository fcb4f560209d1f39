//! Line breaking: the text of one part of a generated file, laid out as prettyplease lays out
//! the same code, from a stream of words, breaks and boxes.
//!
//! This is the classic algorithm of Derek Oppen ("Prettyprinting", 1980), as rustc's
//! `rustc_ast_pretty` and prettyplease use it, with prettyplease's margin, indentation and
//! break kinds, so that the generated files are byte for byte what
//! `prettyplease::unparse` prints (xtask's tests of the corpus and the snapshot specs hold it
//! to that).
//! A box groups words and breaks; it fits when everything from its start up to the next break
//! outside it fits in the rest of the line. A box that does not fit is broken: in a
//! *consistent* box every break becomes a line break, in an *inconsistent* one only the breaks
//! whose next stretch of text does not fit.
//!
//! Unlike the streaming original, which prints while it reads, a part is first collected whole
//! and then printed, so the size of every box and break is known exactly when it is printed.

use std::borrow::Cow;

/// The target line width.
const MARGIN: isize = 89;
/// Every line is allowed at least this much room, however deep its indentation.
const MIN_SPACE: isize = 60;
/// The width of a break that can never fit: a forced line break.
const INFINITY: isize = 0xffff;
/// One level of indentation.
pub(crate) const INDENT: isize = 4;

#[derive(Clone, Copy, Default)]
struct Break {
    /// Spaces printed when the break does not become a line break.
    blank: isize,
    /// Indentation of the next line relative to the enclosing box, when it does.
    offset: isize,
    /// Printed before the line break (a trailing comma), only when it is one.
    pre_break: Option<char>,
    /// Printed at the start of the next line, only when it is a line break.
    post_break: &'static str,
    /// Printed instead of the spaces, only when it is not a line break.
    no_break: Option<char>,
    /// Dropped when it is the last thing in its box.
    if_nonempty: bool,
    /// Never a line break.
    never: bool,
}

#[derive(Clone)]
enum Token<'a> {
    Text(Cow<'a, str>),
    Break(Break),
    Begin { offset: isize, consistent: bool },
    End,
}

/// The words, breaks and boxes of a part, with the size of each as it becomes known.
#[derive(Clone, Default)]
pub(crate) struct Layout<'a> {
    tokens: Vec<Token<'a>>,
    /// Per token: its width, or for a box or break the width up to the next break at its own
    /// level or outside it (negative: minus the running width at the token, while unknown).
    sizes: Vec<isize>,
    /// Width of everything so far.
    total: isize,
    /// Boxes, box ends and breaks whose sizes are still unknown, innermost last.
    pending: Vec<usize>,
}

impl<'a> Layout<'a> {
    pub(crate) fn new() -> Self {
        Layout::default()
    }

    pub(crate) fn word(&mut self, text: impl Into<Cow<'a, str>>) {
        let text = text.into();
        let width = text.len() as isize;
        self.total += width;
        self.tokens.push(Token::Text(text));
        self.sizes.push(width);
    }

    /// Opens a box whose breaks all become line breaks when it does not fit.
    pub(crate) fn cbox(&mut self, offset: isize) {
        self.begin(offset, true);
    }

    /// Opens a box whose breaks become line breaks one at a time, where the text after them
    /// does not fit.
    pub(crate) fn ibox(&mut self, offset: isize) {
        self.begin(offset, false);
    }

    fn begin(&mut self, offset: isize, consistent: bool) {
        self.pending.push(self.tokens.len());
        self.tokens.push(Token::Begin { offset, consistent });
        self.sizes.push(-self.total);
    }

    pub(crate) fn end(&mut self) {
        // An empty box holding only a break vanishes; a break that asks to be dropped when
        // nothing follows it in its box is dropped.
        match self.tokens.as_slice() {
            [.., Token::Begin { .. }, Token::Break(last)] => {
                self.total -= last.blank;
                self.pop();
                self.pop();
                return;
            }
            [.., Token::Break(last)] if last.if_nonempty => {
                self.total -= last.blank;
                self.pop();
            }
            _ => {}
        }
        self.pending.push(self.tokens.len());
        self.tokens.push(Token::End);
        self.sizes.push(-1);
    }

    /// Closes a box, first making it too wide to fit when it is wider than `max`.
    pub(crate) fn end_with_max_width(&mut self, max: isize) {
        let mut depth = 1;
        for &index in self.pending.iter().rev() {
            match self.tokens[index] {
                Token::Begin { .. } => {
                    depth -= 1;
                    if depth == 0 {
                        // Still pending, so its size is minus the width at its start.
                        if self.sizes[index] + self.total > max {
                            self.tokens.push(Token::Text(Cow::Borrowed("")));
                            self.sizes.push(INFINITY);
                            self.total += INFINITY;
                        }
                        break;
                    }
                }
                Token::End => depth += 1,
                Token::Break(_) | Token::Text(_) => {}
            }
        }
        self.end();
    }

    fn pop(&mut self) {
        self.tokens.pop();
        self.sizes.pop();
        self.pending.pop();
    }

    fn push_break(&mut self, token: Break) {
        self.resolve_pending();
        self.pending.push(self.tokens.len());
        self.tokens.push(Token::Break(token));
        self.sizes.push(-self.total);
        self.total += token.blank;
    }

    /// A break arrived: the sizes of the breaks before it at its level, and of the boxes closed
    /// since, are now known.
    fn resolve_pending(&mut self) {
        let mut depth = 0;
        while let Some(&index) = self.pending.last() {
            match self.tokens[index] {
                Token::Begin { .. } => {
                    if depth == 0 {
                        break;
                    }
                    self.pending.pop();
                    self.sizes[index] += self.total;
                    depth -= 1;
                }
                Token::End => {
                    self.pending.pop();
                    self.sizes[index] = 1;
                    depth += 1;
                }
                Token::Break(_) => {
                    self.pending.pop();
                    self.sizes[index] += self.total;
                    if depth == 0 {
                        break;
                    }
                }
                Token::Text(_) => unreachable!("text is never pending"),
            }
        }
    }

    pub(crate) fn space(&mut self) {
        self.push_break(Break { blank: 1, ..Break::default() });
    }

    pub(crate) fn zerobreak(&mut self) {
        self.push_break(Break::default());
    }

    pub(crate) fn nbsp(&mut self) {
        self.word(" ");
    }

    pub(crate) fn hardbreak(&mut self) {
        self.push_break(Break { blank: INFINITY, ..Break::default() });
    }

    pub(crate) fn hardbreak_if_nonempty(&mut self) {
        self.push_break(Break { blank: INFINITY, if_nonempty: true, ..Break::default() });
    }

    pub(crate) fn space_if_nonempty(&mut self) {
        self.push_break(Break { blank: 1, if_nonempty: true, ..Break::default() });
    }

    pub(crate) fn neverbreak(&mut self) {
        self.push_break(Break { never: true, ..Break::default() });
    }

    /// A break that prints `pre_break` when it is a line break, `no_break` when it is not, and
    /// `post_break` at the start of the next line.
    pub(crate) fn conditional_break(
        &mut self,
        offset: isize,
        pre_break: Option<char>,
        post_break: &'static str,
        no_break: Option<char>,
    ) {
        self.push_break(Break { offset, pre_break, post_break, no_break, ..Break::default() });
    }

    /// `,` then a break between list elements; after the last one, a comma only if the list
    /// is broken over lines.
    pub(crate) fn trailing_comma(&mut self, is_last: bool) {
        if is_last {
            self.push_break(Break { pre_break: Some(','), ..Break::default() });
        } else {
            self.word(",");
            self.space();
        }
    }

    /// As [`trailing_comma`](Self::trailing_comma), with a space after the last element when
    /// the list stays on one line.
    pub(crate) fn trailing_comma_or_space(&mut self, is_last: bool) {
        if is_last {
            self.push_break(Break { blank: 1, pre_break: Some(','), ..Break::default() });
        } else {
            self.word(",");
            self.space();
        }
    }

    /// Changes the indentation of the last break (or box) by `delta`.
    pub(crate) fn offset(&mut self, delta: isize) {
        match self.tokens.last_mut() {
            Some(Token::Break(token)) => token.offset += delta,
            Some(Token::Begin { .. }) => {}
            _ => unreachable!("an offset follows a break or a box"),
        }
    }

    /// The laid-out text.
    pub(crate) fn finish(mut self) -> String {
        // The end of the part resolves whatever is still open.
        for index in std::mem::take(&mut self.pending) {
            if let Token::End = self.tokens[index] {
                self.sizes[index] = 1;
            } else {
                self.sizes[index] += self.total;
            }
        }
        let text_width: usize =
            self.tokens.iter().map(|it| if let Token::Text(text) = it { text.len() } else { 0 }).sum();
        let mut printer = Printer {
            out: String::with_capacity(text_width * 5 / 4),
            space: MARGIN,
            frames: Vec::new(),
            indent: 0,
            pending_indent: 0,
        };
        for (token, size) in self.tokens.iter().zip(self.sizes) {
            match token {
                Token::Text(text) => printer.text(text),
                Token::Break(token) => printer.line_break(token, size),
                Token::Begin { offset, consistent } => printer.begin(*offset, *consistent, size),
                Token::End => printer.end(),
            }
        }
        printer.out
    }
}

#[derive(Clone, Copy)]
enum Frame {
    Fits,
    Broken { indent: isize, consistent: bool },
}

struct Printer {
    out: String,
    /// Room left on the current line.
    space: isize,
    frames: Vec<Frame>,
    /// Indentation of the current box when broken.
    indent: isize,
    /// Spaces owed before the next text, so that no line ends in whitespace.
    pending_indent: isize,
}

impl Printer {
    fn begin(&mut self, offset: isize, consistent: bool, size: isize) {
        if size > self.space {
            self.frames.push(Frame::Broken { indent: self.indent, consistent });
            self.indent += offset;
        } else {
            self.frames.push(Frame::Fits);
        }
    }

    fn end(&mut self) {
        if let Some(Frame::Broken { indent, .. }) = self.frames.pop() {
            self.indent = indent;
        }
    }

    fn line_break(&mut self, token: &Break, size: isize) {
        let top = self.frames.last().copied().unwrap_or(Frame::Broken { indent: 0, consistent: false });
        let fits = token.never
            || match top {
                Frame::Fits => true,
                Frame::Broken { consistent: true, .. } => false,
                Frame::Broken { consistent: false, .. } => size <= self.space,
            };
        if fits {
            self.pending_indent += token.blank;
            self.space -= token.blank;
            if let Some(ch) = token.no_break {
                self.out.push(ch);
                self.space -= ch.len_utf8() as isize;
            }
            return;
        }
        if let Some(ch) = token.pre_break {
            self.flush_indent();
            self.out.push(ch);
        }
        self.out.push('\n');
        let indent = self.indent + token.offset;
        self.pending_indent = indent;
        self.space = (MARGIN - indent).max(MIN_SPACE);
        if !token.post_break.is_empty() {
            self.flush_indent();
            self.out.push_str(token.post_break);
            self.space -= token.post_break.len() as isize;
        }
    }

    fn text(&mut self, text: &str) {
        self.flush_indent();
        self.out.push_str(text);
        self.space -= text.len() as isize;
    }

    fn flush_indent(&mut self) {
        const SPACES: &str = "                                                                ";
        let mut indent = usize::try_from(self.pending_indent).expect("indentation is never negative");
        while indent > 0 {
            let step = indent.min(SPACES.len());
            self.out.push_str(&SPACES[..step]);
            indent -= step;
        }
        self.pending_indent = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name(arg, ...)` as prettyplease prints call arguments.
    fn call<'a>(layout: &mut Layout<'a>, name: &'a str, args: &[&'a str]) {
        layout.word(name);
        layout.word("(");
        layout.cbox(INDENT);
        layout.zerobreak();
        for (index, arg) in args.iter().enumerate() {
            layout.word(*arg);
            layout.trailing_comma(index + 1 == args.len());
        }
        layout.offset(-INDENT);
        layout.end();
        layout.word(")");
    }

    #[test]
    fn a_box_that_fits_stays_on_one_line() {
        let mut layout = Layout::new();
        call(&mut layout, "f", &["a", "b"]);
        assert_eq!(layout.finish(), "f(a, b)");
    }

    #[test]
    fn a_consistent_box_that_does_not_fit_breaks_every_break() {
        let long = "x".repeat(45);
        let mut layout = Layout::new();
        call(&mut layout, "f", &[&long, &long, "c"]);
        assert_eq!(layout.finish(), format!("f(\n    {long},\n    {long},\n    c,\n)"));
    }

    #[test]
    fn an_inconsistent_box_breaks_only_where_the_next_stretch_does_not_fit() {
        let word = "w".repeat(30);
        let mut layout = Layout::new();
        layout.ibox(INDENT);
        for index in 0..4 {
            if index > 0 {
                layout.space();
            }
            layout.word(word.as_str());
        }
        layout.end();
        assert_eq!(layout.finish(), format!("{word} {word}\n    {word} {word}"));
    }

    #[test]
    fn empty_boxes_and_dropped_breaks_leave_nothing() {
        let mut layout = Layout::new();
        layout.word("{");
        layout.cbox(INDENT);
        layout.hardbreak_if_nonempty();
        layout.offset(-INDENT);
        layout.end();
        layout.word("}");
        layout.cbox(0);
        layout.zerobreak();
        layout.end();
        assert_eq!(layout.finish(), "{}");
    }

    #[test]
    fn a_box_wider_than_its_maximum_breaks_even_when_it_fits() {
        let build = |max: isize| {
            let mut layout = Layout::new();
            layout.cbox(INDENT);
            layout.word("S {");
            layout.space_if_nonempty();
            layout.word("a: 1");
            layout.trailing_comma_or_space(true);
            layout.offset(-INDENT);
            layout.end_with_max_width(max);
            layout.word("}");
            layout.finish()
        };
        assert_eq!(build(34), "S { a: 1 }");
        assert_eq!(build(4), "S {\n    a: 1,\n}");
    }
}
