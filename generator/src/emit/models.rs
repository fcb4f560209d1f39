//! Emits the models module: one serde type per [`TypeDef`].

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Part, doc_attrs, ident, own_doc, spec_doc, type_tokens};
use crate::model::{Api, Discriminator, Field, Presence, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};
use crate::names::unraw;

/// The pieces of the models module, in order: the module header, then one piece per type.
pub(crate) fn parts(api: &Api) -> Vec<Part<'_>> {
    std::iter::once(Part::ModelsHeader).chain(api.types.iter().map(Part::Type)).collect()
}

/// The inner doc, lints and imports of the models module.
pub(super) fn emit_header(api: &Api) -> TokenStream {
    let imports = (!api.types.is_empty()).then(|| {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    });
    quote! {
        //! Request and response types of the API.
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments)]
        #imports
    }
}

pub(super) fn emit_type(def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct { fields } => emit_struct(def, fields),
        TypeKind::StringEnum { variants } => emit_enum(def, variants),
        TypeKind::Union { variants, discriminator } => emit_union(def, variants, discriminator.as_ref()),
    }
}

fn emit_struct(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def);
    let field_tokens = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = field_type(field);
        let doc = field.doc.as_deref().map(spec_doc);
        if field.flatten {
            return quote! {
                #doc
                #[serde(flatten)]
                pub #field_name: #ty,
            };
        }
        let wire = &field.wire_name;
        let rename = (unraw(&field.name) != field.wire_name).then(|| quote!(rename = #wire));
        let skip = match field.presence {
            Presence::Optional => Some(quote!(default, skip_serializing_if = "Option::is_none")),
            Presence::OptionalNullable => {
                Some(quote!(default, skip_serializing_if = "crate::Nullable::is_absent"))
            }
            Presence::Required | Presence::RequiredNullable => None,
        };
        let serde = match (rename, skip) {
            (None, None) => None,
            (Some(rename), None) => Some(quote!(#[serde(#rename)])),
            (None, Some(skip)) => Some(quote!(#[serde(#skip)])),
            (Some(rename), Some(skip)) => Some(quote!(#[serde(#rename, #skip)])),
        };
        quote! {
            #doc
            #serde
            pub #field_name: #ty,
        }
    });
    let required: Vec<&Field> = fields.iter().filter(|it| it.presence == Presence::Required).collect();
    let derive_default = required.is_empty().then(|| quote!(Default,));
    let constructor = (!required.is_empty()).then(|| emit_constructor(&name, fields, &required));
    quote! {
        #doc
        #[derive(Clone, Debug, #derive_default PartialEq, Serialize, Deserialize)]
        pub struct #name {
            #(#field_tokens)*
        }
        #constructor
    }
}

/// `Serialize` for a discriminated union whose members carry the tag: the member, with the
/// tag set to the variant's value whatever the member's own field says, so the two never
/// disagree on the wire.
fn emit_tag_writing_serialize(name: &Ident, variants: &[UnionVariant], property: &str) -> TokenStream {
    let arms = variants.iter().filter_map(|variant| {
        let variant_name = ident(&variant.name);
        let tag = variant.tags.first()?;
        Some(match variant.ty {
            Some(_) => quote!(Self::#variant_name(value) => (#tag, serde_json::to_value(value)),),
            None => {
                quote!(Self::#variant_name => (#tag, Ok(serde_json::Value::Object(serde_json::Map::new()))),)
            }
        })
    });
    quote! {
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    #(#arms)*
                    Self::Unknown(value) => return value.serialize(serializer),
                };
                let mut value = value.map_err(serde::ser::Error::custom)?;
                if let Some(object) = value.as_object_mut() {
                    object.insert(#property.to_owned(), serde_json::Value::from(tag));
                }
                value.serialize(serializer)
            }
        }
    }
}

/// `new` taking the required fields, the others left empty, so that callers can write
/// `UserListRequest { email: Nullable::Null, ..UserListRequest::new("P-1") }`.
fn emit_constructor(name: &Ident, fields: &[Field], required: &[&Field]) -> TokenStream {
    let params = required.iter().filter(|it| it.value.is_none()).map(|field| {
        let field_name = ident(&field.name);
        let ty = match &field.ty {
            TypeRef::String => quote!(impl Into<String>),
            ty => type_tokens(ty, true),
        };
        quote!(#field_name: #ty)
    });
    let inits = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        match (field.presence, &field.ty, &field.value) {
            (Presence::Required, TypeRef::String, Some(value)) => quote!(#field_name: #value.to_owned()),
            (Presence::Required, TypeRef::Json, Some(value)) => {
                quote!(#field_name: serde_json::Value::from(#value))
            }
            (Presence::Required, ty, Some(value)) => {
                let ty = type_tokens(ty, true);
                quote!(#field_name: #ty::from(#value.to_owned()))
            }
            (Presence::Required, TypeRef::String, None) => quote!(#field_name: #field_name.into()),
            (Presence::Required, _, None) => quote!(#field_name),
            (Presence::OptionalNullable, ..) => quote!(#field_name: crate::Nullable::Absent),
            (Presence::Optional | Presence::RequiredNullable, ..) => quote!(#field_name: None),
        }
    });
    let fixed: Vec<String> = required
        .iter()
        .filter_map(|field| {
            let value = field.value.as_ref()?;
            Some(format!("`{}` is always `{}`", unraw(&field.name), value.replace('`', "'")))
        })
        .collect();
    let mut doc =
        vec![format!(" Builds a `{name}` from its required fields, leaving every optional field out.")];
    if !fixed.is_empty() {
        doc.push(format!(" Of those, {}.", fixed.join(", ")));
    }
    quote! {
        impl #name {
            #(#[doc = #doc])*
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

fn type_doc(def: &TypeDef) -> TokenStream {
    let spec = def.doc.as_deref().map(spec_doc);
    let note = def.request_shape_of.as_ref().map(|base| {
        let separator = spec.is_some().then(|| doc_attrs([""]));
        let note = own_doc(&format!(
            "The request shape of [`{base}`]: read-only properties are left out, and optional nullable\n\
             properties are [`Nullable`](crate::Nullable), so that absent (\"leave unchanged\") and `null`\n\
             (\"clear\") differ."
        ));
        quote!(#separator #note)
    });
    quote!(#spec #note)
}

fn field_type(field: &Field) -> TokenStream {
    let ty = type_tokens(&field.ty, true);
    match field.presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#ty>),
        Presence::OptionalNullable => quote!(crate::Nullable<#ty>),
    }
}

/// A string enum that keeps values it does not know in `Unknown`, so a server adding a value
/// never breaks decoding of a whole response.
fn emit_enum(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def);
    let variant_names: Vec<Ident> = variants.iter().map(|it| ident(&it.name)).collect();
    let wire_names: Vec<&str> = variants.iter().map(|it| it.wire_name.as_str()).collect();
    let variant_docs = variants.iter().map(|it| {
        let text = if it.wire_name.is_empty() {
            " The empty string.".to_owned()
        } else {
            format!(" `{}`", it.wire_name.replace('`', "'"))
        };
        quote!(#[doc = #text])
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum #name {
            #(#variant_docs #variant_names,)*
            /// A value this client does not know, kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as it is on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variant_names => #wire_names,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#wire_names => Self::#variant_names,)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                match value {
                    #name::Unknown(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// A `oneOf`/`anyOf` enum. Serialized as the member itself, with the discriminator property
/// written by the enum when there is one; decoded by the discriminator property when there is
/// one (unknown values kept in `Unknown`), else by trying variants in order.
fn emit_union(
    def: &TypeDef,
    variants: &[UnionVariant],
    discriminator: Option<&Discriminator>,
) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def);
    // Inline members leave the tag out and serde's internal tagging writes it; component
    // members carry it, and the `Serialize` impl below overwrites it with the variant's.
    let tagged_by_serde = discriminator.is_some_and(|it| !it.in_members);
    let variant_tokens = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let doc = match (&variant.doc, discriminator, variant.tags.as_slice()) {
            (Some(doc), _, _) => Some(spec_doc(doc)),
            (None, Some(discriminator), [_, ..]) => {
                let values: Vec<String> =
                    variant.tags.iter().map(|it| format!("`{}`", it.replace('`', "'"))).collect();
                let property = discriminator.property.replace('`', "'");
                Some(doc_attrs([format!(" `{property}` is {}.", values.join(" or "))]))
            }
            _ => None,
        };
        let rename = match (tagged_by_serde, variant.tags.as_slice()) {
            (true, [tag]) => Some(quote!(#[serde(rename = #tag)])),
            _ => None,
        };
        let body = variant.ty.as_ref().map(|ty| {
            let ty = type_tokens(ty, true);
            quote!((#ty))
        });
        quote!(#doc #rename #variant_name #body,)
    });
    let (derive, serde) = match discriminator {
        None => {
            (quote!(#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]), quote!(#[serde(untagged)]))
        }
        Some(Discriminator { property, in_members: false }) => {
            (quote!(#[derive(Clone, Debug, PartialEq, Serialize)]), quote!(#[serde(tag = #property)]))
        }
        Some(Discriminator { in_members: true, .. }) => {
            (quote!(#[derive(Clone, Debug, PartialEq)]), quote!())
        }
    };
    let Some(Discriminator { property, in_members }) = discriminator else {
        return quote! {
            #doc
            #derive
            #serde
            pub enum #name {
                #(#variant_tokens)*
            }
        };
    };
    let unknown_doc = format!(" A `{}` this client does not know, kept as sent.", property.replace('`', "'"));
    let unknown_serde = tagged_by_serde.then(|| quote!(#[serde(untagged)]));
    let arms = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let tags = variant.tags.iter();
        let body = match variant.ty {
            Some(_) => quote!(crate::runtime::union_member(value).map(Self::#variant_name)),
            None => quote!(Ok(Self::#variant_name)),
        };
        quote!(#(Some(#tags))|* => #body,)
    });
    // Only members with a body decode, and can fail, with a message naming where inside the
    // member (serde's path stops at the union); with unit variants alone, every arm is `Ok` and
    // the error type is the deserializer's.
    let map_error =
        variants.iter().any(|it| it.ty.is_some()).then(|| quote!(.map_err(serde::de::Error::custom)));
    let serialize = in_members.then(|| emit_tag_writing_serialize(&name, variants, property));
    quote! {
        #doc
        #derive
        #serde
        pub enum #name {
            #(#variant_tokens)*
            #[doc = #unknown_doc]
            #unknown_serde
            Unknown(serde_json::Value),
        }

        #serialize

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
                #map_error
            }
        }
    }
}
