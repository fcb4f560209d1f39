//! Emits the operations module: a client method and a request builder per operation, and a
//! credential setter per security scheme.
//!
//! Each client method returns the runtime's `Call` of an operation type, which holds the
//! operation's parameters and implements the runtime's `Operation` (build the request, decode
//! the response); the call gets a setter per optional parameter here, and its per-call options,
//! `send`, `send_with_response`, `send_raw` and `.await` from the runtime, once for all
//! operations. All HTTP work is delegated to the hand-written runtime, so each operation stays a
//! few lines.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Part, doc_attrs, ident, inner_doc_attrs, own_doc, responses, spec_doc, type_tokens};
use crate::model::{
    Api, Body, Encoding, Group, Operation, PageStyle, Param, ParamLocation, PathPart, Setting, TypeRef,
};
use crate::names::unraw;

/// The pieces of the operations module, in order: the module header, the security schemes,
/// `impl Client` with a method per group and per operation without one (each method its own
/// piece), then the builders and response types of those operations, and the error body impls.
pub(crate) fn parts(api: &Api) -> Vec<Part<'_>> {
    let operations: Vec<&Operation> = api.operations.iter().filter(|it| it.group.is_none()).collect();
    let mut parts = vec![Part::OperationsHeader];
    parts.extend(api.security_schemes.iter().map(Part::Scheme));
    parts.extend(api.settings.iter().map(Part::Setting));
    if operations.is_empty() && api.groups.is_empty() {
        parts.push(Part::Text("impl Client {}\n"));
    } else {
        parts.push(Part::Text("impl Client {\n"));
        parts.extend(api.groups.iter().map(Part::Accessor));
        parts.extend(operations.iter().map(|it| Part::Method(it)));
        parts.push(Part::Text("}\n"));
    }
    parts.extend(operations.iter().map(|it| Part::Builder(it)));
    parts.extend(operations.iter().map(|it| Part::ResponseTypes(it)));
    parts.push(Part::ErrorBodies);
    parts
}

/// The pieces of a group's module: its header and handle type, the handle's methods, then the
/// group's builders and response types.
pub(crate) fn group_parts<'a>(api: &'a Api, group: &'a Group) -> Vec<Part<'a>> {
    let operations: Vec<&Operation> = members(api, group).collect();
    let mut parts = vec![Part::GroupHeader(group), Part::HandleOpen(group)];
    parts.extend(operations.iter().map(|it| Part::Method(it)));
    parts.push(Part::Text("}\n"));
    parts.extend(operations.iter().map(|it| Part::Builder(it)));
    parts.extend(operations.iter().map(|it| Part::ResponseTypes(it)));
    parts
}

fn members<'a>(api: &'a Api, group: &'a Group) -> impl Iterator<Item = &'a Operation> {
    api.operations.iter().filter(|it| it.group.as_ref() == Some(&group.name))
}

/// Whether an operation's parameters, body or responses name a type of the models module.
fn uses_models(operation: &Operation) -> bool {
    operation.params.iter().any(|it| mentions_named(&it.ty))
        || operation.body.as_ref().is_some_and(|it| mentions_named(&it.ty))
        || responses::types(operation).any(mentions_named)
}

/// The inner doc, imports and group modules of the operations module.
pub(super) fn emit_header(api: &Api) -> TokenStream {
    let ungrouped: Vec<&Operation> = api.operations.iter().filter(|it| it.group.is_none()).collect();
    let error_bodies = responses::has_error_body_impls(api);
    let models = (ungrouped.iter().any(|it| uses_models(it)) || error_bodies).then(|| {
        quote!(
            use super::models;
        )
    });
    let client = if api.security_schemes.is_empty() && api.settings.is_empty() {
        quote!(
            use crate::client::Client;
        )
    } else {
        quote!(
            use crate::client::{Client, ClientBuilder};
        )
    };
    // What the builders here, the credentials and the error body impls refer to.
    let mut crate_items = Vec::new();
    if !ungrouped.is_empty() || api.groups.is_empty() {
        crate_items.extend([quote!(Error), quote!(reqwest)]);
    }
    if !ungrouped.is_empty() || api.groups.is_empty() || !api.security_schemes.is_empty() || error_bodies {
        crate_items.push(quote!(runtime));
    }
    let crate_items = match crate_items.as_slice() {
        [] => None,
        [one] => Some(quote!(use crate::#one;)),
        _ => Some(quote!(use crate::{#(#crate_items),*};)),
    };
    let doc = if api.groups.is_empty() {
        inner_doc_attrs([" One method on [`Client`] per API operation, each returning a request builder."])
    } else {
        let first = &api.groups[0];
        let example =
            format!("`client.{}()` for the tag `{}`", unraw(&first.name), first.tag.replace('`', "'"));
        inner_doc_attrs([
            " The API's operations. Those of a tag are methods of the tag's handle, which a method of"
                .to_owned(),
            format!(" [`Client`] returns ({example}), and live in a module of the tag's name; the"),
            " others are methods of [`Client`]. Each method returns a [`Call`](crate::Call): set".to_owned(),
            " optional parameters on it, then `.await` it.".to_owned(),
        ])
    };
    let modules = api.groups.iter().map(|group| {
        let name = ident(&group.name);
        quote!(pub mod #name;)
    });
    quote! {
        #doc
        #models
        #client
        #crate_items
        #(#modules)*
    }
}

/// The inner doc and imports of a group's module, and its handle type.
pub(super) fn emit_group_header(api: &Api, group: &Group) -> TokenStream {
    let (name, handle) = (&group.name, ident(&group.type_name));
    let tag = group.tag.replace('`', "'");
    let mut doc = vec![format!(
        " The operations tagged `{tag}`: methods of [`{}`], which [`Client::{}`](crate::Client::{}) returns.",
        group.type_name,
        unraw(name),
        unraw(name)
    )];
    if let Some(text) = &group.doc {
        doc.push(String::new());
        doc.extend(super::doc_lines(text));
    }
    let doc = inner_doc_attrs(doc);
    let models = members(api, group).any(uses_models).then(|| {
        quote!(
            use crate::models;
        )
    });
    let handle_doc = own_doc(&format!(
        "The operations tagged `{tag}`, from [`Client::{0}`](crate::Client::{0}).\n\
         It only borrows the client, so getting one for each call costs nothing.",
        unraw(name)
    ));
    quote! {
        #doc
        use crate::client::Client;
        #models
        use crate::{Error, reqwest, runtime};

        #handle_doc
        #[derive(Clone, Copy, Debug)]
        pub struct #handle<'a> {
            pub(super) client: &'a Client,
        }
    }
}

/// The client builder method of a setting.
pub(super) fn emit_setting(setting: &Setting) -> TokenStream {
    let setter = ident(&setting.setter_name);
    let Setting { wire_name, default, .. } = setting;
    let own = own_doc(&format!(
        "Sets the `{{{}}}` segment of every path that has it; `{}` unless set.",
        wire_name.replace('`', "'"),
        default.replace('`', "'")
    ));
    let spec = setting.doc.as_deref().map(|doc| {
        let separator = doc_attrs([""]);
        let doc = spec_doc(doc);
        quote!(#separator #doc)
    });
    quote! {
        impl ClientBuilder {
            #own
            #spec
            pub fn #setter(self, value: impl Into<String>) -> Self {
                self.path_setting(#wire_name, value.into())
            }
        }
    }
}

/// The method of `Client` that returns a group's handle.
pub(super) fn emit_accessor(group: &Group) -> TokenStream {
    let (name, module, handle) = (ident(&group.name), ident(&group.name), ident(&group.type_name));
    let spec = group.doc.as_deref().map(|text| {
        let doc = spec_doc(text);
        let separator = doc_attrs([""]);
        quote!(#doc #separator)
    });
    let own = own_doc(&format!(
        "The operations tagged `{}`: see [`{}`]({}::{}).",
        group.tag.replace('`', "'"),
        group.type_name,
        unraw(&group.name),
        group.type_name
    ));
    quote! {
        #spec
        #own
        pub fn #name(&self) -> #module::#handle<'_> {
            #module::#handle { client: self }
        }
    }
}

/// The header of the impl an operation's method is in.
pub(super) fn impl_header(operation: &Operation) -> TokenStream {
    match &operation.group {
        None => quote!(impl Client),
        Some(_) => {
            let owner = ident(&operation.owner);
            quote!(impl<'a> #owner<'a>)
        }
    }
}

pub(super) fn mentions_named(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named { .. } => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => mentions_named(inner),
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
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        ty => type_tokens(ty, false),
    }
}

/// The value of an argument: `.into()` for strings.
fn argument_value(name: &Ident, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#name.into()),
        _ => quote!(#name),
    }
}

pub(super) fn emit_method(operation: &Operation) -> TokenStream {
    let builder = ident(&operation.builder_name);
    let method = ident(&operation.method_name);
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for param in required_params(operation) {
        let name = ident(&param.name);
        let ty = argument_type(&param.ty);
        params.push(quote!(#name: #ty));
        inits.push(match param.ty {
            TypeRef::String => quote!(#name: #name.into()),
            _ => quote!(#name),
        });
    }
    for param in operation.params.iter().filter(|it| !it.required) {
        let name = ident(&param.name);
        inits.push(quote!(#name: None));
    }
    if let Some(body) = &operation.body {
        if body.required {
            let ty = type_tokens(&body.ty, false);
            params.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
        if body.encodings.len() > 1 {
            let encoding = encoding_path(&body.encodings[0]);
            inits.push(quote!(encoding: #encoding));
        }
    }
    let doc = method_doc(operation);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    let value = if has_fields(operation) { quote!(#builder { #(#inits),* }) } else { quote!(#builder) };
    // A group's handle lends out the client it borrows, so a call can outlive the handle.
    let (lifetime, client) = match operation.group {
        None => (quote!('_), quote!(self)),
        Some(_) => (quote!('a), quote!(self.client)),
    };
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#params),*) -> crate::Call<#lifetime, #builder> {
            crate::Call::new(#client, #value)
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
    let spec = spec_doc(&spec_parts.join("\n\n"));
    let separator = (!spec_parts.is_empty()).then(|| doc_attrs([""]));
    let mut http_line = format!("`{} {}`", operation.http_method, operation.path.replace('`', "'"));
    if operation.id_documented {
        http_line.push_str(&format!(" (operationId `{}`)", operation.id.replace('`', "'")));
    }
    let http_line = own_doc(&http_line);
    let mut arguments = Vec::new();
    for param in required_params(operation) {
        arguments.push(argument_line(&param.name, param.doc.as_deref()));
    }
    if let Some(body) = required_body(operation) {
        arguments.push(argument_line("body", body.doc.as_deref()));
    }
    let arguments = (!arguments.is_empty()).then(|| {
        let heading = doc_attrs(["", " Arguments:"]);
        let lines = doc_attrs(arguments);
        quote!(#heading #lines)
    });
    let returns = if has_options(operation) {
        format!(
            "\nReturns a [`Call`](crate::Call) of [`{}`] to set optional parameters on; `.await` it to send \
             the request.",
            operation.builder_name
        )
    } else {
        format!(
            "\nReturns a [`Call`](crate::Call) of [`{}`]; `.await` it to send the request.",
            operation.builder_name
        )
    };
    let returns = own_doc(&returns);
    quote!(#spec #separator #http_line #arguments #returns)
}

/// `Owner::method`, for intra-doc links from the operation's types to its method.
pub(super) fn method_path(operation: &Operation) -> String {
    format!("{}::{}", unraw(&operation.owner), unraw(&operation.method_name))
}

/// Whether the operation has parameters or a body, and so its type has fields.
fn has_fields(operation: &Operation) -> bool {
    !operation.params.is_empty() || operation.body.is_some()
}

/// Whether the builder has anything to set before sending.
fn has_options(operation: &Operation) -> bool {
    operation.params.iter().any(|it| !it.required)
        || operation.body.as_ref().is_some_and(|it| !it.required || it.encodings.len() > 1)
}

/// `- name: description` for the arguments list, the description made rustdoc-safe.
fn argument_line(name: &str, doc: Option<&str>) -> String {
    let head = format!(" - `{}`", name.trim_start_matches("r#"));
    match doc.map(|it| it.trim().replace('\n', " ")).filter(|it| !it.is_empty()) {
        Some(text) => format!("{head}:{}", super::doc_line(&text)),
        None => head,
    }
}

/// The runtime's encoding for a structured body (raw bodies are sent apart, see `body_stmt`).
fn encoding_path(encoding: &Encoding) -> TokenStream {
    match encoding {
        Encoding::Json | Encoding::Raw(_) => quote!(crate::BodyEncoding::Json),
        Encoding::FormUrlEncoded => quote!(crate::BodyEncoding::FormUrlEncoded),
        Encoding::Multipart => quote!(crate::BodyEncoding::Multipart),
    }
}

/// The `crate::BodyEncoding` variant of a structured body's encoding.
fn encoding_variant(encoding: &Encoding) -> TokenStream {
    match encoding {
        Encoding::Json => quote!(Json),
        Encoding::FormUrlEncoded => quote!(FormUrlEncoded),
        Encoding::Multipart => quote!(Multipart),
        Encoding::Raw(_) => unreachable!("a raw body is the only encoding offered"),
    }
}

pub(super) fn emit_builder(operation: &Operation, settings: &[Setting]) -> TokenStream {
    let builder = ident(&operation.builder_name);
    let method = method_path(operation);
    let doc = if has_options(operation) {
        format!(
            "The operation behind [`{method}`]: set its optional parameters on the \
             [`Call`](crate::Call) the method returns, then `.await` that."
        )
    } else {
        format!("The operation behind [`{method}`]: `.await` the [`Call`](crate::Call) the method returns.")
    };
    let doc = own_doc(&doc);
    let definition = if has_fields(operation) {
        // What the caller may leave out is an `Option`.
        let field = |name: &Ident, ty: &TypeRef, required: bool| {
            let ty = type_tokens(ty, false);
            if required { quote!(#name: #ty) } else { quote!(#name: Option<#ty>) }
        };
        let mut fields: Vec<TokenStream> =
            operation.params.iter().map(|it| field(&ident(&it.name), &it.ty, it.required)).collect();
        if let Some(body) = &operation.body {
            fields.push(field(&ident("body"), &body.ty, body.required));
            if body.encodings.len() > 1 {
                fields.push(quote!(encoding: crate::BodyEncoding));
            }
        }
        quote!(pub struct #builder { #(#fields),* })
    } else {
        quote!(pub struct #builder;)
    };

    let optional_body = operation.body.as_ref().filter(|it| !it.required);
    let setters = (operation.params.iter().any(|it| !it.required)
        || optional_body.is_some()
        || operation.pagination.is_some())
    .then(|| {
        let params = operation.params.iter().filter(|it| !it.required).map(|param| {
            let fallback = format!(
                "Sets the optional `{}` {} parameter.",
                param.wire_name,
                location_name(param.location)
            );
            let doc = match param.doc.as_deref().filter(|it| !it.trim().is_empty()) {
                Some(doc) => spec_doc(doc),
                None => spec_doc(&fallback),
            };
            let setter = setter(&ident(&param.name), &param.ty);
            quote!(#doc #setter)
        });
        let body = optional_body.map(|body| {
            let doc = body
                .doc
                .as_deref()
                .unwrap_or("The request body; without it the request is sent with no body.");
            let doc = spec_doc(doc);
            let setter = setter(&ident("body"), &body.ty);
            quote!(#doc #setter)
        });
        let paging = paging(operation);
        quote! {
            impl<'a> crate::Call<'a, #builder> {
                #(#params)*
                #body
                #paging
            }
        }
    });

    let output = responses::ok_type(operation);
    let error_body = responses::error_body_or_infallible(operation);
    let error = match responses::error_body_type(operation) {
        Some(ty) => quote!(Error<#ty>),
        None => quote!(Error),
    };
    let request = request_stmts(operation, settings);
    let read = responses::read_response(operation);
    let (id, http_method, template) = (&operation.id, ident(&operation.http_method), &operation.path);
    let encodings = operation.body.as_ref().filter(|it| it.encodings.len() > 1).map(|body| {
        let variants = body.encodings.iter().map(encoding_variant);
        quote!(crate::client::encoding_methods!(#builder, #(#variants),*);)
    });
    quote! {
        #doc
        #[derive(Debug)]
        #definition

        #setters

        impl runtime::Operation for #builder {
            type Output = #output;
            type ErrorBody = #error_body;
            const OPERATION_ID: &'static str = #id;
            const METHOD: reqwest::Method = reqwest::Method::#http_method;
            const PATH_TEMPLATE: &'static str = #template;

            fn into_request(
                self,
                client: &runtime::Client,
                options: runtime::CallOptions,
            ) -> Result<runtime::request::Request<'_>, crate::BuildError> {
                #request
            }

            fn decode(response: runtime::request::Response) -> Result<#output, #error> {
                #read
            }
        }

        #encodings
    }
}

/// `pages()` and `items()` for a paged listing.
fn paging(operation: &Operation) -> Option<TokenStream> {
    let pagination = operation.pagination.as_ref()?;
    let item = type_tokens(&pagination.item_type, false);
    let error_body = responses::error_body_or_infallible(operation);
    let style = match &pagination.style {
        PageStyle::PageNumber { page } => quote!(runtime::paging::Style::PageNumber { page: #page }),
        PageStyle::NextUrl { next } => quote!(runtime::paging::Style::NextUrl { next: #next }),
    };
    let optional = |value: &Option<String>| match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let (items, total) = (optional(&pagination.items), optional(&pagination.total));
    Some(quote! {
        /// Every page from the one this request asks for on, fetched as the stream is read; the
        /// stream ends after an empty or last page, or once the total is reached.
        pub fn pages(self) -> crate::PageStream<'a, #item, #error_body> {
            let paging = runtime::paging::Paging {
                style: #style,
                items: #items,
                total: #total,
            };
            runtime::paging::pages(self.into_request(), paging)
        }

        /// Every item of every page from the one this request asks for on; see [`pages`](Self::pages).
        pub fn items(self) -> crate::ItemStream<'a, #item, #error_body> {
            runtime::paging::items(self.pages())
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

fn setter(name: &Ident, ty: &TypeRef) -> TokenStream {
    let ty_tokens = argument_type(ty);
    let value = argument_value(&ident("value"), ty);
    quote! {
        pub fn #name(mut self, value: #ty_tokens) -> Self {
            self.operation.#name = Some(#value);
            self
        }
    }
}

/// The body of `into_request`: the path, then every parameter, the body and the credentials.
fn request_stmts(operation: &Operation, settings: &[Setting]) -> TokenStream {
    let path = path_stmts(operation, settings);
    let params = operation.params.iter().filter(|it| it.location != ParamLocation::Path).map(|param| {
        let call = if param.location == ParamLocation::Header { quote!(header) } else { quote!(query) };
        let (wire, name) = (&param.wire_name, ident(&param.name));
        quote!(request.#call(#wire, &self.#name);)
    });
    let accept = operation.accept.as_ref().map(|accept| quote!(request.header("Accept", #accept);));
    let body = operation.body.as_ref().map(body_stmt);
    let security = (!operation.security.is_empty()).then(|| {
        // The credentials are defined in the operations module, a group's module's parent.
        let parent = operation.group.as_ref().map(|_| quote!(super::));
        let alternatives = operation.security.iter().map(|alternative| {
            let schemes = alternative.iter().map(|it| ident(it));
            quote!(&[#(&#parent #schemes),*])
        });
        quote!(request.security(&[#(#alternatives),*]);)
    });
    quote! {
        #path
        let mut request = client.request(Self::METHOD, path);
        request.operation(Self::OPERATION_ID, Self::PATH_TEMPLATE, options);
        #(#params)*
        #accept
        #body
        #security
        Ok(request)
    }
}

/// How the body goes into the request: a multipart form, raw bytes, or an encoded value.
fn body_stmt(body: &Body) -> TokenStream {
    // Raw bodies are `String` or `Vec<u8>`; the runtime takes bytes.
    let bytes = |value: TokenStream| match body.ty {
        TypeRef::String => quote!(#value.into_bytes()),
        _ => value,
    };
    match (&body.encodings[..], body.required) {
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
                if encodings.len() > 1 { quote!(self.encoding) } else { encoding_path(&encodings[0]) };
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
    }
}

/// Writes the `format!` placeholder of the local `name` into `template`.
fn placeholder(name: &str, template: &mut String, args: &mut Vec<Ident>) {
    // Format strings capture plain identifiers inline, but not raw ones.
    if name.starts_with("r#") {
        template.push_str("{}");
        args.push(ident(name));
    } else {
        template.push_str(&format!("{{{name}}}"));
    }
}

/// `let path = ...;` with each path parameter and setting percent-encoded into its segment
/// first (as a local of the parameter's name), so the `format!` stays plain.
fn path_stmts(operation: &Operation, settings: &[Setting]) -> TokenStream {
    let mut template = String::new();
    let mut segments = Vec::new();
    let mut args = Vec::new();
    for part in &operation.path_parts {
        match part {
            PathPart::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(index) => {
                let param = &operation.params[*index];
                let (wire, name) = (&param.wire_name, ident(&param.name));
                segments.push(quote!(let #name = runtime::request::path_segment(#wire, &self.#name)?;));
                placeholder(&param.name, &mut template, &mut args);
            }
            PathPart::Setting { setting, local } => {
                let Setting { wire_name, default, .. } = &settings[*setting];
                let name = ident(local);
                segments.push(quote! {
                    let #name = runtime::request::path_segment(
                        #wire_name,
                        &client.path_setting(#wire_name).unwrap_or(#default),
                    )?;
                });
                placeholder(local, &mut template, &mut args);
            }
        }
    }
    let value = if segments.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template #(, #args)*))
    };
    quote! {
        #(#segments)*
        let path = #value;
    }
}
