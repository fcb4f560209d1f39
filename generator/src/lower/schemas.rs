//! Lowering of schemas at their use sites: scalars, arrays, maps, references, and the named
//! types made for component schemas.
//!
//! Each schema is first classified into a [`Shape`]; objects, string enums and unions become
//! named types (see `objects.rs` and `unions.rs`), everything else a use-site type. Component
//! schemas that are objects or enums are named after the component; when such a type is used
//! in a request body and its request shape differs from its response shape, a second type
//! `<Name>Request` is made, in the manner of drf-spectacular's `COMPONENT_SPLIT_REQUEST`.

use openapiv3::{
    AdditionalProperties, Discriminator, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::objects::ObjectParts;
use super::{Direction, Lowerer, SchemaRef, ref_token};
use crate::model::TypeRef;
use crate::names::{camel_ident, unraw};

/// How deep `$ref` chains and compositions are followed before giving up; real documents stay
/// far below this, so hitting it means a cycle that no type can express.
pub(super) const MAX_DEPTH: usize = 32;

/// The typed members of a `oneOf` or `anyOf`.
pub(super) struct Union<'a> {
    pub(super) keyword: &'static str,
    /// Each member with its index in the composition (for pointers).
    pub(super) members: Vec<(usize, SchemaRef<'a>)>,
    pub(super) discriminator: Option<&'a Discriminator>,
    /// Whether a member may be `null` (or is only `null`), so the union must hold `null` too.
    pub(super) nullable: bool,
}

/// What a schema becomes.
pub(super) enum Shape<'a> {
    Struct(ObjectParts<'a>),
    StringEnum(Vec<&'a str>),
    Union(Union<'a>),
    /// A composition with one typed member: that member's type.
    Alias(SchemaRef<'a>),
    /// A use-site type: scalar, array, map or free-form JSON.
    Plain,
    /// `allOf` members that do not merge into one object or one scalar.
    Unmergeable,
}

impl<'a: 's, 's> Lowerer<'a> {
    /// Gives every object, enum or union component schema its type, in component name order.
    pub(super) fn lower_component_schemas(&mut self) {
        let document = self.document;
        let Some(components) = &document.components else { return };
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        for name in &names {
            if self.component_target(name).is_some() {
                let rust_name =
                    self.with_schema_pointer(name, |this| this.claim_type_name(&camel_ident(name)));
                self.component_types.insert(((*name).clone(), Direction::Response), rust_name);
            }
        }
        for name in names {
            self.component_type(name, Direction::Response);
        }
    }

    pub(super) fn with_schema_pointer<T>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::take(&mut self.pointer);
        self.pointer = vec!["components".into(), "schemas".into(), name.into()];
        let result = f(self);
        self.pointer = saved;
        result
    }

    /// The component schema called `name`, if it exists.
    pub(super) fn component_schema(&self, name: &str) -> Option<SchemaRef<'s>> {
        let document = self.document;
        document.components.as_ref()?.schemas.get(name).map(SchemaRef::from)
    }

    /// Follows `$ref`s to an inline schema; `None` for dangling or non-local references.
    pub(super) fn resolve(&self, schema: SchemaRef<'s>) -> Option<&'s Schema> {
        let mut current = schema;
        for _ in 0..MAX_DEPTH {
            match current {
                SchemaRef::Item(item) => return Some(item),
                SchemaRef::Ref(reference) => {
                    current = match component_ref(reference) {
                        Some(name) => self.component_schema(&ref_token(name))?,
                        None => self.schema_at(reference)?,
                    };
                }
            }
        }
        None
    }

    /// Sees through compositions with a single typed member, stopping at a `$ref`.
    fn unwrap_alias(&self, schema: &'s Schema) -> SchemaRef<'s> {
        let mut current = schema;
        for _ in 0..MAX_DEPTH {
            match self.shape(current) {
                Shape::Alias(SchemaRef::Item(inner)) => current = inner,
                Shape::Alias(reference) => return reference,
                _ => break,
            }
        }
        SchemaRef::Item(current)
    }

    /// The schema a component's named type is made from, when it gets one: an object, string
    /// enum or union, possibly wrapped in single-member compositions.
    fn component_target(&self, name: &str) -> Option<&'s Schema> {
        let SchemaRef::Item(inner) = self.unwrap_alias(self.resolve(self.component_schema(name)?)?) else {
            return None;
        };
        self.shape(inner).is_named().then_some(inner)
    }

    pub(super) fn shape(&self, schema: &'s Schema) -> Shape<'s> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) | SchemaKind::Any(_) if string_enum(schema).is_some() => {
                Shape::StringEnum(string_enum(schema).unwrap_or_default())
            }
            // Compositions written beside `type: object` (openapiv3 reads them as `Any`).
            SchemaKind::Any(any) if !any.all_of.is_empty() && any.properties.is_empty() => {
                self.all_of_shape(schema, &any.all_of)
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() && any.properties.is_empty() => {
                self.one_of_shape(schema, "oneOf", &any.one_of)
            }
            SchemaKind::Any(any) if !any.any_of.is_empty() && any.properties.is_empty() => {
                self.one_of_shape(schema, "anyOf", &any.any_of)
            }
            SchemaKind::Type(Type::Object(_)) | SchemaKind::Any(_) => match self.object_parts(schema, 0) {
                Some(parts) if !parts.properties.is_empty() => Shape::Struct(parts),
                _ => Shape::Plain,
            },
            SchemaKind::AllOf { all_of } => self.all_of_shape(schema, all_of),
            SchemaKind::OneOf { one_of } => self.one_of_shape(schema, "oneOf", one_of),
            SchemaKind::AnyOf { any_of } => self.one_of_shape(schema, "anyOf", any_of),
            _ => Shape::Plain,
        }
    }

    fn all_of_shape(&self, schema: &'s Schema, members: &'s [ReferenceOr<Schema>]) -> Shape<'s> {
        let typed = self.typed_members(members);
        if typed.len() == 1 {
            return Shape::Alias(typed[0]);
        }
        match self.object_parts(schema, 0) {
            Some(parts) if !parts.properties.is_empty() => Shape::Struct(parts),
            Some(_) => Shape::Plain,
            // `allOf` of one scalar type and its constraints: that scalar.
            None if self.same_scalar(&typed) => Shape::Alias(typed[0]),
            None => Shape::Unmergeable,
        }
    }

    fn one_of_shape(
        &self,
        schema: &'s Schema,
        keyword: &'static str,
        members: &'s [ReferenceOr<Schema>],
    ) -> Shape<'s> {
        let typed = self.typed_members(members);
        match typed.len() {
            0 => Shape::Plain,
            1 => Shape::Alias(typed[0]),
            _ => match self.merged_string_enum(&typed) {
                Some(values) => Shape::StringEnum(values),
                None => Shape::Union(Union {
                    keyword,
                    members: self.indexed_members(members),
                    discriminator: schema.schema_data.discriminator.as_ref(),
                    nullable: members.iter().any(|member| self.is_nullable(member.into())),
                }),
            },
        }
    }

    /// The members of a composition that carry a type: not annotation-only, not `null`-only
    /// (those only make the whole nullable).
    fn typed_members(&self, members: &'s [ReferenceOr<Schema>]) -> Vec<SchemaRef<'s>> {
        self.indexed_members(members).into_iter().map(|(_, member)| member).collect()
    }

    /// [`Lowerer::typed_members`] with their indexes in the composition, for pointers.
    fn indexed_members(&self, members: &'s [ReferenceOr<Schema>]) -> Vec<(usize, SchemaRef<'s>)> {
        members
            .iter()
            .map(SchemaRef::from)
            .enumerate()
            .filter(|(_, member)| match member {
                SchemaRef::Ref(_) => self.resolve(*member).is_none_or(|it| !is_null_only(it)),
                SchemaRef::Item(item) => !is_annotation_only(item) && !is_null_only(item),
            })
            .collect()
    }

    /// Whether every member resolves to the same scalar type (constraints split over members).
    fn same_scalar(&self, members: &[SchemaRef<'s>]) -> bool {
        let kinds: Vec<Option<&str>> = members.iter().map(|it| self.scalar_kind(*it)).collect();
        kinds.first().is_some_and(|first| first.is_some() && kinds.iter().all(|it| it == first))
    }

    /// The scalar type of a schema, through references and single-member compositions.
    fn scalar_kind(&self, schema: SchemaRef<'s>) -> Option<&'static str> {
        let mut current = schema;
        for _ in 0..MAX_DEPTH {
            let item = self.resolve(current)?;
            match self.unwrap_alias(item) {
                SchemaRef::Item(inner) => return scalar_kind(inner),
                reference => current = reference,
            }
        }
        None
    }

    /// The Rust type of a schema at a use site. `hint` names any inline type this creates.
    pub(super) fn schema_type(&mut self, schema: SchemaRef<'s>, direction: Direction, hint: &str) -> TypeRef {
        let schema = match schema {
            SchemaRef::Ref(reference) => return self.reference_type(reference, direction),
            // `enum: [null]` (Dropshot's `()` response, drf-spectacular's `NullEnum`) holds
            // nothing but `null`, which a JSON value holds.
            SchemaRef::Item(item) if is_null_only(item) => return TypeRef::Json,
            SchemaRef::Item(item) => match self.unwrap_alias(item) {
                SchemaRef::Ref(reference) => return self.reference_type(reference, direction),
                SchemaRef::Item(inner) => inner,
            },
        };
        match self.shape(schema) {
            Shape::Struct(parts) => self.inline_struct(hint, schema, parts, direction),
            Shape::StringEnum(values) => self.inline_enum(hint, schema, values),
            Shape::Union(union) => self.inline_union(hint, schema, union, direction),
            Shape::Unmergeable => {
                self.warn(
                    "`allOf` members do not merge into one object or one scalar; using `serde_json::Value`",
                );
                TypeRef::Json
            }
            Shape::Alias(_) | Shape::Plain => self.plain_type(schema, direction, hint),
        }
    }

    fn plain_type(&mut self, schema: &'s Schema, direction: Direction, hint: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => TypeRef::Uuid,
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
            // A stated `type` wins over keywords of another type written beside it (GitHub's
            // `type: string` with `additionalProperties`, Cloudflare's `type: object` with
            // `items`): servers send what the type says.
            SchemaKind::Any(any)
                if matches!(any.typ.as_deref(), Some("array"))
                    || (any.typ.is_none() && any.items.is_some()) =>
            {
                self.array_type(any.items.as_ref().map(Into::into), direction, hint)
            }
            SchemaKind::Any(any)
                if matches!(any.typ.as_deref(), Some("object"))
                    || (any.typ.is_none() && any.additional_properties.is_some()) =>
            {
                self.map_type(any.additional_properties.as_ref(), direction, hint)
            }
            SchemaKind::Any(any) => match (any.typ.as_deref(), any.format.as_deref()) {
                (Some("string"), Some("date-time")) => TypeRef::DateTime,
                (Some("string"), Some("date")) => TypeRef::Date,
                (Some("string"), Some("uuid")) => TypeRef::Uuid,
                (Some("string"), _) => TypeRef::String,
                (Some("integer"), _) => TypeRef::Integer,
                (Some("number"), _) => TypeRef::Number,
                (Some("boolean"), _) => TypeRef::Boolean,
                _ => TypeRef::Json,
            },
            SchemaKind::AllOf { all_of: members } => {
                // Several members of one scalar type: the first carries the type.
                let typed = self.typed_members(members);
                match typed.first() {
                    Some(first) => self.schema_type(*first, direction, hint),
                    None => TypeRef::Json,
                }
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => TypeRef::Json,
            SchemaKind::Not { .. } => {
                self.warn("`not` cannot be expressed as a Rust type; using `serde_json::Value`");
                TypeRef::Json
            }
        }
    }

    fn array_type(&mut self, items: Option<SchemaRef<'s>>, direction: Direction, hint: &str) -> TypeRef {
        let item = match items {
            Some(items) => self.with_token("items", |this| {
                let item = this.schema_type(items, direction, &format!("{hint}Item"));
                this.or_null(items, item)
            }),
            None => TypeRef::Json,
        };
        TypeRef::Vec(Box::new(unboxed(item)))
    }

    /// `ty` as an `Option` when `schema` may be `null` (a JSON value already holds `null`),
    /// for array items and map values, which have no presence of their own to say so.
    fn or_null(&self, schema: SchemaRef<'s>, ty: TypeRef) -> TypeRef {
        if ty != TypeRef::Json && self.is_nullable(schema) { TypeRef::Option(Box::new(ty)) } else { ty }
    }

    fn map_type(
        &mut self,
        additional: Option<&'s AdditionalProperties>,
        direction: Direction,
        hint: &str,
    ) -> TypeRef {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => self.with_token("additionalProperties", |this| {
                let value = this.schema_type(schema.as_ref().into(), direction, &format!("{hint}Value"));
                this.or_null(schema.as_ref().into(), value)
            }),
            _ => TypeRef::Json,
        };
        TypeRef::Map(Box::new(unboxed(value)))
    }

    fn reference_type(&mut self, reference: &'s str, direction: Direction) -> TypeRef {
        if component_ref(reference).is_none() && reference.starts_with("#/") {
            return self.pointer_type(reference, direction);
        }
        let Some(name) = self.component_name(reference, "schemas") else { return TypeRef::Json };
        let name = ref_token(name).into_owned();
        let Some(target) = self.component_schema(&name) else {
            self.warn(format!("unknown schema `{reference}`; using `serde_json::Value`"));
            return TypeRef::Json;
        };
        if let Some(rust_name) = self.component_type(&name, direction) {
            let boxed = self.in_progress.contains(&rust_name);
            return TypeRef::Named { name: rust_name, boxed };
        }
        // Not a named type: the component's type is used in place.
        let what = format!("schema `{name}`");
        self.in_place_type(name.clone(), &what, direction, |this| {
            this.with_schema_pointer(&name, |this| this.schema_type(target, direction, &camel_ident(&name)))
        })
    }

    /// A schema used in place rather than as a named type (an alias component, or what a
    /// pointer finds), lowered by `lower` once per direction; one that reaches itself again
    /// with no object in between is cut off as `serde_json::Value`. `key` identifies it and
    /// `what` names it in that warning.
    fn in_place_type(
        &mut self,
        key: String,
        what: &str,
        direction: Direction,
        lower: impl FnOnce(&mut Self) -> TypeRef,
    ) -> TypeRef {
        let marker = format!("#alias/{key}");
        let key = (key, direction);
        if let Some(known) = self.alias_types.get(&key) {
            return known.clone();
        }
        if self.in_progress.contains(&marker) {
            self.warn(format!(
                "{what} refers to itself without an object in between; using `serde_json::Value`"
            ));
            return TypeRef::Json;
        }
        self.in_progress.push(marker);
        let ty = lower(self);
        self.in_progress.pop();
        self.alias_types.insert(key, ty.clone());
        ty
    }

    /// The type of a schema that a `$ref` finds inside a component (a property, the items of an
    /// array, ...), used in place like an alias and named after the pointer's tokens.
    fn pointer_type(&mut self, reference: &'s str, direction: Direction) -> TypeRef {
        let Some(target) = self.schema_at(reference) else {
            self.warn(format!("`{reference}` points at no schema; using `serde_json::Value`"));
            return TypeRef::Json;
        };
        let tokens: Vec<String> =
            reference.trim_start_matches("#/").split('/').map(|it| ref_token(it).into_owned()).collect();
        // `#/components/schemas/A/properties/b/items` is named `ABItems`.
        let words: Vec<&str> = tokens
            .iter()
            .skip(2)
            .map(String::as_str)
            .filter(|it| !matches!(*it, "properties" | "content" | "schema"))
            .collect();
        let hint = camel_ident(&words.join(" "));
        self.in_place_type(reference.to_owned(), &format!("`{reference}`"), direction, |this| {
            let saved = std::mem::replace(&mut this.pointer, tokens);
            let ty = this.schema_type(target, direction, &hint);
            this.pointer = saved;
            ty
        })
    }

    /// The Rust type name of an object, enum or union component in `direction`, lowering it on
    /// first use; `None` when the component is none of these.
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
        let target = self.component_target(name)?;
        let wrapper = self.resolve(self.component_schema(name)?)?;
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
        let doc = type_doc(wrapper).or_else(|| type_doc(target));
        self.with_schema_pointer(name, |this| match this.shape(target) {
            Shape::Struct(parts) => {
                let tag = this.member_tags.get(name).cloned().flatten();
                this.insert_struct(&rust_name, doc, parts, direction, tag)
            }
            Shape::StringEnum(values) => this.insert_enum(&rust_name, doc, values),
            Shape::Union(union) => this.insert_union(&rust_name, doc, union, direction),
            Shape::Alias(_) | Shape::Plain | Shape::Unmergeable => unreachable!("component_target checked"),
        });
        if direction == Direction::Request {
            let base = self.component_types[&(name.to_owned(), Direction::Response)].clone();
            if let Some(def) = self.types.get_mut(&rust_name) {
                def.request_shape_of = Some(base);
            }
        }
        Some(rust_name)
    }
}

impl Shape<'_> {
    fn is_named(&self) -> bool {
        matches!(self, Shape::Struct(_) | Shape::StringEnum(_) | Shape::Union(_))
    }
}

/// The component name of a `#/components/schemas/<name>` reference; `None` for any other.
pub(super) fn component_ref(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/").filter(|name| !name.contains('/'))
}

/// A collection already puts its items behind a pointer, so a recursive item needs no box.
pub(super) fn unboxed(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Named { name, .. } => TypeRef::Named { name, boxed: false },
        TypeRef::Option(inner) => TypeRef::Option(Box::new(unboxed(*inner))),
        other => other,
    }
}

/// The values of a string enum, without the `null` that marks it nullable. A type-less
/// `enum` of strings (drf-spectacular's `BlankEnum`) counts too.
pub(super) fn string_enum(schema: &Schema) -> Option<Vec<&str>> {
    let values: Vec<&str> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string.enumeration.iter().flatten().map(String::as_str).collect()
        }
        SchemaKind::Any(any)
            if any.typ.is_none() && any.enumeration.iter().all(|it| it.is_string() || it.is_null()) =>
        {
            any.enumeration.iter().filter_map(serde_json::Value::as_str).collect()
        }
        _ => return None,
    };
    let mut unique: Vec<&str> = Vec::new();
    for value in values {
        if !unique.contains(&value) {
            unique.push(value);
        }
    }
    (!unique.is_empty()).then_some(unique)
}

/// A schema that adds only annotations (`nullable`, `description`, ...) and no type of its own.
pub(super) fn is_annotation_only(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}

/// `enum: [null]` (drf-spectacular's `NullEnum`): it only says the value may be null.
pub(super) fn is_null_only(schema: &Schema) -> bool {
    let values: Vec<bool> = match &schema.schema_kind {
        SchemaKind::Any(any) => any.enumeration.iter().map(serde_json::Value::is_null).collect(),
        SchemaKind::Type(Type::String(string)) => string.enumeration.iter().map(Option::is_none).collect(),
        _ => return false,
    };
    !values.is_empty() && values.iter().all(|it| *it)
}

fn scalar_kind(schema: &Schema) -> Option<&'static str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("string"),
        SchemaKind::Type(Type::Integer(_)) => Some("integer"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        _ => None,
    }
}

pub(super) fn type_doc(schema: &Schema) -> Option<String> {
    match (&schema.schema_data.title, &schema.schema_data.description) {
        (Some(title), Some(description)) if title.trim() != description.trim() => {
            Some(format!("{title}\n\n{description}"))
        }
        (_, Some(text)) | (Some(text), None) => Some(text.clone()),
        (None, None) => None,
    }
}
