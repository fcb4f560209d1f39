//! Rust identifiers from spec names: casing, transliteration, keyword escaping, collisions.
//!
//! Every identifier the generator emits comes through here, so the rules live in one place:
//! heck for case, ASCII transliteration for non-ASCII text, raw identifiers for keywords
//! (`r#type`), a trailing underscore for `self`, `Self`, `super` and `crate`, and a leading
//! underscore before a digit.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while",
    "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A field, parameter or method name: `snake_case`, always a valid identifier.
pub fn snake_ident(raw: &str) -> String {
    escape_keyword(leading_digit(or_default(ascii_words(raw).to_snake_case(), "value")))
}

/// A type or variant name: `UpperCamelCase`, always a valid identifier.
pub fn camel_ident(raw: &str) -> String {
    escape_keyword(leading_digit(or_default(ascii_words(raw).to_upper_camel_case(), "Value")))
}

/// Replaces non-ASCII text by its closest ASCII spelling and every other character that cannot
/// be part of an identifier by a word break, so heck sees clean words.
fn ascii_words(raw: &str) -> String {
    let ascii = if raw.is_ascii() { raw.to_owned() } else { deunicode::deunicode(raw) };
    ascii.chars().map(|it| if it.is_ascii_alphanumeric() { it } else { ' ' }).collect()
}

fn or_default(name: String, default: &str) -> String {
    if name.is_empty() { default.to_owned() } else { name }
}

fn leading_digit(name: String) -> String {
    if name.starts_with(|it: char| it.is_ascii_digit()) { format!("_{name}") } else { name }
}

fn escape_keyword(name: String) -> String {
    if RESERVED.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name without a raw-identifier prefix, for building derived names (`r#type` → `type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Methods the hand-written `Client` has (and those of the traits it and a group's handle
/// implement, which a method of the same name would shadow).
pub const CLIENT_METHODS: &[&str] = &["base_url", "builder", "clone", "fmt", "new"];

/// The prelude's types, traits, derive macros and variants: a type `Debug` beside
/// `#[derive(Debug)]` confuses readers and rustdoc, and one named `Option` or `Some` breaks the
/// generated code that refers to them unqualified.
const PRELUDE_ITEMS: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Err",
    "Error",
    "Hash",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Some",
    "String",
    "Sync",
    "Vec",
];

/// Names a type or module of the operations module (or of a group's module) must not take: the
/// prelude's, and what the generated code there refers to unqualified.
pub const OPERATION_ITEMS: &[&[&str]] =
    &[PRELUDE_ITEMS, &["Client", "ClientBuilder", "models", "reqwest", "runtime"]];

/// Names a type of the models module must not take: the prelude's, and what the generated code
/// there refers to unqualified (`From`, serde's derives).
pub const MODEL_ITEMS: &[&[&str]] = &[PRELUDE_ITEMS, &["Deserialize", "From", "Into", "Serialize"]];

/// Whether `name` is in one of the lists of `items` (such as [`MODEL_ITEMS`]).
pub fn is_reserved(items: &[&[&str]], name: &str) -> bool {
    items.iter().any(|list| list.contains(&name))
}

/// Hands out unique names within one scope (the fields of a struct, the types of a module).
///
/// The first claimant of a name gets it; later ones get `_2`, `_3`, ... (or `2`, `3` for camel
/// case names) in the order they ask, which is the document's order, so the outcome is
/// deterministic. Callers report the renaming as a warning.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeMap<String, usize>,
}

impl Namespace {
    /// A scope where `reserved` are already taken: names the generated code or the runtime
    /// uses there.
    pub fn reserving(reserved: &[&str]) -> Namespace {
        Namespace { taken: reserved.iter().map(|it| ((*it).to_owned(), 1)).collect() }
    }

    /// Claims `name`, returning it or the first free numbered variant of it.
    pub fn claim(&mut self, name: &str) -> String {
        if !self.taken.contains_key(name) {
            self.taken.insert(name.to_owned(), 1);
            return name.to_owned();
        }
        let base = unraw(name);
        // Camel case names (`User`, `_422Details`) take a bare number, snake case ones `_2`.
        let separator = if base.contains(|it: char| it.is_ascii_uppercase()) { "" } else { "_" };
        let mut counter = self.taken[name];
        loop {
            counter += 1;
            let candidate = format!("{base}{separator}{counter}");
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(name.to_owned(), counter);
                self.taken.insert(candidate.clone(), 1);
                return candidate;
            }
        }
    }

    /// Whether `name` has been handed out already.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_identifiers() {
        let cases = [
            ("last_loggged_in", "last_loggged_in"),
            ("profileId", "profile_id"),
            ("X-Request-ID", "x_request_id"),
            ("type", "r#type"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("16x16", "_16x16"),
            ("+1", "_1"),
            ("$ref", "r#ref"),
            ("größe", "grosse"),
            ("御中", "yu_zhong"),
            ("", "value"),
            ("---", "value"),
            ("ux_common_user_profile_retrieve_2", "ux_common_user_profile_retrieve_2"),
            ("find pet by id", "find_pet_by_id"),
            ("meta/root", "meta_root"),
        ];
        for (raw, expected) in cases {
            assert_eq!(snake_ident(raw), expected, "snake_ident({raw:?})");
        }
    }

    #[test]
    fn camel_identifiers() {
        let cases = [
            ("UserList", "UserList"),
            ("user_list", "UserList"),
            ("api.v2010.account", "ApiV2010Account"),
            ("nullable-simple-user", "NullableSimpleUser"),
            ("400", "_400"),
            ("Self", "Self_"),
            ("", "Value"),
            ("(空白)", "KongBai"),
        ];
        for (raw, expected) in cases {
            assert_eq!(camel_ident(raw), expected, "camel_ident({raw:?})");
        }
    }

    #[test]
    fn every_output_is_a_rust_identifier() {
        for raw in ["type", "self", "9lives", "a b", "ünïcödé", "💥", "Self", "super", "_", "async", "r#x"]
        {
            for name in [snake_ident(raw), camel_ident(raw)] {
                assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{raw:?} gave {name:?}");
            }
        }
    }

    #[test]
    fn namespace_numbers_collisions_in_order() {
        let mut namespace = Namespace::default();
        assert_eq!(namespace.claim("plus_one"), "plus_one");
        assert_eq!(namespace.claim("plus_one"), "plus_one_2");
        assert_eq!(namespace.claim("plus_one"), "plus_one_3");
        assert_eq!(namespace.claim("r#type"), "r#type");
        assert_eq!(namespace.claim("r#type"), "type_2");
        assert_eq!(namespace.claim("User"), "User");
        assert_eq!(namespace.claim("User2"), "User2");
        assert_eq!(namespace.claim("User"), "User3");
        assert_eq!(namespace.claim("_422Details"), "_422Details");
        assert_eq!(namespace.claim("_422Details"), "_422Details2");
        assert_eq!(namespace.claim("_16x16"), "_16x16");
        assert_eq!(namespace.claim("_16x16"), "_16x16_2");
    }
}
