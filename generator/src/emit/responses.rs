//! Emits how an operation reads its response: the `Result` type of `send`, the `match` on the
//! status, the by-status enums, and the runtime's `ErrorBody` impls for typed error bodies.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, ident, type_tokens};
use crate::model::{
    Api, BodyFormat, ErrorBody, Operation, Payload, StatusCase, StatusMatch, Success, TypeRef,
};

/// Every type an operation's responses mention.
pub(super) fn types(operation: &Operation) -> impl Iterator<Item = &TypeRef> {
    let success: Vec<&TypeRef> = match &operation.success {
        Success::Single { payload, .. } => payload.iter().map(|it| &it.ty).collect(),
        Success::ByStatus { cases, .. } => {
            cases.iter().filter_map(|it| it.payload.as_ref().map(|it| &it.ty)).collect()
        }
    };
    let errors: Vec<&TypeRef> = match &operation.error_body {
        None => Vec::new(),
        Some(ErrorBody::Single(ty)) => vec![ty],
        Some(ErrorBody::ByStatus { cases, .. }) => {
            cases.iter().filter_map(|it| it.payload.as_ref().map(|it| &it.ty)).collect()
        }
    };
    success.into_iter().chain(errors)
}

/// `T` of `send`'s `Result<T, Error<E>>`.
pub(super) fn ok_type(operation: &Operation, models: &TokenStream) -> TokenStream {
    match &operation.success {
        Success::Single { payload: None, .. } => quote!(()),
        Success::Single { payload: Some(payload), empty_statuses } => {
            let ty = type_tokens(&payload.ty, models);
            if empty_statuses.is_empty() { ty } else { quote!(Option<#ty>) }
        }
        Success::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// `E` of `send`'s `Result<T, Error<E>>`, `None` for the default.
pub(super) fn error_body_type(operation: &Operation, models: &TokenStream) -> Option<TokenStream> {
    match &operation.error_body {
        None => None,
        Some(ErrorBody::Single(ty)) => Some(type_tokens(ty, models)),
        Some(ErrorBody::ByStatus { name, .. }) => {
            let name = ident(name);
            Some(quote!(#name))
        }
    }
}

/// The reading of a body in the format it comes in.
fn read(payload: &Payload) -> TokenStream {
    match payload.format {
        BodyFormat::Json => quote!(response.json()),
        BodyFormat::Text => quote!(Ok(response.text())),
        BodyFormat::Binary => quote!(Ok(response.bytes())),
    }
}

/// The status pattern of a case.
fn pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(hundreds) => {
            let (low, high) =
                (Literal::u16_unsuffixed(hundreds * 100), Literal::u16_unsuffixed(hundreds * 100 + 99));
            quote!(#low..=#high)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// The `match` on the response status that ends `send`.
pub(super) fn read_response(operation: &Operation) -> TokenStream {
    let arms = match &operation.success {
        Success::Single { payload: None, .. } => quote!(200..=299 => response.empty(),),
        Success::Single { payload: Some(payload), empty_statuses } if empty_statuses.is_empty() => {
            let read = read(payload);
            quote!(200..=299 => #read,)
        }
        Success::Single { payload: Some(payload), empty_statuses } => {
            let read = read(payload);
            let empty = empty_statuses.iter().map(|it| Literal::u16_unsuffixed(*it));
            quote! {
                #(#empty)|* => Ok(None),
                200..=299 => #read.map(Some),
            }
        }
        Success::ByStatus { name, cases } => {
            let name = ident(name);
            let arms = sorted(cases).into_iter().map(|case| {
                let pattern = pattern(case.status);
                let variant = ident(&case.variant);
                match &case.payload {
                    Some(payload) => {
                        let read = read(payload);
                        quote!(#pattern => #read.map(#name::#variant),)
                    }
                    None => quote!(#pattern => Ok(#name::#variant),),
                }
            });
            quote!(#(#arms)*)
        }
    };
    quote! {
        match response.status().as_u16() {
            #arms
            _ => Err(response.error()),
        }
    }
}

/// Exact statuses first, then ranges, then `default`, as a `match` needs them.
fn sorted(cases: &[StatusCase]) -> Vec<&StatusCase> {
    let mut sorted: Vec<&StatusCase> = cases.iter().collect();
    sorted.sort_by_key(|it| it.status);
    sorted
}

/// The by-status enums of one operation: its success responses and its error bodies.
pub(super) fn emit_response_types(operation: &Operation, models: &TokenStream) -> TokenStream {
    let method = &operation.method_name;
    let success = match &operation.success {
        Success::ByStatus { name, cases } => {
            let doc = format!(" The success responses of [`Client::{method}`], by status.");
            by_status_enum(name, &doc, cases, models)
        }
        Success::Single { .. } => TokenStream::new(),
    };
    let errors = match &operation.error_body {
        Some(ErrorBody::ByStatus { name, cases }) => {
            let doc = format!(" The documented error bodies of [`Client::{method}`], by status.");
            let enum_tokens = by_status_enum(name, &doc, cases, models);
            let type_name = ident(name);
            let arms = sorted(cases).into_iter().map(|case| {
                let pattern = pattern(case.status);
                let variant = ident(&case.variant);
                quote!(#pattern => serde_json::from_slice(body).ok().map(Self::#variant),)
            });
            let fallback =
                cases.iter().all(|it| it.status != StatusMatch::Default).then(|| quote!(_ => None,));
            quote! {
                #enum_tokens

                impl crate::error::ErrorBody for #type_name {
                    fn decode(status: u16, body: &[u8]) -> Option<Self> {
                        match status {
                            #(#arms)*
                            #fallback
                        }
                    }
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote!(#success #errors)
}

fn by_status_enum(name: &str, doc: &str, cases: &[StatusCase], models: &TokenStream) -> TokenStream {
    let name = ident(name);
    let variants = cases.iter().map(|case| {
        let variant = ident(&case.variant);
        let status = match case.status {
            StatusMatch::Code(code) => format!("`{code}`"),
            StatusMatch::Range(hundreds) => format!("`{hundreds}XX`"),
            StatusMatch::Default => "Any other status".to_owned(),
        };
        let doc = match &case.doc {
            Some(text) => doc_attrs(&format!("{status}: {text}")),
            None => doc_attrs(&status),
        };
        match &case.payload {
            Some(payload) => {
                let ty = type_tokens(&payload.ty, models);
                quote!(#doc #variant(#ty),)
            }
            None => quote!(#doc #variant,),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// Lets the runtime decode each error body type that operations use as a whole (once per type).
pub(super) fn emit_error_body_impls(api: &Api, models: &TokenStream) -> TokenStream {
    let mut types: Vec<&TypeRef> = api
        .operations
        .iter()
        .filter_map(|it| match &it.error_body {
            Some(ErrorBody::Single(ty)) => Some(ty),
            _ => None,
        })
        .collect();
    types.sort();
    types.dedup();
    // The runtime already decodes untyped JSON.
    types.retain(|it| **it != TypeRef::Json);
    let impls = types.into_iter().map(|ty| {
        let ty = type_tokens(ty, models);
        quote! {
            impl crate::error::ErrorBody for #ty {
                fn decode(_status: u16, body: &[u8]) -> Option<Self> {
                    serde_json::from_slice(body).ok()
                }
            }
        }
    });
    quote!(#(#impls)*)
}
