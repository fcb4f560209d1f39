//! Compares the models of two clients (types added, removed and renamed; struct fields, enum
//! values and union variants) and the credentials their client builders take.
//!
//! What counts as breaking assumes callers use the types as the client's docs show: request
//! structs built with `Type::new(required fields)` and `..`, enums matched with a wildcard arm
//! (a string enum already keeps values it does not know in `Unknown`). Under that, adding an
//! optional field, a field to a type only responses carry, an enum value or a union variant
//! compiles as before; removing or retyping anything does not.

use std::collections::{BTreeMap, BTreeSet};

use generator::model::{Api, Field, Presence, SchemeKind, SecurityScheme, TypeDef, TypeKind, TypeRef};

use super::change::{At, Change, Class, Element, Side, Verb, field_type_text, type_text};
use super::locate;

/// Every difference between the types of `old` and `new`.
pub fn compare(old: Side, new: Side, changes: &mut Vec<Change>) {
    let old_types: BTreeMap<&str, &TypeDef> = old.api.types.iter().map(|it| (it.name.as_str(), it)).collect();
    let new_types: BTreeMap<&str, &TypeDef> = new.api.types.iter().map(|it| (it.name.as_str(), it)).collect();
    let mut removed: Vec<&TypeDef> =
        old.api.types.iter().filter(|it| !new_types.contains_key(it.name.as_str())).collect();
    let mut added: Vec<&TypeDef> =
        new.api.types.iter().filter(|it| !old_types.contains_key(it.name.as_str())).collect();
    // A type that left under one name while an identical one arrived under another was renamed
    // (an inline type named after an operation that was renamed, say).
    let mut renamed = Vec::new();
    removed.retain(|before| match added.iter().position(|after| after.kind == before.kind) {
        Some(index) => {
            renamed.push((*before, added.remove(index)));
            false
        }
        None => true,
    });

    for def in removed {
        let at = At::old(def.pointer.clone());
        changes.push(Change::new(
            Class::Breaking,
            Element::Type,
            Verb::Removed,
            &subject(def),
            "removed".into(),
            at,
        ));
    }
    for (before, after) in renamed {
        let detail = format!("renamed from `{}`", subject(before));
        let at = At::new(after.pointer.clone());
        changes.push(Change::new(Class::Breaking, Element::Type, Verb::Renamed, &subject(after), detail, at));
    }
    let requests = request_types(new.api);
    for after in &new.api.types {
        if let Some(before) = old_types.get(after.name.as_str()) {
            let built_by_callers = requests.contains(after.name.as_str());
            Compared { old, new, before, after, built_by_callers, changes: &mut *changes }.compare();
        }
    }
    for def in added {
        let at = At::new(def.pointer.clone());
        changes.push(Change::new(
            Class::Compatible,
            Element::Type,
            Verb::Added,
            &subject(def),
            "added".into(),
            at,
        ));
    }
    compare_credentials(old.api, new.api, changes);
}

fn subject(def: &TypeDef) -> String {
    format!("models::{}", def.name)
}

/// The named types a caller builds: those reachable from parameters and request bodies.
fn request_types(api: &Api) -> BTreeSet<&str> {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|it| (it.name.as_str(), it)).collect();
    let mut pending: Vec<&TypeRef> = Vec::new();
    for operation in &api.operations {
        pending.extend(operation.params.iter().map(|it| &it.ty));
        pending.extend(operation.body.iter().map(|it| &it.ty));
    }
    let mut seen = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Vec(item) | TypeRef::Map(item) => pending.push(item),
            TypeRef::Named { name, .. } if seen.insert(name.as_str()) => {
                match types.get(name.as_str()).map(|it| &it.kind) {
                    Some(TypeKind::Struct { fields }) => pending.extend(fields.iter().map(|it| &it.ty)),
                    Some(TypeKind::Union { variants, .. }) => {
                        pending.extend(variants.iter().filter_map(|it| it.ty.as_ref()))
                    }
                    Some(TypeKind::StringEnum { .. }) | None => {}
                }
            }
            _ => {}
        }
    }
    seen
}

/// One type of both clients, being compared.
struct Compared<'a, 'c> {
    old: Side<'a>,
    new: Side<'a>,
    before: &'a TypeDef,
    after: &'a TypeDef,
    /// Whether requests carry the type, so callers build it with `new`.
    built_by_callers: bool,
    changes: &'c mut Vec<Change>,
}

impl Compared<'_, '_> {
    fn push(&mut self, class: Class, element: Element, verb: Verb, subject: String, detail: String, at: At) {
        self.changes.push(Change::new(class, element, verb, &subject, detail, at));
    }

    fn compare(mut self) {
        match (&self.before.kind, &self.after.kind) {
            (TypeKind::Struct { fields: before }, TypeKind::Struct { fields: after }) => {
                self.compare_fields(before, after)
            }
            (TypeKind::StringEnum { variants: before }, TypeKind::StringEnum { variants: after }) => {
                let values = |variants: &'_ [generator::model::Variant]| -> BTreeMap<String, String> {
                    variants.iter().map(|it| (it.wire_name.clone(), it.name.clone())).collect()
                };
                self.compare_values(&values(before), &values(after));
            }
            (TypeKind::Union { variants: before, .. }, TypeKind::Union { variants: after, .. }) => {
                let types = |variants: &'_ [generator::model::UnionVariant]| -> BTreeMap<String, String> {
                    let ty = |it: &generator::model::UnionVariant| {
                        it.ty.as_ref().map_or("no value".into(), type_text)
                    };
                    variants.iter().map(|it| (it.name.clone(), ty(it))).collect()
                };
                self.compare_variants(&types(before), &types(after));
            }
            (before, after) => {
                let detail = format!("now {} instead of {}", kind(after), kind(before));
                let at = At::new(self.after.pointer.clone());
                self.push(Class::Breaking, Element::Type, Verb::Changed, subject(self.after), detail, at);
            }
        }
    }

    fn compare_fields(&mut self, before: &[Field], after: &[Field]) {
        // Flattened fields have no wire name of their own.
        let key = |field: &Field| {
            if field.wire_name.is_empty() { field.name.clone() } else { field.wire_name.clone() }
        };
        let old_fields: BTreeMap<String, &Field> = before.iter().map(|it| (key(it), it)).collect();
        let new_fields: BTreeMap<String, &Field> = after.iter().map(|it| (key(it), it)).collect();
        let name = &self.after.name;
        for (wire_name, field) in &old_fields {
            if new_fields.contains_key(wire_name) {
                continue;
            }
            let at = At::old(locate::field(self.old.document, self.before, wire_name));
            let subject = format!("models::{name}.{}", field.name);
            self.push(Class::Breaking, Element::Field, Verb::Removed, subject, "removed".into(), at);
        }
        for field in after {
            let wire_name = key(field);
            let at = || At::new(locate::field(self.new.document, self.after, &wire_name));
            let subject = format!("models::{name}.{}", field.name);
            let ty = field_type_text(field);
            let Some(previous) = old_fields.get(&wire_name) else {
                let (class, detail) = match field.presence {
                    Presence::Required if self.built_by_callers => (
                        Class::Breaking,
                        format!("new required field of type `{ty}`: `{name}::new` takes it"),
                    ),
                    Presence::Required => (Class::Compatible, format!("new field of type `{ty}`")),
                    _ => (Class::Compatible, format!("new optional field of type `{ty}`")),
                };
                self.push(class, Element::Field, Verb::Added, subject, detail, at());
                continue;
            };
            if previous.name != field.name {
                let detail = format!("renamed from `.{}`", previous.name);
                self.push(Class::Breaking, Element::Field, Verb::Renamed, subject.clone(), detail, at());
            }
            let old_ty = field_type_text(previous);
            let (class, detail) = if previous.ty != field.ty {
                (Class::Breaking, format!("changed type: `{ty}` instead of `{old_ty}`"))
            } else if ty != old_ty {
                (
                    Class::Breaking,
                    format!(
                        "{}: `{ty}` instead of `{old_ty}`",
                        presence_change(previous.presence, field.presence)
                    ),
                )
            } else if previous.presence != field.presence {
                // `Option<T>` either way: only whether `null` is written or the field left out.
                (
                    Class::Compatible,
                    format!("{}: `{ty}` as before", presence_change(previous.presence, field.presence)),
                )
            } else {
                continue;
            };
            self.push(class, Element::Field, Verb::Changed, subject, detail, at());
        }
    }

    /// String enum values, by wire value with their variant names.
    fn compare_values(&mut self, before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) {
        let name = &self.after.name;
        for (value, variant) in before {
            let subject = format!("models::{name}::{variant}");
            match after.get(value) {
                None => {
                    let detail = format!("value `{value}` removed: it now reads as `{name}::Unknown`");
                    let at = At::old(locate::enum_value(self.old.document, self.before, value));
                    self.push(Class::Breaking, Element::EnumValue, Verb::Removed, subject, detail, at);
                }
                Some(now) if now != variant => {
                    let detail = format!("value `{value}` is now `{name}::{now}`");
                    let at = At::new(locate::enum_value(self.new.document, self.after, value));
                    self.push(Class::Breaking, Element::EnumValue, Verb::Renamed, subject, detail, at);
                }
                Some(_) => {}
            }
        }
        for (value, variant) in after.iter().filter(|(value, _)| !before.contains_key(*value)) {
            let subject = format!("models::{name}::{variant}");
            let detail = format!("value `{value}` added");
            let at = At::new(locate::enum_value(self.new.document, self.after, value));
            self.push(Class::Compatible, Element::EnumValue, Verb::Added, subject, detail, at);
        }
    }

    /// Union variants, by name with the type each holds.
    fn compare_variants(&mut self, before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) {
        let name = &self.after.name;
        for (variant, ty) in before {
            let subject = format!("models::{name}::{variant}");
            match after.get(variant) {
                None => {
                    let at = At::old(self.before.pointer.clone());
                    self.push(
                        Class::Breaking,
                        Element::Variant,
                        Verb::Removed,
                        subject,
                        "removed".into(),
                        at,
                    );
                }
                Some(now) if now != ty => {
                    let detail = format!("holds `{now}` instead of `{ty}`");
                    let at = At::new(self.after.pointer.clone());
                    self.push(Class::Breaking, Element::Variant, Verb::Changed, subject, detail, at);
                }
                Some(_) => {}
            }
        }
        for (variant, ty) in after.iter().filter(|(variant, _)| !before.contains_key(*variant)) {
            let subject = format!("models::{name}::{variant}");
            let detail = format!("added, holding `{ty}`");
            let at = At::new(self.after.pointer.clone());
            self.push(Class::Compatible, Element::Variant, Verb::Added, subject, detail, at);
        }
    }
}

fn kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::StringEnum { .. } => "a string enum",
        TypeKind::Union { .. } => "a union",
    }
}

/// `now optional`, `now nullable`, `now required and not nullable`, ...
fn presence_change(before: Presence, after: Presence) -> String {
    let optional = |it| matches!(it, Presence::Optional | Presence::OptionalNullable);
    let nullable = |it| matches!(it, Presence::RequiredNullable | Presence::OptionalNullable);
    let mut parts = Vec::new();
    if optional(before) != optional(after) {
        parts.push(if optional(after) { "optional" } else { "required" });
    }
    if nullable(before) != nullable(after) {
        parts.push(if nullable(after) { "nullable" } else { "not nullable" });
    }
    format!("now {}", parts.join(" and "))
}

/// Credentials the client builder takes, one method per security scheme.
fn compare_credentials(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let by_name = |api: &'_ Api| -> BTreeMap<String, SecurityScheme> {
        api.security_schemes.iter().map(|it| (it.name.clone(), it.clone())).collect()
    };
    let (old_schemes, new_schemes) = (by_name(old), by_name(new));
    let subject = |scheme: &SecurityScheme| format!("ClientBuilder::{}", scheme.setter_name);
    for (name, before) in &old_schemes {
        let at = At::new(locate::scheme(name));
        let Some(after) = new_schemes.get(name) else {
            let detail = format!("removed, with the `{name}` security scheme");
            let at = At::old(locate::scheme(name));
            changes.push(Change::new(
                Class::Breaking,
                Element::Credential,
                Verb::Removed,
                &subject(before),
                detail,
                at,
            ));
            continue;
        };
        if before.setter_name != after.setter_name {
            let detail = format!("renamed from `{}`", subject(before));
            changes.push(Change::new(
                Class::Breaking,
                Element::Credential,
                Verb::Renamed,
                &subject(after),
                detail,
                at.clone(),
            ));
        }
        if before.kind != after.kind {
            // The same kind of credential sent under another name is the client's business; a
            // different kind needs a different secret from the caller.
            let same_kind = std::mem::discriminant(&before.kind) == std::mem::discriminant(&after.kind);
            let class = if same_kind { Class::Compatible } else { Class::Breaking };
            let detail = format!("now {} instead of {}", scheme_text(&after.kind), scheme_text(&before.kind));
            changes.push(Change::new(class, Element::Credential, Verb::Changed, &subject(after), detail, at));
        }
    }
    for (name, after) in new_schemes.iter().filter(|(name, _)| !old_schemes.contains_key(*name)) {
        let detail = format!("added, for the `{name}` security scheme: {}", scheme_text(&after.kind));
        let at = At::new(locate::scheme(name));
        changes.push(Change::new(
            Class::Compatible,
            Element::Credential,
            Verb::Added,
            &subject(after),
            detail,
            at,
        ));
    }
}

fn scheme_text(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::ApiKeyHeader(name) => format!("an API key in the `{name}` header"),
        SchemeKind::ApiKeyQuery(name) => format!("an API key in the `{name}` query parameter"),
        SchemeKind::ApiKeyCookie(name) => format!("an API key in the `{name}` cookie"),
        SchemeKind::Bearer => "a bearer token".into(),
        SchemeKind::Basic => "a user name and password".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_changes_read_as_words() {
        use Presence::*;
        let cases = [
            (Required, RequiredNullable, "now nullable"),
            (Required, Optional, "now optional"),
            (Optional, Required, "now required"),
            (Required, OptionalNullable, "now optional and nullable"),
            (OptionalNullable, Optional, "now not nullable"),
            (RequiredNullable, Optional, "now optional and not nullable"),
        ];
        for (before, after, expected) in cases {
            assert_eq!(presence_change(before, after), expected, "{before:?} -> {after:?}");
        }
    }
}
