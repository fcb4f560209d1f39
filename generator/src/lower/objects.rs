//! Lowering of object schemas into structs, and the request/response split of their fields.

use openapiv3::{AdditionalProperties, Schema, SchemaKind, Type};

use super::schemas::{
    MAX_DEPTH, Shape, component_ref, is_annotation_only, is_null_only, string_enum, type_doc,
};
use super::{Direction, Lowerer, SchemaRef, ref_token};
use crate::model::{Field, Presence, TypeKind, TypeRef};
use crate::names::{Namespace, camel_ident, snake_ident, unraw};

/// What lowering reads of a property's schema data.
#[derive(Clone, Copy, Default)]
struct Annotations<'a> {
    read_only: bool,
    write_only: bool,
    nullable: bool,
    description: Option<&'a str>,
    title: Option<&'a str>,
}

/// The properties of an object schema, with `allOf` members merged in order.
#[derive(Default)]
pub(super) struct ObjectParts<'a> {
    pub(super) properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub(super) required: Vec<&'a str>,
    /// `allOf` members that are `oneOf`/`anyOf` unions: flattened into the struct as an enum
    /// field, so the common properties and the variant's properties both decode.
    pub(super) unions: Vec<SchemaRef<'a>>,
}

impl<'a> ObjectParts<'a> {
    fn add(&mut self, name: &'a str, schema: SchemaRef<'a>) {
        match self.properties.iter_mut().find(|(existing, _)| *existing == name) {
            Some(slot) => slot.1 = schema,
            None => self.properties.push((name, schema)),
        }
    }
}

impl<'a: 's, 's> Lowerer<'a> {
    /// The properties of `schema` when it is an object (directly or through `allOf`); `None`
    /// when it is something else. Members that only list `required` names contribute those.
    pub(super) fn object_parts(&self, schema: &'s Schema, depth: usize) -> Option<ObjectParts<'s>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut parts = ObjectParts::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                for (name, property) in &object.properties {
                    parts.add(name, property.into());
                }
                parts.required.extend(object.required.iter().map(String::as_str));
            }
            // Keywords mixed in one schema: `allOf` members merge with the own properties, and
            // a `oneOf` beside properties only constrains which are required.
            SchemaKind::Any(any)
                if matches!(any.typ.as_deref(), None | Some("object"))
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.not.is_none()
                    && any.format.is_none() =>
            {
                self.merge_members(&any.all_of, &mut parts, depth)?;
                for (name, property) in &any.properties {
                    parts.add(name, property.into());
                }
                parts.required.extend(any.required.iter().map(String::as_str));
            }
            SchemaKind::AllOf { all_of } => self.merge_members(all_of, &mut parts, depth)?,
            _ => return None,
        }
        Some(parts)
    }

    /// Adds the properties of every object member of an `allOf`; `None` if one is not an object.
    fn merge_members(
        &self,
        members: &'s [openapiv3::ReferenceOr<Schema>],
        parts: &mut ObjectParts<'s>,
        depth: usize,
    ) -> Option<()> {
        for member_ref in members {
            let member = self.resolve(member_ref.into())?;
            if is_annotation_only(member) || is_null_only(member) {
                continue;
            }
            let Some(member_parts) = self.object_parts(member, depth + 1) else {
                // A union beside the properties: the object is one of several shapes.
                if matches!(self.shape(member), Shape::Union(_)) {
                    parts.unions.push(member_ref.into());
                    continue;
                }
                return None;
            };
            for (name, property) in member_parts.properties {
                parts.add(name, property);
            }
            parts.required.extend(member_parts.required);
            parts.unions.extend(member_parts.unions);
        }
        Some(())
    }

    /// A struct for an inline object schema, named from `hint`, or an identical one made before.
    pub(super) fn inline_struct(
        &mut self,
        hint: &str,
        schema: &'s Schema,
        parts: ObjectParts<'s>,
        direction: Direction,
    ) -> TypeRef {
        let fields = self.lower_fields(hint, parts, direction, None);
        self.inline_type(hint, type_doc(schema), TypeKind::Struct { fields })
    }

    pub(super) fn insert_struct(
        &mut self,
        name: &str,
        doc: Option<String>,
        parts: ObjectParts<'s>,
        direction: Direction,
        tag: Option<(String, String)>,
    ) {
        self.in_progress.push(name.to_owned());
        let fields = self.lower_fields(name, parts, direction, tag);
        self.in_progress.pop();
        self.insert_type(name, doc, TypeKind::Struct { fields });
    }

    /// The fields of a struct; `tag` is the discriminator property and the value naming the
    /// struct in the union it is a member of.
    fn lower_fields(
        &mut self,
        parent: &str,
        parts: ObjectParts<'s>,
        direction: Direction,
        tag: Option<(String, String)>,
    ) -> Vec<Field> {
        let mut field_names = Namespace::default();
        let mut fields = Vec::new();
        for (wire_name, property) in &parts.properties {
            let data = self.annotations(*property);
            let skipped = match direction {
                Direction::Request => data.read_only,
                Direction::Response => data.write_only,
            };
            if skipped {
                continue;
            }
            let (camel, wanted) = self.idents(wire_name);
            let hint = format!("{}{}", unraw(parent), unraw(&camel));
            let ty = self.with_token("properties", |this| {
                this.with_token(wire_name, |this| this.schema_type(*property, direction, &hint))
            });
            let required = parts.required.contains(wire_name);
            let nullable = self.is_nullable(*property);
            let presence = match (required, nullable, direction) {
                (true, false, _) => Presence::Required,
                (true, true, _) => Presence::RequiredNullable,
                (false, true, Direction::Request) => Presence::OptionalNullable,
                (false, _, _) => Presence::Optional,
            };
            let field_name = field_names.claim(&wanted);
            if field_name != wanted {
                self.with_token("properties", |this| {
                    this.with_token(wire_name, |this| {
                        this.warn(format!("property name `{wanted}` is already taken; using `{field_name}`"))
                    })
                });
            }
            let doc = data.description.or(data.title).map(str::to_owned);
            let value = match &tag {
                Some((property, value)) if property == wire_name => Some(value.clone()),
                _ => {
                    self.resolve(*property).and_then(string_enum).and_then(|values| match values.as_slice() {
                        [value] => Some((*value).to_owned()),
                        _ => None,
                    })
                }
            };
            let fillable = match &ty {
                TypeRef::String | TypeRef::Json => true,
                TypeRef::Named { name, .. } => {
                    self.types.get(name).is_some_and(|it| matches!(it.kind, TypeKind::StringEnum { .. }))
                }
                _ => false,
            };
            let value = value.filter(|_| presence == Presence::Required && fillable);
            let wire_name = (*wire_name).to_owned();
            fields.push(Field { name: field_name, wire_name, doc, ty, presence, flatten: false, value });
        }
        for (index, union) in parts.unions.iter().enumerate() {
            let hint = format!("{}Variant", unraw(parent));
            let ty = self.with_token("allOf", |this| this.schema_type(*union, direction, &hint));
            let wanted = if index == 0 { "variant".to_owned() } else { format!("variant_{}", index + 1) };
            let name = field_names.claim(&wanted);
            let doc = Some("The properties that depend on which variant this is.".to_owned());
            fields.push(Field {
                name,
                wire_name: String::new(),
                doc,
                ty,
                presence: Presence::Required,
                flatten: true,
                value: None,
            });
        }
        fields
    }

    /// `wire_name` as a type-name part and as a field name.
    pub(super) fn idents(&mut self, wire_name: &str) -> (String, String) {
        if let Some(known) = self.idents.get(wire_name) {
            return known.clone();
        }
        let idents = (camel_ident(wire_name), snake_ident(wire_name));
        self.idents.insert(wire_name.to_owned(), idents.clone());
        idents
    }

    /// A named inline type: an identical earlier one (same kind, whatever its hint) is reused,
    /// so repeated inline enums and objects become one type.
    pub(super) fn inline_type(&mut self, hint: &str, doc: Option<String>, kind: TypeKind) -> TypeRef {
        if let Some(existing) = self.inline_types.get(&kind) {
            return TypeRef::Named { name: existing.clone(), boxed: false };
        }
        let name = self.claim_type_name(hint);
        self.inline_types.insert(kind.clone(), name.clone());
        self.insert_type(&name, doc, kind);
        TypeRef::Named { name, boxed: false }
    }

    /// Whether the request shape of component `name` differs from its response shape.
    pub(super) fn differs_by_direction(&mut self, name: &str) -> bool {
        if let Some(known) = self.differs.get(name) {
            return *known;
        }
        // Assume "no" while looking, so that recursive schemas terminate.
        self.differs.insert(name.to_owned(), false);
        let result = match self.component_schema(name) {
            Some(schema) => self.schema_differs(schema, 0),
            None => false,
        };
        self.differs.insert(name.to_owned(), result);
        result
    }

    fn schema_differs(&mut self, schema: SchemaRef<'s>, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let item = match schema {
            SchemaRef::Ref(reference) => {
                return match component_ref(reference) {
                    Some(name) => self.differs_by_direction(&ref_token(name)),
                    None => self.schema_at(reference).is_some_and(|it| self.schema_differs(it, depth + 1)),
                };
            }
            SchemaRef::Item(item) => item,
        };
        match self.shape(item) {
            Shape::Struct(parts) => {
                if parts.unions.iter().any(|it| self.schema_differs(*it, depth + 1)) {
                    return true;
                }
                for (name, property) in &parts.properties {
                    let data = self.annotations(*property);
                    let required = parts.required.contains(name);
                    if data.read_only || data.write_only || (!required && self.is_nullable(*property)) {
                        return true;
                    }
                    if self.schema_differs(*property, depth + 1) {
                        return true;
                    }
                }
                false
            }
            Shape::Union(union) => union.members.iter().any(|(_, it)| self.schema_differs(*it, depth + 1)),
            Shape::Alias(member) => self.schema_differs(member, depth + 1),
            Shape::StringEnum(_) | Shape::Unmergeable => false,
            Shape::Plain => match &item.schema_kind {
                SchemaKind::Type(Type::Array(array)) => {
                    array.items.as_ref().is_some_and(|items| self.schema_differs(items.into(), depth + 1))
                }
                SchemaKind::Type(Type::Object(object)) => match &object.additional_properties {
                    Some(AdditionalProperties::Schema(value)) => {
                        self.schema_differs(value.as_ref().into(), depth + 1)
                    }
                    _ => false,
                },
                _ => false,
            },
        }
    }

    /// The annotations of a property: its own when inline, else its target's. Borrowed, since
    /// this runs for every property and the schema data also holds examples and extensions.
    fn annotations(&self, schema: SchemaRef<'s>) -> Annotations<'s> {
        let Some(item) = self.resolve(schema) else { return Annotations::default() };
        let data = &item.schema_data;
        let mut annotations = Annotations {
            read_only: data.read_only,
            write_only: data.write_only,
            nullable: data.nullable,
            description: data.description.as_deref(),
            title: data.title.as_deref(),
        };
        // `allOf: [$ref]` wrappers carry their own annotations; read-only on the target still
        // counts.
        if let (SchemaRef::Item(_), SchemaKind::AllOf { all_of }) = (schema, &item.schema_kind) {
            for member in all_of {
                if let Some(target) = self.resolve(member.into()) {
                    annotations.read_only |= target.schema_data.read_only;
                    annotations.write_only |= target.schema_data.write_only;
                }
            }
        }
        annotations
    }

    /// `nullable: true` on the schema or its target, `null` among enum values, or a `null`-only
    /// member of a composition.
    pub(super) fn is_nullable(&self, schema: SchemaRef<'s>) -> bool {
        let Some(item) = self.resolve(schema) else { return false };
        if self.annotations(schema).nullable || item.schema_data.nullable {
            return true;
        }
        match &item.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.enumeration.contains(&None),
            SchemaKind::Any(any) => any.enumeration.iter().any(serde_json::Value::is_null),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members.iter().any(|member| {
                    self.resolve(member.into()).is_some_and(|it| is_null_only(it) || it.schema_data.nullable)
                })
            }
            // `null` fits every member: each is nullable, or has no type to refuse it (Box
            // writes `allOf: [{ type: string, nullable: true }, { nullable: false }]`).
            SchemaKind::AllOf { all_of } => all_of.iter().all(|member| {
                self.resolve(member.into())
                    .is_some_and(|it| it.schema_data.nullable || is_annotation_only(it))
            }),
            _ => false,
        }
    }
}
