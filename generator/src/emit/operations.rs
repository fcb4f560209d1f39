//! Emits the operations module: a client method and a request builder per operation, and a
//! credential setter per security scheme.
//!
//! Each client method returns the runtime's `Call` of an operation type, which holds the
//! operation's parameters and implements the runtime's `Operation` (build the request, decode
//! the response); the call gets a setter per optional parameter here, and its per-call options,
//! `send`, `send_with_response`, `send_raw` and `.await` from the runtime, once for all
//! operations. All HTTP work is delegated to the hand-written runtime, so each operation stays a
//! few lines.

use std::borrow::Cow;

use super::models::into_string;
use super::{Part, own_doc, responses, type_of};
use crate::model::{Api, Body, Encoding, Operation, PageStyle, Param, ParamLocation, PathPart, TypeRef};
use crate::syntax::expr::FieldValue;
use crate::syntax::{self, Code, Expr, Generic, Meta, Pat, Stmt, Tt, Type, Vis, string_literal};

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
pub(super) fn emit_header(code: &mut Code<'_>, api: &Api) {
    let uses_models = api.operations.iter().any(|operation| {
        operation.params.iter().any(|it| mentions_named(&it.ty))
            || operation.body.as_ref().is_some_and(|it| mentions_named(&it.ty))
            || responses::types(operation).any(mentions_named)
    });
    code.inner_doc([" One method on [`Client`] per API operation, each returning a request builder."]);
    if uses_models {
        code.use_item("super::models", &[]);
    }
    if api.security_schemes.is_empty() {
        code.use_item("crate::client::Client", &[]);
    } else {
        code.use_item("crate::client::", &["Client", "ClientBuilder"]);
    }
    code.use_item("crate::", &["Error", "reqwest", "runtime"]);
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
fn argument_type(ty: &TypeRef) -> Type<'_> {
    match ty {
        TypeRef::String => into_string(),
        ty => type_of(ty, false),
    }
}

/// The value of an argument: `.into()` for strings.
fn argument_value<'a>(name: &'a str, ty: &TypeRef) -> Expr<'a> {
    match ty {
        TypeRef::String => Expr::path(name).method("into", Vec::new()),
        _ => Expr::path(name),
    }
}

/// A struct field initialised from the argument of the same name.
fn field_init<'a>(name: &'a str, ty: &TypeRef) -> FieldValue<'a> {
    let value = matches!(ty, TypeRef::String).then(|| argument_value(name, ty));
    FieldValue { name: Cow::Borrowed(name), value }
}

fn field_value<'a>(name: &'a str, value: Expr<'a>) -> FieldValue<'a> {
    FieldValue { name: Cow::Borrowed(name), value: Some(value) }
}

/// `crate::Call<'lifetime, operation>`.
fn call_type<'a>(lifetime: &'static str, operation: &'a str) -> Type<'a> {
    Type::generic("crate::Call", vec![Type::Lifetime(lifetime), Type::path(operation)])
}

pub(super) fn emit_method<'a>(code: &mut Code<'a>, operation: &'a Operation) {
    let builder = operation.builder_name.as_str();
    let mut params = vec![syntax::Param::Receiver("&self")];
    let mut inits = Vec::new();
    for param in required_params(operation) {
        params.push(syntax::Param::Typed(Cow::Borrowed(&param.name), argument_type(&param.ty)));
        inits.push(field_init(&param.name, &param.ty));
    }
    for param in operation.params.iter().filter(|it| !it.required) {
        inits.push(field_value(&param.name, Expr::path("None")));
    }
    if let Some(body) = &operation.body {
        if body.required {
            params.push(syntax::Param::Typed(Cow::Borrowed("body"), type_of(&body.ty, false)));
            inits.push(FieldValue { name: Cow::Borrowed("body"), value: None });
        } else {
            inits.push(field_value("body", Expr::path("None")));
        }
        if body.encodings.len() > 1 {
            inits.push(field_value("encoding", Expr::path(encoding_path(&body.encodings[0]))));
        }
    }
    method_doc(code, operation);
    if operation.deprecated {
        code.attr_word("deprecated");
    }
    code.fn_open(Vis::Pub, &operation.method_name, Vec::new(), params, Some(call_type("'_", builder)));
    let operation =
        if has_fields(operation) { Expr::Struct(Cow::Borrowed(builder), inits) } else { Expr::path(builder) };
    code.stmts(vec![Stmt::Expr(Expr::call(
        Expr::path("crate::Call::new"),
        vec![Expr::path("self"), operation],
    ))]);
    code.close();
}

/// Summary and description from the spec, then the HTTP line, arguments and how to send.
fn method_doc<'a>(code: &mut Code<'a>, operation: &'a Operation) {
    let mut spec_parts: Vec<&str> = Vec::new();
    spec_parts.extend(operation.summary.as_deref().map(str::trim));
    if let Some(description) = operation.description.as_deref().map(str::trim) {
        if spec_parts.first() != Some(&description) {
            spec_parts.push(description);
        }
    }
    let spec = super::doc_lines(&spec_parts.join("\n\n"));
    let has_spec = !spec_parts.is_empty();
    code.doc(spec);
    if has_spec {
        code.doc([""]);
    }
    let http_line = format!("`{} {}`", operation.http_method, operation.path.replace('`', "'"));
    own_doc(code, &http_line);
    let mut arguments = Vec::new();
    for param in required_params(operation) {
        arguments.push(argument_line(&param.name, param.doc.as_deref()));
    }
    if let Some(body) = required_body(operation) {
        arguments.push(argument_line("body", body.doc.as_deref()));
    }
    if !arguments.is_empty() {
        code.doc(["", " Arguments:"]);
        code.doc(arguments);
    }
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
    own_doc(code, &returns);
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

/// The runtime's encoding for a structured body (raw bodies are sent apart, see `emit_request`).
fn encoding_path(encoding: &Encoding) -> &'static str {
    match encoding {
        Encoding::Json | Encoding::Raw(_) => "crate::BodyEncoding::Json",
        Encoding::FormUrlEncoded => "crate::BodyEncoding::FormUrlEncoded",
        Encoding::Multipart => "crate::BodyEncoding::Multipart",
    }
}

/// The `crate::BodyEncoding` variant of a structured body's encoding.
fn encoding_variant(encoding: &Encoding) -> &'static str {
    match encoding {
        Encoding::Json => "Json",
        Encoding::FormUrlEncoded => "FormUrlEncoded",
        Encoding::Multipart => "Multipart",
        Encoding::Raw(_) => unreachable!("a raw body is the only encoding offered"),
    }
}

pub(super) fn emit_builder<'a>(code: &mut Code<'a>, operation: &'a Operation) {
    let builder = operation.builder_name.as_str();
    let method = &operation.method_name;
    let doc = if has_options(operation) {
        format!(
            "The operation behind [`Client::{method}`]: set its optional parameters on the \
             [`Call`](crate::Call) the method returns, then `.await` that."
        )
    } else {
        format!(
            "The operation behind [`Client::{method}`]: `.await` the [`Call`](crate::Call) the method returns."
        )
    };
    own_doc(code, &doc);
    code.attr_list("derive", [Meta::Word("Debug")]);
    if has_fields(operation) {
        code.struct_open(Vis::Pub, builder, Vec::new());
        // What the caller may leave out is an `Option`.
        let field_type = |ty, required| {
            let ty = type_of(ty, false);
            if required { ty } else { Type::generic("Option", vec![ty]) }
        };
        for param in &operation.params {
            code.field(Vis::Private, &param.name, field_type(&param.ty, param.required));
        }
        if let Some(body) = &operation.body {
            code.field(Vis::Private, "body", field_type(&body.ty, body.required));
            if body.encodings.len() > 1 {
                code.field(Vis::Private, "encoding", Type::path("crate::BodyEncoding"));
            }
        }
        code.close();
    } else {
        code.unit_struct(Vis::Pub, builder);
    }

    let optional_body = operation.body.as_ref().filter(|it| !it.required);
    if operation.params.iter().any(|it| !it.required)
        || optional_body.is_some()
        || operation.pagination.is_some()
    {
        code.impl_open(vec![Generic::Lifetime("'a")], None, call_type("'a", builder));
        for param in operation.params.iter().filter(|it| !it.required) {
            let fallback = format!(
                "Sets the optional `{}` {} parameter.",
                param.wire_name,
                location_name(param.location)
            );
            match param.doc.as_deref().filter(|it| !it.trim().is_empty()) {
                Some(doc) => super::spec_doc(code, doc),
                None => super::spec_doc(code, &fallback),
            }
            emit_setter(code, &param.name, &param.ty);
        }
        if let Some(body) = optional_body {
            let doc = body
                .doc
                .as_deref()
                .unwrap_or("The request body; without it the request is sent with no body.");
            super::spec_doc(code, doc);
            emit_setter(code, "body", &body.ty);
        }
        emit_paging(code, operation);
        code.close();
    }

    let error = || match responses::error_body_type(operation) {
        Some(ty) => Type::generic("Error", vec![ty]),
        None => Type::path("Error"),
    };
    code.impl_open(Vec::new(), Some(Type::path("runtime::Operation")), Type::path(builder));
    code.assoc_type("Output", responses::ok_type(operation));
    code.assoc_type("ErrorBody", responses::error_body_or_infallible(operation));
    let request = Type::generic("runtime::request::Request", vec![Type::Lifetime("'_")]);
    let params = vec![
        syntax::Param::Receiver("self"),
        syntax::Param::Typed("client".into(), Type::reference(Type::path("runtime::Client"))),
        syntax::Param::Typed("options".into(), Type::path("runtime::CallOptions")),
    ];
    code.fn_open(
        Vis::Private,
        "into_request",
        Vec::new(),
        params,
        Some(Type::generic("Result", vec![request, Type::path("crate::BuildError")])),
    );
    code.stmts(request_stmts(operation));
    code.close();
    code.fn_open(
        Vis::Private,
        "decode",
        Vec::new(),
        vec![syntax::Param::Typed("response".into(), Type::path("runtime::request::Response"))],
        Some(Type::generic("Result", vec![responses::ok_type(operation), error()])),
    );
    code.stmts(vec![Stmt::Expr(responses::read_response(operation))]);
    code.close();
    code.close();

    if let Some(body) = operation.body.as_ref().filter(|it| it.encodings.len() > 1) {
        let mut arguments = vec![Tt::Word(Cow::Borrowed(builder))];
        for encoding in &body.encodings {
            arguments.push(Tt::Comma);
            arguments.push(Tt::Word(Cow::Borrowed(encoding_variant(encoding))));
        }
        code.macro_item("crate::client::encoding_methods", arguments);
    }
}

/// `pages()` and `items()` for a paged listing.
fn emit_paging<'a>(code: &mut Code<'a>, operation: &'a Operation) {
    let Some(pagination) = operation.pagination.as_ref() else { return };
    let stream = |name: &'a str| {
        let error_body = responses::error_body_or_infallible(operation);
        Type::generic(name, vec![Type::Lifetime("'a"), type_of(&pagination.item_type, false), error_body])
    };
    let (style, field, value) = match &pagination.style {
        PageStyle::PageNumber { page } => ("runtime::paging::Style::PageNumber", "page", page),
        PageStyle::NextUrl { next } => ("runtime::paging::Style::NextUrl", "next", next),
    };
    let optional = |value: &Option<String>| match value {
        Some(text) => Expr::call(Expr::path("Some"), vec![Expr::str(text)]),
        None => Expr::path("None"),
    };
    let paging = Expr::Struct(
        Cow::Borrowed("runtime::paging::Paging"),
        vec![
            field_value(
                "style",
                Expr::Struct(Cow::Borrowed(style), vec![field_value(field, Expr::str(value))]),
            ),
            field_value("items", optional(&pagination.items)),
            field_value("total", optional(&pagination.total)),
        ],
    );
    code.doc([
        " Every page from the one this request asks for on, fetched as the stream is read; the",
        " stream ends after an empty or last page, or once the total is reached.",
    ]);
    code.fn_open(
        Vis::Pub,
        "pages",
        Vec::new(),
        vec![syntax::Param::Receiver("self")],
        Some(stream("crate::PageStream")),
    );
    let request = Expr::path("self").method("into_request", Vec::new());
    code.stmts(vec![
        Stmt::Let(Pat::Path("paging".into()), paging),
        Stmt::Expr(Expr::call(Expr::path("runtime::paging::pages"), vec![request, Expr::path("paging")])),
    ]);
    code.close();
    code.doc([
        " Every item of every page from the one this request asks for on; see [`pages`](Self::pages).",
    ]);
    code.fn_open(
        Vis::Pub,
        "items",
        Vec::new(),
        vec![syntax::Param::Receiver("self")],
        Some(stream("crate::ItemStream")),
    );
    let pages = Expr::path("self").method("pages", Vec::new());
    code.stmts(vec![Stmt::Expr(Expr::call(Expr::path("runtime::paging::items"), vec![pages]))]);
    code.close();
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn emit_setter<'a>(code: &mut Code<'a>, name: &'a str, ty: &'a TypeRef) {
    let params =
        vec![syntax::Param::Receiver("mut self"), syntax::Param::Typed("value".into(), argument_type(ty))];
    code.fn_open(Vis::Pub, name, Vec::new(), params, Some(Type::path("Self")));
    let value = Expr::call(Expr::path("Some"), vec![argument_value("value", ty)]);
    let target = Expr::path("self").field("operation").field(name);
    code.stmts(vec![
        Stmt::Semi(Expr::Assign(Box::new(target), Box::new(value))),
        Stmt::Expr(Expr::path("self")),
    ]);
    code.close();
}

/// `request.name(args);`.
fn request_call<'a>(name: &'a str, args: Vec<Expr<'a>>) -> Stmt<'a> {
    Stmt::Semi(Expr::path("request").method(name, args))
}

/// `self.name`.
fn own<'a>(name: impl Into<Cow<'a, str>>) -> Expr<'a> {
    Expr::path("self").field(name)
}

/// The body of `into_request`: the path, then every parameter, the body and the credentials.
fn request_stmts(operation: &Operation) -> Vec<Stmt<'_>> {
    let mut stmts = path_stmts(operation);
    let method = Expr::path(format!("reqwest::Method::{}", operation.http_method));
    let request = Expr::path("client").method("request", vec![method, Expr::path("path")]);
    stmts.push(Stmt::Let(Pat::Mut("request".into()), request));
    stmts.push(request_call(
        "operation",
        vec![Expr::str(&operation.id), Expr::str(&operation.path), Expr::path("options")],
    ));
    for param in operation.params.iter().filter(|it| it.location != ParamLocation::Path) {
        let call = if param.location == ParamLocation::Header { "header" } else { "query" };
        stmts.push(request_call(
            call,
            vec![Expr::str(&param.wire_name), own(param.name.as_str()).reference()],
        ));
    }
    if let Some(body) = &operation.body {
        stmts.push(body_stmt(body));
    }
    if !operation.security.is_empty() {
        let alternatives = operation
            .security
            .iter()
            .map(|alternative| {
                let schemes = alternative.iter().map(|it| Expr::path(it.as_str()).reference()).collect();
                Expr::Array(schemes).reference()
            })
            .collect();
        stmts.push(request_call("security", vec![Expr::Array(alternatives).reference()]));
    }
    stmts.push(Stmt::Expr(Expr::call(Expr::path("Ok"), vec![Expr::path("request")])));
    stmts
}

/// How the body goes into the request: a multipart form, raw bytes, or an encoded value.
fn body_stmt(body: &Body) -> Stmt<'_> {
    // Raw bodies are `String` or `Vec<u8>`; the runtime takes bytes.
    let bytes = |value: Expr<'static>| match body.ty {
        TypeRef::String => value.method("into_bytes", Vec::new()),
        _ => value,
    };
    let if_some = |binding: Expr<'static>, call: Stmt<'static>| {
        Stmt::Expr(Expr::IfLet(
            Pat::TupleStruct("Some".into(), vec![Pat::Path("body".into())]),
            Box::new(binding),
            vec![call],
        ))
    };
    match (&body.encodings[..], body.required) {
        _ if body.ty == TypeRef::Form && body.required => request_call("multipart", vec![own("body")]),
        _ if body.ty == TypeRef::Form => {
            if_some(own("body"), request_call("multipart", vec![Expr::path("body")]))
        }
        ([Encoding::Raw(content_type)], true) => {
            request_call("raw_body", vec![bytes(own("body")), Expr::str(content_type)])
        }
        ([Encoding::Raw(content_type)], false) => if_some(
            own("body"),
            request_call("raw_body", vec![bytes(Expr::path("body")), Expr::str(content_type)]),
        ),
        (encodings, required) => {
            let encoding = || {
                if encodings.len() > 1 { own("encoding") } else { Expr::path(encoding_path(&encodings[0])) }
            };
            if required {
                request_call("body", vec![own("body").reference(), encoding()])
            } else {
                if_some(own("body").reference(), request_call("body", vec![Expr::path("body"), encoding()]))
            }
        }
    }
}

/// `let path = ...;` with each path parameter percent-encoded into its segment first (as a
/// local of the parameter's name), so the `format!` stays plain.
fn path_stmts(operation: &Operation) -> Vec<Stmt<'_>> {
    let mut template = String::new();
    let mut stmts = Vec::new();
    let mut args = Vec::new();
    for part in &operation.path_parts {
        match part {
            PathPart::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(index) => {
                let param = &operation.params[*index];
                let name = param.name.as_str();
                let segment = Expr::call(
                    Expr::path("runtime::request::path_segment"),
                    vec![Expr::str(&param.wire_name), own(name).reference()],
                );
                stmts.push(Stmt::Let(Pat::Path(name.into()), segment.try_()));
                // Format strings capture plain identifiers inline, but not raw ones.
                if name.starts_with("r#") {
                    template.push_str("{}");
                    args.push(name);
                } else {
                    template.push_str(&format!("{{{name}}}"));
                }
            }
        }
    }
    let path = if stmts.is_empty() {
        Expr::lit(string_literal(&template)).method("to_owned", Vec::new())
    } else {
        let mut arguments = vec![Tt::Word(Cow::Owned(string_literal(&template)))];
        for arg in args {
            arguments.push(Tt::Comma);
            arguments.push(Tt::Word(Cow::Borrowed(arg)));
        }
        Expr::Macro("format", arguments)
    };
    stmts.push(Stmt::Let(Pat::Path("path".into()), path));
    stmts
}
