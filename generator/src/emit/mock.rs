//! Emits the mock module (cargo feature `mock`): per operation a function returning a typed
//! builder of the runtime's `MockOperation`, grouped like the client
//! (`mock::user_profile::get().id("42").respond(user)`).
//!
//! Each builder has a method per parameter (the value the request must hold), `body` (the JSON
//! body it must hold), `respond` with the operation's success type, `respond_error` with its
//! error body type, `respond_json`, `respond_status` and `respond_raw` for anything else, and
//! `mount`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::{mentions_named, method_path};
use super::{Part, ident, inner_doc_attrs, own_doc, type_tokens};
use crate::model::{Api, BodyFormat, Encoding, ErrorBody, Group, Operation, ParamLocation, Success, TypeRef};
use crate::names::unraw;

/// Methods every mock builder has, which a parameter's method must not take.
const BUILDER_METHODS: &[&str] =
    &["body", "mount", "respond", "respond_error", "respond_json", "respond_raw", "respond_status"];

/// The pieces of the mock module: its header, then the operations without a group.
pub(crate) fn parts(api: &Api) -> Vec<Part<'_>> {
    let mut parts = vec![Part::MockHeader];
    parts.extend(api.operations.iter().filter(|it| it.group.is_none()).map(Part::Mock));
    parts
}

/// The pieces of a group's mock module: its header, then the group's operations.
pub(crate) fn group_parts<'a>(api: &'a Api, group: &'a Group) -> Vec<Part<'a>> {
    let mut parts = vec![Part::MockGroupHeader(group)];
    parts.extend(api.operations.iter().filter(|it| it.group.as_ref() == Some(&group.name)).map(Part::Mock));
    parts
}

pub(super) fn emit_header(api: &Api) -> TokenStream {
    let operations: Vec<&Operation> = api.operations.iter().filter(|it| it.group.is_none()).collect();
    let doc = inner_doc_attrs([
        " Typed mocks of the API's operations on a local `wiremock` server, for the tests of code",
        " that uses this client: `mock::<group>::<operation>()` (or `mock::<operation>()` for one",
        " without a group), then what the request must hold, the response, and `.mount(&server)`.",
        " A request the mock does not match is answered 404 by the server; `Mounted::misses` says",
        " which expectation it missed.",
    ]);
    let imports = imports(&operations);
    let modules = api.groups.iter().map(|group| {
        let name = ident(&group.name);
        quote!(pub mod #name;)
    });
    quote! {
        #doc
        #imports
        #(#modules)*
    }
}

pub(super) fn emit_group_header(api: &Api, group: &Group) -> TokenStream {
    let operations: Vec<&Operation> =
        api.operations.iter().filter(|it| it.group.as_ref() == Some(&group.name)).collect();
    let doc = inner_doc_attrs([format!(
        " Mocks of the operations tagged `{}` ([`{}`](crate::operations::{}::{})).",
        group.tag.replace('`', "'"),
        group.type_name,
        unraw(&group.name),
        group.type_name
    )]);
    let imports = imports(&operations);
    quote! {
        #doc
        #imports
    }
}

/// What the mocks of `operations` refer to.
fn imports(operations: &[&Operation]) -> TokenStream {
    if operations.is_empty() {
        return TokenStream::new();
    }
    let models = operations.iter().any(|it| uses_models(it)).then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        #models
        use crate::{reqwest, runtime};
    }
}

/// Whether an operation's mock names a type of the models module.
fn uses_models(operation: &Operation) -> bool {
    operation.params.iter().any(|it| mentions_named(&it.ty))
        || json_body(operation).is_some_and(mentions_named)
        || success_type(operation).is_some_and(|(ty, _)| mentions_named(ty))
        || error_type(operation).is_some_and(mentions_named)
}

/// The body type a mock can expect: a JSON-encodable body (not a multipart form of files, not
/// raw bytes).
fn json_body(operation: &Operation) -> Option<&TypeRef> {
    let body = operation.body.as_ref()?;
    let structured = body.ty != TypeRef::Form && !matches!(body.encodings.as_slice(), [Encoding::Raw(_)]);
    structured.then_some(&body.ty)
}

/// The one success type and its format, when the operation has one.
fn success_type(operation: &Operation) -> Option<(&TypeRef, BodyFormat)> {
    match &operation.success {
        Success::Single { payload: Some(payload), .. } => Some((&payload.ty, payload.format)),
        _ => None,
    }
}

fn error_type(operation: &Operation) -> Option<&TypeRef> {
    match &operation.error_body {
        Some(ErrorBody::Single(ty)) => Some(ty),
        _ => None,
    }
}

/// The function that starts an operation's mock, and its builder.
pub(super) fn emit_mock(operation: &Operation) -> TokenStream {
    let function = ident(&operation.method_name);
    let builder = ident(&operation.builder_name);
    let method = ident(&operation.http_method);
    let template = &operation.path;
    let target = match &operation.group {
        Some(group) => format!("crate::operations::{}::{}", unraw(group), method_path(operation)),
        None => format!("crate::{}", method_path(operation)),
    };
    let start_doc = own_doc(&format!(
        "A mock of [`{}`]({target}) (`{} {}`); nothing is expected of the request until said.",
        method_path(operation),
        operation.http_method,
        operation.path.replace('`', "'")
    ));
    let builder_doc = own_doc(&format!(
        "A mock of [`{}`]({target}): what a request must hold, the response to it, then\n\
         [`mount`](Self::mount).",
        method_path(operation)
    ));
    let params = operation.params.iter().map(|param| {
        let name = param_method(&param.name);
        let wire = &param.wire_name;
        let (argument, value) = match param.ty {
            TypeRef::String => (quote!(impl Into<String>), quote!(&value.into())),
            _ => (type_tokens(&param.ty, false), quote!(&value)),
        };
        let call = match param.location {
            ParamLocation::Path => quote!(path_parameter),
            ParamLocation::Query => quote!(query),
            ParamLocation::Header => quote!(header),
        };
        let doc = own_doc(&format!("The request's `{wire}` parameter must be this."));
        quote! {
            #doc
            pub fn #name(self, value: #argument) -> Self {
                Self(self.0.#call(#wire, #value))
            }
        }
    });
    let body = json_body(operation).map(|ty| {
        let ty = type_tokens(ty, false);
        quote! {
            /// The request's body must be this, as JSON.
            pub fn body(self, value: #ty) -> Self {
                Self(self.0.json_body(&value))
            }
        }
    });
    let respond = match (&operation.success, success_type(operation)) {
        (_, Some((ty, format))) => {
            let ty_tokens = type_tokens(ty, false);
            let call = match format {
                BodyFormat::Json => quote!(respond_json(200, &value)),
                BodyFormat::Text => quote!(respond_raw(200, "text/plain; charset=utf-8", value)),
                BodyFormat::Binary => quote!(respond_raw(200, "application/octet-stream", value)),
            };
            Some(quote! {
                /// Answers `200 OK` with this value.
                pub fn respond(self, value: #ty_tokens) -> Self {
                    Self(self.0.#call)
                }
            })
        }
        (Success::Single { payload: None, .. }, None) => Some(quote! {
            /// Answers `204 No Content`.
            pub fn respond(self) -> Self {
                Self(self.0.respond_empty(204))
            }
        }),
        _ => None,
    };
    let respond_error = error_type(operation).map(|ty| {
        let ty = type_tokens(ty, false);
        quote! {
            /// Answers `status` (an error status) with this error body.
            pub fn respond_error(self, status: u16, value: #ty) -> Self {
                Self(self.0.respond_json(status, &value))
            }
        }
    });
    quote! {
        #start_doc
        pub fn #function() -> #builder {
            #builder(runtime::mock::MockOperation::new(reqwest::Method::#method, #template))
        }

        #builder_doc
        #[derive(Debug)]
        #[must_use = "a mock does nothing until it is mounted"]
        pub struct #builder(runtime::mock::MockOperation);

        impl #builder {
            #(#params)*
            #body
            #respond
            #respond_error

            /// Answers `status` with `value` as a JSON body.
            pub fn respond_json(self, status: u16, value: impl serde::Serialize) -> Self {
                Self(self.0.respond_json(status, &value))
            }

            /// Answers `status` with no body.
            pub fn respond_status(self, status: u16) -> Self {
                Self(self.0.respond_empty(status))
            }

            /// Answers `status` with `body` as it is.
            pub fn respond_raw(self, status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
                Self(self.0.respond_raw(status, content_type, body))
            }

            /// Puts the mock on `server` for as long as the returned guard lives.
            pub async fn mount(self, server: &runtime::wiremock::MockServer) -> runtime::mock::Mounted {
                self.0.mount(server).await
            }
        }
    }
}

/// A parameter's method: its name, unless a builder method has it (`body_param`).
fn param_method(name: &str) -> proc_macro2::Ident {
    if BUILDER_METHODS.contains(&unraw(name)) { format_ident!("{}_param", unraw(name)) } else { ident(name) }
}
