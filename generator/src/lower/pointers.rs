//! Resolution of local `$ref`s that point inside a component rather than at one, such as
//! `#/components/schemas/A/properties/b/items`: some writers reuse a nested schema that way
//! instead of making it a component of its own.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use percent_encoding::percent_decode_str;

use super::{Lowerer, SchemaRef};
use crate::diagnostic::unescape_token;

impl<'a: 's, 's> Lowerer<'a> {
    /// The schema at a local JSON pointer (`#/components/...`), following the schema keywords
    /// a pointer can go through (`properties`, `items`, `additionalProperties`, `allOf`,
    /// `oneOf`, `anyOf`, `not`); `None` when it leads nowhere.
    pub(super) fn schema_at(&self, reference: &str) -> Option<SchemaRef<'s>> {
        let document = self.document;
        let components = document.components.as_ref()?;
        let tokens: Vec<String> = reference
            .strip_prefix("#/")?
            .split('/')
            .map(|it| unescape_token(&percent_decode_str(it).decode_utf8_lossy()).into_owned())
            .collect();
        let (start, rest): (SchemaRef<'s>, &[String]) = match tokens.as_slice() {
            [components_token, section, name, rest @ ..] if components_token == "components" => {
                match (section.as_str(), rest) {
                    ("schemas", rest) => (components.schemas.get(name)?.into(), rest),
                    ("parameters", [schema, rest @ ..]) if schema == "schema" => {
                        let ReferenceOr::Item(parameter) = components.parameters.get(name)? else {
                            return None;
                        };
                        match &parameter.parameter_data_ref().format {
                            openapiv3::ParameterSchemaOrContent::Schema(schema) => (schema.into(), rest),
                            openapiv3::ParameterSchemaOrContent::Content(_) => return None,
                        }
                    }
                    ("responses", [content, media_type, schema, rest @ ..])
                        if content == "content" && schema == "schema" =>
                    {
                        let ReferenceOr::Item(response) = components.responses.get(name)? else {
                            return None;
                        };
                        (response.content.get(media_type)?.schema.as_ref()?.into(), rest)
                    }
                    ("requestBodies", [content, media_type, schema, rest @ ..])
                        if content == "content" && schema == "schema" =>
                    {
                        let ReferenceOr::Item(body) = components.request_bodies.get(name)? else {
                            return None;
                        };
                        (body.content.get(media_type)?.schema.as_ref()?.into(), rest)
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        let mut current = start;
        let mut rest = rest;
        while !rest.is_empty() {
            let item = self.resolve(current)?;
            let (next, remaining) = step(item, rest)?;
            current = next;
            rest = remaining;
        }
        Some(current)
    }
}

/// One keyword (and its key or index) down from `schema`.
fn step<'s, 't>(schema: &'s Schema, tokens: &'t [String]) -> Option<(SchemaRef<'s>, &'t [String])> {
    let (keyword, rest) = tokens.split_first()?;
    let keyed = |rest: &'t [String]| rest.split_first().map(|(key, rest)| (key.as_str(), rest));
    let indexed = |members: &'s [ReferenceOr<Schema>], rest: &'t [String]| {
        let (index, rest) = keyed(rest)?;
        Some((SchemaRef::from(members.get(index.parse::<usize>().ok()?)?), rest))
    };
    let additional = |additional: Option<&'s AdditionalProperties>| match additional? {
        AdditionalProperties::Schema(schema) => Some(SchemaRef::from(schema.as_ref())),
        AdditionalProperties::Any(_) => None,
    };
    match (&schema.schema_kind, keyword.as_str()) {
        (SchemaKind::Type(Type::Object(object)), "properties") => {
            let (key, rest) = keyed(rest)?;
            Some((object.properties.get(key)?.into(), rest))
        }
        (SchemaKind::Any(any), "properties") => {
            let (key, rest) = keyed(rest)?;
            Some((any.properties.get(key)?.into(), rest))
        }
        (SchemaKind::Type(Type::Object(object)), "additionalProperties") => {
            Some((additional(object.additional_properties.as_ref())?, rest))
        }
        (SchemaKind::Any(any), "additionalProperties") => {
            Some((additional(any.additional_properties.as_ref())?, rest))
        }
        (SchemaKind::Type(Type::Array(array)), "items") => Some((array.items.as_ref()?.into(), rest)),
        (SchemaKind::Any(any), "items") => Some((any.items.as_ref()?.into(), rest)),
        (SchemaKind::AllOf { all_of: members }, "allOf")
        | (SchemaKind::OneOf { one_of: members }, "oneOf")
        | (SchemaKind::AnyOf { any_of: members }, "anyOf") => indexed(members, rest),
        (SchemaKind::Any(any), "allOf") => indexed(&any.all_of, rest),
        (SchemaKind::Any(any), "oneOf") => indexed(&any.one_of, rest),
        (SchemaKind::Any(any), "anyOf") => indexed(&any.any_of, rest),
        (SchemaKind::Not { not }, "not") => Some((not.as_ref().into(), rest)),
        (SchemaKind::Any(any), "not") => Some((any.not.as_ref()?.as_ref().into(), rest)),
        _ => None,
    }
}
