//! Emits the operations module: a client method and a request builder per operation, and a
//! credential setter per security scheme.
//!
//! Each builder holds the required arguments and has a setter per optional parameter. It
//! implements the runtime's `Operation` (build the request, decode the response) and gets its
//! per-call options, `send`, `send_with_response`, `send_raw` and `IntoFuture` from the
//! runtime's `operation_methods!`. All HTTP work is delegated to the hand-written runtime, so
//! each operation stays a few lines.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Part, doc_attrs, ident, own_doc_attrs, responses, type_tokens};
use crate::model::{Api, Body, Encoding, Operation, PageStyle, Param, ParamLocation, PathPart, TypeRef};

/// The pieces of the operations module, in order: the module header, the security schemes,
/// `impl Client` with one method per operation (each method its own piece), the builders, the
/// response types, the error body impls.
pub(crate) fn parts(api: &Api) -> Vec<Part<'_>> {
    let operations = &api.operations;
    let mut parts = vec![Part::OperationsHeader];
    parts.extend(api.security_schemes.iter().map(Part::Scheme));
    if operations.is_empty() {
        parts.push(Part::Text("impl Client {}\n"));
    } else {
        parts.push(Part::Text("impl Client {\n"));
        parts.extend(operations.iter().map(Part::Method));
        parts.push(Part::Text("}\n"));
    }
    parts.extend(operations.iter().map(Part::Builder));
    parts.extend(operations.iter().map(Part::ResponseTypes));
    parts.push(Part::ErrorBodies);
    parts
}

/// The inner doc and imports of the operations module.
pub(super) fn emit_header(api: &Api) -> TokenStream {
    let uses_models = api.operations.iter().any(|operation| {
        operation.params.iter().any(|it| mentions_named(&it.ty))
            || operation.body.as_ref().is_some_and(|it| mentions_named(&it.ty))
            || responses::types(operation).any(mentions_named)
    });
    let models_import = uses_models.then(|| {
        quote!(
            use super::models;
        )
    });
    let client_import = if api.security_schemes.is_empty() {
        quote!(
            use crate::client::Client;
        )
    } else {
        quote!(
            use crate::client::{Client, ClientBuilder};
        )
    };
    quote! {
        //! One method on [`Client`] per API operation, each returning a request builder.

        #models_import
        #client_import
        use crate::error::Error;
    }
}

pub(super) fn mentions_named(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named { .. } => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) => mentions_named(inner),
        _ => false,
    }
}

/// Arguments of the client method: path parameters, required parameters, a required body.
fn required_params(operation: &Operation) -> impl Iterator<Item = &Param> {
    operation.params.iter().filter(|it| it.required)
}

fn required_body(operation: &Operation) -> Option<&Body> {
    operation.body.as_ref().filter(|it| it.required)
}

/// `impl Into<String>` for strings, the type itself otherwise.
fn argument_type(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        ty => type_tokens(ty, models),
    }
}

fn argument_value(name: &Ident, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#name.into()),
        _ => quote!(#name),
    }
}

/// A struct field initialised from the argument of the same name.
fn field_init(name: &Ident, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#name: #name.into()),
        _ => quote!(#name),
    }
}

pub(super) fn emit_method(operation: &Operation, models: &TokenStream) -> TokenStream {
    let method = ident(&operation.method_name);
    let builder = ident(&operation.builder_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for param in required_params(operation) {
        let name = ident(&param.name);
        let ty = argument_type(&param.ty, models);
        args.push(quote!(#name: #ty));
        inits.push(field_init(&name, &param.ty));
    }
    for param in operation.params.iter().filter(|it| !it.required) {
        let name = ident(&param.name);
        inits.push(quote!(#name: None));
    }
    if let Some(body) = &operation.body {
        if body.required {
            let ty = type_tokens(&body.ty, models);
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
        if body.encodings.len() > 1 {
            let default = encoding_tokens(&body.encodings[0]);
            inits.push(quote!(encoding: #default));
        }
    }
    let doc = method_doc(operation);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder<'_> {
            #builder { client: self, options: Default::default(), #(#inits),* }
        }
    }
}

/// Summary and description from the spec, then the HTTP line, arguments and how to send.
fn method_doc(operation: &Operation) -> TokenStream {
    let mut spec_parts: Vec<&str> = Vec::new();
    spec_parts.extend(operation.summary.as_deref().map(str::trim));
    if let Some(description) = operation.description.as_deref().map(str::trim) {
        if spec_parts.first() != Some(&description) {
            spec_parts.push(description);
        }
    }
    let own_parts = [format!("`{} {}`", operation.http_method, operation.path.replace('`', "'"))];
    let mut arguments = Vec::new();
    for param in required_params(operation) {
        arguments.push(argument_line(&param.name, param.doc.as_deref()));
    }
    if let Some(body) = required_body(operation) {
        arguments.push(argument_line("body", body.doc.as_deref()));
    }
    let spec = doc_attrs(&spec_parts.join("\n\n"));
    let separator = (!spec_parts.is_empty()).then(|| quote!(#[doc = ""]));
    let http_line = own_doc_attrs(&own_parts.join("\n\n"));
    let arguments =
        (!arguments.is_empty()).then(|| quote!(#[doc = ""] #[doc = " Arguments:"] #(#arguments)*));
    let returns = own_doc_attrs(&if has_options(operation) {
        format!(
            "\nReturns a [`{}`] to set optional parameters on; `.await` it to send the request.",
            operation.builder_name
        )
    } else {
        format!("\nReturns a [`{}`]; `.await` it to send the request.", operation.builder_name)
    });
    quote!(#spec #separator #http_line #arguments #returns)
}

/// Whether the builder has anything to set before sending.
fn has_options(operation: &Operation) -> bool {
    operation.params.iter().any(|it| !it.required)
        || operation.body.as_ref().is_some_and(|it| !it.required || it.encodings.len() > 1)
}

/// `- name: description` for the arguments list, the description made rustdoc-safe.
fn argument_line(name: &str, doc: Option<&str>) -> TokenStream {
    let head = format!(" - `{}`", name.trim_start_matches("r#"));
    match doc.map(|it| it.trim().replace('\n', " ")).filter(|it| !it.is_empty()) {
        Some(text) => {
            let text = super::doc_line(&text);
            let line = format!("{head}:{text}");
            quote!(#[doc = #line])
        }
        None => quote!(#[doc = #head]),
    }
}

/// The runtime's encoding for a structured body (raw bodies are sent apart, see `emit_send`).
fn encoding_tokens(encoding: &Encoding) -> TokenStream {
    match encoding {
        Encoding::Json | Encoding::Raw(_) => quote!(crate::BodyEncoding::Json),
        Encoding::FormUrlEncoded => quote!(crate::BodyEncoding::FormUrlEncoded),
        Encoding::Multipart => quote!(crate::BodyEncoding::Multipart),
    }
}

pub(super) fn emit_builder(operation: &Operation, models: &TokenStream) -> TokenStream {
    let builder = ident(&operation.builder_name);
    let method = &operation.method_name;
    let ok = responses::ok_type(operation, models);
    let error_body = responses::error_body_type(operation, models);
    let error = match &error_body {
        Some(ty) => quote!(Error<#ty>),
        None => quote!(Error),
    };
    let error_body = error_body.unwrap_or_else(|| quote!(std::convert::Infallible));

    let mut fields = vec![quote!(client: &'a Client), quote!(options: crate::send::CallOptions)];
    for param in &operation.params {
        let name = ident(&param.name);
        let ty = type_tokens(&param.ty, models);
        fields.push(if param.required { quote!(#name: #ty) } else { quote!(#name: Option<#ty>) });
    }
    let mut setters = Vec::new();
    for param in operation.params.iter().filter(|it| !it.required) {
        let fallback =
            format!("Sets the optional `{}` {} parameter.", param.wire_name, location_name(param.location));
        let doc = param.doc.as_deref().filter(|it| !it.trim().is_empty()).unwrap_or(&fallback);
        setters.push(emit_setter(&ident(&param.name), &param.ty, Some(doc), models));
    }
    if let Some(body) = &operation.body {
        let ty = type_tokens(&body.ty, models);
        if body.required {
            fields.push(quote!(body: #ty));
        } else {
            fields.push(quote!(body: Option<#ty>));
            let doc = body
                .doc
                .as_deref()
                .unwrap_or("The request body; without it the request is sent with no body.");
            setters.push(emit_setter(&format_ident!("body"), &body.ty, Some(doc), models));
        }
        if body.encodings.len() > 1 {
            fields.push(quote!(encoding: crate::BodyEncoding));
        }
    }
    let encoding_methods = operation.body.as_ref().filter(|it| it.encodings.len() > 1).map(|body| {
        let encodings = body.encodings.iter().map(encoding_variant);
        quote!(crate::operation::encoding_methods!(#builder, #(#encodings),*);)
    });
    setters.extend(emit_paging(operation, &error_body, models));
    let inherent = (!setters.is_empty()).then(|| {
        quote! {
            impl<'a> #builder<'a> {
                #(#setters)*
            }
        }
    });

    let request = emit_request(operation);
    let read = responses::read_response(operation);
    let then = if has_options(operation) { "set optional parameters, then " } else { "" };
    let doc = own_doc_attrs(&format!(
        "Request builder for [`Client::{method}`]: {then}`.await` it (or call [`send`](Self::send))."
    ));
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "a request is sent only when awaited"]
        pub struct #builder<'a> {
            #(#fields,)*
        }

        #inherent

        impl<'a> crate::operation::Operation<'a> for #builder<'a> {
            type Output = #ok;
            type ErrorBody = #error_body;

            fn into_request(self) -> Result<crate::request::Request<'a>, crate::BuildError> {
                #request
            }

            fn decode(response: crate::request::Response) -> Result<#ok, #error> {
                #read
            }
        }

        crate::operation::operation_methods!(#builder, #ok, #error);

        #encoding_methods
    }
}

/// `pages()` and `items()` for a paged listing.
fn emit_paging(operation: &Operation, error_body: &TokenStream, models: &TokenStream) -> Option<TokenStream> {
    let pagination = operation.pagination.as_ref()?;
    let item = type_tokens(&pagination.item_type, models);
    let style = match &pagination.style {
        PageStyle::PageNumber { page } => quote!(crate::paging::Style::PageNumber { page: #page }),
        PageStyle::NextUrl { next } => quote!(crate::paging::Style::NextUrl { next: #next }),
    };
    let optional = |value: &Option<String>| match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let items = optional(&pagination.items);
    let total = optional(&pagination.total);
    Some(quote! {
        /// Every page from the one this request asks for on, fetched as the stream is read; the
        /// stream ends after an empty or last page, or once the total is reached.
        pub fn pages(self) -> crate::PageStream<'a, #item, #error_body> {
            let paging = crate::paging::Paging { style: #style, items: #items, total: #total };
            crate::paging::pages(crate::operation::Operation::into_request(self), paging)
        }

        /// Every item of every page from the one this request asks for on; see [`pages`](Self::pages).
        pub fn items(self) -> crate::ItemStream<'a, #item, #error_body> {
            crate::paging::items(self.pages())
        }
    })
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn emit_setter(name: &Ident, ty: &TypeRef, doc: Option<&str>, models: &TokenStream) -> TokenStream {
    let doc = doc.map(doc_attrs);
    let argument = argument_type(ty, models);
    let value = argument_value(&format_ident!("value"), ty);
    quote! {
        #doc
        pub fn #name(mut self, value: #argument) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// The `crate::BodyEncoding` variant of a structured body's encoding.
fn encoding_variant(encoding: &Encoding) -> proc_macro2::Ident {
    match encoding {
        Encoding::Json => format_ident!("Json"),
        Encoding::FormUrlEncoded => format_ident!("FormUrlEncoded"),
        Encoding::Multipart => format_ident!("Multipart"),
        Encoding::Raw(_) => unreachable!("a raw body is the only encoding offered"),
    }
}

/// The body of `into_request`: the path, then every parameter, the body and the credentials.
fn emit_request(operation: &Operation) -> TokenStream {
    let path = emit_path(operation);
    let method = format_ident!("{}", operation.http_method);
    let mut steps = Vec::new();
    for param in operation.params.iter().filter(|it| it.location != ParamLocation::Path) {
        let name = ident(&param.name);
        let wire = &param.wire_name;
        let call = match param.location {
            ParamLocation::Header => quote!(header),
            _ => quote!(query),
        };
        steps.push(quote!(request.#call(#wire, &self.#name);));
    }
    if let Some(body) = &operation.body {
        // Raw bodies are `String` or `Vec<u8>`; the runtime takes bytes.
        let bytes = |value: TokenStream| match body.ty {
            TypeRef::String => quote!(#value.into_bytes()),
            _ => value,
        };
        steps.push(match (&body.encodings[..], body.required) {
            _ if body.ty == TypeRef::Form && body.required => quote!(request.multipart(self.body);),
            _ if body.ty == TypeRef::Form => quote! {
                if let Some(body) = self.body {
                    request.multipart(body);
                }
            },
            ([Encoding::Raw(content_type)], true) => {
                let value = bytes(quote!(self.body));
                quote!(request.raw_body(#value, #content_type);)
            }
            ([Encoding::Raw(content_type)], false) => {
                let value = bytes(quote!(body));
                quote! {
                    if let Some(body) = self.body {
                        request.raw_body(#value, #content_type);
                    }
                }
            }
            (encodings, required) => {
                let encoding =
                    if encodings.len() > 1 { quote!(self.encoding) } else { encoding_tokens(&encodings[0]) };
                if required {
                    quote!(request.body(&self.body, #encoding);)
                } else {
                    quote! {
                        if let Some(body) = &self.body {
                            request.body(body, #encoding);
                        }
                    }
                }
            }
        });
    }
    if !operation.security.is_empty() {
        let alternatives = operation.security.iter().map(|alternative| {
            let schemes = alternative.iter().map(|it| ident(it));
            quote!(&[#(&#schemes),*])
        });
        steps.push(quote!(request.security(&[#(#alternatives),*]);));
    }
    let id = &operation.id;
    let template = &operation.path;
    quote! {
        #path
        let mut request = self.client.request(reqwest::Method::#method, path);
        request.operation(#id, #template, self.options);
        #(#steps)*
        Ok(request)
    }
}

/// `let path = ...;` with each path parameter percent-encoded into its segment first (as a
/// local of the parameter's name), so the `format!` stays plain for prettyplease.
fn emit_path(operation: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut segments = Vec::new();
    let mut args = Vec::new();
    for part in &operation.path_parts {
        match part {
            PathPart::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(index) => {
                let param = &operation.params[*index];
                let name = ident(&param.name);
                let wire = &param.wire_name;
                segments.push(quote!(let #name = crate::request::path_segment(#wire, &self.#name)?;));
                // Format strings capture plain identifiers inline, but not raw ones.
                if param.name.starts_with("r#") {
                    template.push_str("{}");
                    args.push(name);
                } else {
                    template.push_str(&format!("{{{}}}", param.name));
                }
            }
        }
    }
    if segments.is_empty() {
        quote!(let path = #template.to_owned();)
    } else {
        quote! {
            #(#segments)*
            let path = format!(#template #(, #args)*);
        }
    }
}
