//! What `cargo xtask diff` finds: one [`Change`] per difference between two clients, in the
//! client's own names, with its class and the place in the spec it comes from; and the Rust
//! types as a caller reads them, which is what most changes are about.

use generator::model::{Api, Field, Presence, TypeRef};
use serde_json::Value;

/// One client to compare: its model, and the document it was lowered from (for pointers).
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub api: &'a Api,
    pub document: &'a Value,
}

/// Whether code calling the Rust client must change, or a call that worked may now fail.
/// Ordered so that a report's class is the maximum of its changes' classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Compatible,
    Breaking,
}

impl Class {
    pub fn word(self) -> &'static str {
        match self {
            Class::Compatible => "compatible",
            Class::Breaking => "breaking",
        }
    }
}

/// The part of the client a change is about, as counted in the one-line summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Element {
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Response,
    Security,
    Credential,
    Type,
    Field,
    EnumValue,
    Variant,
}

impl Element {
    /// The noun, singular and plural.
    pub fn nouns(self) -> (&'static str, &'static str) {
        match self {
            Element::Operation => ("operation", "operations"),
            Element::Parameter => ("parameter", "parameters"),
            Element::RequestBody => ("request body", "request bodies"),
            Element::MediaType => ("media type", "media types"),
            Element::Response => ("response", "responses"),
            Element::Security => ("security requirement", "security requirements"),
            Element::Credential => ("credential", "credentials"),
            Element::Type => ("type", "types"),
            Element::Field => ("field", "fields"),
            Element::EnumValue => ("enum value", "enum values"),
            Element::Variant => ("union variant", "union variants"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verb {
    Added,
    Removed,
    Renamed,
    Changed,
}

impl Verb {
    pub fn word(self) -> &'static str {
        match self {
            Verb::Added => "added",
            Verb::Removed => "removed",
            Verb::Renamed => "renamed",
            Verb::Changed => "changed",
        }
    }
}

/// Which of the two documents a pointer is into: the old one for what was removed, the new
/// one for everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Old,
    New,
}

/// A place in one of the two documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    pub which: Which,
    pub pointer: String,
}

impl At {
    pub fn old(pointer: String) -> At {
        At { which: Which::Old, pointer }
    }

    pub fn new(pointer: String) -> At {
        At { which: Which::New, pointer }
    }
}

/// One difference between two clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub class: Class,
    pub element: Element,
    pub verb: Verb,
    /// What changed, in the client's names: `client.user_profile().list`,
    /// `models::UserList.email`, `ClientBuilder::api_key_auth`.
    pub subject: String,
    /// What happened to it and what a caller sees now.
    pub detail: String,
    pub at: At,
    /// The fragment or document file the pointer is in, filled in by the command from the side's
    /// source (a source map for `specs/`), as diagnostics get theirs.
    pub file: Option<String>,
}

impl Change {
    pub fn new(class: Class, element: Element, verb: Verb, subject: &str, detail: String, at: At) -> Change {
        Change { class, element, verb, subject: subject.to_owned(), detail, at, file: None }
    }
}

/// A type as a caller writes it. Named types go without their module, which the subject of the
/// change already names, to keep lines short.
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Integer => "i64".into(),
        TypeRef::UnsignedInteger => "u64".into(),
        TypeRef::Number => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::DateTime => "DateTime<FixedOffset>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Form => "Form".into(),
        TypeRef::Vec(item) => format!("Vec<{}>", type_text(item)),
        TypeRef::Option(inner) => format!("Option<{}>", type_text(inner)),
        TypeRef::Map(value) if **value == TypeRef::Json => "serde_json::Map<String, Value>".into(),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", type_text(value)),
        TypeRef::Named { name, boxed: false } => name.clone(),
        TypeRef::Named { name, boxed: true } => format!("Box<{name}>"),
    }
}

/// A struct field's type as declared: `T`, `Option<T>` or `Nullable<T>` by its presence.
pub fn field_type_text(field: &Field) -> String {
    wrapped(field.presence, &type_text(&field.ty))
}

/// `ty` wrapped as a field of this presence is.
pub fn wrapped(presence: Presence, ty: &str) -> String {
    match presence {
        Presence::Required => ty.to_owned(),
        Presence::RequiredNullable | Presence::Optional => format!("Option<{ty}>"),
        Presence::OptionalNullable => format!("Nullable<{ty}>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_callers_write_them() {
        let named = |name: &str, boxed| TypeRef::Named { name: name.into(), boxed };
        let cases = [
            (TypeRef::Integer, "i64"),
            (TypeRef::DateTime, "DateTime<FixedOffset>"),
            (TypeRef::Vec(Box::new(TypeRef::String)), "Vec<String>"),
            (TypeRef::Map(Box::new(TypeRef::Json)), "serde_json::Map<String, Value>"),
            (TypeRef::Map(Box::new(named("User", false))), "BTreeMap<String, User>"),
            (named("Node", true), "Box<Node>"),
        ];
        for (ty, expected) in cases {
            assert_eq!(type_text(&ty), expected, "{ty:?}");
        }
    }

    #[test]
    fn presence_wraps_the_field_type() {
        let cases = [
            (Presence::Required, "i64"),
            (Presence::RequiredNullable, "Option<i64>"),
            (Presence::Optional, "Option<i64>"),
            (Presence::OptionalNullable, "Nullable<i64>"),
        ];
        for (presence, expected) in cases {
            assert_eq!(wrapped(presence, "i64"), expected, "{presence:?}");
        }
    }
}
