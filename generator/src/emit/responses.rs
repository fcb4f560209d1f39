//! Emits how an operation reads its response: the `Result` type of `send`, the `match` on the
//! status, the by-status enums, and the runtime's `ErrorBody` impls for typed error bodies.

use super::{spec_doc, type_of};
use crate::model::{
    Api, BodyFormat, ErrorBody, Operation, Payload, StatusCase, StatusMatch, Success, TypeRef,
};
use crate::syntax::{Arm, Code, Expr, Meta, Param, Pat, Stmt, Type, Vis};

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
pub(super) fn ok_type(operation: &Operation) -> Type<'_> {
    match &operation.success {
        Success::Single { payload: None, .. } => Type::Unit,
        Success::Single { payload: Some(payload), empty_statuses } => {
            let ty = type_of(&payload.ty, false);
            if empty_statuses.is_empty() { ty } else { Type::generic("Option", vec![ty]) }
        }
        Success::ByStatus { name, .. } => Type::path(name.as_str()),
    }
}

/// The `ErrorBody` of the operation: the typed error body, or `Infallible` without one.
pub(super) fn error_body_or_infallible(operation: &Operation) -> Type<'_> {
    error_body_type(operation).unwrap_or_else(|| Type::path("std::convert::Infallible"))
}

/// `E` of `send`'s `Result<T, Error<E>>`, `None` for the default.
pub(super) fn error_body_type(operation: &Operation) -> Option<Type<'_>> {
    match &operation.error_body {
        None => None,
        Some(ErrorBody::Single(ty)) => Some(type_of(ty, false)),
        Some(ErrorBody::ByStatus { name, .. }) => Some(Type::path(name.as_str())),
    }
}

/// `response`.
fn response() -> Expr<'static> {
    Expr::path("response")
}

/// The reading of a body in the format it comes in.
fn read(payload: &Payload) -> Expr<'static> {
    match payload.format {
        BodyFormat::Json => response().method("json", Vec::new()),
        BodyFormat::Text => ok(response().method("text", Vec::new())),
        BodyFormat::Binary => ok(response().method("bytes", Vec::new())),
    }
}

/// `Ok(value)`.
fn ok(value: Expr<'_>) -> Expr<'_> {
    Expr::call(Expr::path("Ok"), vec![value])
}

/// The status pattern of a case.
fn pattern(status: StatusMatch) -> Pat<'static> {
    match status {
        StatusMatch::Code(code) => Pat::Lit(code.to_string().into()),
        StatusMatch::Range(hundreds) => {
            Pat::Range((hundreds * 100).to_string().into(), (hundreds * 100 + 99).to_string().into())
        }
        StatusMatch::Default => Pat::Wild,
    }
}

/// `Name::Variant` (or `Self::Variant` with `Self` as the name).
fn variant_path(name: &str, variant: &str) -> String {
    format!("{name}::{variant}")
}

/// The `match` on the response status that ends `send`.
pub(super) fn read_response(operation: &Operation) -> Expr<'_> {
    let success_range = || pattern(StatusMatch::Range(2));
    let mut arms = match &operation.success {
        Success::Single { payload: None, .. } => {
            vec![Arm { pat: success_range(), body: response().method("empty", Vec::new()) }]
        }
        Success::Single { payload: Some(payload), empty_statuses } if empty_statuses.is_empty() => {
            vec![Arm { pat: success_range(), body: read(payload) }]
        }
        Success::Single { payload: Some(payload), empty_statuses } => {
            let mut empty: Vec<Pat> =
                empty_statuses.iter().map(|it| Pat::Lit(it.to_string().into())).collect();
            let pat = if empty.len() == 1 { empty.pop().expect("one status") } else { Pat::Or(empty) };
            vec![
                Arm { pat, body: ok(Expr::path("None")) },
                Arm { pat: success_range(), body: read(payload).method("map", vec![Expr::path("Some")]) },
            ]
        }
        Success::ByStatus { name, cases } => sorted(cases)
            .into_iter()
            .map(|case| {
                let variant = Expr::path(variant_path(name, &case.variant));
                let body = match &case.payload {
                    Some(payload) => read(payload).method("map", vec![variant]),
                    None => ok(variant),
                };
                Arm { pat: pattern(case.status), body }
            })
            .collect(),
    };
    arms.push(Arm {
        pat: Pat::Wild,
        body: Expr::call(Expr::path("Err"), vec![response().method("error", Vec::new())]),
    });
    let status = response().method("status", Vec::new()).method("as_u16", Vec::new());
    Expr::Match(Box::new(status), arms)
}

/// Exact statuses first, then ranges, then `default`, as a `match` needs them.
fn sorted(cases: &[StatusCase]) -> Vec<&StatusCase> {
    let mut sorted: Vec<&StatusCase> = cases.iter().collect();
    sorted.sort_by_key(|it| it.status);
    sorted
}

/// The by-status enums of one operation: its success responses and its error bodies.
pub(super) fn emit_response_types<'a>(code: &mut Code<'a>, operation: &'a Operation) {
    let method = &operation.method_name;
    if let Success::ByStatus { name, cases } = &operation.success {
        let doc = format!(" The success responses of [`Client::{method}`], by status.");
        by_status_enum(code, name, doc, cases);
    }
    let Some(ErrorBody::ByStatus { name, cases }) = &operation.error_body else { return };
    let doc = format!(" The documented error bodies of [`Client::{method}`], by status.");
    by_status_enum(code, name, doc, cases);
    let mut arms: Vec<Arm> = sorted(cases)
        .into_iter()
        .map(|case| {
            let variant = Expr::path(variant_path("Self", &case.variant));
            Arm { pat: pattern(case.status), body: decode_json().method("map", vec![variant]) }
        })
        .collect();
    if cases.iter().all(|it| it.status != StatusMatch::Default) {
        arms.push(Arm { pat: Pat::Wild, body: Expr::path("None") });
    }
    error_body_impl(
        code,
        Type::path(name.as_str()),
        "status",
        Expr::Match(Box::new(Expr::path("status")), arms),
    );
}

/// `serde_json::from_slice(body).ok()`.
fn decode_json() -> Expr<'static> {
    Expr::call(Expr::path("serde_json::from_slice"), vec![Expr::path("body")]).method("ok", Vec::new())
}

/// `impl runtime::ErrorBody for ty { fn decode(status, body) -> Option<Self> { value } }`.
fn error_body_impl<'a>(code: &mut Code<'a>, ty: Type<'a>, status: &'static str, value: Expr<'a>) {
    code.impl_open(Vec::new(), Some(Type::path("runtime::ErrorBody")), ty);
    let params = vec![
        Param::Typed(status.into(), Type::path("u16")),
        Param::Typed("body".into(), Type::reference(Type::Slice(Box::new(Type::path("u8"))))),
    ];
    code.fn_open(
        Vis::Private,
        "decode",
        Vec::new(),
        params,
        Some(Type::generic("Option", vec![Type::path("Self")])),
    );
    code.stmts(vec![Stmt::Expr(value)]);
    code.close();
    code.close();
}

fn by_status_enum<'a>(code: &mut Code<'a>, name: &'a str, doc: String, cases: &'a [StatusCase]) {
    code.doc([doc]);
    code.attr_list("derive", [Meta::Word("Clone"), Meta::Word("Debug"), Meta::Word("PartialEq")]);
    code.enum_open(Vis::Pub, name);
    for case in cases {
        let status = match case.status {
            StatusMatch::Code(code) => format!("`{code}`"),
            StatusMatch::Range(hundreds) => format!("`{hundreds}XX`"),
            StatusMatch::Default => "Any other status".to_owned(),
        };
        match &case.doc {
            Some(text) => spec_doc(code, &format!("{status}: {text}")),
            None => spec_doc(code, &status),
        }
        code.variant(&case.variant, case.payload.as_ref().map(|it| type_of(&it.ty, false)));
    }
    code.close();
}

/// Lets the runtime decode each error body type that operations use as a whole (once per type).
pub(super) fn emit_error_body_impls<'a>(code: &mut Code<'a>, api: &'a Api) {
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
    for ty in types {
        error_body_impl(code, type_of(ty, false), "_status", decode_json());
    }
}
