//! How `cargo xtask diff` shows its changes: text for a terminal, Markdown for a pull request
//! or commit message, one line for `cargo xtask codegen`, and the version bump they call for.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::change::{Change, Class, Element, Verb};

/// The labels of the two versions compared, for the report's heading.
pub struct Labels<'a> {
    pub old: &'a str,
    pub new: &'a str,
}

/// A version to suggest for the generated client crate.
#[derive(Debug, PartialEq, Eq)]
pub struct Bump {
    pub package: String,
    pub from: String,
    pub to: String,
    /// Why this part of the version moves.
    pub reason: &'static str,
}

/// The worst class among `changes`; `None` when there are none.
pub fn class(changes: &[Change]) -> Option<Class> {
    changes.iter().map(|it| it.class).max()
}

/// Changes for a terminal: a heading, two lines per change (breaking ones first), and a
/// closing count.
pub fn text(labels: &Labels, changes: &[Change], bump: Option<&Bump>) -> String {
    let mut out = format!("diff: {} -> {}\n", labels.old, labels.new);
    for change in changes {
        let _ = writeln!(out, "{:<10}  {}: {}", change.class.word(), change.subject, change.detail);
        let _ = writeln!(out, "{:<10}    {}", "", place(change));
    }
    let _ = writeln!(out, "diff: {}", summary(changes));
    if let Some(bump) = bump {
        let _ = writeln!(out, "diff: {}", bump_text(bump));
    }
    out
}

/// Changes as Markdown: a heading with the counts by class, then a table.
pub fn markdown(labels: &Labels, changes: &[Change], bump: Option<&Bump>) -> String {
    let count = |class| changes.iter().filter(|it| it.class == class).count();
    let (breaking, compatible) = (count(Class::Breaking), count(Class::Compatible));
    let mut out = match (breaking, compatible) {
        (0, 0) => "### API changes: none\n".to_owned(),
        _ => format!("### API changes: {breaking} breaking, {compatible} compatible\n"),
    };
    let _ = writeln!(
        out,
        "\n`{}` → `{}`, compared in the client's names by `cargo xtask diff`.\n",
        labels.old, labels.new
    );
    if !changes.is_empty() {
        out.push_str("| | Change | Where |\n|---|---|---|\n");
        for change in changes {
            let class = match change.class {
                Class::Breaking => "**breaking**",
                Class::Compatible => "compatible",
            };
            let what = cell(&format!("`{}`: {}", change.subject, change.detail));
            let file = change.file.as_deref().unwrap_or("?");
            let _ = writeln!(out, "| {class} | {what} | `{}` `{}` |", cell(file), cell(pointer(change)));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", capitalized(&summary(changes)));
    if let Some(bump) = bump {
        let _ = writeln!(
            out,
            "\n{}",
            capitalized(&bump_text(bump)).replacen(&bump.to, &format!("**{}**", bump.to), 1)
        );
    }
    out
}

/// One line for the end of `cargo xtask codegen`: counts by what changed, then the breaking
/// changes, the first one spelled out.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no change to the client's API".into();
    }
    let mut counts: BTreeMap<(Element, Verb), usize> = BTreeMap::new();
    for change in changes {
        *counts.entry((change.element, change.verb)).or_default() += 1;
    }
    let counted: Vec<String> = counts
        .iter()
        .map(|((element, verb), count)| {
            let (one, many) = element.nouns();
            format!("{count} {} {}", if *count == 1 { one } else { many }, verb.word())
        })
        .collect();
    let breaking: Vec<&Change> = changes.iter().filter(|it| it.class == Class::Breaking).collect();
    let tail = match breaking.as_slice() {
        [] => "none breaking".to_owned(),
        [only] => format!("1 breaking change: {}: {}", only.subject, only.detail),
        [first, rest @ ..] => {
            format!(
                "{} breaking changes: {}: {} (and {} more)",
                breaking.len(),
                first.subject,
                first.detail,
                rest.len()
            )
        }
    };
    format!("{}; {tail}", counted.join(", "))
}

/// The next version of a crate at `version` after changes of `class`, by Cargo's reading of
/// semantic versioning: below 1.0 the left-most non-zero part is the breaking one, so a
/// breaking change bumps the minor version and anything else the patch; from 1.0 a breaking
/// change bumps the major version and an addition the minor one. `None` without a change or
/// for a version that is not `MAJOR.MINOR.PATCH`.
pub fn next_version(version: &str, class: Option<Class>) -> Option<(String, &'static str)> {
    let class = class?;
    let parts: Vec<u64> = version.split('.').map(str::parse).collect::<Result<_, _>>().ok()?;
    let [major, minor, patch] = parts[..] else { return None };
    Some(match (major, class) {
        (0, Class::Breaking) => (
            format!("0.{}.0", minor + 1),
            "a breaking change bumps the minor version while the major one is 0",
        ),
        (0, Class::Compatible) => (
            format!("0.{minor}.{}", patch + 1),
            "compatible changes bump the patch version while the major one is 0",
        ),
        (_, Class::Breaking) => (format!("{}.0.0", major + 1), "a breaking change bumps the major version"),
        (_, Class::Compatible) => {
            (format!("{major}.{}.0", minor + 1), "compatible additions bump the minor version")
        }
    })
}

fn bump_text(bump: &Bump) -> String {
    format!("suggested version of `{}`: {} (from {}; {})", bump.package, bump.to, bump.from, bump.reason)
}

/// `file: pointer`, the way diagnostics name a place.
fn place(change: &Change) -> String {
    format!("{}: {}", change.file.as_deref().unwrap_or("?"), pointer(change))
}

/// The root pointer is empty; shown as `/` so it reads as a place.
fn pointer(change: &Change) -> &str {
    if change.at.pointer.is_empty() { "/" } else { &change.at.pointer }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn capitalized(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::change::At;
    use super::*;

    fn change(class: Class, element: Element, verb: Verb, subject: &str) -> Change {
        Change::new(class, element, verb, subject, "detail".into(), At::new("/paths".into()))
    }

    #[test]
    fn versions_move_by_the_worst_change() {
        let cases = [
            ("0.1.0", Some(Class::Breaking), Some("0.2.0")),
            ("0.1.3", Some(Class::Compatible), Some("0.1.4")),
            ("1.4.2", Some(Class::Breaking), Some("2.0.0")),
            ("1.4.2", Some(Class::Compatible), Some("1.5.0")),
            ("0.1.0", None, None),
            ("1.0.0-beta.1", Some(Class::Breaking), None),
        ];
        for (version, class, expected) in cases {
            assert_eq!(
                next_version(version, class).map(|it| it.0).as_deref(),
                expected,
                "{version} {class:?}"
            );
        }
    }

    #[test]
    fn summaries_count_by_kind_and_spell_out_the_first_breaking_change() {
        use Class::*;
        let added = |subject| change(Compatible, Element::Operation, Verb::Added, subject);
        let removed = |subject| change(Breaking, Element::EnumValue, Verb::Removed, subject);
        let cases = [
            (vec![], "no change to the client's API"),
            (vec![added("a"), added("b")], "2 operations added; none breaking"),
            (
                vec![added("a"), removed("models::S::X")],
                "1 operation added, 1 enum value removed; 1 breaking change: models::S::X: detail",
            ),
            (
                vec![removed("models::S::X"), removed("models::S::Y")],
                "2 enum values removed; 2 breaking changes: models::S::X: detail (and 1 more)",
            ),
        ];
        for (changes, expected) in cases {
            assert_eq!(summary(&changes), expected);
        }
    }

    #[test]
    fn markdown_cells_keep_the_table_whole() {
        let mut piped = change(Class::Breaking, Element::Field, Verb::Changed, "models::S.a");
        piped.detail = "`A|B`\nnext".into();
        piped.file = Some("specs/a.yaml".into());
        let labels = Labels { old: "old.yaml", new: "new.yaml" };
        let markdown = markdown(&labels, &[piped], None);
        let row = markdown.lines().find(|it| it.starts_with("| **breaking**")).expect(&markdown);
        assert_eq!(row, "| **breaking** | `models::S.a`: `A\\|B` next | `specs/a.yaml` `/paths` |");
    }
}
