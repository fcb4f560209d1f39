//! Lowering of schemas into Rust types: structs, string enums, and use-site type references.
//!
//! Component schemas that are objects or string enums become named types. When such a type is
//! used in a request body and its request shape differs from its response shape (read-only or
//! write-only properties, or an optional nullable property whose absence and `null` mean
//! different things), a second type `<Name>Request` is made, in the manner of drf-spectacular's
//! `COMPONENT_SPLIT_REQUEST`.

use openapiv3::{
    AdditionalProperties, Schema, SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::{Direction, Lowerer, SchemaRef, ref_token};
use crate::model::{Field, Presence, TypeDef, TypeKind, TypeRef, Variant};
use crate::names::{Namespace, camel_ident, snake_ident, unraw};

/// How deep `$ref` chains and `allOf` nesting are followed before giving up; real documents
/// stay far below this, so hitting it means a cycle that no type can express.
const MAX_DEPTH: usize = 32;

/// The properties of an object schema, with `allOf` members merged in order.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: Vec<(&'a str, SchemaRef<'a>)>,
    required: Vec<&'a str>,
}

impl<'a> ObjectParts<'a> {
    fn add(&mut self, name: &'a str, schema: SchemaRef<'a>) {
        match self.properties.iter_mut().find(|(existing, _)| *existing == name) {
            Some(slot) => slot.1 = schema,
            None => self.properties.push((name, schema)),
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Gives every object or enum component schema its type, in component name order.
    pub(super) fn lower_component_schemas(&mut self) {
        let document = self.document;
        let Some(components) = &document.components else { return };
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        for name in &names {
            if self.is_named_kind(SchemaRef::from(&components.schemas[name.as_str()])) {
                let rust_name =
                    self.with_schema_pointer(name, |this| this.claim_type_name(&camel_ident(name)));
                self.component_types.insert(((*name).clone(), Direction::Response), rust_name);
            }
        }
        for name in names {
            self.component_type(name, Direction::Response);
        }
    }

    fn with_schema_pointer<T>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::take(&mut self.pointer);
        self.pointer = vec!["components".into(), "schemas".into(), name.into()];
        let result = f(self);
        self.pointer = saved;
        result
    }

    /// The component schema called `name`, if it exists.
    fn component_schema(&self, name: &str) -> Option<SchemaRef<'a>> {
        let document = self.document;
        document.components.as_ref()?.schemas.get(name).map(SchemaRef::from)
    }

    /// Follows `$ref`s to an inline schema; `None` for dangling or non-local references.
    fn resolve(&self, schema: SchemaRef<'a>) -> Option<&'a Schema> {
        let mut current = schema;
        for _ in 0..MAX_DEPTH {
            match current {
                SchemaRef::Item(item) => return Some(item),
                SchemaRef::Ref(reference) => {
                    let name = reference.strip_prefix("#/components/schemas/")?;
                    current = self.component_schema(&ref_token(name))?;
                }
            }
        }
        None
    }

    fn is_named_kind(&self, schema: SchemaRef<'a>) -> bool {
        let Some(schema) = self.resolve(schema) else { return false };
        string_enum(schema).is_some()
            || self.object_parts(schema, 0).is_some_and(|it| !it.properties.is_empty())
    }

    /// The properties of `schema` when it is an object (directly or through `allOf`).
    fn object_parts(&self, schema: &'a Schema, depth: usize) -> Option<ObjectParts<'a>> {
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
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                for (name, property) in &any.properties {
                    parts.add(name, property.into());
                }
                parts.required.extend(any.required.iter().map(String::as_str));
            }
            SchemaKind::AllOf { all_of } => {
                for member in all_of {
                    let member = self.resolve(member.into())?;
                    if is_annotation_only(member) {
                        continue;
                    }
                    let member_parts = self.object_parts(member, depth + 1)?;
                    for (name, property) in member_parts.properties {
                        parts.add(name, property);
                    }
                    parts.required.extend(member_parts.required);
                }
            }
            _ => return None,
        }
        Some(parts)
    }

    /// The Rust type of a schema at a use site. `hint` names any inline type this creates.
    pub(super) fn schema_type(&mut self, schema: SchemaRef<'a>, direction: Direction, hint: &str) -> TypeRef {
        let schema = match schema {
            SchemaRef::Ref(reference) => return self.reference_type(reference, direction),
            SchemaRef::Item(item) => item,
        };
        // `allOf: [$ref]` with `nullable` or a description is the referenced type itself.
        if let SchemaKind::AllOf { all_of: members }
        | SchemaKind::OneOf { one_of: members }
        | SchemaKind::AnyOf { any_of: members } = &schema.schema_kind
        {
            if let Some(member) = self.single_member(members) {
                return self.schema_type(member, direction, hint);
            }
        }
        if let Some(values) = string_enum(schema) {
            let name = self.claim_type_name(hint);
            self.insert_enum(&name, schema, values);
            return TypeRef::Named { name, boxed: false };
        }
        if let Some(parts) = self.object_parts(schema, 0).filter(|it| !it.properties.is_empty()) {
            let name = self.claim_type_name(hint);
            self.insert_struct(&name, schema, parts, direction);
            return TypeRef::Named { name, boxed: false };
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uint64" => TypeRef::UnsignedInteger,
                // int32 values fit in i64, and a server that overflows the documented range
                // should not make a whole response undecodable.
                _ => TypeRef::Integer,
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(array)) => {
                self.array_type(array.items.as_ref().map(Into::into), direction, hint)
            }
            SchemaKind::Type(Type::Object(object)) => {
                self.map_type(object.additional_properties.as_ref(), direction, hint)
            }
            SchemaKind::Any(any) if any.items.is_some() || any.typ.as_deref() == Some("array") => {
                self.array_type(any.items.as_ref().map(Into::into), direction, hint)
            }
            SchemaKind::Any(any) if any.additional_properties.is_some() => {
                self.map_type(any.additional_properties.as_ref(), direction, hint)
            }
            SchemaKind::Any(_) => TypeRef::Json,
            SchemaKind::AllOf { all_of }
            | SchemaKind::OneOf { one_of: all_of }
            | SchemaKind::AnyOf { any_of: all_of }
                if self.single_member(all_of).is_some() =>
            {
                let member = self.single_member(all_of).expect("checked by the guard");
                self.schema_type(member, direction, hint)
            }
            SchemaKind::AllOf { .. } => {
                self.warn("`allOf` members could not be merged into one object; using `serde_json::Value`");
                TypeRef::Json
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                self.warn(
                    "`oneOf`/`anyOf` with several members is not supported yet; using `serde_json::Value`",
                );
                TypeRef::Json
            }
            SchemaKind::Not { .. } => {
                self.warn("`not` cannot be expressed as a Rust type; using `serde_json::Value`");
                TypeRef::Json
            }
        }
    }

    /// The one member of a composition that carries a type, ignoring members that only add
    /// annotations such as `nullable` or a description.
    fn single_member(&self, members: &'a [openapiv3::ReferenceOr<Schema>]) -> Option<SchemaRef<'a>> {
        let mut typed = members.iter().map(SchemaRef::from).filter(|member| match member {
            SchemaRef::Ref(_) => true,
            SchemaRef::Item(item) => !is_annotation_only(item),
        });
        let first = typed.next()?;
        typed.next().is_none().then_some(first)
    }

    fn array_type(&mut self, items: Option<SchemaRef<'a>>, direction: Direction, hint: &str) -> TypeRef {
        let item = match items {
            Some(items) => {
                self.with_token("items", |this| this.schema_type(items, direction, &format!("{hint}Item")))
            }
            None => TypeRef::Json,
        };
        TypeRef::Vec(Box::new(unboxed(item)))
    }

    fn map_type(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        direction: Direction,
        hint: &str,
    ) -> TypeRef {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => self.with_token("additionalProperties", |this| {
                this.schema_type(schema.as_ref().into(), direction, &format!("{hint}Value"))
            }),
            _ => TypeRef::Json,
        };
        TypeRef::Map(Box::new(unboxed(value)))
    }

    fn reference_type(&mut self, reference: &'a str, direction: Direction) -> TypeRef {
        let Some(name) = self.component_name(reference, "schemas") else { return TypeRef::Json };
        let name = ref_token(name);
        let Some(target) = self.component_schema(&name) else {
            self.error(format!("unknown schema `{reference}`"));
            return TypeRef::Json;
        };
        if let Some(rust_name) = self.component_type(&name, direction) {
            let boxed = self.in_progress.contains(&rust_name);
            return TypeRef::Named { name: rust_name, boxed };
        }
        // Not an object or enum: use the component's type in place, guarding against aliases
        // that refer to themselves.
        let marker = format!("#alias/{name}");
        if self.in_progress.contains(&marker) {
            self.warn(format!(
                "schema `{name}` refers to itself without an object in between; using `serde_json::Value`"
            ));
            return TypeRef::Json;
        }
        self.in_progress.push(marker);
        let ty =
            self.with_schema_pointer(&name, |this| this.schema_type(target, direction, &camel_ident(&name)));
        self.in_progress.pop();
        ty
    }

    /// The Rust type name of an object or enum component in `direction`, lowering it on first
    /// use; `None` when the component is neither.
    fn component_type(&mut self, name: &str, direction: Direction) -> Option<String> {
        let direction = match direction {
            Direction::Request if self.differs_by_direction(name) => Direction::Request,
            _ => Direction::Response,
        };
        let key = (name.to_owned(), direction);
        if let Some(existing) = self.component_types.get(&key) {
            if self.types.contains_key(existing) || self.in_progress.contains(existing) {
                return Some(existing.clone());
            }
        }
        let schema = self.component_schema(name)?;
        if !self.is_named_kind(schema) {
            return None;
        }
        let item = self.resolve(schema)?;
        let rust_name = match self.component_types.get(&key) {
            Some(existing) => existing.clone(),
            None => {
                let base = self.component_types[&(name.to_owned(), Direction::Response)].clone();
                self.with_schema_pointer(name, |this| {
                    this.claim_type_name(&format!("{}Request", unraw(&base)))
                })
            }
        };
        self.component_types.insert(key, rust_name.clone());
        self.with_schema_pointer(name, |this| {
            if let Some(values) = string_enum(item) {
                this.insert_enum(&rust_name, item, values);
            } else if let Some(parts) = this.object_parts(item, 0) {
                this.insert_struct(&rust_name, item, parts, direction);
            }
        });
        if direction == Direction::Request {
            let base = self.component_types[&(name.to_owned(), Direction::Response)].clone();
            if let Some(def) = self.types.get_mut(&rust_name) {
                def.request_shape_of = Some(base);
            }
        }
        Some(rust_name)
    }

    /// Whether the request shape of component `name` differs from its response shape.
    fn differs_by_direction(&mut self, name: &str) -> bool {
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

    fn schema_differs(&mut self, schema: SchemaRef<'a>, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let item = match schema {
            SchemaRef::Ref(reference) => {
                return match reference.strip_prefix("#/components/schemas/") {
                    Some(name) => self.differs_by_direction(&ref_token(name)),
                    None => false,
                };
            }
            SchemaRef::Item(item) => item,
        };
        if let Some(parts) = self.object_parts(item, 0) {
            for (name, property) in &parts.properties {
                let data = self.schema_data(*property);
                let required = parts.required.contains(name);
                if data.read_only || data.write_only || (!required && self.is_nullable(*property)) {
                    return true;
                }
                if self.schema_differs(*property, depth + 1) {
                    return true;
                }
            }
            return false;
        }
        match &item.schema_kind {
            SchemaKind::Type(Type::Array(array)) => {
                array.items.as_ref().is_some_and(|items| self.schema_differs(items.into(), depth + 1))
            }
            SchemaKind::Type(Type::Object(object)) => match &object.additional_properties {
                Some(AdditionalProperties::Schema(value)) => {
                    self.schema_differs(value.as_ref().into(), depth + 1)
                }
                _ => false,
            },
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members.iter().any(|member| self.schema_differs(member.into(), depth + 1))
            }
            _ => false,
        }
    }

    /// The annotations of a property: its own when inline, else its target's.
    fn schema_data(&self, schema: SchemaRef<'a>) -> SchemaData {
        match schema {
            SchemaRef::Item(item) => {
                let mut data = item.schema_data.clone();
                // `allOf: [$ref]` wrappers carry their own annotations; read-only on the target
                // still counts.
                if let SchemaKind::AllOf { all_of } = &item.schema_kind {
                    for member in all_of {
                        if let Some(target) = self.resolve(member.into()) {
                            data.read_only |= target.schema_data.read_only;
                            data.write_only |= target.schema_data.write_only;
                        }
                    }
                }
                data
            }
            SchemaRef::Ref(_) => self.resolve(schema).map(|it| it.schema_data.clone()).unwrap_or_default(),
        }
    }

    fn is_nullable(&self, schema: SchemaRef<'a>) -> bool {
        let Some(item) = self.resolve(schema) else { return false };
        let enum_has_null = match &item.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.enumeration.contains(&None),
            SchemaKind::Any(any) => any.enumeration.iter().any(serde_json::Value::is_null),
            _ => false,
        };
        self.schema_data(schema).nullable || item.schema_data.nullable || enum_has_null
    }

    fn insert_struct(
        &mut self,
        name: &str,
        schema: &'a Schema,
        parts: ObjectParts<'a>,
        direction: Direction,
    ) {
        self.in_progress.push(name.to_owned());
        let mut field_names = Namespace::default();
        let mut fields = Vec::new();
        for (wire_name, property) in &parts.properties {
            let data = self.schema_data(*property);
            let skipped = match direction {
                Direction::Request => data.read_only,
                Direction::Response => data.write_only,
            };
            if skipped {
                continue;
            }
            let hint = format!("{}{}", unraw(name), unraw(&camel_ident(wire_name)));
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
            let wanted = snake_ident(wire_name);
            let field_name = field_names.claim(&wanted);
            if field_name != wanted {
                self.with_token("properties", |this| {
                    this.with_token(wire_name, |this| {
                        this.warn(format!("property name `{wanted}` is already taken; using `{field_name}`"))
                    })
                });
            }
            fields.push(Field {
                name: field_name,
                wire_name: (*wire_name).to_owned(),
                doc: data.description,
                ty,
                presence,
            });
        }
        self.in_progress.pop();
        let def = TypeDef {
            name: name.to_owned(),
            doc: type_doc(schema),
            request_shape_of: None,
            kind: TypeKind::Struct { fields },
        };
        self.types.insert(name.to_owned(), def);
    }

    fn insert_enum(&mut self, name: &str, schema: &'a Schema, values: Vec<&'a str>) {
        let mut variant_names = Namespace::default();
        variant_names.claim("Unknown");
        let variants = values
            .into_iter()
            .map(|value| {
                let wanted = if value.is_empty() { "Empty".to_owned() } else { camel_ident(value) };
                Variant { name: variant_names.claim(&wanted), wire_name: value.to_owned() }
            })
            .collect();
        let def = TypeDef {
            name: name.to_owned(),
            doc: type_doc(schema),
            request_shape_of: None,
            kind: TypeKind::StringEnum { variants },
        };
        self.types.insert(name.to_owned(), def);
    }
}

/// A collection already puts its items behind a pointer, so a recursive item needs no box.
fn unboxed(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Named { name, .. } => TypeRef::Named { name, boxed: false },
        other => other,
    }
}

/// The values of a string enum, without the `null` that marks it nullable.
fn string_enum(schema: &Schema) -> Option<Vec<&str>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if string.enumeration.iter().any(Option::is_some) => {
            let mut values: Vec<&str> = Vec::new();
            for value in string.enumeration.iter().flatten() {
                if !values.contains(&value.as_str()) {
                    values.push(value);
                }
            }
            Some(values)
        }
        _ => None,
    }
}

/// A schema that adds only annotations (`nullable`, `description`, ...) and no type of its own.
fn is_annotation_only(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}

fn type_doc(schema: &Schema) -> Option<String> {
    match (&schema.schema_data.title, &schema.schema_data.description) {
        (Some(title), Some(description)) => Some(format!("{title}\n\n{description}")),
        (None, Some(text)) | (Some(text), None) => Some(text.clone()),
        (None, None) => None,
    }
}
