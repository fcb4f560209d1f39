//! Emits one const and one client builder setter per security scheme.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, own_doc_attrs};
use crate::model::{SchemeKind, SecurityScheme};

pub(super) fn emit_scheme(scheme: &SecurityScheme) -> TokenStream {
    let const_name = ident(&scheme.const_name);
    let setter = ident(&scheme.setter_name);
    let name = &scheme.name;
    let (value, what, setter_tokens) = match &scheme.kind {
        SchemeKind::ApiKeyHeader(parameter)
        | SchemeKind::ApiKeyQuery(parameter)
        | SchemeKind::ApiKeyCookie(parameter) => {
            let (location, where_) = match &scheme.kind {
                SchemeKind::ApiKeyHeader(_) => (quote!(Header), format!("the `{parameter}` header")),
                SchemeKind::ApiKeyQuery(_) => (quote!(Query), format!("the `{parameter}` query parameter")),
                _ => (quote!(Cookie), format!("the `{parameter}` cookie")),
            };
            let value = quote! {
                crate::request::SecurityScheme::ApiKey {
                    name: #name,
                    location: crate::request::ApiKeyLocation::#location,
                    parameter: #parameter,
                }
            };
            let setter_tokens = quote! {
                pub fn #setter(self, value: impl Into<String>) -> Self {
                    self.credential(&#const_name, value.into())
                }
            };
            (value, format!("an API key sent in {where_}"), setter_tokens)
        }
        SchemeKind::Bearer => (
            quote!(crate::request::SecurityScheme::Bearer { name: #name }),
            "a token sent as `Authorization: Bearer <token>`".to_owned(),
            quote! {
                pub fn #setter(self, token: impl Into<String>) -> Self {
                    self.credential(&#const_name, token.into())
                }
            },
        ),
        SchemeKind::Basic => (
            quote!(crate::request::SecurityScheme::Basic { name: #name }),
            "a user name and password sent with HTTP basic authentication".to_owned(),
            quote! {
                pub fn #setter(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    self.basic_credential(&#const_name, username.into(), password.into())
                }
            },
        ),
    };
    let own = own_doc_attrs(&format!(
        "Sets the credential of the `{name}` security scheme: {what}, on every operation that requires it.\n\n\
         The value never appears in `Debug` output."
    ));
    let spec = scheme.doc.as_deref().map(|it| {
        let text = doc_attrs(it);
        quote!(#[doc = ""] #text)
    });
    let doc = quote!(#own #spec);
    quote! {
        const #const_name: crate::request::SecurityScheme = #value;

        impl ClientBuilder {
            #doc
            #setter_tokens
        }
    }
}
