//! Emits one const and one client builder setter per security scheme.

use std::borrow::Cow;

use super::models::into_string;
use super::{own_doc, spec_doc};
use crate::model::{SchemeKind, SecurityScheme};
use crate::syntax::expr::FieldValue;
use crate::syntax::{Code, Expr, Param, Stmt, Type, Vis};

pub(super) fn emit_scheme<'a>(code: &mut Code<'a>, scheme: &'a SecurityScheme) {
    let const_name = scheme.const_name.as_str();
    let name = &scheme.name;
    let field =
        |field: &'static str, value: Expr<'a>| FieldValue { name: Cow::Borrowed(field), value: Some(value) };
    let credential = || Expr::path(const_name).reference();
    let into = |name: &'static str| Expr::path(name).method("into", Vec::new());
    let (value, what, params, call) = match &scheme.kind {
        SchemeKind::ApiKeyHeader(parameter)
        | SchemeKind::ApiKeyQuery(parameter)
        | SchemeKind::ApiKeyCookie(parameter) => {
            let (location, where_) = match &scheme.kind {
                SchemeKind::ApiKeyHeader(_) => ("Header", format!("the `{parameter}` header")),
                SchemeKind::ApiKeyQuery(_) => ("Query", format!("the `{parameter}` query parameter")),
                _ => ("Cookie", format!("the `{parameter}` cookie")),
            };
            let value = Expr::Struct(
                Cow::Borrowed("runtime::request::SecurityScheme::ApiKey"),
                vec![
                    field("name", Expr::str(name)),
                    field("location", Expr::path(format!("runtime::request::ApiKeyLocation::{location}"))),
                    field("parameter", Expr::str(parameter)),
                ],
            );
            let call = Expr::path("self").method("credential", vec![credential(), into("value")]);
            (value, format!("an API key sent in {where_}"), vec![("value", into_string())], call)
        }
        SchemeKind::Bearer => (
            Expr::Struct(
                Cow::Borrowed("runtime::request::SecurityScheme::Bearer"),
                vec![field("name", Expr::str(name))],
            ),
            "a token sent as `Authorization: Bearer <token>`".to_owned(),
            vec![("token", into_string())],
            Expr::path("self").method("credential", vec![credential(), into("token")]),
        ),
        SchemeKind::Basic => (
            Expr::Struct(
                Cow::Borrowed("runtime::request::SecurityScheme::Basic"),
                vec![field("name", Expr::str(name))],
            ),
            "a user name and password sent with HTTP basic authentication".to_owned(),
            vec![("username", into_string()), ("password", into_string())],
            Expr::path("self")
                .method("basic_credential", vec![credential(), into("username"), into("password")]),
        ),
    };
    code.const_item(const_name, Type::path("runtime::request::SecurityScheme"), value);

    code.impl_open(Vec::new(), None, Type::path("ClientBuilder"));
    let own = format!(
        "Sets the credential of the `{name}` security scheme: {what}, on every operation that requires it.\n\n\
         The value never appears in `Debug` output."
    );
    own_doc(code, &own);
    if let Some(doc) = &scheme.doc {
        code.doc([""]);
        spec_doc(code, doc);
    }
    let mut all_params = vec![Param::Receiver("self")];
    all_params.extend(params.into_iter().map(|(name, ty)| Param::Typed(name.into(), ty)));
    code.fn_open(Vis::Pub, &scheme.setter_name, Vec::new(), all_params, Some(Type::path("Self")));
    code.stmts(vec![Stmt::Expr(call)]);
    code.close();
    code.close();
}
