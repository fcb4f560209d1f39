//! Emits one const and one client builder setter per security scheme.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, own_doc, spec_doc};
use crate::model::{SchemeKind, SecurityScheme};

pub(super) fn emit_scheme(scheme: &SecurityScheme) -> TokenStream {
    let const_name = ident(&scheme.const_name);
    let setter = ident(&scheme.setter_name);
    let name = &scheme.name;
    let (value, what, setter_fn) = match &scheme.kind {
        SchemeKind::ApiKeyHeader(parameter)
        | SchemeKind::ApiKeyQuery(parameter)
        | SchemeKind::ApiKeyCookie(parameter) => {
            let (location, where_) = match &scheme.kind {
                SchemeKind::ApiKeyHeader(_) => (quote!(Header), format!("the `{parameter}` header")),
                SchemeKind::ApiKeyQuery(_) => (quote!(Query), format!("the `{parameter}` query parameter")),
                _ => (quote!(Cookie), format!("the `{parameter}` cookie")),
            };
            let value = quote! {
                runtime::request::SecurityScheme::ApiKey {
                    name: #name,
                    location: runtime::request::ApiKeyLocation::#location,
                    parameter: #parameter,
                }
            };
            let setter_fn = quote! {
                pub fn #setter(self, value: impl Into<String>) -> Self {
                    self.credential(&#const_name, value.into())
                }
            };
            (value, format!("an API key sent in {where_}"), setter_fn)
        }
        SchemeKind::Bearer => (
            quote!(runtime::request::SecurityScheme::Bearer { name: #name }),
            "a token sent as `Authorization: Bearer <token>`".to_owned(),
            quote! {
                pub fn #setter(self, token: impl Into<String>) -> Self {
                    self.credential(&#const_name, token.into())
                }
            },
        ),
        SchemeKind::Basic => (
            quote!(runtime::request::SecurityScheme::Basic { name: #name }),
            "a user name and password sent with HTTP basic authentication".to_owned(),
            quote! {
                pub fn #setter(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    self.basic_credential(&#const_name, username.into(), password.into())
                }
            },
        ),
    };
    let own = own_doc(&format!(
        "Sets the credential of the `{name}` security scheme: {what}, on every operation that requires it.\n\n\
         The value never appears in `Debug` output."
    ));
    let spec = scheme.doc.as_deref().map(|doc| {
        let separator = doc_attrs([""]);
        let doc = spec_doc(doc);
        quote!(#separator #doc)
    });
    quote! {
        const #const_name: runtime::request::SecurityScheme = #value;

        impl ClientBuilder {
            #own
            #spec
            #setter_fn
        }
    }
}
