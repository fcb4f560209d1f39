//! Emits the models module: one serde type per [`TypeDef`].

use std::borrow::Cow;

use super::{Part, own_doc, spec_doc, type_of};
use crate::model::{Api, Discriminator, Field, Presence, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};
use crate::names::unraw;
use crate::syntax::expr::FieldValue;
use crate::syntax::{Arm, Code, Expr, Generic, Meta, Param, Pat, Stmt, Type, Vis, string_literal};

/// The pieces of the models module, in order: the module header, then one piece per type.
pub(crate) fn parts(api: &Api) -> Vec<Part<'_>> {
    std::iter::once(Part::ModelsHeader).chain(api.types.iter().map(Part::Type)).collect()
}

/// The inner doc, lints and imports of the models module.
pub(super) fn emit_header(code: &mut Code<'_>, api: &Api) {
    code.inner_doc([" Request and response types of the API."]);
    code.inner_attr_list(
        "allow",
        [Meta::Word("clippy::large_enum_variant"), Meta::Word("clippy::too_many_arguments")],
    );
    if !api.types.is_empty() {
        code.use_item("serde::", &["Deserialize", "Serialize"]);
    }
}

pub(super) fn emit_type<'a>(code: &mut Code<'a>, def: &'a TypeDef) {
    match &def.kind {
        TypeKind::Struct { fields } => emit_struct(code, def, fields),
        TypeKind::StringEnum { variants } => emit_enum(code, def, variants),
        TypeKind::Union { variants, discriminator } => {
            emit_union(code, def, variants, discriminator.as_ref())
        }
    }
}

fn derive<'a>(code: &mut Code<'a>, traits: &[&'a str]) {
    code.attr_list("derive", traits.iter().map(|it| Meta::Word(it)));
}

fn emit_struct<'a>(code: &mut Code<'a>, def: &'a TypeDef, fields: &'a [Field]) {
    let required: Vec<&Field> = fields.iter().filter(|it| it.presence == Presence::Required).collect();
    type_doc(code, def);
    if required.is_empty() {
        derive(code, &["Clone", "Debug", "Default", "PartialEq", "Serialize", "Deserialize"]);
    } else {
        derive(code, &["Clone", "Debug", "PartialEq", "Serialize", "Deserialize"]);
    }
    code.struct_open(Vis::Pub, &def.name, Vec::new());
    for field in fields {
        if let Some(doc) = &field.doc {
            spec_doc(code, doc);
        }
        if field.flatten {
            code.attr_list("serde", [Meta::Word("flatten")]);
        } else {
            let rename = (unraw(&field.name) != field.wire_name)
                .then(|| Meta::NameValue("rename", Cow::Owned(string_literal(&field.wire_name))));
            let skip = match field.presence {
                Presence::Optional => Some("\"Option::is_none\""),
                Presence::OptionalNullable => Some("\"crate::Nullable::is_absent\""),
                Presence::Required | Presence::RequiredNullable => None,
            };
            let skip = skip.into_iter().flat_map(|test| {
                [Meta::Word("default"), Meta::NameValue("skip_serializing_if", Cow::Borrowed(test))]
            });
            let arguments: Vec<Meta> = rename.into_iter().chain(skip).collect();
            if !arguments.is_empty() {
                code.attr_list("serde", arguments);
            }
        }
        code.field(Vis::Pub, &field.name, field_type(field));
    }
    code.close();
    if !required.is_empty() {
        emit_constructor(code, &def.name, fields, &required);
    }
}

/// `new` taking the required fields, the others left empty, so that callers can write
/// `UserListRequest { email: Nullable::Null, ..UserListRequest::new("P-1") }`.
fn emit_constructor<'a>(code: &mut Code<'a>, name: &'a str, fields: &'a [Field], required: &[&'a Field]) {
    let params = required
        .iter()
        .map(|field| {
            let ty = match &field.ty {
                TypeRef::String => into_string(),
                ty => type_of(ty, true),
            };
            Param::Typed(Cow::Borrowed(&field.name), ty)
        })
        .collect();
    let inits = fields
        .iter()
        .map(|field| {
            let value = match (field.presence, &field.ty) {
                (Presence::Required, TypeRef::String) => {
                    Some(Expr::path(&field.name).method("into", Vec::new()))
                }
                (Presence::Required, _) => None,
                (Presence::OptionalNullable, _) => Some(Expr::path("crate::Nullable::Absent")),
                (Presence::Optional | Presence::RequiredNullable, _) => Some(Expr::path("None")),
            };
            FieldValue { name: Cow::Borrowed(&field.name), value }
        })
        .collect();
    code.impl_open(Vec::new(), None, Type::path(name));
    code.doc([format!(" Builds a `{name}` from its required fields, leaving every optional field out.")]);
    code.fn_open(Vis::Pub, "new", Vec::new(), params, Some(Type::path("Self")));
    code.stmts(vec![Stmt::Expr(Expr::Struct(Cow::Borrowed("Self"), inits))]);
    code.close();
    code.close();
}

/// `impl Into<String>`.
pub(super) fn into_string<'a>() -> Type<'a> {
    Type::ImplTrait(Box::new(Type::generic("Into", vec![Type::path("String")])))
}

fn type_doc<'a>(code: &mut Code<'a>, def: &'a TypeDef) {
    if let Some(doc) = &def.doc {
        spec_doc(code, doc);
    }
    if let Some(base) = &def.request_shape_of {
        if def.doc.is_some() {
            code.doc([""]);
        }
        let note = format!(
            "The request shape of [`{base}`]: read-only properties are left out, and optional nullable\n\
             properties are [`Nullable`](crate::Nullable), so that absent (\"leave unchanged\") and `null`\n\
             (\"clear\") differ."
        );
        own_doc(code, &note);
    }
}

fn field_type(field: &Field) -> Type<'_> {
    let ty = type_of(&field.ty, true);
    match field.presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => Type::generic("Option", vec![ty]),
        Presence::OptionalNullable => Type::generic("crate::Nullable", vec![ty]),
    }
}

/// `Self::name`.
fn self_path(name: &str) -> String {
    format!("Self::{name}")
}

/// A string enum that keeps values it does not know in `Unknown`, so a server adding a value
/// never breaks decoding of a whole response.
fn emit_enum<'a>(code: &mut Code<'a>, def: &'a TypeDef, variants: &'a [Variant]) {
    let name = def.name.as_str();
    type_doc(code, def);
    derive(
        code,
        &["Clone", "Debug", "PartialEq", "Eq", "Hash", "PartialOrd", "Ord", "Serialize", "Deserialize"],
    );
    code.attr_list(
        "serde",
        [
            Meta::NameValue("from", Cow::Borrowed("\"String\"")),
            Meta::NameValue("into", Cow::Borrowed("\"String\"")),
        ],
    );
    code.enum_open(Vis::Pub, name);
    for variant in variants {
        let text = if variant.wire_name.is_empty() {
            " The empty string.".to_owned()
        } else {
            format!(" `{}`", variant.wire_name.replace('`', "'"))
        };
        code.doc([text]);
        code.variant(&variant.name, None);
    }
    code.doc([" A value this client does not know, kept as sent."]);
    code.variant("Unknown", Some(Type::path("String")));
    code.close();

    let wire = |variant: &Variant| string_literal(&variant.wire_name);
    let unknown =
        |binding: &'a str| Pat::TupleStruct(Cow::Borrowed("Self::Unknown"), vec![Pat::Path(binding.into())]);
    code.impl_open(Vec::new(), None, Type::path(name));
    code.doc([" The value as it is on the wire."]);
    code.fn_open(
        Vis::Pub,
        "as_str",
        Vec::new(),
        vec![Param::Receiver("&self")],
        Some(Type::reference(Type::path("str"))),
    );
    let mut arms: Vec<Arm> = variants
        .iter()
        .map(|variant| Arm {
            pat: Pat::Path(self_path(&variant.name).into()),
            body: Expr::lit(wire(variant)),
        })
        .collect();
    arms.push(Arm { pat: unknown("value"), body: Expr::path("value") });
    code.stmts(vec![Stmt::Expr(Expr::Match(Box::new(Expr::path("self")), arms))]);
    code.close();
    code.close();

    let string = || Type::path("String");
    code.impl_open(Vec::new(), Some(Type::generic("From", vec![string()])), Type::path(name));
    code.fn_open(
        Vis::Private,
        "from",
        Vec::new(),
        vec![Param::Typed("value".into(), string())],
        Some(Type::path("Self")),
    );
    let mut arms: Vec<Arm> = variants
        .iter()
        .map(|variant| Arm {
            pat: Pat::Lit(wire(variant).into()),
            body: Expr::path(self_path(&variant.name)),
        })
        .collect();
    arms.push(Arm {
        pat: Pat::Wild,
        body: Expr::call(Expr::path("Self::Unknown"), vec![Expr::path("value")]),
    });
    let scrutinee = Expr::path("value").method("as_str", Vec::new());
    code.stmts(vec![Stmt::Expr(Expr::Match(Box::new(scrutinee), arms))]);
    code.close();
    code.close();

    code.impl_open(Vec::new(), Some(Type::generic("From", vec![Type::path(name)])), string());
    code.fn_open(
        Vis::Private,
        "from",
        Vec::new(),
        vec![Param::Typed("value".into(), Type::path(name))],
        Some(Type::path("Self")),
    );
    let arms = vec![
        Arm {
            pat: Pat::TupleStruct(format!("{name}::Unknown").into(), vec![Pat::Path("value".into())]),
            body: Expr::path("value"),
        },
        Arm {
            pat: Pat::Path("known".into()),
            body: Expr::path("known").method("as_str", Vec::new()).method("to_owned", Vec::new()),
        },
    ];
    code.stmts(vec![Stmt::Expr(Expr::Match(Box::new(Expr::path("value")), arms))]);
    code.close();
    code.close();

    code.impl_open(Vec::new(), Some(Type::path("std::fmt::Display")), Type::path(name));
    let formatter = Type::Ref {
        lifetime: None,
        mutable: true,
        elem: Box::new(Type::generic("std::fmt::Formatter", vec![Type::Lifetime("'_")])),
    };
    code.fn_open(
        Vis::Private,
        "fmt",
        Vec::new(),
        vec![Param::Receiver("&self"), Param::Typed("f".into(), formatter)],
        Some(Type::path("std::fmt::Result")),
    );
    let value = Expr::path("self").method("as_str", Vec::new());
    code.stmts(vec![Stmt::Expr(Expr::path("f").method("write_str", vec![value]))]);
    code.close();
    code.close();
}

/// A `oneOf`/`anyOf` enum. Serialized as the member itself (with the discriminator property
/// added when the enum writes it); decoded by the discriminator property when there is one
/// (unknown values kept in `Unknown`), else by trying members in order.
fn emit_union<'a>(
    code: &mut Code<'a>,
    def: &'a TypeDef,
    variants: &'a [UnionVariant],
    discriminator: Option<&'a Discriminator>,
) {
    let name = def.name.as_str();
    type_doc(code, def);
    let written_by_enum = discriminator.is_some_and(|it| it.written_by_enum);
    if discriminator.is_some() {
        derive(code, &["Clone", "Debug", "PartialEq", "Serialize"]);
    } else {
        derive(code, &["Clone", "Debug", "PartialEq", "Serialize", "Deserialize"]);
    }
    match discriminator {
        Some(Discriminator { property, written_by_enum: true }) => {
            code.attr_list("serde", [Meta::NameValue("tag", Cow::Owned(string_literal(property)))]);
        }
        _ => code.attr_list("serde", [Meta::Word("untagged")]),
    }
    code.enum_open(Vis::Pub, name);
    for variant in variants {
        match (&variant.doc, discriminator, variant.tags.as_slice()) {
            (Some(doc), _, _) => spec_doc(code, doc),
            (None, Some(discriminator), [_, ..]) => {
                let values: Vec<String> =
                    variant.tags.iter().map(|it| format!("`{}`", it.replace('`', "'"))).collect();
                let property = discriminator.property.replace('`', "'");
                code.doc([format!(" `{property}` is {}.", values.join(" or "))]);
            }
            _ => {}
        }
        if let (true, [tag]) = (written_by_enum, variant.tags.as_slice()) {
            code.attr_list("serde", [Meta::NameValue("rename", Cow::Owned(string_literal(tag)))]);
        }
        code.variant(&variant.name, variant.ty.as_ref().map(|ty| type_of(ty, true)));
    }
    let Some(Discriminator { property, .. }) = discriminator else {
        code.close();
        return;
    };
    code.doc([format!(" A `{}` this client does not know, kept as sent.", property.replace('`', "'"))]);
    if written_by_enum {
        code.attr_list("serde", [Meta::Word("untagged")]);
    }
    code.variant("Unknown", Some(Type::path("serde_json::Value")));
    code.close();

    let deserializer = Type::generic("serde::Deserializer", vec![Type::Lifetime("'de")]);
    code.impl_open(
        vec![Generic::Lifetime("'de")],
        Some(Type::generic("Deserialize", vec![Type::Lifetime("'de")])),
        Type::path(name),
    );
    code.fn_open(
        Vis::Private,
        "deserialize",
        vec![Generic::Bounded("D", deserializer)],
        vec![Param::Typed("deserializer".into(), Type::path("D"))],
        Some(Type::generic("Result", vec![Type::path("Self"), Type::path("D::Error")])),
    );
    let read =
        Expr::call(Expr::path("serde_json::Value::deserialize"), vec![Expr::path("deserializer")]).try_();
    let tag = Expr::path("value")
        .method("get", vec![Expr::str(property)])
        .method("and_then", vec![Expr::path("serde_json::Value::as_str")]);
    let mut arms: Vec<Arm> = variants
        .iter()
        .map(|variant| {
            let mut cases: Vec<Pat> = variant
                .tags
                .iter()
                .map(|it| Pat::TupleStruct("Some".into(), vec![Pat::Lit(string_literal(it).into())]))
                .collect();
            let pat = if cases.len() == 1 { cases.pop().expect("one case") } else { Pat::Or(cases) };
            let body = match variant.ty {
                Some(_) => Expr::call(Expr::path("serde_json::from_value"), vec![Expr::path("value")])
                    .method("map", vec![Expr::path(self_path(&variant.name))]),
                None => Expr::call(Expr::path("Ok"), vec![Expr::path(self_path(&variant.name))]),
            };
            Arm { pat, body }
        })
        .collect();
    arms.push(Arm {
        pat: Pat::Wild,
        body: Expr::call(
            Expr::path("Ok"),
            vec![Expr::call(Expr::path("Self::Unknown"), vec![Expr::path("value")])],
        ),
    });
    let decoded = Expr::Match(Box::new(tag), arms);
    // Only members with a body decode, and can fail, with serde_json's error; with unit
    // variants alone, every arm is `Ok` and the error type is the deserializer's.
    let decoded = match variants.iter().any(|it| it.ty.is_some()) {
        true => decoded.method("map_err", vec![Expr::path("serde::de::Error::custom")]),
        false => decoded,
    };
    code.stmts(vec![Stmt::Let(Pat::Path("value".into()), read), Stmt::Expr(decoded)]);
    code.close();
    code.close();
}
