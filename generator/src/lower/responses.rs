//! Lowering of an operation's responses: what a successful call returns, and the typed bodies
//! of its error statuses.

use openapiv3::{MediaType, Operation as SpecOperation, ReferenceOr, Response, StatusCode};

use super::{Direction, Lowerer, ref_token};
use crate::model::{BodyFormat, ErrorBody, Payload, StatusCase, StatusMatch, Success, TypeRef};
use crate::names::{Namespace, camel_ident, unraw};

/// How the body of a media type is read.
pub(super) fn body_format(media_type: &str) -> BodyFormat {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        BodyFormat::Json
    } else if essence.starts_with("text/") || essence == "application/xml" || essence.ends_with("+xml") {
        BodyFormat::Text
    } else {
        BodyFormat::Binary
    }
}

/// The media type whose body is read: JSON when offered, else the first.
pub(super) fn preferred_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&String, &MediaType)> {
    content
        .iter()
        .find(|(media_type, _)| body_format(media_type) == BodyFormat::Json)
        .or(content.iter().next())
}

/// `Ok`, `NotFound`, ... for the variants of by-status enums.
fn status_variant(status: StatusMatch) -> String {
    let code = match status {
        StatusMatch::Code(code) => code,
        StatusMatch::Range(hundreds) => return format!("Status{hundreds}xx"),
        StatusMatch::Default => return "Other".to_owned(),
    };
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    name.to_owned()
}

impl<'a: 's, 's> Lowerer<'a> {
    /// The success and error sides of an operation's responses, and the `Accept` header to
    /// send when a success response offers several media types. Inline types go into the
    /// models module, named after `model_hint`; by-status enums live beside the request builder
    /// (named after it), in the module whose names `type_names` holds.
    pub(super) fn lower_responses(
        &mut self,
        operation: &'s SpecOperation,
        model_hint: &str,
        builder_name: &str,
        type_names: &mut Namespace,
    ) -> (Success, Option<ErrorBody>, Option<String>) {
        let mut entries: Vec<(String, StatusMatch, &'s ReferenceOr<Response>)> = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| match status {
                StatusCode::Code(code) => (code.to_string(), StatusMatch::Code(*code), response),
                StatusCode::Range(range) => (format!("{range}XX"), StatusMatch::Range(*range), response),
            })
            .collect();
        if let Some(default) = &operation.responses.default {
            entries.push(("default".to_owned(), StatusMatch::Default, default));
        }
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut accept: Vec<&'s str> = Vec::new();
        let mut server_chooses = false;
        for (token, status, response) in entries {
            let success = match status {
                StatusMatch::Code(code) => (200..300).contains(&code),
                StatusMatch::Range(hundreds) => hundreds == 2,
                StatusMatch::Default => false,
            };
            let (list, base) = if success {
                (&mut successes, format!("{model_hint}Response"))
            } else {
                (&mut errors, format!("{model_hint}ErrorBody"))
            };
            let hint = if list.is_empty() { base } else { format!("{base}{}", token.replace("XX", "xx")) };
            let (case, media) = self.with_token(&token, |this| this.lower_response(response, status, &hint));
            list.extend(case);
            if let (true, Some((media_type, offered))) = (success, media) {
                server_chooses |= offered > 1;
                if !accept.contains(&media_type) {
                    accept.push(media_type);
                }
            }
        }
        let success = self.success(successes, builder_name, type_names);
        let error_body = self.error_body(errors, builder_name, type_names);
        // Without `Accept`, a server offering several media types picks one (Prism the first,
        // XML as often as not), which the client may not read.
        let accept = server_chooses.then(|| accept.join(", "));
        (success, error_body, accept)
    }

    fn lower_response(
        &mut self,
        response: &'s ReferenceOr<Response>,
        status: StatusMatch,
        hint: &str,
    ) -> (Option<StatusCase>, Option<(&'s str, usize)>) {
        let Some((response, component)) = self.resolve_response(response) else { return (None, None) };
        // Inline types of a shared response are named after it, not after its first user.
        let shared_hint = component.map(|name| format!("{}Response", unraw(&camel_ident(&name))));
        let hint = shared_hint.as_deref().unwrap_or(hint);
        let payload = preferred_media(&response.content).map(|(media_type, content)| {
            let mut format = body_format(media_type);
            let ty = match format {
                BodyFormat::Json => match &content.schema {
                    Some(schema) => self.with_token("content", |this| {
                        this.with_token(media_type, |this| {
                            this.with_token("schema", |this| {
                                this.schema_type(schema.into(), Direction::Response, hint)
                            })
                        })
                    }),
                    None => TypeRef::Json,
                },
                BodyFormat::Text => TypeRef::String,
                BodyFormat::Binary => TypeRef::Bytes,
            };
            // A body of any media type whose schema is only a string is the text as sent (a
            // proxied page, a log); as JSON it would need quotes it has no reason to carry.
            if format == BodyFormat::Json && ty == TypeRef::String && media_type.trim() == "*/*" {
                format = BodyFormat::Text;
            }
            Payload { ty, format }
        });
        let doc = Some(response.description.trim().to_owned()).filter(|it| !it.is_empty());
        let media = preferred_media(&response.content)
            .map(|(media_type, _)| (media_type.as_str(), response.content.len()));
        (Some(StatusCase { status, variant: status_variant(status), payload, doc }), media)
    }

    fn success(&mut self, cases: Vec<StatusCase>, builder_name: &str, type_names: &mut Namespace) -> Success {
        let mut payloads: Vec<&Payload> = cases.iter().filter_map(|it| it.payload.as_ref()).collect();
        payloads.sort();
        payloads.dedup();
        match payloads.as_slice() {
            [] => Success::Single { payload: None, empty_statuses: Vec::new() },
            [payload] => {
                let payload = (*payload).clone();
                let empty_statuses = cases
                    .iter()
                    .filter(|it| it.payload.is_none())
                    .filter_map(|it| match it.status {
                        StatusMatch::Code(code) => Some(code),
                        _ => None,
                    })
                    .collect();
                Success::Single { payload: Some(payload), empty_statuses }
            }
            _ => Success::ByStatus { name: type_names.claim(&format!("{builder_name}Response")), cases },
        }
    }

    fn error_body(
        &mut self,
        cases: Vec<StatusCase>,
        builder_name: &str,
        type_names: &mut Namespace,
    ) -> Option<ErrorBody> {
        // Only JSON error bodies are decoded; the raw body is always kept anyway.
        let cases: Vec<StatusCase> = cases
            .into_iter()
            .filter(|it| it.payload.as_ref().is_some_and(|payload| payload.format == BodyFormat::Json))
            .collect();
        let mut types: Vec<&TypeRef> =
            cases.iter().filter_map(|it| it.payload.as_ref().map(|it| &it.ty)).collect();
        types.sort();
        types.dedup();
        match types.as_slice() {
            [] => None,
            [ty] if ty.is_error_body() => Some(ErrorBody::Single((*ty).clone())),
            _ => Some(ErrorBody::ByStatus { name: type_names.claim(&format!("{builder_name}Error")), cases }),
        }
    }

    /// The response a position holds, with the component name when it is a reference.
    fn resolve_response(
        &mut self,
        response: &'s ReferenceOr<Response>,
    ) -> Option<(&'s Response, Option<String>)> {
        match response {
            ReferenceOr::Item(item) => Some((item, None)),
            ReferenceOr::Reference { reference } => {
                let document = self.document;
                let name =
                    self.component_name(reference, "responses").map(|it| ref_token(it).into_owned())?;
                match document.components.as_ref().and_then(|it| it.responses.get(&name)) {
                    Some(ReferenceOr::Item(item)) => Some((item, Some(name))),
                    _ => {
                        self.warn(format!("unknown response `{reference}`; it is left out"));
                        None
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_formats() {
        let cases = [
            ("application/json", BodyFormat::Json),
            ("application/problem+json", BodyFormat::Json),
            ("*/*", BodyFormat::Json),
            ("text/csv; charset=utf-8", BodyFormat::Text),
            ("application/xml", BodyFormat::Text),
            ("application/octet-stream", BodyFormat::Binary),
            ("image/png", BodyFormat::Binary),
        ];
        for (media_type, expected) in cases {
            assert_eq!(body_format(media_type), expected, "{media_type}");
        }
    }

    #[test]
    fn status_variants() {
        let cases = [
            (StatusMatch::Code(200), "Ok"),
            (StatusMatch::Code(404), "NotFound"),
            (StatusMatch::Code(299), "Status299"),
            (StatusMatch::Range(4), "Status4xx"),
            (StatusMatch::Default, "Other"),
        ];
        for (status, expected) in cases {
            assert_eq!(status_variant(status), expected);
        }
    }
}
