//! Emits the models module: one serde type per [`TypeDef`].

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Part, doc_attrs, ident, own_doc_attrs, type_tokens};
use crate::model::{Api, Field, Presence, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};
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
        TypeKind::Union { variants, discriminator } => emit_union(def, variants, discriminator.as_deref()),
    }
}

fn emit_struct(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def);
    let none = TokenStream::new();
    let field_tokens = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = field_type(field, &none);
        let doc = field.doc.as_deref().map(doc_attrs);
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

/// `new` taking the required fields, the others left empty, so that callers can write
/// `UserListRequest { email: Nullable::Null, ..UserListRequest::new("P-1") }`.
fn emit_constructor(name: &proc_macro2::Ident, fields: &[Field], required: &[&Field]) -> TokenStream {
    let none = TokenStream::new();
    let params = required.iter().map(|field| {
        let field_name = ident(&field.name);
        match &field.ty {
            TypeRef::String => quote!(#field_name: impl Into<String>),
            ty => {
                let ty = type_tokens(ty, &none);
                quote!(#field_name: #ty)
            }
        }
    });
    let inits = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        match (field.presence, &field.ty) {
            (Presence::Required, TypeRef::String) => quote!(#field_name: #field_name.into()),
            (Presence::Required, _) => quote!(#field_name),
            (Presence::OptionalNullable, _) => quote!(#field_name: crate::Nullable::Absent),
            (Presence::Optional | Presence::RequiredNullable, _) => quote!(#field_name: None),
        }
    });
    let doc = format!(" Builds a `{name}` from its required fields, leaving every optional field out.");
    quote! {
        impl #name {
            #[doc = #doc]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

fn type_doc(def: &TypeDef) -> TokenStream {
    let spec = def.doc.as_deref().map(doc_attrs);
    let note = def.request_shape_of.as_ref().map(|base| {
        let separator = spec.is_some().then(|| quote!(#[doc = ""]));
        let note = own_doc_attrs(&format!(
            "The request shape of [`{base}`]: read-only properties are left out, and optional nullable\n\
             properties are [`Nullable`](crate::Nullable), so that absent (\"leave unchanged\") and `null`\n\
             (\"clear\") differ."
        ));
        quote!(#separator #note)
    });
    quote!(#spec #note)
}

fn field_type(field: &Field, models: &TokenStream) -> TokenStream {
    let ty = type_tokens(&field.ty, models);
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
    let variant_names: Vec<_> = variants.iter().map(|it| ident(&it.name)).collect();
    let wire_names: Vec<Literal> = variants.iter().map(|it| Literal::string(&it.wire_name)).collect();
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

/// A `oneOf`/`anyOf` enum. Serialized as the member itself; decoded by the discriminator
/// property when there is one (unknown values kept in `Unknown`), else by trying members in
/// order.
fn emit_union(def: &TypeDef, variants: &[UnionVariant], discriminator: Option<&str>) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def);
    let none = TokenStream::new();
    let variant_tokens = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = type_tokens(&variant.ty, &none);
        let doc = match (discriminator, variant.tags.as_slice()) {
            (Some(property), [_, ..]) => {
                let values: Vec<String> =
                    variant.tags.iter().map(|it| format!("`{}`", it.replace('`', "'"))).collect();
                let text = format!(" `{}` is {}.", property.replace('`', "'"), values.join(" or "));
                Some(quote!(#[doc = #text]))
            }
            _ => None,
        };
        quote!(#doc #variant_name(#ty),)
    });
    let Some(property) = discriminator else {
        return quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variant_tokens)*
            }
        };
    };
    let arms = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let tags = variant.tags.iter().map(|it| Literal::string(it));
        quote!(#(Some(#tags))|* => serde_json::from_value(value).map(Self::#variant_name),)
    });
    let unknown_doc = format!(" A `{}` this client does not know, kept as sent.", property.replace('`', "'"));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variant_tokens)*
            #[doc = #unknown_doc]
            Unknown(serde_json::Value),
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
                .map_err(serde::de::Error::custom)
            }
        }
    }
}
