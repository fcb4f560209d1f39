//! Emits how an operation reads its response: the `Result` type of `send`, the `match` on the
//! status, the by-status enums, and the runtime's `ErrorBody` impls for typed error bodies.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::{doc_attrs, ident, spec_doc, type_tokens};
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
pub(super) fn ok_type(operation: &Operation) -> TokenStream {
    match &operation.success {
        Success::Single { payload: None, .. } => quote!(()),
        Success::Single { payload: Some(payload), empty_statuses } => {
            let ty = type_tokens(&payload.ty, false);
            if empty_statuses.is_empty() { ty } else { quote!(Option<#ty>) }
        }
        Success::ByStatus { name, .. } => ident(name).into_token_stream(),
    }
}

/// The `ErrorBody` of the operation: the typed error body, or `Infallible` without one.
pub(super) fn error_body_or_infallible(operation: &Operation) -> TokenStream {
    error_body_type(operation).unwrap_or_else(|| quote!(std::convert::Infallible))
}

/// `E` of `send`'s `Result<T, Error<E>>`, `None` for the default.
pub(super) fn error_body_type(operation: &Operation) -> Option<TokenStream> {
    match &operation.error_body {
        None => None,
        Some(ErrorBody::Single(ty)) => Some(type_tokens(ty, false)),
        Some(ErrorBody::ByStatus { name, .. }) => Some(ident(name).into_token_stream()),
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
        StatusMatch::Code(code) => Literal::u16_unsuffixed(code).into_token_stream(),
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
    let success_range = pattern(StatusMatch::Range(2));
    let arms = match &operation.success {
        Success::Single { payload: None, .. } => quote!(#success_range => response.empty(),),
        Success::Single { payload: Some(payload), empty_statuses } if empty_statuses.is_empty() => {
            let read = read(payload);
            quote!(#success_range => #read,)
        }
        Success::Single { payload: Some(payload), empty_statuses } => {
            let empty = empty_statuses.iter().map(|it| Literal::u16_unsuffixed(*it));
            let read = read(payload);
            quote! {
                #(#empty)|* => Ok(None),
                #success_range => #read.map(Some),
            }
        }
        Success::ByStatus { name, cases } => {
            let name = ident(name);
            let arms = sorted(cases).into_iter().map(|case| {
                let variant = ident(&case.variant);
                let pattern = pattern(case.status);
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
pub(super) fn emit_response_types(operation: &Operation) -> TokenStream {
    let method = super::operations::method_path(operation);
    let success = match &operation.success {
        Success::ByStatus { name, cases } => {
            let doc = format!(" The success responses of [`{method}`], by status.");
            Some(by_status_enum(name, doc, cases))
        }
        Success::Single { .. } => None,
    };
    let Some(ErrorBody::ByStatus { name, cases }) = &operation.error_body else { return quote!(#success) };
    let doc = format!(" The documented error bodies of [`{method}`], by status.");
    let errors = by_status_enum(name, doc, cases);
    let arms = sorted(cases).into_iter().map(|case| {
        let variant = ident(&case.variant);
        let pattern = pattern(case.status);
        quote!(#pattern => serde_json::from_slice(body).ok().map(Self::#variant),)
    });
    let fallback = cases.iter().all(|it| it.status != StatusMatch::Default).then(|| quote!(_ => None,));
    let decode = error_body_impl(
        ident(name).into_token_stream(),
        quote!(status),
        quote! {
            match status {
                #(#arms)*
                #fallback
            }
        },
    );
    quote!(#success #errors #decode)
}

/// `impl runtime::ErrorBody for ty { fn decode(status, body) -> Option<Self> { value } }`.
fn error_body_impl(ty: TokenStream, status: TokenStream, value: TokenStream) -> TokenStream {
    quote! {
        impl runtime::ErrorBody for #ty {
            fn decode(#status: u16, body: &[u8]) -> Option<Self> {
                #value
            }
        }
    }
}

fn by_status_enum(name: &str, doc: String, cases: &[StatusCase]) -> TokenStream {
    let name = ident(name);
    let doc = doc_attrs([doc]);
    let variants = cases.iter().map(|case| {
        let status = match case.status {
            StatusMatch::Code(code) => format!("`{code}`"),
            StatusMatch::Range(hundreds) => format!("`{hundreds}XX`"),
            StatusMatch::Default => "Any other status".to_owned(),
        };
        let doc = match &case.doc {
            Some(text) => spec_doc(&format!("{status}: {text}")),
            None => spec_doc(&status),
        };
        let variant = ident(&case.variant);
        let body = case.payload.as_ref().map(|it| {
            let ty = type_tokens(&it.ty, false);
            quote!((#ty))
        });
        quote!(#doc #variant #body,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// Whether any operation has a named error body type, and so an `ErrorBody` impl.
pub(super) fn has_error_body_impls(api: &Api) -> bool {
    !error_body_types(api).is_empty()
}

/// Lets the runtime decode each error body type that operations use as a whole (once per type).
pub(super) fn emit_error_body_impls(api: &Api) -> TokenStream {
    let impls = error_body_types(api).into_iter().map(|ty| {
        error_body_impl(type_tokens(ty, false), quote!(_status), quote!(serde_json::from_slice(body).ok()))
    });
    quote!(#(#impls)*)
}

/// The named types operations use as their whole error body, once each, sorted.
fn error_body_types(api: &Api) -> Vec<&TypeRef> {
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
    // The runtime decodes the others (strings, arrays, ...; see `TypeRef::is_error_body`).
    types.retain(|it| matches!(it, TypeRef::Named { .. }));
    types
}
